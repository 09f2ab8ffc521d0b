using System;
using System.Globalization;
using RetentionKit.Segmentation.Internal;

namespace RetentionKit.Segmentation;

/// <summary>The named RFM segments (G7), from the recency score and the mean of the frequency and monetary scores.</summary>
public enum RfmSegment
{
    /// <summary>Bought recently, buy often and spend the most.</summary>
    Champions = 0,

    /// <summary>Buy regularly and spend well; recent enough.</summary>
    LoyalCustomers,

    /// <summary>Recent customers with average frequency and spend.</summary>
    PotentialLoyalists,

    /// <summary>Bought very recently, but little so far.</summary>
    NewCustomers,

    /// <summary>Recent, but little so far.</summary>
    Promising,

    /// <summary>Middle recency with below-average frequency and spend.</summary>
    NeedAttention,

    /// <summary>Middle recency with the lowest frequency and spend.</summary>
    AboutToSleep,

    /// <summary>Spent well and often, but not recently.</summary>
    AtRisk,

    /// <summary>Were among the best, and have not been back for a long time.</summary>
    CannotLoseThem,

    /// <summary>Long gone quiet, with low frequency and spend.</summary>
    Hibernating,

    /// <summary>The least recent, with low frequency and spend.</summary>
    Lost,
}

/// <summary>A customer's recency, frequency and monetary quintile scores, each 1 (lowest fifth) to 5 (highest fifth).</summary>
/// <param name="Recency">5 for the most recent fifth of customers.</param>
/// <param name="Frequency">5 for the fifth with the most purchases.</param>
/// <param name="Monetary">5 for the fifth that spent the most.</param>
public readonly record struct RfmScore(byte Recency, byte Frequency, byte Monetary)
{
    /// <summary>Gets the named segment: a grid of the recency score against the mean of frequency and monetary, rounded half up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A score is outside 1–5 (a default instance, say).</exception>
    public RfmSegment Segment => Rfm.SegmentOf(Recency, Frequency, Monetary);

    /// <summary>Gets the three scores as the usual three-digit code, e.g. "545".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Recency}{Frequency}{Monetary}");
}

/// <summary>
/// RFM segmentation (G7): each measure is ranked across the whole population and cut into quintiles of equal size.
/// </summary>
/// <remarks>
/// Quintiles are by rank: the customer at rank k of n (0-based, best last) scores 1 + ⌊5k ÷ n⌋, so the five groups
/// differ in size by at most one customer. Ties are broken by position in the input (the earlier customer ranks lower),
/// so equal values can straddle a quintile boundary and get neighbouring scores; that is the price of equal group sizes,
/// and it keeps the result deterministic. Monetary values are ranked as doubles. The ranking is a stable radix sort:
/// linear in the number of customers, with pooled buffers.
/// </remarks>
public static class Rfm
{
    // Rows: recency score 1–5; columns: frequency-monetary score 1–5.
    private static readonly RfmSegment[] Grid =
    [
        RfmSegment.Lost, RfmSegment.Lost, RfmSegment.AtRisk, RfmSegment.CannotLoseThem, RfmSegment.CannotLoseThem,
        RfmSegment.Hibernating, RfmSegment.Hibernating, RfmSegment.AtRisk, RfmSegment.AtRisk, RfmSegment.CannotLoseThem,
        RfmSegment.AboutToSleep, RfmSegment.NeedAttention, RfmSegment.NeedAttention, RfmSegment.LoyalCustomers, RfmSegment.LoyalCustomers,
        RfmSegment.Promising, RfmSegment.PotentialLoyalists, RfmSegment.LoyalCustomers, RfmSegment.Champions, RfmSegment.Champions,
        RfmSegment.NewCustomers, RfmSegment.PotentialLoyalists, RfmSegment.PotentialLoyalists, RfmSegment.Champions, RfmSegment.Champions,
    ];

