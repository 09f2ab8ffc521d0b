using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Playbooks;
using RetentionKit.Playbooks.Experiments;

namespace RetentionKit.Cli.Pipeline;

/// <summary>What worked: every playbook's treated and control outcomes, uplift, verdict, expected range and economics.</summary>
/// <param name="Source">Where the enrolments came from, in words.</param>
/// <param name="Enrolments">The enrolments read (both arms, open ones included).</param>
/// <param name="Playbooks">One result per playbook that has enrolments, in the engine's order.</param>
/// <param name="Incentives">Referral incentive variants after the first, each against the first (the baseline): conversion from attributed to qualified referrals, Holm-adjusted; empty with fewer than two incentives.</param>
/// <param name="MinimumUplift">The smallest uplift the sample sizes are for.</param>
internal sealed record ExperimentsSummary(string Source, int Enrolments, ImmutableArray<PlaybookExperiment> Playbooks, ImmutableArray<ArmComparison> Incentives, double MinimumUplift);

/// <summary>
/// The experiments stage: reads the enrolment log of the data (<c>interventions.csv</c>) and the enrolments the kept
/// state holds with a decided outcome, and analyses each playbook's (<see cref="ExperimentAnalysis"/>). The holdout
/// share of a playbook is the share of its enrolments held out; a customer's segment is their plan; the revenue at stake
/// is the customer's MRR on the enrolment's day, valued over the expected lifetime (1 / monthly churn, at most five
/// years); an accepted retention offer costs its discount for its months.
/// </summary>
internal static class ExperimentsStage
{
    public static ExperimentsSummary? Run(PipelineContext context, PlaybookSummary playbooks, IReadOnlyList<Playbook> definitions, PlaybookOptions options, double monthlyChurn, IReadOnlyList<Loyalty.Referrals.IncentiveFunnel> incentives)
    {
        var incentiveArms = Incentives(incentives);
        var fromLog = context.Data.Interventions.Select(i => new Enrolment(i.Customer, i.Playbook, i.StartedOn)
        {
            IsControl = i.Control,
            Outcome = i.Succeeded is { } ok ? new EnrolmentOutcome(ok, i.DecidedOn!.Value, ok ? "succeeded" : "did not succeed") : null,
        }).ToList();
        // Only a kept state's enrolments: without one, the run's enrolments come from a warm-up on today's states held
        // still for 30 days, whose outcomes would say nothing about what the playbooks did.
        var kept = context.State is null ? [] : playbooks.Enrolments.Values.SelectMany(e => e).Where(e => e.Outcome is not null).ToList();
        var all = fromLog.Concat(kept).ToList();
        if (all.Count == 0)
        {
            return incentiveArms.IsEmpty ? null : new ExperimentsSummary("the referral programme", 0, [], incentiveArms, new ExperimentContext().MinimumUplift);
        }

        var shares = new PlaybookOptions();
        foreach (var group in all.GroupBy(e => e.Playbook, StringComparer.Ordinal))
        {
            shares.HoldoutShares[group.Key] = group.Count(e => e.IsControl) / (double)group.Count();
        }

        var mrrOn = new Dictionary<LocalDate, Metrics.Subscriptions.CustomerBase>();
        decimal MrrOf(Enrolment e)
        {
            if (!mrrOn.TryGetValue(e.StartedOn, out var then))
            {
                mrrOn[e.StartedOn] = then = context.CustomersAt(e.StartedOn);
            }

            return then.TryGet(e.Customer, out var standing) ? standing.Mrr.Amount : 0m;
        }

        var byId = definitions.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var experimentContext = new ExperimentContext
        {
            SegmentOf = c => context.Customers.TryGet(c, out var s) ? s.Plan : null,
            MrrOf = MrrOf,
            OfferCostOf = e => byId.TryGetValue(e.Playbook, out var p) && p.HasOffer ? decimal.Round(MrrOf(e) * (decimal)options.RetentionOfferDiscount * options.RetentionOfferMonths, 2) : 0m,
            LifetimeMonths = monthlyChurn > 0 ? Math.Min(60, 1 / monthlyChurn) : 60,
        };
        var analysed = ExperimentAnalysis.Analyze(all, definitions, shares, experimentContext);
        var source = (fromLog.Count, kept.Count) switch
        {
            (> 0, > 0) => $"{CsvFiles.InterventionsFile} and the kept state",
            (> 0, _) => CsvFiles.InterventionsFile,
            _ => "the kept state",
        };
        return new ExperimentsSummary(source, all.Count, [.. analysed.Where(p => p.Overall.Treated.Trials + p.Overall.Control.Trials + p.Open > 0)], incentiveArms, experimentContext.MinimumUplift);
    }

    /// <summary>
    /// Referral incentives as an experiment: each variant's conversion (qualified of attributed referrals) against the
    /// first incentive's, at a fixed horizon (who is attributed is not assigned with a known chance, so the always-valid
    /// sequence's weights do not apply), Holm-adjusted across the variants; the verdict from the adjusted p-value.
    /// </summary>
    private static ImmutableArray<ArmComparison> Incentives(IReadOnlyList<Loyalty.Referrals.IncentiveFunnel> funnels)
    {
        if (funnels.Count < 2)
        {
            return [];
        }

        static Proportion Of(Loyalty.Referrals.IncentiveFunnel f) => new((int)Math.Min(int.MaxValue, f.Qualified), (int)Math.Min(int.MaxValue, f.Attributed));
        var baseline = Of(funnels[0]);
        var none = new Uplift(double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1);
        var raw = funnels.Skip(1).Select(f => (f.Incentive, Treated: Of(f), Uplift: Statistics.Difference(Of(f), baseline))).ToArray();
        var holm = Statistics.Holm([.. raw.Select(r => r.Uplift.PValue)]);
        return [.. raw.Select((r, i) => new ArmComparison(
            r.Incentive,
            r.Treated,
            baseline,
            r.Uplift,
            none,
            holm[i],
            holm[i] < 0.1 && double.IsFinite(r.Uplift.Difference) ? (r.Uplift.Difference > 0 ? EffectVerdict.Effective : EffectVerdict.Harmful) : EffectVerdict.Undecided))];
    }
}
