using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;

namespace RetentionKit.Playbooks.Experiments;

/// <summary>What the data say about an intervention's effect, read from the always-valid sequence (safe to read every day).</summary>
public enum EffectVerdict
{
    /// <summary>The sequence still straddles zero: keep the experiment running (or stop it for lack of effect at the planned size).</summary>
    Undecided = 0,

    /// <summary>The whole sequence lies above zero: the intervention raises the success rate.</summary>
    Effective = 1,

    /// <summary>The whole sequence lies below zero: the intervention lowers the success rate.</summary>
    Harmful = 2,

    /// <summary>No decided control enrolments (no holdout, or none decided yet): the effect cannot be measured.</summary>
    NoControls = 3,
}

/// <summary>One treated group (a playbook, a variant, an offer) against the playbook's control group.</summary>
/// <param name="Name">What is compared: "all" for the whole playbook, else the variant's or the offer's name.</param>
/// <param name="Treated">The decided outcomes of the treated group.</param>
/// <param name="Control">The decided outcomes of the control group.</param>
/// <param name="Uplift">The fixed-horizon uplift: Newcombe's interval and the pooled z test's p-value.</param>
/// <param name="Sequential">The always-valid uplift: the confidence sequence the verdict is read from.</param>
/// <param name="AdjustedPValue">The always-valid p-value, Holm-adjusted within its family (the playbook's variants, or its offers); the plain one for "all".</param>
/// <param name="Verdict">Effective, harmful or undecided by the sequence, or no controls.</param>
public sealed record ArmComparison(string Name, Proportion Treated, Proportion Control, Uplift Uplift, Uplift Sequential, double AdjustedPValue, EffectVerdict Verdict)
{
    /// <summary>Gets the treated rate against the playbook's expected range (the documents' numbers); null outside a playbook's analysis.</summary>
    public RangeAssessment? Expected { get; init; }
}

/// <summary>Success rates of treated and control enrolments within one slice (a step, a channel, a segment, a month).</summary>
/// <param name="Dimension">"step", "channel", "segment" or "period".</param>
/// <param name="Value">The step id, the channel's name, the segment, or the start month (yyyy-MM).</param>
/// <param name="Treated">The treated enrolments' decided outcomes in the slice.</param>
/// <param name="Control">The control enrolments' decided outcomes in the slice (for a step or channel: the controls whose step fell due and was withheld).</param>
public sealed record SuccessBreakdown(string Dimension, string Value, Proportion Treated, Proportion Control)
{
    /// <summary>Gets the slice's treated rate against the playbook's expected range: below, within, above, or not enough data.</summary>
    public RangeAssessment? Expected { get; init; }
}

/// <summary>The uplift after CUPED: outcomes adjusted by a pre-period covariate, compared as means.</summary>
/// <param name="Theta">The adjustment's slope, cov(outcome, covariate) / var(covariate) over both arms.</param>
/// <param name="Difference">The adjusted treated mean less the adjusted control mean.</param>
/// <param name="Lower">The interval's lower bound (normal approximation, unequal variances).</param>
/// <param name="Upper">The interval's upper bound.</param>
/// <param name="VarianceRatio">The adjusted outcomes' pooled variance over the raw one: 1 − corr², the share of the noise left.</param>
public sealed record CupedUplift(double Theta, double Difference, double Lower, double Upper, double VarianceRatio);

/// <summary>What a playbook's effect is worth: the extra revenue kept against what its offers cost.</summary>
/// <param name="IncrementalMrr">The uplift times the treated customers' monthly revenue: the monthly revenue kept (or won) that would not have been without the playbook.</param>
/// <param name="IncrementalValue">The incremental MRR over the customers' expected remaining lifetime (<see cref="ExperimentContext.LifetimeMonths"/>).</param>
/// <param name="OfferCost">What the offers accepted by treated customers cost.</param>
/// <param name="Return">Incremental value per unit of offer cost (the documents promise 3 : 1); null when nothing was spent.</param>
public sealed record ExperimentEconomics(decimal IncrementalMrr, decimal IncrementalValue, decimal OfferCost, double? Return);