    /// <summary>Scores every customer of a population into a caller-provided buffer.</summary>
    /// <param name="daysSinceLastPurchase">Each customer's days since their last purchase (recency); fewer is better.</param>
    /// <param name="purchases">Each customer's number of purchases (frequency).</param>
    /// <param name="monetary">Each customer's spend (monetary value), in one currency.</param>
    /// <param name="scores">Where to write, one per customer.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or a value is negative.</exception>
    public static void Score(ReadOnlySpan<int> daysSinceLastPurchase, ReadOnlySpan<int> purchases, ReadOnlySpan<decimal> monetary, Span<RfmScore> scores)
    {
        var n = daysSinceLastPurchase.Length;
        if (purchases.Length != n || monetary.Length != n)
        {
            throw new ArgumentException($"daysSinceLastPurchase ({n}), purchases ({purchases.Length}) and monetary ({monetary.Length}) must hold one value per customer.", purchases.Length != n ? nameof(purchases) : nameof(monetary));
        }

        if (scores.Length < n)
        {
            throw new ArgumentException($"scores holds {scores.Length} entries; it must hold at least {n}.", nameof(scores));
        }

        CheckNotNegative(daysSinceLastPurchase, nameof(daysSinceLastPurchase));
        CheckNotNegative(purchases, nameof(purchases));
        for (var i = 0; i < n; i++)
        {
            if (monetary[i] < 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"monetary[{i}] is {monetary[i]}; spend must not be negative."), nameof(monetary));
            }
        }

        if (n == 0)
        {
            return;
        }

        using var ranker = new QuintileRanker(n);
        var keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = RecencyKey(daysSinceLastPurchase[i]);
        }

        ranker.Rank(ranker.Recency);
        keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = FrequencyKey(purchases[i]);
        }

        ranker.Rank(ranker.Frequency);
        keys = ranker.Keys;
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = MonetaryKey(monetary[i]);
        }

        ranker.Rank(ranker.Monetary);
        ranker.WriteScores(scores);
    }

    /// <summary>Gets the display name of a segment, e.g. "cannot lose them".</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>Its name, lower case.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segment"/> is not a defined segment.</exception>
    public static string NameOf(RfmSegment segment) =>
        segment >= 0 && (int)segment < Names.Length ? Names[(int)segment] : throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not an RFM segment.");

    internal static readonly string[] Names =
    [
        "champions", "loyal customers", "potential loyalists", "new customers", "promising", "need attention",
        "about to sleep", "at risk", "cannot lose them", "hibernating", "lost",
    ];

    // Rank keys: ascending key = better score; the radix sort is stable, so equal keys keep input order.
    internal static ulong RecencyKey(int days) => (ulong)(uint)(int.MaxValue - days);

    internal static ulong FrequencyKey(int purchases) => (ulong)(uint)purchases;

    internal static ulong MonetaryKey(decimal spend)
    {
        // Non-negative doubles order like their bit patterns; 0 (and a decimal -0) map to key 0.
        var value = (double)spend;
        return value == 0d ? 0UL : BitConverter.DoubleToUInt64Bits(value);
    }

    /// <summary>Gets the named segment of a set of scores.</summary>
    /// <param name="recency">The recency score, 1–5.</param>
    /// <param name="frequency">The frequency score, 1–5.</param>
    /// <param name="monetary">The monetary score, 1–5.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A score is outside 1–5.</exception>
    public static RfmSegment SegmentOf(int recency, int frequency, int monetary)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recency, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(frequency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frequency, 5);
        ArgumentOutOfRangeException.ThrowIfLessThan(monetary, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(monetary, 5);
        return SegmentOfValid(recency, frequency, monetary);
    }

    internal static RfmSegment SegmentOfValid(int recency, int frequency, int monetary) =>
        Grid[((recency - 1) * 5) + ((frequency + monetary + 1) / 2) - 1];

    private static void CheckNotNegative(ReadOnlySpan<int> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; it must not be negative.", name);
            }
        }
    }
}
