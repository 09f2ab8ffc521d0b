using System;
using System.Collections.Immutable;
using System.Globalization;
using RetentionKit.Segmentation.Internal;

namespace RetentionKit.Segmentation;

/// <summary>
/// RFM segmentation (G7) as an <see cref="ICustomerSegmentation"/>: customers ranked on
/// <see cref="CustomerFacts.DaysSinceLastPurchase"/>, <see cref="CustomerFacts.Purchases"/> and
/// <see cref="CustomerFacts.Spend"/> (see <see cref="Rfm"/>), then named by <see cref="RfmSegment"/>.
/// </summary>
/// <remarks>Segment indices are the <see cref="RfmSegment"/> values. Spend is ranked by amount; customers should share a currency.</remarks>
public sealed class RfmSegmentation : ICustomerSegmentation
{
    /// <summary>The segmentation's name: "rfm".</summary>
    public const string SegmentationName = "rfm";

    /// <inheritdoc/>
    public string Name => SegmentationName;

    /// <inheritdoc/>
    public ImmutableArray<string> Segments { get; } = [.. Rfm.Names];

    /// <inheritdoc/>
    public bool IsOrdered => false;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="segments"/> is too short, or a customer has negative days, purchases or spend (the customer is named).</exception>
    public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
    {
        SegmentationChecks.OutputLength(customers, segments);
        for (var i = 0; i < customers.Length; i++)
        {
            ref readonly var c = ref customers[i];
            if (c.DaysSinceLastPurchase < 0 || c.Purchases < 0 || c.Spend < 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Customer {c.Customer} (row {i}) has {c.DaysSinceLastPurchase} days since the last purchase, {c.Purchases} purchases and spend {c.Spend}; none may be negative."), nameof(customers));
            }
        }

        if (customers.IsEmpty)
        {
            return;
        }

        using var ranker = new QuintileRanker(customers.Length);
        var keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Rfm.RecencyKey(customers[i].DaysSinceLastPurchase);
        }

        ranker.Rank(ranker.Recency);
        keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Rfm.FrequencyKey(customers[i].Purchases);
        }

        ranker.Rank(ranker.Frequency);
        keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Rfm.MonetaryKey(customers[i].Spend);
        }

        ranker.Rank(ranker.Monetary);
        var recency = ranker.Recency;
        var frequency = ranker.Frequency;
        var monetary = ranker.Monetary;
        for (var i = 0; i < customers.Length; i++)
        {
            segments[i] = (int)Rfm.SegmentOfValid(recency[i], frequency[i], monetary[i]);
        }
    }
}
