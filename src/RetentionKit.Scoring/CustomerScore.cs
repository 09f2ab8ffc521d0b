using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Scoring;

/// <summary>One customer's explained scores on a date: the churn-risk assessment and the retention score.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="AsOf">The date scored.</param>
/// <param name="ObservedOn">The date of the newest input.</param>
/// <param name="Risk">The churn-risk assessment (S1–S4).</param>
/// <param name="Retention">The retention score (S5).</param>
/// <param name="Notes">What was incomplete or special.</param>
public sealed record CustomerScore(CustomerId Customer, LocalDate AsOf, LocalDate ObservedOn, RiskAssessment Risk, RetentionScore Retention, ScoreNotes Notes);

/// <summary>A customer's churn-risk assessment (S1–S4), with every signal's contribution (S7).</summary>
/// <param name="Score">The weighted risk score, 0–100 (higher is riskier); null when no signal could be measured. Equals the sum of the signals' contributions.</param>
/// <param name="Level">The risk level, after any override.</param>
/// <param name="ComputedLevel">The level before any override: by active-signal count (rule of thumb), or by the model's probability against <see cref="RiskLevelOptions.MediumFromProbability"/> and <see cref="RiskLevelOptions.HighFromProbability"/>.</param>
/// <param name="ChurnProbability">
/// The churn probability in [0, 1]. With a model (see <see cref="ProbabilitySource"/>) the model's; otherwise the
/// documents' rule of thumb — the level's band interpolated by the risk score, raised by red flags — which is not a
/// measured probability. Null when undefined (rule of thumb with no signal measured).
/// </param>
/// <param name="Signals">Every signal, active or not, in the engine's order.</param>
/// <param name="RedFlags">The red flags that matched.</param>
/// <param name="Sentiment">The band of the comment sentiment (S4); null without a sentiment.</param>
/// <param name="Override">The override that set <paramref name="Level"/>, if any.</param>
public sealed record RiskAssessment(
    double? Score,
    RiskLevel Level,
    RiskLevel ComputedLevel,
    double? ChurnProbability,
    ImmutableArray<SignalExplanation> Signals,
    ImmutableArray<RedFlagMatch> RedFlags,
    SentimentBand? Sentiment,
    ScoreOverride? Override)
{
    /// <summary>Gets where <see cref="ChurnProbability"/> comes from: the documents' rule of thumb, or a model fitted on the host's own history.</summary>
    public ChurnProbabilitySource ProbabilitySource { get; init; }

    /// <summary>Gets how the model's probability came about, feature by feature; null for the rule of thumb (the signals explain it).</summary>
    public ModelExplanation? Model { get; init; }

    /// <summary>Gets the signals that fired.</summary>
    public ImmutableArray<SignalExplanation> ActiveSignals => [.. Signals.Where(s => s.State == SignalState.Active)];

    /// <summary>Gets the immediate actions of the signals that fired, strongest contribution first.</summary>
    public ImmutableArray<SignalAction> Actions => [.. ActiveSignals.OrderByDescending(s => s.Contribution).Select(s => s.Action).Distinct()];
}

/// <summary>A customer's retention score (S5), with every component's contribution (S7).</summary>
/// <param name="Value">The score, 0–100 (higher is better), after any override; null when no component could be measured.</param>
/// <param name="ComputedValue">The computed score before any override. Equals the sum of the components' contributions.</param>
/// <param name="Band">The band of <paramref name="Value"/>; null when undefined.</param>
/// <param name="Components">Every component, in the engine's order.</param>
/// <param name="Override">The override that set <paramref name="Value"/>, if any.</param>
public sealed record RetentionScore(
    double? Value,
    double? ComputedValue,
    RetentionBand? Band,
    ImmutableArray<ComponentExplanation> Components,
    ScoreOverride? Override)
{
    /// <summary>Gets what to do for the band (S5); null when the score is undefined.</summary>
    public RetentionBandGuidance? Guidance => Band is { } band ? RetentionBandGuidance.For(band) : null;
}
