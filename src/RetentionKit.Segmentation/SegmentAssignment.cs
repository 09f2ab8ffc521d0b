using System;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace RetentionKit.Segmentation;

/// <summary>The outcome of a segmentation: each customer's segment, and how many customers each segment holds.</summary>
public sealed class SegmentAssignment
{
    private SegmentAssignment(string segmentation, ImmutableArray<string> segments, bool isOrdered, ImmutableArray<CustomerId> customers, ImmutableArray<int> segmentOf, ImmutableArray<int> counts)
    {
        Segmentation = segmentation;
        Segments = segments;
        IsOrdered = isOrdered;
        Customers = customers;
        SegmentOf = segmentOf;
        Counts = counts;
    }

    /// <summary>Gets the segmentation's name.</summary>
    public string Segmentation { get; }

    /// <summary>Gets the segments' names.</summary>
    public ImmutableArray<string> Segments { get; }

    /// <summary>Gets whether the segments are ordered from least to most valuable.</summary>
    public bool IsOrdered { get; }

    /// <summary>Gets the customers, in input order.</summary>
    public ImmutableArray<CustomerId> Customers { get; }

    /// <summary>Gets each customer's segment index, aligned with <see cref="Customers"/>.</summary>
    public ImmutableArray<int> SegmentOf { get; }

    /// <summary>Gets the number of customers in each segment, aligned with <see cref="Segments"/>; they add up to the customers.</summary>
    public ImmutableArray<int> Counts { get; }

    /// <summary>Gets a segment's share of the customers (0–1); NaN when there are no customers.</summary>
    /// <param name="segment">The segment index.</param>
    /// <returns>The share.</returns>
    public double Share(int segment) => Customers.IsEmpty ? double.NaN : (double)Counts[segment] / Customers.Length;

    /// <summary>Runs a segmentation over a population and checks what it wrote.</summary>
    /// <param name="segmentation">The segmentation.</param>
    /// <param name="customers">The population.</param>
    /// <returns>The assignment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="segmentation"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The segmentation has no segments or wrote an index outside them.</exception>
    public static SegmentAssignment Run(ICustomerSegmentation segmentation, ReadOnlySpan<CustomerFacts> customers)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        var segments = segmentation.Segments;
        if (segments.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException($"The segmentation '{segmentation.Name}' declares no segments.");
        }

        var assigned = new int[customers.Length];
        assigned.AsSpan().Fill(-1);
        segmentation.Assign(customers, assigned);
        var counts = new int[segments.Length];
        var ids = new CustomerId[customers.Length];
        for (var i = 0; i < assigned.Length; i++)
        {
            if (assigned[i] < 0 || assigned[i] >= segments.Length)
            {
                throw new InvalidOperationException($"The segmentation '{segmentation.Name}' put customer {customers[i].Customer} (row {i}) in segment {assigned[i]}; it has segments 0 to {segments.Length - 1}.");
            }

            counts[assigned[i]]++;
            ids[i] = customers[i].Customer;
        }

        return new SegmentAssignment(
            segmentation.Name,
            segments,
            segmentation.IsOrdered,
            ImmutableCollectionsMarshal.AsImmutableArray(ids),
            ImmutableCollectionsMarshal.AsImmutableArray(assigned),
            ImmutableCollectionsMarshal.AsImmutableArray(counts));
    }
}
