using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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

        // Each block keeps what the summary needs of its items — the topic counts, each customer's latest tone of the
        // last 90 days, the inbox and the last six months' items (for the improvements) — so that a year of analysed
        // feedback is never held at once; the blocks are joined in order.
        var (inboxFrom, recentFrom, improvementsFrom) = (asOf.PlusDays(-InboxDays), asOf.PlusDays(-RecentDays), asOf.PlusMonths(-6));
        var blocks = new Block[(ordered.Count + BlockSize - 1) / BlockSize];
        Blocks.For(ordered.Count, BlockSize, (b, from, to) =>
        {
            var block = blocks[b] = new Block();
            for (var i = from; i < to; i++)
            {
                var (row, index) = ordered[i];
                var probability = scores.TryGetValue(row.Customer, out var score) && !double.IsNaN(score.ChurnProbability) ? score.ChurnProbability : (double?)null;
                ValueSegment? segment = segments.TryGetValue(row.Customer, out var s) ? s : null;
                var item = Automated(analyzer.Analyze(Record(row, index), probability, segment));
                var negative = item.Band == SentimentBand.Negative;
                block.Negative += negative ? 1 : 0;
                foreach (var topic in item.Topics)
                {
                    var (count, negatives) = block.Topics.GetValueOrDefault((segment, topic));
                    block.Topics[(segment, topic)] = (count + 1, negatives + (negative ? 1 : 0));
                }

                var day = item.Feedback.ReceivedOn;
                if (day > recentFrom && (!block.Latest.TryGetValue(row.Customer, out var seen) || day >= seen.Day))
                {
                    block.Latest[row.Customer] = (day, i, item.Band);
                }

                if (day > inboxFrom)
                {
                    block.Inbox.Add(item);
                }

                if (day > improvementsFrom)
                {
                    block.Recent.Add(item);
                }
            }
        });

        var negativeCount = 0;
        var topicCounts = new Dictionary<(ValueSegment? Segment, string Topic), (int Count, int Negative)>();
        var latest = new Dictionary<CustomerId, (LocalDate Day, int At, SentimentBand? Band)>();
        var (inbox, recent) = (new List<FeedbackItem>(), new List<FeedbackItem>());
        foreach (var block in blocks)
        {
            negativeCount += block.Negative;
            foreach (var (key, (count, negatives)) in block.Topics)
            {
                var (total, negativeTotal) = topicCounts.GetValueOrDefault(key);
                topicCounts[key] = (total + count, negativeTotal + negatives);
            }

            // The latest by date, and of one date the last in the rows' order (blocks are joined in that order).
            foreach (var (customer, last) in block.Latest)
            {
                if (!latest.TryGetValue(customer, out var seen) || (last.Day, last.At).CompareTo((seen.Day, seen.At)) > 0)
                {
                    latest[customer] = last;
                }
            }

            inbox.AddRange(block.Inbox);
            recent.AddRange(block.Recent);
        }

        var topics = topicCounts
            .Select(t => new TopicCount(t.Key.Segment, t.Key.Topic, t.Value.Count, t.Value.Negative))
            .OrderBy(t => t.Segment is { } v ? -(int)v : 1).ThenByDescending(t => t.Count).ThenBy(t => t.Topic, StringComparer.Ordinal)
            .ToImmutableArray();
        var tones = scores
            .GroupBy(s => latest.TryGetValue(s.Key, out var last) ? last.Band is { } b ? b.ToString() : "unread" : "none")
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
            ordered.Count,
            negativeCount,
            topics,
            [.. FeedbackQueries.ByPriority(inbox, asOf)],
            inbox.Count(i => !i.OverdueOn(asOf).IsEmpty),
            FeedbackImprovements.Summarise(recent, options, c => segments.TryGetValue(c, out var v) ? v : null),
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

    /// <summary>What the feedback stage keeps of one block of analysed rows.</summary>
    private sealed class Block
    {
        public int Negative { get; set; }

        public Dictionary<(ValueSegment? Segment, string Topic), (int Count, int Negative)> Topics { get; } = [];

        public Dictionary<CustomerId, (LocalDate Day, int At, SentimentBand? Band)> Latest { get; } = [];

        public List<FeedbackItem> Inbox { get; } = [];

        public List<FeedbackItem> Recent { get; } = [];
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
