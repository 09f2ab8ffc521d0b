using System;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>A person's override of a customer's retention score or risk level, with a reason and an expiry.</summary>
/// <remarks>
/// An override applies to scores as of dates up to and including <see cref="ValidUntil"/> and lapses by itself
/// afterwards. The computed values stay in the result beside the overridden ones, and the explanation names the
/// override. A risk-level override changes the level, not the model's churn probability.
/// </remarks>
public sealed record ScoreOverride
{
    /// <summary>Initializes a new instance of the <see cref="ScoreOverride"/> class.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="retentionScore">The retention score to use instead of the computed one, or null to leave it.</param>
    /// <param name="riskLevel">The risk level to use instead of the computed one, or null to leave it.</param>
    /// <param name="reason">Why, in a few words (shown in explanations; no personal data).</param>
    /// <param name="author">Who decided it (a user id or role).</param>
    /// <param name="validUntil">The last date it applies to.</param>
    /// <exception cref="ArgumentException">The customer is the default identifier, the reason or author is blank, both values are null, or the level is <see cref="RiskLevel.Unknown"/>.</exception>
    public ScoreOverride(CustomerId customer, Score? retentionScore, RiskLevel? riskLevel, string reason, string author, LocalDate validUntil)
    {
        Customer = Guard.Valid(customer);
        if (retentionScore is null && riskLevel is null)
        {
            throw new ArgumentException("An override must set retentionScore, riskLevel or both.", nameof(retentionScore));
        }

        if (riskLevel is { } level && (level == Scoring.RiskLevel.Unknown || !Enum.IsDefined(level)))
        {
            throw new ArgumentException($"riskLevel must be Low, Medium or High; it is {level}.", nameof(riskLevel));
        }

        RetentionScore = retentionScore;
        RiskLevel = riskLevel;
        Reason = Guard.NotBlank(reason);
        Author = Guard.NotBlank(author);
        ValidUntil = validUntil;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the retention score to use, or null.</summary>
    public Score? RetentionScore { get; }

    /// <summary>Gets the risk level to use, or null.</summary>
    public RiskLevel? RiskLevel { get; }

    /// <summary>Gets why.</summary>
    public string Reason { get; }

    /// <summary>Gets who decided it.</summary>
    public string Author { get; }

    /// <summary>Gets the last date it applies to (inclusive).</summary>
    public LocalDate ValidUntil { get; }

    /// <summary>Returns whether the override applies to a score as of a date.</summary>
    /// <param name="asOf">The score's date.</param>
    /// <returns>True up to and including <see cref="ValidUntil"/>.</returns>
    public bool AppliesOn(LocalDate asOf) => asOf <= ValidUntil;
}
