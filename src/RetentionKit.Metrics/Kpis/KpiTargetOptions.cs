using System.ComponentModel.DataAnnotations;

namespace RetentionKit.Metrics.Kpis;

/// <summary>The targets of the KPI scorecard (SPEC M13). Rates are fractions: 0.95 is 95 %.</summary>
/// <remarks>The defaults are the source document's targets.</remarks>
public sealed class KpiTargetOptions
{
    /// <summary>Gets or sets the lowest acceptable monthly customer retention.</summary>
    /// <value>The default value is 0.95 (95 %).</value>
    [Range(0d, 1d)]
    public double MonthlyRetention { get; set; } = KpiTargetDefaults.MonthlyRetention;

    /// <summary>Gets or sets the lowest acceptable annual customer retention.</summary>
    /// <value>The default value is 0.80 (80 %).</value>
    [Range(0d, 1d)]
    public double AnnualRetention { get; set; } = KpiTargetDefaults.AnnualRetention;

    /// <summary>Gets or sets the lowest acceptable reactivation rate (churned customers who come back).</summary>
    /// <value>The default value is 0.30 (30 %).</value>
    [Range(0d, 1d)]
    public double ReactivationRate { get; set; } = KpiTargetDefaults.ReactivationRate;

    /// <summary>Gets or sets the lowest acceptable Net Promoter Score, in points.</summary>
    /// <value>The default value is 50.</value>
    [Range(-100d, 100d)]
    public double Nps { get; set; } = KpiTargetDefaults.Nps;

    /// <summary>Gets or sets the bottom of the target band for upsell conversion.</summary>
    /// <value>The default value is 0.20 (20 %).</value>
    [Range(0d, 1d)]
    public double UpsellConversionMin { get; set; } = KpiTargetDefaults.UpsellConversionMin;

    /// <summary>Gets or sets the top of the target band for upsell conversion; above it the scorecard flags the KPI.</summary>
    /// <value>The default value is 0.30 (30 %).</value>
    [Range(0d, 1d)]
    public double UpsellConversionMax { get; set; } = KpiTargetDefaults.UpsellConversionMax;

    /// <summary>Gets or sets the bottom of the target band for cross-sell conversion.</summary>
    /// <value>The default value is 0.15 (15 %).</value>
    [Range(0d, 1d)]
    public double CrossSellConversionMin { get; set; } = KpiTargetDefaults.CrossSellConversionMin;

    /// <summary>Gets or sets the top of the target band for cross-sell conversion.</summary>
    /// <value>The default value is 0.25 (25 %).</value>
    [Range(0d, 1d)]
    public double CrossSellConversionMax { get; set; } = KpiTargetDefaults.CrossSellConversionMax;
}

internal static class KpiTargetDefaults
{
    public const double MonthlyRetention = 0.95;
    public const double AnnualRetention = 0.80;
    public const double ReactivationRate = 0.30;
    public const double Nps = 50;
    public const double UpsellConversionMin = 0.20;
    public const double UpsellConversionMax = 0.30;
    public const double CrossSellConversionMin = 0.15;
    public const double CrossSellConversionMax = 0.25;
}