/// <summary>The experiment result of one playbook: outcomes, uplift, variants, offers, slices, economics.</summary>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="Rule">The outcome rule, in words.</param>
/// <param name="HoldoutShare">The playbook's holdout share.</param>
/// <param name="Overall">Every treated enrolment against every control.</param>
/// <param name="Expected">The treated success rate against the documents' expected range.</param>
/// <param name="Variants">Each A/B variant's treated enrolments against the controls, Holm-adjusted across the variants.</param>
/// <param name="Offers">Each retention offer's treated enrolments against the controls, Holm-adjusted across the offers.</param>
/// <param name="Breakdowns">Success rates by step, channel, segment and start month.</param>
/// <param name="Open">Enrolments whose outcome is still open.</param>
/// <param name="Needed">The treated and control enrolments a fixed-horizon test needs to detect <see cref="ExperimentContext.MinimumUplift"/> at 80 % power from the control's rate; null without a usable control rate.</param>
/// <param name="Economics">The incremental revenue and the offers' cost; null without revenue data.</param>
public sealed record PlaybookExperiment(
    string Playbook,
    string Rule,
    double HoldoutShare,
    ArmComparison Overall,
    RangeAssessment Expected,
    ImmutableArray<ArmComparison> Variants,
    ImmutableArray<ArmComparison> Offers,
    ImmutableArray<SuccessBreakdown> Breakdowns,
    int Open,
    (int Treated, int Control)? Needed,
    ExperimentEconomics? Economics)
{
    /// <summary>Gets the overall uplift adjusted by the context's pre-period covariate (<see cref="ExperimentContext.PrePeriodOf"/>); null without one or with fewer than two decided enrolments in an arm.</summary>
    public CupedUplift? Cuped { get; init; }

    /// <summary>Gets the range the documents expect the playbook's success rate in (<see cref="Playbook.ExpectedSuccess"/>), that <see cref="Expected"/> compares with.</summary>
    public (Rate Low, Rate High) ExpectedRange { get; init; }
}

/// <summary>What the analysis needs beyond the enrolments; every member optional.</summary>
public sealed record ExperimentContext
{
    /// <summary>Gets the confidence level of every interval and sequence, in (0, 1); 0.9 by default.</summary>
    public double Level { get; init; } = 0.9;

    /// <summary>Gets the enrolments (both arms) near which the always-valid sequences are tightest; 1,000 by default.</summary>
    public int PlannedEnrolments { get; init; } = 1_000;

    /// <summary>Gets the smallest uplift worth detecting, for the sample size; 0.05 (5 points) by default.</summary>
    public double MinimumUplift { get; init; } = 0.05;

    /// <summary>Gets a customer's segment, for the breakdown by segment; none by default.</summary>
    public Func<CustomerId, string?>? SegmentOf { get; init; }

    /// <summary>Gets a customer's monthly recurring revenue at enrolment, for the economics; none by default.</summary>
    public Func<Enrolment, decimal>? MrrOf { get; init; }

    /// <summary>Gets what an enrolment's offer cost if it was accepted (0 for none), for the economics; none by default.</summary>
    public Func<Enrolment, decimal>? OfferCostOf { get; init; }

    /// <summary>
    /// Gets a pre-period covariate per enrolment (the customer's engagement or retention score before it started, say)
    /// for a CUPED-adjusted uplift (<see cref="PlaybookExperiment.Cuped"/>); none by default. It must predate the
    /// enrolment, or the adjustment would take away part of the effect.
    /// </summary>
    public Func<Enrolment, double>? PrePeriodOf { get; init; }

    /// <summary>Gets the months of revenue a kept customer is expected to bring, to value the incremental MRR; 12 by default.</summary>
    public double LifetimeMonths { get; init; } = 12;
}

