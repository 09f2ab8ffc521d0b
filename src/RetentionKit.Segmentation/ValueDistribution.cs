using System;
using System.Collections.Immutable;
using System.Globalization;

namespace RetentionKit.Segmentation;

/// <summary>One value segment's share of the customers and of the revenue, beside the typical shares (G2).</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Customers">How many customers are in it.</param>
/// <param name="CustomerShare">Its share of the customers (0–1).</param>
/// <param name="Revenue">Their revenue.</param>
/// <param name="RevenueShare">Its share of the revenue (0–1); NaN when the total revenue is zero.</param>
/// <param name="TypicalCustomerShare">The typical share of customers for the segment.</param>
/// <param name="TypicalRevenueShare">The typical share of revenue for the segment.</param>
public sealed record SegmentShare(
    ValueSegment Segment,
    int Customers,
    double CustomerShare,
    Money Revenue,
    double RevenueShare,
    TypicalRange TypicalCustomerShare,
    TypicalRange TypicalRevenueShare)
{
    /// <summary>Gets whether the share of customers lies outside the typical range.</summary>
    public bool CustomerShareAtypical => !TypicalCustomerShare.Contains(CustomerShare);

    /// <summary>Gets whether the share of revenue lies outside the typical range (false when it is undefined).</summary>
    public bool RevenueShareAtypical => !double.IsNaN(RevenueShare) && !TypicalRevenueShare.Contains(RevenueShare);
}

/// <summary>The distribution of a customer base over the value segments, against the typical shares of G2.</summary>
public sealed class ValueDistribution
{
    private ValueDistribution(ImmutableArray<SegmentShare> segments, int customers, Money revenue)
    {
        Segments = segments;
        Customers = customers;
        Revenue = revenue;
    }

    /// <summary>Gets one entry per segment, from high to low.</summary>
    public ImmutableArray<SegmentShare> Segments { get; }

    /// <summary>Gets the number of customers.</summary>
    public int Customers { get; }

    /// <summary>Gets the total revenue.</summary>
    public Money Revenue { get; }

    /// <summary>Gets the typical share of customers of a segment (G2: high 10–20 %, medium 30–40 %, low 40–60 %).</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>The range, as fractions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segment"/> is not a defined segment.</exception>
    public static TypicalRange TypicalCustomerShare(ValueSegment segment) => segment switch
    {
        ValueSegment.High => new(0.10, 0.20),
        ValueSegment.Medium => new(0.30, 0.40),
        ValueSegment.Low => new(0.40, 0.60),
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not a value segment."),
    };

    /// <summary>Gets the typical share of revenue of a segment (G2: high 50–70 %, medium 25–35 %, low 10–20 %).</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>The range, as fractions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segment"/> is not a defined segment.</exception>
    public static TypicalRange TypicalRevenueShare(ValueSegment segment) => segment switch
    {
        ValueSegment.High => new(0.50, 0.70),
        ValueSegment.Medium => new(0.25, 0.35),
        ValueSegment.Low => new(0.10, 0.20),
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not a value segment."),
    };

    /// <summary>Computes the distribution of customers and revenue over the segments.</summary>
    /// <param name="segments">Each customer's segment.</param>
    /// <param name="revenue">Each customer's revenue over the same period, in <paramref name="currency"/>; same length as <paramref name="segments"/>.</param>
    /// <param name="currency">The revenue's currency.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty, a segment is undefined, or a revenue is negative.</exception>
    public static ValueDistribution Of(ReadOnlySpan<ValueSegment> segments, ReadOnlySpan<decimal> revenue, Currency currency)
    {
        if (segments.IsEmpty)
        {
            throw new ArgumentException("A distribution needs at least one customer.", nameof(segments));
        }

        if (revenue.Length != segments.Length)
        {
            throw new ArgumentException($"revenue holds {revenue.Length} values for {segments.Length} customers; it must hold one per customer.", nameof(revenue));
        }

        Span<int> counts = stackalloc int[3];
        Span<decimal> sums = stackalloc decimal[3];
        counts.Clear();
        sums.Clear();
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = (int)segments[i];
            if (segment is < 0 or > 2)
            {
                throw new ArgumentException($"segments[{i}] is {segment}, which is not a value segment.", nameof(segments));
            }

            if (revenue[i] < 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"revenue[{i}] is {revenue[i]}; revenue must not be negative."), nameof(revenue));
            }

            counts[segment]++;
            sums[segment] += revenue[i];
        }

        var total = sums[0] + sums[1] + sums[2];
        var shares = ImmutableArray.CreateBuilder<SegmentShare>(3);
        foreach (var segment in (ReadOnlySpan<ValueSegment>)[ValueSegment.High, ValueSegment.Medium, ValueSegment.Low])
        {
            var s = (int)segment;
            shares.Add(new SegmentShare(
                segment,
                counts[s],
                (double)counts[s] / segments.Length,
                new Money(sums[s], currency),
                total == 0m ? double.NaN : (double)(sums[s] / total),
                TypicalCustomerShare(segment),
                TypicalRevenueShare(segment)));
        }

        return new ValueDistribution(shares.MoveToImmutable(), segments.Length, new Money(total, currency));
    }
}
