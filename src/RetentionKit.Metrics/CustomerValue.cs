using System;
using System.Collections.Generic;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>A customer's return on what they pay, and where they stand among peers (SPEC M14).</summary>
public static class CustomerValue
{
    /// <summary>Customer ROI = (value gained − cost) ÷ cost, as a fraction: 1.0 is 100 %, −0.5 is a loss of half the cost.</summary>
    /// <param name="valueGained">The value the customer obtained (saved time, added revenue) in money; not negative.</param>
    /// <param name="cost">What the customer paid; greater than zero.</param>
    /// <returns>The ROI as a fraction; at least −1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="valueGained"/> is negative or <paramref name="cost"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static double Roi(Money valueGained, Money cost)
    {
        Guard.NonNegative(valueGained.Amount, nameof(valueGained));
        if (cost.Amount <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost.Amount, "cost must be greater than zero: ROI on nothing spent is undefined.");
        }

        var net = valueGained - cost;
        return (double)(net.Amount / cost.Amount);
    }

    /// <summary>
    /// Places a value among its peers: the percentile rank (the share of peers below, ties counted half) and the
    /// top share ("you are in the top 20 %": the share of peers at or above the value).
    /// </summary>
    /// <param name="value">The customer's value (ROI, usage, NPS); finite.</param>
    /// <param name="peers">The peer group's values, including the customer's own if they belong to it; finite; not empty.</param>
    /// <returns>The customer's standing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="peers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="peers"/> is empty (a standing among no one is undefined).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> or a peer value is not finite.</exception>
    public static PercentileStanding Standing(double value, IEnumerable<double> peers)
    {
        Guard.Finite(value);
        ArgumentNullException.ThrowIfNull(peers);
        long below = 0, equal = 0, total = 0;
        foreach (var peer in peers)
        {
            if (!double.IsFinite(peer))
            {
                throw new ArgumentOutOfRangeException(nameof(peers), peer, "peers must contain only finite numbers.");
            }

            total++;
            if (peer < value)
            {
                below++;
            }
            else if (peer == value)
            {
                equal++;
            }
        }

        if (total == 0)
        {
            throw new ArgumentException("peers must not be empty: a standing among no one is undefined.", nameof(peers));
        }

        var rank = (below + (equal / 2d)) / total;
        return new PercentileStanding(Rate.FromFraction(rank), Rate.FromCounts(total - below, total), total);
    }
}

/// <summary>Where a value stands among its peers.</summary>
/// <param name="PercentileRank">The share of peers below the value, ties counted half (mid-rank).</param>
/// <param name="TopShare">The share of peers at or above the value: 20 % means "in the top 20 %".</param>
/// <param name="Peers">The size of the peer group.</param>
public sealed record PercentileStanding(Rate PercentileRank, Rate TopShare, long Peers);
