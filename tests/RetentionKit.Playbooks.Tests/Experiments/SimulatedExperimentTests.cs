using System;
using System.Collections.Generic;
using System.Linq;
using RetentionKit.Playbooks.Experiments;
using Xunit.Abstractions;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>
/// The experiment statistics proved end to end on simulated experiments through the real engine (holdout by its hash,
/// outcomes by its rule), over many seeds: the interval covers the true effect as often as it says, a playbook without
/// effect is not called effective more often than the nominal rate however often the result is read, and the better
/// variant is found with the power the sample-size calculation promised.
/// </summary>
public class SimulatedExperimentTests(ITestOutputHelper output)
{
    private const double Level = 0.9;

    private static PlaybookEngine Engine(double holdout, params string[] variants)
    {
        var options = new PlaybookOptions { HoldoutShare = holdout };
        if (variants.Length > 0)
        {
            options.Variants[BuiltInPlaybooks.ReEngagement] = variants;
        }

        return new PlaybookEngine(BuiltInPlaybooks.All.Where(p => p.Id == BuiltInPlaybooks.ReEngagement), options);
    }

    private static (Proportion Treated, Proportion Control) Arms(IEnumerable<Enrolment> enrolments, Func<Enrolment, bool>? treatedIn = null)
    {
        var list = enrolments.ToArray();
        Proportion Of(IEnumerable<Enrolment> es) => new(es.Count(e => e.Outcome!.Succeeded), es.Count());
        return (Of(list.Where(e => !e.IsControl && (treatedIn?.Invoke(e) ?? true))), Of(list.Where(e => e.IsControl)));
    }

    [Fact]
    public void TheUpliftInterval_CoversTheTrueEffect_InNinetyPercentOfRuns()
    {
        // Two segments with different effects (0.15 and 0.05 on base rates 0.3 and 0.5): the true average effect is 0.10.
        SimulatedSegment[] segments = [new("smb", 0.5, 0.3, 0.15), new("enterprise", 0.5, 0.5, 0.05)];
        var engine = Engine(0.2);
        const int Runs = 300;

        var covered = 0;
        for (var seed = 0; seed < Runs; seed++)
        {
            var (treated, control) = Arms(ExperimentSimulator.Run(engine, segments, 1_500, 60, seed).Select(r => r.Enrolment));
            var uplift = Statistics.Difference(treated, control, Level);
            covered += uplift.Lower <= 0.10 && 0.10 <= uplift.Upper ? 1 : 0;
        }

        output.WriteLine($"coverage of the 90 % interval: {covered / (double)Runs:P1} of {Runs} runs");
        Assert.InRange(covered / (double)Runs, 0.87, 0.93);
    }

    [Fact]
    public void AZeroEffect_ReadEveryDay_IsCalledEffectiveNoMoreOftenThanTheNominalRate()
    {
        SimulatedSegment[] segments = [new("all", 1, 0.35, 0)];
        var engine = Engine(0.2);
        const int Runs = 300;

        var (sequentialHits, naiveHits) = (0, 0);
        for (var seed = 0; seed < Runs; seed++)
        {
            var enrolments = ExperimentSimulator.Run(engine, segments, 1_500, 60, 1_000 + seed).Select(r => r.Enrolment).OrderBy(e => e.Outcome!.DecidedOn).ToArray();
            var (sequential, naive) = (false, false);
            foreach (var day in enrolments.Select(e => e.Outcome!.DecidedOn).Distinct())
            {
                // The dashboard on that day: every outcome decided so far.
                var (treated, control) = Arms(enrolments.TakeWhile(e => e.Outcome!.DecidedOn <= day));
                if (control.Trials < 5 || treated.Trials < 5)
                {
                    continue;
                }

                var always = Statistics.AlwaysValid(treated, control, 0.2, Level, plannedCustomers: 1_500);
                sequential |= always.Lower > 0 || always.Upper < 0;
                naive |= Statistics.Difference(treated, control, Level).PValue < 1 - Level;
            }

            sequentialHits += sequential ? 1 : 0;
            naiveHits += naive ? 1 : 0;
        }

        output.WriteLine($"zero effect read every day: always-valid {sequentialHits / (double)Runs:P1}, fixed-horizon re-tested daily {naiveHits / (double)Runs:P1} of {Runs} runs (nominal 10 %)");
        Assert.InRange(sequentialHits / (double)Runs, 0, 0.10 + 0.03);
        Assert.True(naiveHits > 2 * sequentialHits, "re-testing a fixed-horizon test every day should inflate the false positives");
    }

