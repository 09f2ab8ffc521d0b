using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Playbooks.Experiments;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>The CUPED-adjusted uplift of <see cref="ExperimentAnalysis"/>: same effect, less noise, honest coverage.</summary>
public class CupedAnalysisTests
{
    private static readonly Playbook ReEngagement = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.ReEngagement);
    private static readonly PlaybookOptions Options = new() { HoldoutShare = 0.5 };

    // Success with chance 0.4 + 0.25·x (+ 0.1 if treated), x the pre-period covariate, standard normal, clamped to [0.05, 0.95].
    private static (Enrolment[] Enrolments, Dictionary<string, double> Covariate) Experiment(int seed, int n = 4_000)
    {
        var random = new Random(seed);
        var covariate = new Dictionary<string, double>(StringComparer.Ordinal);
        var enrolments = new Enrolment[n];
        for (var i = 0; i < n; i++)
        {
            var x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var control = random.NextDouble() < 0.5;
            var p = Math.Clamp(0.4 + (0.25 * x) + (control ? 0 : 0.1), 0.05, 0.95);
            var id = $"c{i}";
            covariate[id] = x;
            enrolments[i] = new Enrolment(new CustomerId(id), ReEngagement.Id, new LocalDate(2026, 1, 1))
            {
                IsControl = control,
                Outcome = new EnrolmentOutcome(random.NextDouble() < p, new LocalDate(2026, 2, 1), "rule"),
            };
        }

        return (enrolments, covariate);
    }

    private static PlaybookExperiment Analyze(Enrolment[] enrolments, Func<Enrolment, double>? covariate) =>
        ExperimentAnalysis.Analyze(enrolments, [ReEngagement], Options, new ExperimentContext { PrePeriodOf = covariate }).Single();

    [Fact]
    public void TheAdjustment_KeepsTheEffect_AndNarrowsTheInterval()
    {
        var (enrolments, x) = Experiment(1);

        var result = Analyze(enrolments, e => x[e.Customer.Value]);
        var cuped = result.Cuped!;

        Assert.InRange(cuped.Difference, 0.06, 0.14);
        Assert.InRange(cuped.Difference - result.Overall.Uplift.Difference, -0.03, 0.03);
        Assert.True(cuped.Upper - cuped.Lower < 0.92 * (result.Overall.Uplift.Upper - result.Overall.Uplift.Lower), $"CUPED {cuped.Upper - cuped.Lower}, raw {result.Overall.Uplift.Upper - result.Overall.Uplift.Lower}");
        Assert.InRange(cuped.VarianceRatio, 0.6, 0.9); // 1 − corr², corr about 0.5
        Assert.True(cuped.Theta > 0);
    }

    [Fact]
    public void AConstantCovariate_ChangesNothing()
    {
        var (enrolments, _) = Experiment(2, 500);

        var result = Analyze(enrolments, _ => 3.0);

        Assert.Equal(0, result.Cuped!.Theta);
        Assert.Equal(1, result.Cuped.VarianceRatio, 12);
        Assert.Equal(result.Overall.Uplift.Difference, result.Cuped.Difference, 12);
        Assert.Null(Analyze(enrolments, null).Cuped);
    }

    [Fact]
    public void TheAdjustedInterval_CoversTheTrueEffect_AsOftenAsItSays()
    {
        const int Runs = 300;
        var covered = 0;
        for (var seed = 100; seed < 100 + Runs; seed++)
        {
            var (enrolments, x) = Experiment(seed, 1_500);
            var cuped = Analyze(enrolments, e => x[e.Customer.Value]).Cuped!;
            covered += cuped.Lower <= 0.1 && 0.1 <= cuped.Upper ? 1 : 0;
        }

        Assert.InRange(covered / (double)Runs, 0.86, 0.94);
    }
}
