using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.InteropServices;
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
    /// <summary>Customers per block of <see cref="Build"/>: blocks are built side by side.</summary>
    private const int BlockSize = 4_096;

    public static ImmutableArray<CustomerRow> Build(PipelineContext context, ScoringSummary scoring, SegmentationSummary segmentation, PlaybookSummary playbooks)
    {
        var customers = context.Customers;

        // Each active customer's MRR after each event through the date, in date order (the events are in date order).
        var history = new Dictionary<CustomerId, List<(LocalDate, decimal)>>();
        foreach (var e in context.EventsByDate)
        {
            if (e.EffectiveDate > context.AsOf || !customers.IsActive(e.Customer))
            {
                continue;
            }

            if (!history.TryGetValue(e.Customer, out var list))
            {
                history[e.Customer] = list = [];
            }

            list.Add((e.EffectiveDate, e switch
            {
                SubscriptionChange c => c.Terms.MonthlyNetAmount.Amount,
                Reactivation r => r.Terms.MonthlyNetAmount.Amount,
                _ => 0m,
            }));
        }

        var active = customers.Active.ToArray();
        var rows = new CustomerRow[active.Length];
        Blocks.For(rows.Length, BlockSize, (_, from, to) =>
        {
            // Customers share a few combinations of signals: each block names a combination once.
            var names = new Dictionary<ulong, ImmutableArray<string>>();
            var flags = new Dictionary<ulong, ImmutableArray<string>>();
            for (var i = from; i < to; i++)
            {
                var c = active[i];
                var scored = scoring.Current.TryGetValue(c.Customer, out var score);
                rows[i] = new CustomerRow(
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
                    scored ? Names(score.ActiveSignals, scoring.SignalNames, names) : [],
                    scored ? Names(score.RedFlags, scoring.RedFlagNames, flags) : [],
                    playbooks.NextSteps.GetValueOrDefault(c.Customer),
                    playbooks.Enrolments.GetValueOrDefault(c.Customer, []),
                    history.TryGetValue(c.Customer, out var mrr) ? [.. mrr] : [],
                    scoring.Trends.TryGetValue(c.Customer, out var trend) ? [.. trend] : []);
            }
        });

        return ImmutableCollectionsMarshal.AsImmutableArray(rows);
    }

    private static ImmutableArray<string> Names(ulong bits, ImmutableArray<string> names, Dictionary<ulong, ImmutableArray<string>> named)
    {
        if (!named.TryGetValue(bits, out var result))
        {
            named[bits] = result = Names(bits, names);
        }

        return result;
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