    [Fact]
    public void TheBetterVariant_IsFound_WithThePlannedPower_AtTheCalculatedSize()
    {
        // Three equal arms (a third held out, variants a and b): a does nothing, b adds 10 points to a 30 % base rate.
        const double Alpha = 0.1;
        var (perArm, _) = Statistics.SampleSize(0.3, 0.1, Alpha, 0.8, treatedPerControl: 1);
        var customers = 3 * perArm;
        var engine = Engine(1.0 / 3, "a", "b");
        var effects = new Dictionary<string, double> { ["a"] = 0, ["b"] = 0.1 };
        const int Runs = 300;

        var found = 0;
        for (var seed = 0; seed < Runs; seed++)
        {
            var enrolments = ExperimentSimulator.Run(engine, [new("all", 1, 0.3, 0)], customers, 60, 5_000 + seed, effects).Select(r => r.Enrolment).ToArray();
            var (b, control) = Arms(enrolments, e => e.Variant == "b");
            var (a, _) = Arms(enrolments, e => e.Variant == "a");
            found += Statistics.Difference(b, control, 1 - Alpha).PValue < Alpha && b.Rate > a.Rate ? 1 : 0;
        }

        output.WriteLine($"{perArm} per arm ({customers} customers): b found better than the control and than a in {found / (double)Runs:P1} of {Runs} runs (planned power 80 %)");
        Assert.InRange(found / (double)Runs, 0.74, 0.86);
    }

    [Fact]
    public void TheSimulator_IsReproducible_AndNeverTreatsAControl()
    {
        var engine = Engine(0.3);
        SimulatedSegment[] segments = [new("all", 1, 0.2, 0.5)];

        var first = ExperimentSimulator.Run(engine, segments, 400, 30, 9);
        var again = ExperimentSimulator.Run(engine, segments, 400, 30, 9);

        Assert.Equal(first.Select(r => r.Enrolment), again.Select(r => r.Enrolment));
        Assert.Equal(400, first.Length);
        Assert.All(first.Where(r => r.Enrolment.IsControl), r => Assert.All(r.Enrolment.Steps, s => Assert.True(s.Withheld)));

        // A big effect shows: treated recover at about 70 %, controls at about 20 %.
        var (treated, control) = Arms(first.Select(r => r.Enrolment));
        Assert.InRange(treated.Rate, 0.6, 0.8);
        Assert.InRange(control.Rate, 0.08, 0.32);
    }

    [Fact]
    public void BadScenarios_AreRefusedNamingTheArgument()
    {
        var engine = Engine(0.1);

        Assert.Equal("segments", Assert.Throws<ArgumentException>(() => ExperimentSimulator.Run(engine, [new("x", 1, 0.9, 0.2)], 10, 10, 1)).ParamName);
        Assert.Equal("segments", Assert.Throws<ArgumentException>(() => ExperimentSimulator.Run(engine, [], 10, 10, 1)).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentSimulator.Run(engine, [new("x", 1, 0.5, 0)], 0, 10, 1)).ParamName);
        Assert.Equal("engine", Assert.Throws<ArgumentException>(() => ExperimentSimulator.Run(new PlaybookEngine([], new PlaybookOptions()), [new("x", 1, 0.5, 0)], 10, 10, 1)).ParamName);
    }
}
