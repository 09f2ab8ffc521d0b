using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RetentionKit.Scoring;

/// <summary>The options of RetentionKit.Scoring, bound from configuration (for example the section <c>RetentionKit:Scoring</c>).</summary>
/// <remarks>
/// Every weight, threshold, window and band of SPEC S1–S6 and S9 is here, with the specification's numbers as defaults.
/// All of it is validated when the host starts (or when a <see cref="ScoringEngine"/> is built): every problem is
/// listed at once.
/// </remarks>
public sealed class ScoringOptions
{
    /// <summary>Gets or sets the weights of the three signal categories in the risk score.</summary>
    [ValidateObjectMembers]
    public CategoryWeightOptions CategoryWeights { get; set; } = new();

    /// <summary>Gets or sets each signal's weight, threshold and window, keyed by signal key.</summary>
    /// <value>The default value holds the 15 built-in signals of S1 with the specification's numbers.</value>
    /// <remarks>A host's own signal needs an entry here with its weight. Weights are relative within a category: see <see cref="CategoryWeights"/>.</remarks>
    public Dictionary<string, SignalOptions> Signals { get; set; } = ScoringDefaults.Signals();

    /// <summary>Gets or sets the risk levels by active-signal count and their churn-probability bands (S2).</summary>
    [ValidateObjectMembers]
    public RiskLevelOptions RiskLevels { get; set; } = new();

    /// <summary>Gets or sets the red-flag combinations that raise the churn-probability floor (S3), keyed by name.</summary>
    /// <value>The default value holds the three combinations of S3.</value>
    public Dictionary<string, RedFlagOptions> RedFlags { get; set; } = ScoringDefaults.RedFlags();

    /// <summary>Gets or sets the sentiment bands (S4).</summary>
    [ValidateObjectMembers]
    public SentimentOptions Sentiment { get; set; } = new();

    /// <summary>Gets or sets the retention score's component weights and bands (S5).</summary>
    [ValidateObjectMembers]
    public RetentionScoreOptions RetentionScore { get; set; } = new();

    /// <summary>Gets or sets the score history's trend window and alert thresholds (S6).</summary>
    [ValidateObjectMembers]
    public ScoreHistoryOptions History { get; set; } = new();

    /// <summary>Gets or sets whether the 15 built-in signals of S1 are used (each can also be switched off under <see cref="Signals"/>).</summary>
    /// <value>The default value is true. False removes them and their model terms; a host that scores only its own features sets it.</value>
    public bool UseBuiltInSignals { get; set; } = true;

    /// <summary>Gets or sets whether the four built-in retention-score components are used (each can also be removed with <see cref="RetentionScoreOptions.DisabledComponents"/>).</summary>
    /// <value>The default value is true. False removes them, their missing flags and their model terms.</value>
    public bool UseBuiltInComponents { get; set; } = true;

    /// <summary>Gets or sets whether the three built-in red flags of S3 (by their names in <see cref="RedFlags"/>) are used.</summary>
    /// <value>The default value is true. They read built-in signals, so a host without them sets this to false too.</value>
    public bool UseBuiltInRedFlags { get; set; } = true;

    /// <summary>Gets or sets the model features declared in configuration, keyed by name (beside those the host registers in code).</summary>
    /// <value>The default value is empty.</value>
    public Dictionary<string, ChurnFeatureOptions> Features { get; set; } = new(OptionKeyComparer.Instance);

    /// <summary>Gets or sets a fitted logistic calibration of churn probability (S9); off by default.</summary>
    [ValidateObjectMembers]
    public CalibrationOptions Calibration { get; set; } = new();
}

