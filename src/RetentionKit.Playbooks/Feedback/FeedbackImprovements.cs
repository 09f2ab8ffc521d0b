using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Segmentation;

namespace RetentionKit.Playbooks;

/// <summary>How often feedback asked for one improvement from one value segment, month by month.</summary>
/// <param name="Area">The improvement.</param>
/// <param name="Segment">The customers' value segment, or null for customers without one.</param>
/// <param name="Count">The items that asked for it.</param>
/// <param name="Negative">Of those, the negative ones.</param>
/// <param name="ByMonth">The items per calendar month of arrival, every month of the range (zeros included), oldest first.</param>
public sealed record ImprovementDemand(ImprovementArea Area, ValueSegment? Segment, int Count, int Negative, ImmutableArray<int> ByMonth)
{
    /// <summary>Gets whether the improvement is to the product (feature requests, bugs, usability, performance) rather than the service.</summary>
    public bool IsProduct => Area <= ImprovementArea.PerformanceOptimization;

    /// <summary>Gets the change from the range's second-to-last month to its last (positive: asked for more often).</summary>
    public int Trend => ByMonth.Length < 2 ? 0 : ByMonth[^1] - ByMonth[^2];
}

/// <summary>Turns feedback items into product and service improvements (the document's "feedback-driven improvements").</summary>
public static class FeedbackImprovements
{
    /// <summary>
    /// Counts, for every improvement area and value segment, the items that asked for it; an item counts once for each
    /// area among its topics (a comment about a slow, confusing screen asks for two improvements).
    /// </summary>
    /// <param name="items">The items, for example a store's <see cref="IFeedbackStore.ReceivedAsync"/>.</param>
    /// <param name="options">The taxonomy that maps topics to areas.</param>
    /// <param name="segmentOf">The value segment of a customer, or null when unknown.</param>
    /// <returns>One row per area and segment with at least one item, most asked for first (ties in area, then segment order).</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="items"/> holds null.</exception>
    public static ImmutableArray<ImprovementDemand> Summarise(IEnumerable<FeedbackItem> items, FeedbackOptions options, Func<CustomerId, ValueSegment?> segmentOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(segmentOf);
        var list = items.ToList();
        if (list.Any(i => i is null))
        {
            throw new ArgumentNullException(nameof(items), "items must not contain null.");
        }

        if (list.Count == 0)
        {
            return [];
        }

        var first = YearMonthOf(list.Min(i => i.Feedback.ReceivedOn));
        var last = YearMonthOf(list.Max(i => i.Feedback.ReceivedOn));
        var months = ((last.Year - first.Year) * 12) + last.Month - first.Month + 1;
        var rows = new Dictionary<(ImprovementArea, ValueSegment?), (int Count, int Negative, int[] ByMonth)>();
        var areas = new List<ImprovementArea>(); // an item's areas, each once, in the order its topics name them
        foreach (var item in list)
        {
            var segment = segmentOf(item.Feedback.Customer);
            areas.Clear();
            foreach (var t in item.Topics)
            {
                if (options.Topics.TryGetValue(t, out var topic) && !areas.Contains(topic.Area))
                {
                    areas.Add(topic.Area);
                }
            }

            var month = YearMonthOf(item.Feedback.ReceivedOn);
            var index = ((month.Year - first.Year) * 12) + month.Month - first.Month;
            foreach (var area in areas)
            {
                (int Count, int Negative, int[] ByMonth) row = rows.TryGetValue((area, segment), out var r) ? r : (0, 0, new int[months]);
                row.ByMonth[index]++;
                rows[(area, segment)] = (row.Count + 1, row.Negative + (item.Band == Scoring.SentimentBand.Negative ? 1 : 0), row.ByMonth);
            }
        }

        return [.. rows
            .OrderByDescending(r => r.Value.Count).ThenBy(r => r.Key.Item1).ThenBy(r => r.Key.Item2 is { } s ? (int)s : -1)
            .Select(r => new ImprovementDemand(r.Key.Item1, r.Key.Item2, r.Value.Count, r.Value.Negative, [.. r.Value.ByMonth]))];
    }

    private static YearMonth YearMonthOf(LocalDate day) => new(day.Year, day.Month);
}
