using System;
using System.Collections.Generic;
using System.Linq;
using RetentionKit.Playbooks.Experiments;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>The analysis of playbook experiments from enrolments: arms, verdicts, variants with Holm, slices, economics.</summary>
public class ExperimentAnalysisTests
{
    private static readonly Playbook ReEngagement = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.ReEngagement);

    private static (PlaybookOptions Options, (Enrolment Enrolment, string Segment)[] Run) Simulated(double holdout, double effect, int customers = 3_000, params string[] variants)
    {
        var options = new PlaybookOptions { HoldoutShare = holdout };
        if (variants.Length > 0)
        {
            options.Variants[BuiltInPlaybooks.ReEngagement] = variants;
        }

        var engine = new PlaybookEngine([ReEngagement], options);
        return (options, [.. ExperimentSimulator.Run(engine, [new("smb", 0.6, 0.3, effect), new("mid", 0.4, 0.4, effect)], customers, 60, 3, variants.Length > 1 ? new Dictionary<string, double> { [variants[0]] = 0, [variants[1]] = 0.1 } : null)]);
    }

    [Fact]
    public void AStrongEffect_IsEffective_WithTheArmsCountedFromTheOutcomes()
    {
        var (options, run) = Simulated(0.2, 0.2);
        var segments = run.ToDictionary(r => r.Enrolment.Customer, r => r.Segment);

        var all = ExperimentAnalysis.Analyze(run.Select(r => r.Enrolment), BuiltInPlaybooks.All, options, new ExperimentContext { SegmentOf = c => segments[c] });
        var result = all.Single(r => r.Playbook == BuiltInPlaybooks.ReEngagement);

        // Every playbook with an outcome rule is there, in the playbooks' order; those nobody enrolled in have empty arms.
        Assert.Equal(BuiltInPlaybooks.All.Where(p => p.Outcome is not null).Select(p => p.Id), all.Select(r => r.Playbook));
        Assert.All(all.Where(r => r != result), r => Assert.Equal((0, 0, EffectVerdict.NoControls), (r.Overall.Treated.Trials, r.Overall.Control.Trials, r.Overall.Verdict)));

        var treated = run.Where(r => !r.Enrolment.IsControl).ToArray();
        var controls = run.Where(r => r.Enrolment.IsControl).ToArray();
        Assert.Equal(BuiltInPlaybooks.ReEngagement, result.Playbook);
        Assert.Equal("engagement at least 50 %", result.Rule);
        Assert.Equal(new Proportion(treated.Count(r => r.Enrolment.Outcome!.Succeeded), treated.Length), result.Overall.Treated);
        Assert.Equal(new Proportion(controls.Count(r => r.Enrolment.Outcome!.Succeeded), controls.Length), result.Overall.Control);
        Assert.Equal(EffectVerdict.Effective, result.Overall.Verdict);
        Assert.True(result.Overall.Sequential.Lower > 0 && result.Overall.Uplift.Lower > 0);
        Assert.InRange(result.Overall.Uplift.Difference, 0.14, 0.26);
        Assert.Equal(result.Overall.Treated, result.Expected.Observed);
        Assert.Equal(0, result.Open);
        Assert.NotNull(result.Needed);

        // Slices: every step and channel of the playbook, both segments, the start months; each slice's arms within the whole.
        Assert.Equal(ReEngagement.Steps.Select(s => s.Id), result.Breakdowns.Where(b => b.Dimension == "step").Select(b => b.Value));
        Assert.Equal(["mid", "smb"], result.Breakdowns.Where(b => b.Dimension == "segment").Select(b => b.Value));
        Assert.Equal(result.Overall.Treated.Trials, result.Breakdowns.Where(b => b.Dimension == "segment").Sum(b => b.Treated.Trials));
        Assert.Equal(result.Overall.Control.Trials, result.Breakdowns.Where(b => b.Dimension == "period").Sum(b => b.Control.Trials));
        Assert.All(result.Breakdowns, b => Assert.True(b.Treated.Trials <= result.Overall.Treated.Trials && b.Control.Trials <= result.Overall.Control.Trials));

        // Each slice's treated rate is compared with the documents' range as the whole is.
        Assert.All(result.Breakdowns, b => Assert.Equal(RangeAssessment.Against(b.Treated, ReEngagement.ExpectedSuccess), b.Expected));
    }

    [Fact]
    public void Variants_AreComparedWithTheControls_HolmAdjusted()
    {
        var (options, run) = Simulated(1.0 / 3, 0, 4_000, "plain", "personal");

        var result = Assert.Single(ExperimentAnalysis.Analyze(run.Select(r => r.Enrolment), [ReEngagement], options));

        Assert.Equal(["personal", "plain"], result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.True(v.AdjustedPValue >= v.Sequential.PValue));
        Assert.All(result.Variants, v => Assert.Equal(RangeAssessment.Against(v.Treated, ReEngagement.ExpectedSuccess), v.Expected));
        Assert.Equal(result.Overall.Treated.Trials, result.Variants.Sum(v => v.Treated.Trials));
        Assert.Equal(EffectVerdict.Effective, result.Variants.Single(v => v.Name == "personal").Verdict);
        Assert.NotEqual(EffectVerdict.Effective, result.Variants.Single(v => v.Name == "plain").Verdict);
    }

    [Fact]
    public void WithoutAHoldout_TheEffectCannotBeMeasured_AndSaysSo()
    {
        var (options, run) = Simulated(0, 0.2, 500);

        var result = Assert.Single(ExperimentAnalysis.Analyze(run.Select(r => r.Enrolment), [ReEngagement], options));

        Assert.Equal(0, result.Overall.Control.Trials);
        Assert.Equal(EffectVerdict.NoControls, result.Overall.Verdict);
        Assert.Null(result.Needed);
        Assert.NotEqual(RangeVerdict.NotEnoughData, result.Expected.Verdict); // the treated rate alone still meets the documents' range
    }

    [Fact]
    public void Economics_IsTheUpliftTimesTheTreatedRevenue_AgainstTheAcceptedOffers()
    {
        var (options, run) = Simulated(0.2, 0.2);
        var context = new ExperimentContext { MrrOf = _ => 100m, OfferCostOf = _ => 10m, LifetimeMonths = 12 };

        var result = Assert.Single(ExperimentAnalysis.Analyze(run.Select(r => r.Enrolment), [ReEngagement], options, context));

        var economics = result.Economics!;
        Assert.Equal(decimal.Round(100m * result.Overall.Treated.Trials * (decimal)result.Overall.Uplift.Difference, 2), economics.IncrementalMrr);
        Assert.Equal(economics.IncrementalMrr * 12, economics.IncrementalValue);
        Assert.Equal(10m * result.Overall.Treated.Successes, economics.OfferCost);
        Assert.Equal((double)(economics.IncrementalValue / economics.OfferCost), economics.Return);
    }

    [Fact]
    public void OpenOutcomes_AreCounted_NotGuessed()
    {
        var open = new Enrolment(new CustomerId("a"), BuiltInPlaybooks.ReEngagement, new NodaTime.LocalDate(2026, 1, 1));
        var decided = open with { Outcome = new EnrolmentOutcome(true, new NodaTime.LocalDate(2026, 1, 5), "met") };

        var result = Assert.Single(ExperimentAnalysis.Analyze([open, decided with { Customer = new CustomerId("b") }], [ReEngagement], new PlaybookOptions { HoldoutShare = 0.1 }));

        Assert.Equal(1, result.Open);
        Assert.Equal(new Proportion(1, 1), result.Overall.Treated);
        Assert.Equal(RangeVerdict.NotEnoughData, result.Expected.Verdict);
    }

    [Fact]
    public void ABadContext_IsRefusedNamingIt()
    {
        Assert.Equal("context", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([], [ReEngagement], new PlaybookOptions(), new ExperimentContext { Level = 1 })).ParamName);
        Assert.Equal("context", Assert.Throws<ArgumentException>(() => ExperimentAnalysis.Analyze([], [ReEngagement], new PlaybookOptions(), new ExperimentContext { MinimumUplift = 0 })).ParamName);
        Assert.Equal("enrolments", Assert.Throws<ArgumentNullException>(() => ExperimentAnalysis.Analyze(null!, [ReEngagement], new PlaybookOptions())).ParamName);
    }
}