/// <summary>The weights of the signal categories in the risk score (S1).</summary>
/// <remarks>
/// The risk score is 100 × Σ over categories of (category weight × the active share of the category's measured signal
/// weight) ÷ the sum of the weights of the categories with at least one measured signal. The per-signal weights of S1
/// do not add up to their category's weight (behavioural 70 against 40), so they are normalised within the category:
/// only their ratios matter. Scaling every weight by the same factor changes nothing.
/// </remarks>
public sealed class CategoryWeightOptions
{
    /// <summary>Gets or sets the weight of the behavioural signals.</summary>
    /// <value>The default value is 40.</value>
    [Range(0d, 1e6)]
    public double Behavioural { get; set; } = 40;

    /// <summary>Gets or sets the weight of the sentiment signals.</summary>
    /// <value>The default value is 30.</value>
    [Range(0d, 1e6)]
    public double Sentiment { get; set; } = 30;

    /// <summary>Gets or sets the weight of the competitive signals.</summary>
    /// <value>The default value is 30.</value>
    [Range(0d, 1e6)]
    public double Competitive { get; set; } = 30;

    internal double Of(SignalCategory category) => category switch
    {
        SignalCategory.Behavioural => Behavioural,
        SignalCategory.Sentiment => Sentiment,
        _ => Competitive,
    };
}

/// <summary>One signal's weight, threshold and window.</summary>
public sealed class SignalOptions
{
    /// <summary>Gets or sets whether the signal is evaluated at all.</summary>
    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the signal's weight within its category (relative; see <see cref="CategoryWeightOptions"/>).</summary>
    [Range(0d, 1e6)]
    public double Weight { get; set; }

    /// <summary>Gets or sets the threshold the signal compares its value with (a fraction for rates, a count, or a 0–10 answer).</summary>
    [Range(0d, 1e9)]
    public double Threshold { get; set; }

    /// <summary>Gets or sets the window, in days, the signal's measure covers (0 for a latest value such as an NPS answer).</summary>
    /// <remarks>The host aggregates its events over this window; the explanation quotes it.</remarks>
    [Range(0, 3660)]
    public int WindowDays { get; set; }
}

/// <summary>Risk levels by active-signal count, and the churn-probability band of each (S2).</summary>
/// <remarks>
/// Without a calibration the churn probability is the level's band interpolated by the risk score:
/// minimum + (maximum − minimum) × risk score ÷ 100, then raised to the floor of any red flag that matches (S3).
/// Bands must not overlap and must rise with the level, so that one more active signal never lowers the probability.
/// </remarks>
public sealed class RiskLevelOptions
{
    /// <summary>Gets or sets the number of active signals from which the level is medium.</summary>
    /// <value>The default value is 2.</value>
    [Range(1, 64)]
    public int MediumAtActiveSignals { get; set; } = 2;

    /// <summary>Gets or sets the number of active signals from which the level is high.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 64)]
    public int HighAtActiveSignals { get; set; } = 3;

    /// <summary>Gets or sets the churn probability from which a model's customer is at medium risk (a model's levels are cut on its probability, not on the signal count).</summary>
    /// <value>The default value is 0.40, the documents' "40–70 %".</value>
    [Range(0d, 1d)]
    public double MediumFromProbability { get; set; } = 0.40;

    /// <summary>Gets or sets the churn probability from which a model's customer is at high risk.</summary>
    /// <value>The default value is 0.70, the documents' "70 % or more".</value>
    [Range(0d, 1d)]
    public double HighFromProbability { get; set; } = 0.70;

    /// <summary>Gets or sets the low level's probability band.</summary>
    /// <value>The default value is 5 %–40 % ("below 40 %").</value>
    [ValidateObjectMembers]
    public ProbabilityBandOptions Low { get; set; } = new() { Minimum = 0.05, Maximum = 0.40 };

    /// <summary>Gets or sets the medium level's probability band.</summary>
    /// <value>The default value is 40 %–70 %.</value>
    [ValidateObjectMembers]
    public ProbabilityBandOptions Medium { get; set; } = new() { Minimum = 0.40, Maximum = 0.70 };