/// <summary>
/// Reads playbook experiments off the enrolments: decided outcomes of treated and control enrolments per playbook, the
/// uplift with a fixed-horizon interval and an always-valid confidence sequence, variants and offers against the
/// controls with Holm's correction, the treated rate against the documents' range, slices and economics.
/// </summary>
public static class ExperimentAnalysis
{
    /// <summary>Analyses every playbook with an outcome rule.</summary>
    /// <param name="enrolments">The enrolments, of any customers, active and ended.</param>
    /// <param name="playbooks">The playbooks (their rules, steps and expected ranges).</param>
    /// <param name="options">The options the enrolments ran under (the holdout shares).</param>
    /// <param name="context">Levels, segments, revenue; defaults when null.</param>
    /// <returns>One result per playbook with an outcome rule, in the playbooks' order.</returns>
    /// <exception cref="ArgumentException">An argument is null, or the context's level, planned size, uplift or lifetime is out of range.</exception>
    public static ImmutableArray<PlaybookExperiment> Analyze(IEnumerable<Enrolment> enrolments, IEnumerable<Playbook> playbooks, PlaybookOptions options, ExperimentContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(enrolments);
        ArgumentNullException.ThrowIfNull(playbooks);
        ArgumentNullException.ThrowIfNull(options);
        context ??= new ExperimentContext();
        if (!(context.Level is > 0 and < 1) || context.PlannedEnrolments < 1 || !(context.MinimumUplift is > 0 and < 1) || !(context.LifetimeMonths >= 0 && double.IsFinite(context.LifetimeMonths)))
        {
            throw new ArgumentException("The context's level must be in (0, 1), its planned enrolments at least 1, its minimum uplift in (0, 1) and its lifetime months finite and not negative.", nameof(context));
        }

        var byPlaybook = new Dictionary<string, List<Enrolment>>(StringComparer.Ordinal);
        foreach (var e in enrolments)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(enrolments));
            if (!byPlaybook.TryGetValue(e.Playbook, out var list))
            {
                byPlaybook[e.Playbook] = list = [];
            }

