using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Scoring;

/// <summary>Where a churn probability comes from.</summary>
public enum ChurnProbabilitySource
{
    /// <summary>
    /// The documents' rule of thumb (S2/S3): the risk level's band by active-signal count, interpolated by the risk score
    /// and raised by red flags. Not a measured probability: fit a <see cref="ChurnCalibration"/> to get one.
    /// </summary>
    RuleOfThumb,

    /// <summary>A model fitted on the host's labelled history (a <see cref="ChurnCalibration"/>) or the host's own <see cref="IChurnModel"/>.</summary>
    Model,
}

/// <summary>
/// How a model's churn probability came about: the reference customer's probability and each feature's contribution in
/// log-odds and in probability points. <see cref="BaselineProbability"/> + Σ points = the probability, exactly.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="BaselineLogOdds">The reference customer's log-odds (for a fitted calibration: the training average of every term).</param>
/// <param name="BaselineProbability">The reference customer's churn probability.</param>
/// <param name="LogOdds">This customer's log-odds: <paramref name="BaselineLogOdds"/> + Σ contributions.</param>
/// <param name="Probability">This customer's churn probability.</param>
/// <param name="Contributions">Every feature's contribution, in the model's order.</param>
/// <remarks>
/// Log-odds add up exactly; probability points are the log-odds contributions scaled by
/// (probability − baseline probability) ÷ (log-odds − baseline log-odds), so they add up too and keep each feature's
/// sign and share (when the log-odds equal the baseline's, the scale is the slope of the logistic there).
/// </remarks>
public sealed record ModelExplanation(
    string Model,
    double BaselineLogOdds,
    double BaselineProbability,
    double LogOdds,
    double Probability,
    ImmutableArray<FeatureContribution> Contributions)
{
    /// <summary>Returns the features that moved the probability most, largest first.</summary>
    /// <param name="count">How many to return, at most.</param>
    /// <returns>The contributions ordered by absolute size.</returns>
    public ImmutableArray<FeatureContribution> Strongest(int count) =>
        [.. Contributions.OrderByDescending(c => System.Math.Abs(c.LogOdds)).ThenBy(c => c.Feature, System.StringComparer.Ordinal).Take(count)];
}

/// <summary>One feature's part in a model's churn probability.</summary>
/// <param name="Feature">The feature's name (<c>signal.{key}</c>, <c>component.{key}</c>, <c>redflag.{name}</c>, <c>feature.{name}</c>, or a host model's own).</param>
/// <param name="LogOdds">What it added to the log-odds, against the reference customer.</param>
/// <param name="ProbabilityPoints">What it added to the probability, in points of probability (0.05 is five percentage points).</param>
public sealed record FeatureContribution(string Feature, double LogOdds, double ProbabilityPoints);