    /// <summary>Gets or sets the high level's probability band.</summary>
    /// <value>The default value is 70 %–95 % ("70 % or more"; certainty is not a claim the bands can make).</value>
    [ValidateObjectMembers]
    public ProbabilityBandOptions High { get; set; } = new() { Minimum = 0.70, Maximum = 0.95 };
}

/// <summary>A band of churn probability.</summary>
public sealed class ProbabilityBandOptions
{
    /// <summary>Gets or sets the probability at a risk score of 0.</summary>
    [Range(0d, 1d)]
    public double Minimum { get; set; }

    /// <summary>Gets or sets the probability at a risk score of 100.</summary>
    [Range(0d, 1d)]
    public double Maximum { get; set; }
}

/// <summary>A red-flag combination (S3): when every condition holds, the churn probability is at least <see cref="Floor"/>.</summary>
/// <remarks>
/// <see cref="When"/> lists conditions joined by <c>&amp;</c>: a signal key means "this signal is active"; <c>Measure &lt; number</c>
/// means "this measure is present and below the number". Example: <c>ReducedUsage &amp; Nps &lt; 5</c>.
/// </remarks>
public sealed class RedFlagOptions
{
    /// <summary>Gets or sets whether the red flag is applied.</summary>
    /// <value>The default value is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the conditions, joined by '&amp;'.</summary>
    [Required]
    public string When { get; set; } = string.Empty;

    /// <summary>Gets or sets the probability floor the red flag sets.</summary>
    [Range(0d, 1d)]
    public double Floor { get; set; }
}

/// <summary>Sentiment bands (S4), on the 0–1 sentiment scale.</summary>
public sealed class SentimentOptions
{
    /// <summary>Gets or sets the sentiment below which it is negative (intervene now).</summary>
    /// <value>The default value is 0.3.</value>
    [Range(0d, 1d)]
    public double NegativeBelow { get; set; } = 0.3;

    /// <summary>Gets or sets the sentiment above which it is positive (safe); from <see cref="NegativeBelow"/> up to this it is neutral (monitor).</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0d, 1d)]
    public double PositiveAbove { get; set; } = 0.5;
}

/// <summary>The retention score's component weights and bands (S5).</summary>
public sealed class RetentionScoreOptions
{
    /// <summary>Gets or sets each component's weight, keyed by component key (relative: only the ratios matter).</summary>
    /// <value>The default value is Engagement 40, Usage 30, Satisfaction 20, Value 10.</value>
    public Dictionary<string, double> ComponentWeights { get; set; } = ScoringDefaults.ComponentWeights();

    /// <summary>Gets or sets the keys of built-in components to remove (with their missing flags and model terms).</summary>
    /// <value>The default value is empty.</value>
    public List<string> DisabledComponents { get; set; } = [];

    /// <summary>Gets or sets the score from which the band is low (below it: at risk).</summary>
    /// <value>The default value is 40.</value>
    [Range(0d, 100d)]
    public double LowFrom { get; set; } = 40;

    /// <summary>Gets or sets the score from which the band is medium.</summary>
    /// <value>The default value is 60.</value>
    [Range(0d, 100d)]
    public double MediumFrom { get; set; } = 60;

    /// <summary>Gets or sets the score from which the band is high.</summary>
    /// <value>The default value is 80.</value>
    [Range(0d, 100d)]
    public double HighFrom { get; set; } = 80;
}

/// <summary>Trend window and alert thresholds of the score history (S6).</summary>
public sealed class ScoreHistoryOptions
{
    /// <summary>Gets or sets the number of days over which delta and slope are computed.</summary>
    /// <value>The default value is 30.</value>
    [Range(2, 3660)]
    public int TrendWindowDays { get; set; } = 30;

    /// <summary>Gets or sets the decline, in retention-score points per day (least-squares slope), from which a sharp-decline alert fires.</summary>
    /// <value>The default value is 1 (30 points over a 30-day window).</value>
    [Range(0.000001d, 100d)]
    public double SharpDeclinePointsPerDay { get; set; } = 1;

