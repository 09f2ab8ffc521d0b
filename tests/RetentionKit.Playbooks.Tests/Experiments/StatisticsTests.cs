using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RetentionKit.Playbooks.Experiments;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>The experiment statistics against published examples and, on simulated experiments, their promises: coverage, false positives under daily looks, power.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void Wilson_MatchesNewcombesExample()
    {
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion": 81/263, Wilson 0.2553 to 0.3662.
        var (lower, upper) = new Proportion(81, 263).WilsonInterval(0.95);

        Assert.Equal(0.2553, lower, 4);
        Assert.Equal(0.3662, upper, 4);
        Assert.Equal((0d, 1d), new Proportion(0, 0).WilsonInterval());
        Assert.Equal(0, new Proportion(0, 20).WilsonInterval().Lower);
        Assert.Equal(1, new Proportion(20, 20).WilsonInterval().Upper);
    }

    [Fact]
    public void TheDifference_MatchesNewcombesHybridScoreExample()
    {
        // Newcombe (1998), "Interval estimation for the difference between independent proportions", method 10:
        // 56/70 against 48/80, difference 0.2000, 95 % interval 0.0524 to 0.3339.
        var uplift = Statistics.Difference(new Proportion(56, 70), new Proportion(48, 80), 0.95);

        Assert.Equal(0.2, uplift.Difference, 10);
        Assert.Equal(0.0524, uplift.Lower, 4);
        Assert.Equal(0.3339, uplift.Upper, 4);
        Assert.InRange(uplift.PValue, 0, 0.05);
    }

    [Property(MaxTest = 300)]
    public Property Intervals_HoldTheirEstimate_InsideTheirBounds() =>
        Prop.ForAll(Gen.Choose(0, 400).SelectMany(n => Gen.Choose(0, n).Select(s => new Proportion(s, n))).Two().ToArbitrary(), pair =>
        {
            var (a, b) = pair;
            if (a.Trials > 0)
            {
                var (lower, upper) = a.WilsonInterval();
                Assert.True(lower <= a.Rate && a.Rate <= upper && lower >= 0 && upper <= 1);
            }

            if (a.Trials > 0 && b.Trials > 0)
            {
                var u = Statistics.Difference(a, b);
                Assert.True(u.Lower <= u.Difference && u.Difference <= u.Upper && u.Lower >= -1 && u.Upper <= 1 && u.PValue is >= 0 and <= 1);
            }
        });

    [Fact]
    public void Holm_AdjustsStepDown_AndNeverBelowTheRawPValues()
    {
        var adjusted = Statistics.Holm([0.01, 0.04, 0.03, 0.005]);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)).ToArray());
        Assert.Equal("pValues", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Holm([0.2, 1.5])).ParamName);
    }

    [Fact]
    public void TheSampleSize_IsTheTextbookOne()
    {
        // 30 % against 35 %, α 0.05, power 0.8, equal arms: (1.960 + 0.842)² · (0.35·0.65 + 0.3·0.7) / 0.05² = 1,374 each.
        Assert.Equal((1_374, 1_374), Statistics.SampleSize(0.30, 0.05));

        // A 10 % holdout: nine treated per control; the control arm is the one that costs.
        Assert.Equal((6_649, 739), Statistics.SampleSize(0.30, 0.05, treatedPerControl: 9));
        Assert.Equal("uplift", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.SampleSize(0.3, 0.8)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.SampleSize(0.3, 0.05, alpha: 0)).ParamName);
    }

    // 2,000 simulated experiments of a 10 % holdout (900 treated, 100 controls), true rates 35 % and 30 %: the 90 %
    // interval covers the true uplift of 0.05 in 90 % ± 3 % of them.
    [Fact]
    public void TheFixedHorizonInterval_CoversTheTrueUplift_InNinetyPercentOfExperiments()
    {
        var random = new Random(11);
        var covered = 0;
        const int Runs = 2_000;
        for (var run = 0; run < Runs; run++)
        {
            var u = Statistics.Difference(Draw(random, 900, 0.35), Draw(random, 100, 0.30));
            covered += u.Lower <= 0.05 && 0.05 <= u.Upper ? 1 : 0;
        }

        Assert.InRange(covered / (double)Runs, 0.87, 0.93);
    }

    // The textbook size is the size at which the test has its power: at 1,374 per arm a true 30 % → 35 % is found
    // (p < 0.05) in 80 % ± 3 % of 2,000 experiments.
    [Fact]
    public void AtTheCalculatedSize_TheTestHasItsPower()
    {
        var random = new Random(12);
        var (treated, control) = Statistics.SampleSize(0.30, 0.05);
        var found = 0;
        const int Runs = 2_000;
        for (var run = 0; run < Runs; run++)
        {
            found += Statistics.Difference(Draw(random, treated, 0.35), Draw(random, control, 0.30)).PValue < 0.05 ? 1 : 0;
        }

        Assert.InRange(found / (double)Runs, 0.77, 0.83);
    }

    // A playbook with no effect, read every day for 60 days (45 treated and 5 controls a day, both 30 %): the
    // always-valid sequence calls it effective on some day in at most 10 % of 1,000 runs (a 90 % sequence), while
    // re-running the fixed-horizon test every day would call it effective far more often.
    [Fact]
    public void ReadEveryDay_AZeroEffectIsDeclaredEffective_AtMostAtTheNominalRate()
    {
        var random = new Random(13);
        var (sequential, naive) = (0, 0);
        const int Runs = 1_000;
        for (var run = 0; run < Runs; run++)
        {
            var (treated, control) = (new Proportion(0, 0), new Proportion(0, 0));
            var (s, n) = (false, false);
            for (var day = 0; day < 60; day++)
            {
                treated = Add(treated, Draw(random, 45, 0.30));
                control = Add(control, Draw(random, 5, 0.30));
                var always = Statistics.AlwaysValid(treated, control, holdoutShare: 0.1, plannedCustomers: 3_000);
                s |= always.Lower > 0 || always.Upper < 0;
                var fixedHorizon = Statistics.Difference(treated, control);
                n |= control.Trials > 0 && (fixedHorizon.Lower > 0 || fixedHorizon.Upper < 0);
            }

            (sequential, naive) = (sequential + (s ? 1 : 0), naive + (n ? 1 : 0));
        }

        Assert.InRange(sequential / (double)Runs, 0, 0.10);
        Assert.True(naive > 2 * sequential && naive / (double)Runs > 0.2, $"peeking at the fixed test: {naive} of {Runs}; the sequence: {sequential}");
    }

    [Fact]
    public void TheAlwaysValidSequence_CoversTheTrueUpliftAtEveryLook_AndFindsARealOne()
    {
        var random = new Random(14);
        var (coveredThroughout, found) = (0, 0);
        const int Runs = 500;
        for (var run = 0; run < Runs; run++)
        {
            var (treated, control) = (new Proportion(0, 0), new Proportion(0, 0));
            var (always, detected) = (true, false);
            for (var day = 0; day < 60; day++)
            {
                treated = Add(treated, Draw(random, 90, 0.40));
                control = Add(control, Draw(random, 10, 0.25));
                var u = Statistics.AlwaysValid(treated, control, holdoutShare: 0.1, plannedCustomers: 6_000);
                always &= u.Lower <= 0.15 && 0.15 <= u.Upper;
                detected |= u.Lower > 0;
            }

            (coveredThroughout, found) = (coveredThroughout + (always ? 1 : 0), found + (detected ? 1 : 0));
        }

        Assert.InRange(coveredThroughout / (double)Runs, 0.90, 1);
        Assert.InRange(found / (double)Runs, 0.8, 1);
    }

    // Usage after an intervention against usage before it (correlated 0.8), a true effect of 2 logins: CUPED keeps
    // the difference of means and cuts the variance by about 1 − 0.8² = 0.36.
    [Fact]
    public void Cuped_KeepsTheEffect_AndCutsTheVarianceByTheSquaredCorrelation()
    {
        var random = new Random(15);
        var n = 20_000;
        var before = new double[n];
        var after = new double[n];
        var treated = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var (z1, z2) = (Gaussian(random), Gaussian(random));
            before[i] = 10 + (3 * z1);
            treated[i] = i % 2 == 0;
            after[i] = 10 + (3 * ((0.8 * z1) + (0.6 * z2))) + (treated[i] ? 2 : 0);
        }

        var (theta, adjusted) = Statistics.Cuped(after, before);
        double Difference(System.Collections.Generic.IReadOnlyList<double> y) =>
            Enumerable.Range(0, n).Where(i => treated[i]).Average(i => y[i]) - Enumerable.Range(0, n).Where(i => !treated[i]).Average(i => y[i]);
        double Variance(System.Collections.Generic.IReadOnlyList<double> y) =>
            Enumerable.Range(0, n).Where(i => !treated[i]).Select(i => y[i]).ToArray() is var c ? c.Select(v => (v - c.Average()) * (v - c.Average())).Average() : 0;

        Assert.Equal(0.8, theta, 1);
        Assert.Equal(2, Difference(adjusted), 1);
        Assert.Equal(Difference(after), Difference(adjusted), 0);
        Assert.InRange(Variance(adjusted) / Variance(after), 0.30, 0.42);
        Assert.Equal("covariates", Assert.Throws<ArgumentException>(() => Statistics.Cuped([1, 2, 3], [1, 2])).ParamName);
        Assert.Equal(0, Statistics.Cuped([1, 2, 3], [5, 5, 5]).Theta);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static Proportion Draw(Random random, int trials, double rate)
    {
        var successes = 0;
        for (var i = 0; i < trials; i++)
        {
            successes += random.NextDouble() < rate ? 1 : 0;
        }

        return new Proportion(successes, trials);
    }

    private static Proportion Add(Proportion a, Proportion b) => new(a.Successes + b.Successes, a.Trials + b.Trials);
}
