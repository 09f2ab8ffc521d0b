using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.InteropServices;
using NodaTime;

namespace RetentionKit.Segmentation;

/// <summary>
/// How customers moved between the segments of one segmentation from one date to another (G6): the transition
/// matrix, who left and who entered, upgrades and downgrades, and the share that reached its segment's objective.
/// </summary>
/// <remarks>
/// Customers are matched by <see cref="CustomerId"/>. Row <c>from</c> of the matrix counts the customers who started
/// in segment <c>from</c>: by the segment they ended in, plus <see cref="Left"/> for those absent at the end, so each
/// row adds up to the starting count. Customers present only at the end are counted in <see cref="Entered"/>.
/// </remarks>
public sealed class SegmentMigration
{
    private readonly ImmutableArray<int> _cells;

    private SegmentMigration(LocalDate from, LocalDate to, SegmentAssignment start, int[] cells, int[] left, int[] entered, int[] startingCounts)
    {
        From = from;
        To = to;
        Segmentation = start.Segmentation;
        Segments = start.Segments;
        IsOrdered = start.IsOrdered;
        _cells = ImmutableCollectionsMarshal.AsImmutableArray(cells);
        Left = ImmutableCollectionsMarshal.AsImmutableArray(left);
        Entered = ImmutableCollectionsMarshal.AsImmutableArray(entered);
        StartingCounts = ImmutableCollectionsMarshal.AsImmutableArray(startingCounts);
        var n = Segments.Length;
        int up = 0, down = 0, stayed = 0;
        for (var f = 0; f < n; f++)
        {
            for (var t = 0; t < n; t++)
            {
                var count = cells[(f * n) + t];
                if (t > f)
                {
                    up += count;
                }
                else if (t < f)
                {
                    down += count;
                }
                else
                {
                    stayed += count;
                }
            }
        }

        Stayed = stayed;
        Moved = up + down;
        Upgrades = IsOrdered ? up : null;
        Downgrades = IsOrdered ? down : null;
    }

    /// <summary>Gets the starting date.</summary>
    public LocalDate From { get; }

    /// <summary>Gets the ending date.</summary>
    public LocalDate To { get; }

    /// <summary>Gets the segmentation's name.</summary>
    public string Segmentation { get; }

    /// <summary>Gets the segments' names; the matrix's rows and columns.</summary>
    public ImmutableArray<string> Segments { get; }

    /// <summary>Gets whether the segments are ordered, which gives <see cref="Upgrades"/> and <see cref="Downgrades"/> a meaning.</summary>
    public bool IsOrdered { get; }

    /// <summary>Gets the customers in each segment at the start.</summary>
    public ImmutableArray<int> StartingCounts { get; }

    /// <summary>Gets, per starting segment, the customers absent at the end (churned, or not segmented then).</summary>
    public ImmutableArray<int> Left { get; }

    /// <summary>Gets, per ending segment, the customers absent at the start (new customers).</summary>
    public ImmutableArray<int> Entered { get; }

    /// <summary>Gets the customers present at both dates who stayed in their segment.</summary>
    public int Stayed { get; }

    /// <summary>Gets the customers present at both dates who changed segment.</summary>
    public int Moved { get; }

    /// <summary>Gets the customers who moved to a more valuable segment; null when the segments are not ordered.</summary>
    public int? Upgrades { get; }

    /// <summary>Gets the customers who moved to a less valuable segment; null when the segments are not ordered.</summary>
    public int? Downgrades { get; }

    /// <summary>Gets how many customers started in one segment and ended in another (or the same).</summary>
    /// <param name="from">The starting segment's index.</param>
    /// <param name="to">The ending segment's index.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the segments.</exception>
    public int Count(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(from, Segments.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(to);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(to, Segments.Length);
        return _cells[(from * Segments.Length) + to];
    }

    /// <summary>
    /// Gets, per starting segment, the share of its customers that reached the segment's objective by the end: the
    /// target segment or (when ordered) a more valuable one. Customers who left have not reached it.
    /// </summary>
    /// <param name="targets">Each starting segment's target segment index, e.g. <see cref="ValueSegmentation.ObjectiveTargets"/>.</param>
    /// <returns>The shares (0–1), aligned with <see cref="Segments"/>; NaN for a segment that started empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="targets"/> does not hold one valid segment index per segment.</exception>
    public ImmutableArray<double> ObjectiveReached(IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var n = Segments.Length;
        if (targets.Count != n || targets.Any(t => t < 0 || t >= n))
        {
            throw new ArgumentException($"targets must hold one segment index from 0 to {n - 1} for each of the {n} segments.", nameof(targets));
        }

        var shares = new double[n];
        for (var f = 0; f < n; f++)
        {
            var reached = 0;
            for (var t = 0; t < n; t++)
            {
                if (t == targets[f] || (IsOrdered && t > targets[f]))
                {
                    reached += _cells[(f * n) + t];
                }
            }

            shares[f] = StartingCounts[f] == 0 ? double.NaN : (double)reached / StartingCounts[f];
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(shares);
    }

    /// <summary>Compares the assignments of one segmentation at two dates.</summary>
    /// <param name="from">The starting date.</param>
    /// <param name="start">The assignment at <paramref name="from"/>.</param>
    /// <param name="to">The ending date, after <paramref name="from"/>.</param>
    /// <param name="end">The assignment at <paramref name="to"/>.</param>
    /// <returns>The migration.</returns>
    /// <exception cref="ArgumentNullException">An assignment is null.</exception>
    /// <exception cref="ArgumentException">The assignments come from different segmentations or segment lists, an assignment lists a customer twice, or <paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public static SegmentMigration Between(LocalDate from, SegmentAssignment start, LocalDate to, SegmentAssignment end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        if (to <= from)
        {
            throw new ArgumentException($"to ({to:yyyy-MM-dd}) must be after from ({from:yyyy-MM-dd}).", nameof(to));
        }

        if (!string.Equals(start.Segmentation, end.Segmentation, StringComparison.OrdinalIgnoreCase) || !start.Segments.SequenceEqual(end.Segments))
        {
            throw new ArgumentException($"end comes from the segmentation '{end.Segmentation}' ({string.Join(", ", end.Segments)}); it must be the same as start's '{start.Segmentation}' ({string.Join(", ", start.Segments)}).", nameof(end));
        }

        var endSegment = new Dictionary<CustomerId, int>(end.Customers.Length);
        for (var i = 0; i < end.Customers.Length; i++)
        {
            if (!endSegment.TryAdd(end.Customers[i], end.SegmentOf[i]))
            {
                throw new ArgumentException($"end lists customer {end.Customers[i]} twice; each customer must appear once.", nameof(end));
            }
        }

        var n = start.Segments.Length;
        var cells = new int[n * n];
        var left = new int[n];
        var entered = end.Counts.ToArray();
        var seen = new HashSet<CustomerId>(start.Customers.Length);
        for (var i = 0; i < start.Customers.Length; i++)
        {
            var customer = start.Customers[i];
            if (!seen.Add(customer))
            {
                throw new ArgumentException($"start lists customer {customer} twice; each customer must appear once.", nameof(start));
            }

            var f = start.SegmentOf[i];
            if (endSegment.TryGetValue(customer, out var t))
            {
                cells[(f * n) + t]++;
                entered[t]--;
            }
            else
            {
                left[f]++;
            }
        }

        return new SegmentMigration(from, to, start, cells, left, entered, [.. start.Counts]);
    }
}
