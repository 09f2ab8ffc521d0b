using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RetentionKit.Cli.Pipeline;

/// <summary>Options of the tool's own report, bound from <c>RetentionKit:Report</c> in retentionkit.json.</summary>
internal sealed class ReportOptions
{
    /// <summary>Gets or sets the gross margin used for customer lifetime value. The default value is 0.80.</summary>
    [Range(0.0001, 1d)]
    public double GrossMargin { get; set; } = 0.80;

    /// <summary>Gets or sets the number of recent complete months whose churn rate CLV uses. The default value is 6.</summary>
    [Range(1, 36)]
    public int ChurnWindowMonths { get; set; } = 6;

    /// <summary>Gets or sets the horizon, in days, of the churn-risk backtest: a snapshot counts as churned when the subscription ends within it. The default value is 90.</summary>
    [Range(7, 730)]
    public int BacktestHorizonDays { get; set; } = 90;

    /// <summary>
    /// Gets or sets the share of new customers the loyalty stage attributes to a referral, for data without referral
    /// records (the bundled sample has none): chosen by a stable hash among the customers holding a code at sign-up. The default value is 0.15.
    /// </summary>
    [Range(0d, 1d)]
    public double AssumedReferredShare { get; set; } = 0.15;

    /// <summary>Gets or sets the currency of the data. The default value is USD.</summary>
    [RegularExpression("^[A-Za-z]{3}$")]
    public string Currency { get; set; } = "USD";
}

[OptionsValidator]
internal sealed partial class ReportOptionsValidator : IValidateOptions<ReportOptions>
{
}
