namespace RetentionKit.Scoring;

/// <summary>The names of the three built-in red flags (S3), the keys of <see cref="ScoringOptions.RedFlags"/>.</summary>
public static class RedFlagNames
{
    /// <summary>A competitor trial together with searches for alternatives: churn probability at least 90 %.</summary>
    public const string CompetitorTrialAndAlternativeSearch = "CompetitorTrialAndAlternativeSearch";

    /// <summary>A contract review together with searches for alternatives: at least 80 %.</summary>
    public const string ContractReviewAndAlternativeSearch = "ContractReviewAndAlternativeSearch";

    /// <summary>An NPS below 5 together with reduced usage: at least 75 %.</summary>
    public const string LowNpsAndReducedUsage = "LowNpsAndReducedUsage";

    /// <summary>The three names, for <see cref="ScoringOptions.UseBuiltInRedFlags"/>.</summary>
    internal static readonly string[] All = [CompetitorTrialAndAlternativeSearch, ContractReviewAndAlternativeSearch, LowNpsAndReducedUsage];
}