    /// <summary>Gets or sets the age, in days, of a score's newest input from which the score is stale.</summary>
    /// <value>The default value is 7.</value>
    [Range(1, 3660)]
    public int StaleAfterDays { get; set; } = 7;
}

/// <summary>A fitted logistic calibration of churn probability (S9). Fit one with <see cref="ChurnCalibration.Fit(ScoringEngine, System.Collections.Generic.IReadOnlyList{LabelledSnapshot}, CalibrationFitOptions)"/>.</summary>
/// <remarks>
/// P(churn) = 1 ÷ (1 + e^−(intercept + Σ coefficient × term)), over the terms of <see cref="ScoringEngine.ModelTerms"/>:
/// <c>signal.{key}</c> and <c>redflag.{name}</c> (1 when active), <c>component.{key}</c> (the component's value ÷ 100,
/// 0 when missing) and <c>component.{key}.missing</c>, <c>feature.{name}</c> (its value, 0 when missing),
/// <c>feature.{name}={level}</c> (1 for that level) and <c>feature.{name}.missing</c>. Terms without a coefficient
/// count 0. When enabled, this probability is the churn probability everywhere: levels (cut on it), lists,
/// explanations and playbook triggers.
/// </remarks>
public sealed class CalibrationOptions
{
    /// <summary>Gets or sets whether the calibrated probability replaces the S2/S3 bands.</summary>
    /// <value>The default value is false.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the intercept.</summary>
    [Range(-1000d, 1000d)]
    public double Intercept { get; set; }

    /// <summary>Gets or sets the coefficients, keyed by feature name.</summary>
    public Dictionary<string, double> Coefficients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets each term's mean over the training examples, keyed by term name: the reference customer that explanations measure contributions from. Terms without one count 0.</summary>
    public Dictionary<string, double> Means { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the horizon, in days, the calibration predicts churn within (for the record; the fit sets it).</summary>
    [Range(1, 3660)]
    public int HorizonDays { get; set; } = 90;
}

/// <summary>A model feature declared in configuration (see <see cref="ChurnFeature"/>).</summary>
public sealed class ChurnFeatureOptions
{
    /// <summary>Gets or sets the kind of value.</summary>
    /// <value>The default value is <see cref="ChurnFeatureKind.Numeric"/>.</value>
    public ChurnFeatureKind Kind { get; set; } = ChurnFeatureKind.Numeric;

    /// <summary>Gets or sets a numeric feature's smallest valid value.</summary>
    public double Minimum { get; set; }

    /// <summary>Gets or sets a numeric feature's largest valid value.</summary>
    public double Maximum { get; set; }

    /// <summary>Gets or sets a categorical feature's levels, in code order.</summary>
    public List<string> Levels { get; set; } = [];

    /// <summary>Gets or sets a categorical feature's reference level.</summary>
    public string? ReferenceLevel { get; set; }

    /// <summary>Gets or sets what the feature is, with its unit.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Builds the feature.</summary>
    internal ChurnFeature ToFeature(string name) => Kind switch
    {
        ChurnFeatureKind.Boolean => ChurnFeature.Boolean(name, Description),
        ChurnFeatureKind.Categorical => ChurnFeature.Categorical(name, Levels, ReferenceLevel!, Description),
        _ => ChurnFeature.Numeric(name, Minimum, Maximum, Description),
    };
}

/// <summary>Single-field rules (DataAnnotations), source-generated.</summary>
[OptionsValidator]
internal sealed partial class ScoringOptionsValidator : IValidateOptions<ScoringOptions>
{
}

/// <summary>Single-field rules of a signal's options, source-generated.</summary>
[OptionsValidator]
internal sealed partial class SignalOptionsValidator : IValidateOptions<SignalOptions>
{
}

/// <summary>Single-field rules of a red flag's options, source-generated.</summary>
[OptionsValidator]
internal sealed partial class RedFlagOptionsValidator : IValidateOptions<RedFlagOptions>
{
}