            list.Add(e);
        }

        var results = ImmutableArray.CreateBuilder<PlaybookExperiment>();
        foreach (var playbook in playbooks)
        {
            if (playbook.Outcome is { } rule)
            {
                results.Add(One(playbook, rule, byPlaybook.GetValueOrDefault(playbook.Id) ?? [], options.HoldoutOf(playbook.Id), context));
            }
        }

        return results.ToImmutable();
    }

    private static PlaybookExperiment One(Playbook playbook, IOutcomeRule rule, List<Enrolment> all, double share, ExperimentContext context)
    {
        var decided = all.Where(e => e.Outcome is not null).ToArray();
        var treated = decided.Where(e => !e.IsControl).ToArray();
        var controls = decided.Where(e => e.IsControl).ToArray();
        var control = Count(controls);
        var overall = Compare("all", Count(treated), control, share, context);

        // Variants and offers: each treated group against all the controls; its share of "control or this group".
        ImmutableArray<ArmComparison> Family(Func<Enrolment, string?> key)
        {
            var groups = treated.Where(e => key(e) is not null).GroupBy(e => key(e)!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
            if (groups.Length == 0)
            {
                return [];
            }

            var groupShare = share <= 0 ? 0 : share / (share + ((1 - share) / groups.Length));
            var raw = groups.Select(g => Compare(g.Key, Count(g), control, groupShare, context)).ToArray();
            var holm = Statistics.Holm([.. raw.Select(r => r.Sequential.PValue)]);
            return [.. raw.Select((r, i) => r with { AdjustedPValue = holm[i] })];
        }

        var breakdowns = ImmutableArray.CreateBuilder<SuccessBreakdown>();
        foreach (var step in playbook.Steps)
        {
            bool Reached(Enrolment e) => e.Steps.Any(s => !s.Skipped && string.Equals(s.Step, step.Id, StringComparison.Ordinal));
            breakdowns.Add(new SuccessBreakdown("step", step.Id, Count(treated.Where(Reached)), Count(controls.Where(Reached))));
        }

        foreach (var channel in playbook.Steps.Select(s => s.Channel).Distinct())
        {
            bool Reached(Enrolment e) => e.Steps.Any(s => !s.Skipped && playbook.Steps.Any(p => p.Channel == channel && string.Equals(p.Id, s.Step, StringComparison.Ordinal)));
            breakdowns.Add(new SuccessBreakdown("channel", channel.Name, Count(treated.Where(Reached)), Count(controls.Where(Reached))));
        }

        if (context.SegmentOf is { } segmentOf)
        {
            foreach (var segment in decided.Select(e => segmentOf(e.Customer) ?? "(none)").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                bool In(Enrolment e) => string.Equals(segmentOf(e.Customer) ?? "(none)", segment, StringComparison.Ordinal);
                breakdowns.Add(new SuccessBreakdown("segment", segment, Count(treated.Where(In)), Count(controls.Where(In))));
            }
        }

        foreach (var month in decided.Select(e => Month(e)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            breakdowns.Add(new SuccessBreakdown("period", month, Count(treated.Where(e => Month(e) == month)), Count(controls.Where(e => Month(e) == month))));
        }

        (int, int)? needed = null;
        var baseline = control.Trials > 0 ? control.Rate : double.NaN;
        if (baseline is > 0 and < 1 && baseline + context.MinimumUplift < 1)
        {
            needed = Statistics.SampleSize(baseline, context.MinimumUplift, 1 - context.Level, 0.8, share > 0 ? (1 - share) / share : 1);
        }

        return new PlaybookExperiment(
            playbook.Id,
            rule.Description,
            share,
            overall,
            RangeAssessment.Against(overall.Treated, playbook.ExpectedSuccess, context.Level),
            [.. Family(e => e.Variant).Select(a => a with { Expected = RangeAssessment.Against(a.Treated, playbook.ExpectedSuccess, context.Level) })],
            [.. Family(e => e.Offer).Select(a => a with { Expected = RangeAssessment.Against(a.Treated, playbook.ExpectedSuccess, context.Level) })],
            [.. breakdowns.Select(b => b with { Expected = RangeAssessment.Against(b.Treated, playbook.ExpectedSuccess, context.Level) })],
            all.Count - decided.Length,
            needed,
            Economics(treated, overall, context))
        {
            ExpectedRange = playbook.ExpectedSuccess,
            Cuped = context.PrePeriodOf is { } covariate && treated.Length >= 2 && controls.Length >= 2 ? CupedOf(treated, controls, covariate, context.Level) : null,
        };
    }

    private static ArmComparison Compare(string name, Proportion treated, Proportion control, double share, ExperimentContext context)
    {
        var fixedHorizon = Statistics.Difference(treated, control, context.Level);
        if (control.Trials == 0 || treated.Trials == 0 || !(share is > 0 and < 1))
        {
            var none = new Uplift(double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1);
            return new ArmComparison(name, treated, control, fixedHorizon, none, 1, control.Trials == 0 ? EffectVerdict.NoControls : EffectVerdict.Undecided);
        }

        var sequential = Statistics.AlwaysValid(treated, control, share, context.Level, context.PlannedEnrolments);
        var verdict = sequential.Lower > 0 ? EffectVerdict.Effective : sequential.Upper < 0 ? EffectVerdict.Harmful : EffectVerdict.Undecided;
        return new ArmComparison(name, treated, control, fixedHorizon, sequential, sequential.PValue, verdict);
    }

    private static CupedUplift CupedOf(Enrolment[] treated, Enrolment[] controls, Func<Enrolment, double> covariate, double level)
    {
        var all = treated.Concat(controls).ToArray();
        var outcomes = all.Select(e => e.Outcome!.Succeeded ? 1d : 0d).ToArray();
        var (theta, adjusted) = Statistics.Cuped(outcomes, [.. all.Select(covariate)]);
        static (double Mean, double Variance) Moments(IEnumerable<double> values)
        {
            var v = values.ToArray();
            var mean = v.Average();
            return (mean, v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        }

        var t = Moments(adjusted.Take(treated.Length));
        var c = Moments(adjusted.Skip(treated.Length));
        var raw = Moments(outcomes);
        var difference = t.Mean - c.Mean;
        var half = Statistics.TwoSidedZ(level) * Math.Sqrt((t.Variance / treated.Length) + (c.Variance / controls.Length));
        return new CupedUplift(theta, difference, difference - half, difference + half, raw.Variance == 0 ? 1 : Moments(adjusted).Variance / raw.Variance);
    }

    private static ExperimentEconomics? Economics(Enrolment[] treated, ArmComparison overall, ExperimentContext context)
    {
        if (context.MrrOf is not { } mrrOf || double.IsNaN(overall.Uplift.Difference))
        {
            return null;
        }

        var mrr = treated.Sum(mrrOf);
        var incremental = decimal.Round(mrr * (decimal)overall.Uplift.Difference, 2);
        var value = decimal.Round(incremental * (decimal)context.LifetimeMonths, 2);
        var cost = context.OfferCostOf is { } costOf ? treated.Where(e => e.Outcome!.Succeeded).Sum(costOf) : 0m;
        return new ExperimentEconomics(incremental, value, cost, cost > 0 ? (double)(value / cost) : null);
    }

    private static Proportion Count(IEnumerable<Enrolment> enrolments)
    {
        var (successes, trials) = (0, 0);
        foreach (var e in enrolments)
        {
            trials++;
            successes += e.Outcome!.Succeeded ? 1 : 0;
        }

        return new Proportion(successes, trials);
    }

    private static string Month(Enrolment e) => e.StartedOn.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
