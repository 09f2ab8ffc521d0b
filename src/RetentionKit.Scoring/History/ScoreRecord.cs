using NodaTime;

namespace RetentionKit.Scoring;

/// <summary>One day's scores of a customer, as kept in the score history (S6).</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Date">The date scored.</param>
/// <param name="ObservedOn">The date of the newest input behind the scores.</param>
/// <param name="RetentionScore">The retention score (after any override); null when undefined.</param>
/// <param name="Band">Its band; null when undefined.</param>
/// <param name="RiskScore">The risk score; null when undefined.</param>
/// <param name="Level">The risk level (after any override).</param>
/// <param name="ChurnProbability">The churn probability; null when undefined.</param>
public sealed record ScoreRecord(
    CustomerId Customer,
    LocalDate Date,
    LocalDate ObservedOn,
    double? RetentionScore,
    RetentionBand? Band,
    double? RiskScore,
    RiskLevel Level,
    double? ChurnProbability)
{
    /// <summary>Gets the record of a scored customer.</summary>
    /// <param name="score">The score.</param>
    /// <returns>The record.</returns>
    public static ScoreRecord From(CustomerScore score)
    {
        System.ArgumentNullException.ThrowIfNull(score);
        return new(score.Customer, score.AsOf, score.ObservedOn, score.Retention.Value, score.Retention.Band, score.Risk.Score, score.Risk.Level, score.Risk.ChurnProbability);
    }
}
