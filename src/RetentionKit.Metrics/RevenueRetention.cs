using System;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>Expansion rate, net revenue retention (NRR) and gross revenue retention (GRR) (SPEC M6–M7).</summary>
/// <remarks>
/// All four amounts describe the same cohort of customers over the same period: the recurring revenue they had at
/// the start, and how much of it grew (expansion), shrank (contraction) or left (churn). Revenue from customers
/// acquired during the period is not part of either measure.
/// </remarks>
public static class RevenueRetention
{
    /// <summary>Expansion rate = expansion revenue ÷ starting revenue (SPEC M6).</summary>
    /// <param name="expansion">Revenue added by existing customers (upsell, cross-sell, price rises); not negative.</param>
    /// <param name="startingRevenue">The customers' revenue at the start of the period; greater than zero.</param>
    /// <returns>The expansion rate; it may exceed 100 %.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An amount is negative or <paramref name="startingRevenue"/> is zero.</exception>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Ratio ExpansionRate(Money expansion, Money startingRevenue)
    {
        Guard.NonNegative(expansion.Amount, nameof(expansion));
        RequireStart(startingRevenue);
        _ = startingRevenue + expansion; // currency check
        return Ratio.FromFraction((double)(expansion.Amount / startingRevenue.Amount));
    }

    /// <summary>
    /// Computes NRR = (start + expansion − contraction − churn) ÷ start and GRR = (start − contraction − churn) ÷ start
    /// (SPEC M7). $100K, +$30K, −$5K, −$10K → NRR 115 %, GRR 85 %.
    /// </summary>
    /// <param name="startingRevenue">The customers' recurring revenue at the start of the period; greater than zero.</param>
    /// <param name="expansion">Revenue added by those customers; not negative.</param>
    /// <param name="contraction">Revenue lost by downgrades of customers who stayed; not negative.</param>
    /// <param name="churned">Revenue lost with the customers who left; not negative.</param>
    /// <returns>NRR, GRR and the expansion rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An amount is negative, <paramref name="startingRevenue"/> is zero, or contraction + churn exceeds the starting
    /// revenue (customers cannot lose more than they had).
    /// </exception>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static RevenueRetentionResult Compute(Money startingRevenue, Money expansion, Money contraction, Money churned)
    {
        RequireStart(startingRevenue);
        Guard.NonNegative(expansion.Amount, nameof(expansion));
        Guard.NonNegative(contraction.Amount, nameof(contraction));
        Guard.NonNegative(churned.Amount, nameof(churned));
        var lost = contraction + churned;
        _ = startingRevenue + expansion + lost; // currency check across all four
        if (lost > startingRevenue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(churned),
                churned.Amount,
                $"contraction + churned ({lost.Amount}) must not exceed startingRevenue ({startingRevenue.Amount}).");
        }

        var retained = startingRevenue - lost;
        var start = startingRevenue.Amount;
        return new RevenueRetentionResult(
            Ratio.FromFraction((double)((retained + expansion).Amount / start)),
            Rate.FromFraction((double)(retained.Amount / start)),
            Ratio.FromFraction((double)(expansion.Amount / start)));
    }

    /// <summary>Returns whether an NRR meets the source document's bar for a market (SPEC M7).</summary>
    /// <param name="nrr">The net revenue retention.</param>
    /// <param name="market">The market whose bar applies.</param>
    /// <returns>True when <paramref name="nrr"/> is at or above <see cref="Threshold"/> for <paramref name="market"/>.</returns>
    public static bool Meets(Ratio nrr, NrrBenchmark market) => nrr >= Threshold(market);

    /// <summary>Gets the NRR bar of a market: B2B SaaS 100 % (sustainable), B2C SaaS 90 % (acceptable), enterprise 110 % (excellent).</summary>
    /// <param name="market">The market.</param>
    /// <returns>The lowest NRR that meets the bar.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="market"/> is not a defined value.</exception>
    public static Ratio Threshold(NrrBenchmark market) => market switch
    {
        NrrBenchmark.B2BSaas => Ratio.FromPercent(100),
        NrrBenchmark.B2CSaas => Ratio.FromPercent(90),
        NrrBenchmark.Enterprise => Ratio.FromPercent(110),
        _ => throw new ArgumentOutOfRangeException(nameof(market), market, "market must be a defined NrrBenchmark value."),
    };

    private static void RequireStart(Money startingRevenue)
    {
        if (startingRevenue.Amount <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(startingRevenue), startingRevenue.Amount, "startingRevenue must be greater than zero: retention of no revenue is undefined.");
        }
    }
}

/// <summary>Net and gross revenue retention of one period.</summary>
/// <param name="Nrr">Net revenue retention; above 100 % when expansion outweighs losses.</param>
/// <param name="Grr">Gross revenue retention: the share of starting revenue kept, ignoring expansion; never above 100 %.</param>
/// <param name="ExpansionRate">Expansion ÷ starting revenue; NRR = GRR + expansion rate.</param>
public sealed record RevenueRetentionResult(Ratio Nrr, Rate Grr, Ratio ExpansionRate);

/// <summary>The markets whose NRR bars the source document gives.</summary>
public enum NrrBenchmark
{
    /// <summary>Business-to-business SaaS: 100 % or more is sustainable.</summary>
    B2BSaas,

    /// <summary>Business-to-consumer SaaS: 90 % or more is acceptable.</summary>
    B2CSaas,

    /// <summary>Enterprise SaaS: 110 % or more is excellent.</summary>
    Enterprise,
}
