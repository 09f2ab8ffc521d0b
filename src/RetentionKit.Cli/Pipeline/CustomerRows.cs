using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Cli.Pipeline;

/// <summary>A paying customer as the report's table and the JSON's <c>customers</c> show them.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Plan">Today's plan.</param>
/// <param name="Mrr">Today's MRR.</param>
/// <param name="TenureMonths">Whole months since the first subscription.</param>
/// <param name="SignedUp">The first subscription's date.</param>
/// <param name="Segment">The value segment (low, medium, high); null when not segmented.</param>
/// <param name="ChurnProbability">Today's churn probability (of the kind the scoring summary names); null when not scored.</param>
/// <param name="Level">The churn-risk level; null when not scored.</param>
/// <param name="RetentionScore">The retention score, 0–100; null when not scored or undefined.</param>
/// <param name="Band">The retention band; null when not scored or undefined.</param>
/// <param name="Reasons">The active risk signals, as a reader names them.</param>
/// <param name="RedFlags">The matched red flags.</param>
/// <param name="NextStep">The first playbook step due today, else the next step of an active enrolment; null when none.</param>
/// <param name="Enrolments">The customer's playbook enrolments (active and ended).</param>
/// <param name="MrrHistory">Each subscription event's MRR (0 for a cancellation), in date order.</param>
/// <param name="ScoreTrend">The retention score at each month end of the scoring summary, <see cref="ScoringSummary.NoScore"/> where none; empty when never scored.</param>
internal sealed record CustomerRow(
    CustomerId Customer,
    string Plan,
    decimal Mrr,
    int TenureMonths,
    LocalDate SignedUp,
    string? Segment,
    double? ChurnProbability,
    RiskLevel? Level,
    double? RetentionScore,
    RetentionBand? Band,
    ImmutableArray<string> Reasons,
    ImmutableArray<string> RedFlags,
    NextStep? NextStep,
    ImmutableArray<Enrolment> Enrolments,
    ImmutableArray<(LocalDate On, decimal Mrr)> MrrHistory,
    ImmutableArray<byte> ScoreTrend);

/// <summary>A playbook step ahead of a customer.</summary>
internal sealed record NextStep(string Playbook, string Step, string Channel, LocalDate DueOn);

/// <summary>Builds one <see cref="CustomerRow"/> per paying customer from the customer base and the stages' results.</summary>
internal static class CustomerRows
{
    public static ImmutableArray<CustomerRow> Build(PipelineContext context, ScoringSummary scoring, SegmentationSummary segmentation, PlaybookSummary playbooks)
    {
        var customers = context.Customers;
        var history = context.Data.Events
            .Where(e => e.EffectiveDate <= context.AsOf && customers.IsActive(e.Customer))
            .GroupBy(e => e.Customer)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.EffectiveDate).Select(e => (e.EffectiveDate, e switch
            {
                SubscriptionChange c => c.Terms.MonthlyNetAmount.Amount,
                Reactivation r => r.Terms.MonthlyNetAmount.Amount,
                _ => 0m,
            })).ToImmutableArray());
        var rows = ImmutableArray.CreateBuilder<CustomerRow>(customers.ActiveCount);
        foreach (var c in customers.Active)
        {
            var scored = scoring.Current.TryGetValue(c.Customer, out var score);
            var enrolments = playbooks.Enrolments.GetValueOrDefault(c.Customer, []);
            rows.Add(new CustomerRow(
                c.Customer,
                c.Plan,
                c.Mrr.Amount,
                c.TenureMonths,
                c.SignedUp,
                segmentation.ValueSegmentOf.TryGetValue(c.Customer, out var segment) ? segment.ToString().ToLowerInvariant() : null,
                scored && !double.IsNaN(score.ChurnProbability) ? score.ChurnProbability : null,
                scored ? score.Level : null,
                scored && !double.IsNaN(score.RetentionScore) ? score.RetentionScore : null,
                scored && !double.IsNaN(score.RetentionScore) ? score.Band : null,
                scored ? Names(score.ActiveSignals, scoring.SignalNames) : [],
                scored ? Names(score.RedFlags, scoring.RedFlagNames) : [],
                playbooks.NextSteps.GetValueOrDefault(c.Customer),
                enrolments,
                history.GetValueOrDefault(c.Customer, []),
                scoring.Trends.TryGetValue(c.Customer, out var trend) ? [.. trend] : []));
        }

        return rows.MoveToImmutable();
    }

    private static ImmutableArray<string> Names(ulong bits, ImmutableArray<string> names)
    {
        if (bits == 0)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < names.Length && i < 64; i++)
        {
            if ((bits & (1UL << i)) != 0)
            {
                result.Add(names[i]);
            }
        }

        return result.ToImmutable();
    }
}
