using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using SimulatedFeedback = RetentionKit.Simulation.FeedbackRecord;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The feedback loop on the data (SPEC B13): every feedback row of the last year analysed (sentiment, topics, owning
/// team, priority from today's churn probability and value segment), the topics each value segment raises, the inbox
/// of the last <see cref="InboxDays"/> days by priority, the improvements asked for, and how customers' scores differ
/// by the tone of their latest feedback.
/// </summary>
/// <remarks>
/// The files hold no resolutions, so the tool treats the last <see cref="InboxDays"/> days' items as open and older ones
/// as handled; the immediate response and the escalation task are automatic, so they count as done on arrival and an
/// item is late when its follow-up or resolution date has passed. A row's id is the customer, the date and its place
/// among that customer's rows of the day.
/// </remarks>
internal sealed class FeedbackStage(FeedbackAnalyzer analyzer, FeedbackOptions options)
{
    /// <summary>The days of feedback the tool analyses, back from the as-of date.</summary>
    public const int WindowDays = 365;

    /// <summary>The days of feedback the tool lists as open.</summary>
    public const int InboxDays = 30;

    /// <summary>The days within which a customer's latest feedback counts for the scores' comparison.</summary>
    public const int RecentDays = 90;

    /// <summary>Rows per block of the analysis (blocks run side by side).</summary>
    private const int BlockSize = 4_096;

    public FeedbackSummary Run(PipelineContext context, FrozenDictionary<CustomerId, BatchScore> scores, FrozenDictionary<CustomerId, ValueSegment> segments)
    {
        var asOf = context.AsOf;
        var from = asOf.PlusDays(-WindowDays + 1);
        var rows = context.Data.Feedback.Where(f => f.Date >= from && f.Date <= asOf).ToList();

        // Each row's place among its customer's rows of the day (its id), in the order of the groups; the rows are then
        // analysed in blocks side by side, each into its own slot.
        var ordered = new List<(SimulatedFeedback Row, int Index)>(rows.Count);
        foreach (var group in rows.GroupBy(f => (f.Customer, f.Date)))
        {
            var index = 0;
            foreach (var row in group)
            {
                ordered.Add((row, index++));
            }
        }

        var items = new FeedbackItem[ordered.Count];
        Parallel.For(0, (items.Length + BlockSize - 1) / BlockSize, block =>
        {
            for (var i = block * BlockSize; i < Math.Min(items.Length, (block + 1) * BlockSize); i++)
            {
                var (row, index) = ordered[i];
                var probability = scores.TryGetValue(row.Customer, out var score) && !double.IsNaN(score.ChurnProbability) ? score.ChurnProbability : (double?)null;
                ValueSegment? segment = segments.TryGetValue(row.Customer, out var s) ? s : null;
                items[i] = Automated(analyzer.Analyze(Record(row, index), probability, segment));
            }
        });

        var all = ImmutableCollectionsMarshal.AsImmutableArray(items);
        var inbox = all.Where(i => i.Feedback.ReceivedOn > asOf.PlusDays(-InboxDays)).ToList();
        var topics = all
            .SelectMany(i => i.Topics.Select(t => (Segment: segments.TryGetValue(i.Feedback.Customer, out var s) ? (ValueSegment?)s : null, Topic: t, Negative: i.Band == SentimentBand.Negative)))
            .GroupBy(x => (x.Segment, x.Topic))
            .Select(g => new TopicCount(g.Key.Segment, g.Key.Topic, g.Count(), g.Count(x => x.Negative)))
            .OrderBy(t => t.Segment is { } v ? -(int)v : 1).ThenByDescending(t => t.Count).ThenBy(t => t.Topic, StringComparer.Ordinal)
            .ToImmutableArray();
        var latest = all
            .Where(i => i.Feedback.ReceivedOn > asOf.PlusDays(-RecentDays))
            .GroupBy(i => i.Feedback.Customer)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Feedback.ReceivedOn).Last().Band);
        var tones = scores
            .GroupBy(s => latest.TryGetValue(s.Key, out var band) ? band is { } b ? b.ToString() : "unread" : "none")
            .Select(g => new ToneScores(
                g.Key,
                g.Count(),
                Mean(g.Select(x => x.Value.RetentionScore)),
                Mean(g.Select(x => x.Value.ChurnProbability))))
            .OrderBy(t => Array.IndexOf(ToneOrder, t.Tone))
            .ToImmutableArray();
        return new FeedbackSummary(
            from,
            asOf,
            all.Length,
            all.Count(i => i.Band == SentimentBand.Negative),
            topics,
            [.. FeedbackQueries.ByPriority(inbox, asOf)],
            inbox.Count(i => !i.OverdueOn(asOf).IsEmpty),
            FeedbackImprovements.Summarise(all.Where(i => i.Feedback.ReceivedOn > asOf.PlusMonths(-6)), options, c => segments.TryGetValue(c, out var v) ? v : null),
            tones);
    }

    /// <summary>The response and the escalation task go out on arrival without anyone's hand, so the tool counts them done.</summary>
    private static FeedbackItem Automated(FeedbackItem item)
    {
        var day = item.Feedback.ReceivedOn;
        foreach (var action in item.Actions.Where(a => a.Kind is FeedbackActionKind.ImmediateResponse or FeedbackActionKind.Escalation))
        {
            item = item.Complete(action.Kind, day);
        }

        return item;
    }

    private static readonly string[] ToneOrder = ["Negative", "Neutral", "Positive", "unread", "none"];

    private static FeedbackRecord Record(SimulatedFeedback row, int index)
    {
        var source = row.Comment is not null ? FeedbackSource.Comment : row.Nps is not null ? FeedbackSource.Nps : FeedbackSource.EmailSurvey;
        var id = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{row.Customer.Value}:{row.Date.Year:D4}-{row.Date.Month:D2}-{row.Date.Day:D2}:{index}");
        return new FeedbackRecord(id, row.Customer, row.Date, source, row.Comment, row.Nps, row.Satisfaction);
    }

    private static double? Mean(System.Collections.Generic.IEnumerable<double> values)
    {
        // Summed in value order: the scores come in a hash table's order, which changes from one process to the next.
        var known = values.Where(v => !double.IsNaN(v)).ToList();
        known.Sort();
        return known.Count == 0 ? null : known.Average();
    }
}

/// <summary>How often customers of a value segment raised a topic.</summary>
internal sealed record TopicCount(ValueSegment? Segment, string Topic, int Count, int Negative);

/// <summary>Today's scores of the customers whose latest feedback (last 90 days) had a tone.</summary>
internal sealed record ToneScores(string Tone, int Customers, double? MeanRetentionScore, double? MeanChurnProbability);

/// <summary>The feedback loop's results.</summary>
internal sealed record FeedbackSummary(
    LocalDate From,
    LocalDate AsOf,
    int Items,
    int Negative,
    ImmutableArray<TopicCount> Topics,
    ImmutableArray<FeedbackItem> Inbox,
    int Overdue,
    ImmutableArray<ImprovementDemand> Improvements,
    ImmutableArray<ToneScores> Tones);
