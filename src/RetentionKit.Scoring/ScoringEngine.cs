using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using RetentionKit.Scoring.Internal;
using RetentionKit.Scoring.RedFlags;
using RetentionKit.Scoring.Sentiment;

namespace RetentionKit.Scoring;

/// <summary>
/// Scores customers: the churn-risk assessment (S1–S4, S9) and the retention score (S5), explained one customer at a
/// time (<see cref="Score(CustomerSnapshot)"/>) or, without explanations and without allocating per customer, for whole batches
/// (<see cref="ScoreBatch(ScoringBatch, Span{BatchScore})"/>). Both paths give identical numbers.
/// </summary>
/// <remarks>
/// The engine is immutable and thread-safe; it copies what it needs from the options when built. Overrides and
/// history are applied by <see cref="ScoringService"/>, not here.
/// </remarks>
public sealed class ScoringEngine
{
    private const int CategoryCount = 3;

    private readonly double[] _signalWeights;
    private readonly int[] _signalCategories;
    private readonly double[] _categoryWeights;
    private readonly double[] _componentWeights;
    private readonly FrozenDictionary<MeasureKey, int> _columns;
    private readonly FrozenDictionary<SignalKey, int> _signalIndex;
    private readonly ISentimentAnalyzer _sentimentAnalyzer;
    private readonly int _mediumAt;
    private readonly int _highAt;
    private readonly double _lowFrom;
    private readonly double _mediumFrom;
    private readonly double _highFrom;
    private readonly double _negativeBelow;
    private readonly double _positiveAbove;
    private readonly FrozenDictionary<ComponentKey, int> _componentIndex;
    private readonly int[] _categoricalColumns;
    private readonly float[] _minimums;
    private readonly float[] _maximums;
    private ModelPlan? _model; // set only by the constructor and by WithCalibration/WithModel on a fresh clone

    /// <summary>Initializes a new instance of the <see cref="ScoringEngine"/> class.</summary>
    /// <param name="options">The options; copied, so later changes do not affect the engine.</param>
    /// <param name="signals">The host's own signals (a key of a built-in one replaces it), or null.</param>
    /// <param name="components">The host's own components (a key of a built-in one replaces it), or null.</param>
    /// <param name="redFlags">The host's own red-flag rules, added to those in the options, or null.</param>
    /// <param name="sentimentAnalyzer">The sentiment analyser for snapshots' comments; null for the built-in lexicon analyser.</param>
    /// <param name="meterFactory">Creates the <c>RetentionKit.Scoring</c> meter (customers scored, alerts); null for a meter nothing listens to by default.</param>
    /// <param name="features">The host's own model features, added to those in <see cref="ScoringOptions.Features"/>, or null.</param>
    /// <param name="model">The host's own churn model, or null; it gives the churn probability instead of the rule of thumb (and may not be combined with an enabled <see cref="ScoringOptions.Calibration"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public ScoringEngine(
        ScoringOptions options,
        IEnumerable<IChurnSignal>? signals = null,
        IEnumerable<IRetentionScoreComponent>? components = null,
        IEnumerable<IRedFlagRule>? redFlags = null,
        ISentimentAnalyzer? sentimentAnalyzer = null,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null,
        IEnumerable<ChurnFeature>? features = null,
        IChurnModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Telemetry = new ScoringTelemetry(meterFactory);
        var customSignals = (signals ?? []).ToList();
        var customComponents = (components ?? []).ToList();
        var customRedFlags = (redFlags ?? []).ToList();
        var customFeatures = (features ?? []).ToList();
        if (customSignals.Contains(null!) || customComponents.Contains(null!) || customRedFlags.Contains(null!) || customFeatures.Contains(null!))
        {
            throw new ArgumentException(
                "signals, components, redFlags and features must not contain null.",
                customSignals.Contains(null!) ? nameof(signals) : customComponents.Contains(null!) ? nameof(components) : customRedFlags.Contains(null!) ? nameof(redFlags) : nameof(features));
        }

        var registrations = new ScoringRegistrations(customSignals, customComponents, customRedFlags, customFeatures, model is not null);
        var problems = ScoringOptionsValidation.Problems(options, registrations);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ScoringOptions), RetentionKit.Internal.OptionPaths.Qualify<ScoringOptions>("Scoring", problems));
        }

        _sentimentAnalyzer = sentimentAnalyzer ?? new LexiconSentimentAnalyzer();
        Signals = [.. ScoringOptionsValidation.ResolveSignals(options, customSignals)];
        Components = [.. ScoringOptionsValidation.ResolveComponents(options, customComponents)];
        RedFlags = [.. ScoringOptionsValidation.ResolveRedFlags(options, customRedFlags)];
        Features = [.. ScoringOptionsValidation.ResolveFeatures(options, customFeatures)];

        Measures = [.. Scoring.Measures.BuiltIn.Concat(
            Signals.SelectMany(s => s.AdditionalMeasures ?? []).Concat(Components.SelectMany(c => c.AdditionalMeasures ?? [])).Concat(Features.Select(f => f.Measure))
                .GroupBy(d => d.Key).Select(g => g.First()))];
        _columns = Measures.Select((d, i) => (d.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i);
        _minimums = [.. Measures.Select(d => (float)d.Minimum)];
        _maximums = [.. Measures.Select(d => (float)d.Maximum)];
        _signalIndex = Signals.Select((s, i) => (s.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i);
        _componentIndex = Components.Select((c, i) => (c.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i);
        _categoricalColumns = [.. Features.Where(f => f.Kind != ChurnFeatureKind.Numeric).Select(f => _columns[f.Measure.Key])];

        _signalWeights = [.. Signals.Select(s => options.Signals[s.Key.Name].Weight)];
        _signalCategories = [.. Signals.Select(s => (int)s.Category)];
        _categoryWeights = [options.CategoryWeights.Behavioural, options.CategoryWeights.Sentiment, options.CategoryWeights.Competitive];
        _componentWeights = [.. Components.Select(c => options.RetentionScore.ComponentWeights[c.Key.Name])];

        var levels = options.RiskLevels;
        _mediumAt = levels.MediumAtActiveSignals;
        _highAt = levels.HighAtActiveSignals;
        _lowFrom = options.RetentionScore.LowFrom;
        _mediumFrom = options.RetentionScore.MediumFrom;
        _highFrom = options.RetentionScore.HighFrom;
        // A band's top is exclusive where the next band starts (S2: "0–1 signals: below 40 %"): it stops one percentage
        // point short, so a low-level probability never reads as the medium cut-off (0.3999… printed as "40 %").
        var cuts = new Cuts(
            _mediumAt,
            _highAt,
            levels.Low.Minimum,
            ExclusiveTop(levels.Low, levels.Medium),
            levels.Medium.Minimum,
            ExclusiveTop(levels.Medium, levels.High),
            levels.High.Minimum,
            levels.High.Maximum,
            Float.Up(_lowFrom),
            Float.Up(_mediumFrom),
            Float.Up(_highFrom),
            levels.MediumFromProbability,
            levels.HighFromProbability);
        Kernel = new BatchKernel(this, _signalWeights, _categoryWeights, _componentWeights, cuts, [.. RedFlags.Select(PlanFor)]);
        _negativeBelow = options.Sentiment.NegativeBelow;
        _positiveAbove = options.Sentiment.PositiveAbove;
        if (model is not null)
        {
            _model = new HostModelPlan(model);
        }
        else if (options.Calibration.Enabled)
        {
            _model = new LogisticPlan(this, ChurnCalibration.ModelName, options.Calibration.Intercept, options.Calibration.Coefficients, options.Calibration.Means);
        }
    }

    /// <summary>Gets the signals in use, in order: the built-in ones (unless replaced or disabled), then the host's.</summary>
    public ImmutableArray<IChurnSignal> Signals { get; }

    /// <summary>Gets the retention-score components in use, in order.</summary>
    public ImmutableArray<IRetentionScoreComponent> Components { get; }

    /// <summary>Gets the red-flag rules in use: those from options (by name), then the host's.</summary>
    public ImmutableArray<IRedFlagRule> RedFlags { get; }

    /// <summary>Gets every measure a batch holds, in column order: the built-in ones, then those the host's signals and components declare.</summary>
    public ImmutableArray<MeasureDefinition> Measures { get; }

    /// <summary>Gets the model features in use, in order: those from <see cref="ScoringOptions.Features"/> (by name), then the host's.</summary>
    public ImmutableArray<ChurnFeature> Features { get; }

    /// <summary>Gets whether churn probabilities come from a model (a fitted calibration or the host's <see cref="IChurnModel"/>) rather than the S2/S3 rule of thumb.</summary>
    public bool IsCalibrated => _model is not null;

    /// <summary>Gets where this engine's churn probabilities come from.</summary>
    public ChurnProbabilitySource ProbabilitySource => _model is null ? ChurnProbabilitySource.RuleOfThumb : ChurnProbabilitySource.Model;

    /// <summary>Gets the name of the model that gives the churn probability; null for the rule of thumb.</summary>
    public string? ModelName => _model?.Name;

    /// <summary>Gets the names of every term a fitted calibration of this engine has, in the order of its design matrix.</summary>
    /// <remarks>
    /// <c>signal.{key}</c> and <c>redflag.{name}</c> (1 when active), <c>component.{key}</c> (value ÷ 100) and
    /// <c>component.{key}.missing</c>, <c>feature.{name}</c> (the value) or <c>feature.{name}={level}</c> (1 for that
    /// level), and <c>feature.{name}.missing</c>.
    /// </remarks>
    public ImmutableArray<string> ModelTerms => [.. Internal.ModelTerms.All(this)];

    /// <summary>Returns an engine identical to this one except that churn probabilities come from <paramref name="calibration"/> (S9).</summary>
    /// <remarks>For a calibration fitted at run time; to configure one at start-up use <see cref="ChurnCalibration.ApplyTo"/> on the options.</remarks>
    /// <param name="calibration">The fitted calibration.</param>
    /// <returns>The calibrated engine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calibration"/> is null.</exception>
    /// <exception cref="ArgumentException">The calibration has a coefficient for a term this engine does not have.</exception>
    public ScoringEngine WithCalibration(ChurnCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var terms = ModelTerms.ToHashSet(StringComparer.Ordinal);
        if (calibration.Coefficients.Keys.FirstOrDefault(t => !terms.Contains(t)) is { } unknown)
        {
            throw new ArgumentException($"calibration has a coefficient for '{unknown}', which is not a term of this engine; fit it with this engine's signals, components, red flags and features.", nameof(calibration));
        }

        var calibrated = (ScoringEngine)MemberwiseClone();
        calibrated._model = new LogisticPlan(this, ChurnCalibration.ModelName, calibration.Intercept, calibration.Coefficients, calibration.Means);
        return calibrated;
    }

    /// <summary>Returns an engine identical to this one except that churn probabilities come from the host's <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The engine using the model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public ScoringEngine WithModel(IChurnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var engine = (ScoringEngine)MemberwiseClone();
        engine._model = new HostModelPlan(model);
        return engine;
    }

    /// <summary>Creates an empty batch (every measure missing) for this engine's measures.</summary>
    /// <param name="capacity">The number of customers, at least 1.</param>
    /// <returns>A new batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public ScoringBatch CreateBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return new ScoringBatch(this, capacity);
    }

    /// <summary>Returns the band of a sentiment score (S4).</summary>
    /// <param name="sentiment">A sentiment in [0, 1].</param>
    /// <returns>Negative below the negative threshold, positive above the positive one, else neutral.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sentiment"/> is NaN or outside [0, 1].</exception>
    public SentimentBand SentimentBandOf(double sentiment)
    {
        RetentionKit.Internal.Guard.FiniteInRange(sentiment, 0d, 1d);
        return sentiment < _negativeBelow ? SentimentBand.Negative : sentiment > _positiveAbove ? SentimentBand.Positive : SentimentBand.Neutral;
    }

    /// <summary>Returns the band of a retention score (S5).</summary>
    /// <param name="score">The score.</param>
    /// <returns>The band; edges belong to the band above (40 is low, 39.9 is at risk).</returns>
    public RetentionBand RetentionBandOf(Score score) => BandOf(score.Value);

    /// <summary>Scores one customer with a full explanation (S7).</summary>
    /// <param name="snapshot">The customer's measures.</param>
    /// <returns>The risk assessment and retention score, every signal and component explained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="ArgumentException">The snapshot breaks a cross-measure rule or holds a measure the engine does not know.</exception>
    public CustomerScore Score(CustomerSnapshot snapshot) => ScoreWithOverride(snapshot, null);

    /// <summary>Scores a batch: rows [0, <paramref name="results"/>.Length) into <paramref name="results"/>, without allocating per customer.</summary>
    /// <param name="batch">The customers' measures, from <see cref="CreateBatch"/> of this engine.</param>
    /// <param name="results">Where to write; its length is the number of customers scored.</param>
    /// <exception cref="ArgumentException">The batch belongs to another engine, is shorter than <paramref name="results"/>, or holds a bad value: out of its measure's range, or a NaN that is not <see cref="ScoringBatch.Missing"/> (results are then cleared: no row is left scored).</exception>
    public void ScoreBatch(ScoringBatch batch, Span<BatchScore> results) => ScoreBatch(batch, 0, results);

    /// <summary>Scores rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="results"/>.Length) of a batch; lets callers split a batch across threads.</summary>
    /// <param name="batch">The customers' measures, from <see cref="CreateBatch"/> of this engine.</param>
    /// <param name="firstRow">The first row to score.</param>
    /// <param name="results">Where to write, one result per row.</param>
    /// <exception cref="ArgumentException">The batch belongs to another engine, is too short, or holds a bad value: out of its measure's range, or a NaN that is not <see cref="ScoringBatch.Missing"/> (results are then cleared: no row is left scored).</exception>
    public void ScoreBatch(ScoringBatch batch, int firstRow, Span<BatchScore> results)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Measures != Measures)
        {
            throw new ArgumentException("batch was created by another ScoringEngine; create it with this engine's CreateBatch.", nameof(batch));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        if (firstRow + (long)results.Length > batch.Capacity)
        {
            throw new ArgumentException($"Rows {firstRow} to {firstRow + results.Length - 1} do not fit the batch's {batch.Capacity} rows.", nameof(results));
        }

        ScoreBatchUnobserved(batch, firstRow, results);
        Telemetry.Scored(results.Length, batch: true);
    }

    /// <summary>Scores rows of a batch without recording them as scored (fitting reads the terms this way).</summary>
    internal void ScoreBatchUnobserved(ScoringBatch batch, int firstRow, Span<BatchScore> results)
    {
        Kernel.Score(batch, firstRow, results, _model, default, validate: true);
    }

    /// <summary>Gets the engine's scoring kernel.</summary>
    internal BatchKernel Kernel { get; }

    /// <summary>Gets the instruments the engine and its <see cref="ScoringService"/> record on.</summary>
    internal ScoringTelemetry Telemetry { get; }

    /// <summary>
    /// Scores one customer with a full explanation and applies their override if it is valid on the snapshot's date
    /// (what <see cref="ScoringService.ScoreAsync"/> does with the override it reads from its store).
    /// </summary>
    /// <param name="snapshot">The customer's measures.</param>
    /// <param name="scoreOverride">The customer's override, or null.</param>
    /// <returns>The explained score, overridden where the override says.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="ArgumentException">The snapshot breaks a cross-measure rule, or the override is another customer's.</exception>
    public CustomerScore Score(CustomerSnapshot snapshot, ScoreOverride? scoreOverride) => ScoreWithOverride(snapshot, scoreOverride);

    internal CustomerScore ScoreWithOverride(CustomerSnapshot snapshot, ScoreOverride? scoreOverride)
    {
        var score = ScoreWithOverrideUnobserved(snapshot, scoreOverride);
        Telemetry.Scored(1, batch: false);
        return score;
    }

    private CustomerScore ScoreWithOverrideUnobserved(CustomerSnapshot snapshot, ScoreOverride? scoreOverride)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (scoreOverride is not null && scoreOverride.Customer != snapshot.Customer)
        {
            throw new ArgumentException($"The override is customer {scoreOverride.Customer}'s, and the snapshot customer {snapshot.Customer}'s.", nameof(scoreOverride));
        }

        var batch = new ScoringBatch(this, 1);
        batch.Write(0, snapshot);
        Span<BatchScore> result = stackalloc BatchScore[1];
        Span<double> logOdds = [double.NaN];
        Kernel.Score(batch, 0, result, _model, logOdds, validate: false);
        var numbers = result[0];
        var row = new ScoringRow(batch, 0);

        // Signal explanations: each signal's points = category share × its share of the category's measured weight.
        Span<SignalReading> readings = stackalloc SignalReading[Signals.Length];
        Span<double> measuredWeight = stackalloc double[CategoryCount];
        for (var j = 0; j < Signals.Length; j++)
        {
            readings[j] = Signals[j].Read(row);
            if (readings[j].State != SignalState.Missing)
            {
                measuredWeight[_signalCategories[j]] += _signalWeights[j];
            }
        }

        double measuredCategories = 0d;
        for (var c = 0; c < CategoryCount; c++)
        {
            if (measuredWeight[c] > 0d)
            {
                measuredCategories += _categoryWeights[c];
            }
        }

        var source = new ExplanationSource(this, batch);
        var signals = ImmutableArray.CreateBuilder<SignalExplanation>(Signals.Length);
        for (var j = 0; j < Signals.Length; j++)
        {
            var reading = readings[j];
            var c = _signalCategories[j];
            var points = reading.State == SignalState.Missing || !(measuredWeight[c] > 0d) || !(measuredCategories > 0d)
                ? 0d
                : 100d * _categoryWeights[c] / measuredCategories * _signalWeights[j] / measuredWeight[c];
            signals.Add(new SignalExplanation(source, j, reading, points));
        }

        var redFlags = ImmutableArray.CreateBuilder<RedFlagMatch>();
        for (var k = 0; k < RedFlags.Length; k++)
        {
            if ((numbers.RedFlags & (1UL << k)) != 0)
            {
                redFlags.Add(new RedFlagMatch(RedFlags[k].Name, RedFlags[k].Floor, RedFlags[k].Description));
            }
        }

        var components = ImmutableArray.CreateBuilder<ComponentExplanation>(Components.Length);
        Span<ComponentReading> componentReadings = stackalloc ComponentReading[Components.Length];
        double measuredComponentWeight = 0d;
        for (var k = 0; k < Components.Length; k++)
        {
            componentReadings[k] = Components[k].Read(row);
            if (!componentReadings[k].IsMissing)
            {
                measuredComponentWeight += _componentWeights[k];
            }
        }

        for (var k = 0; k < Components.Length; k++)
        {
            var reading = componentReadings[k];
            var share = reading.IsMissing || !(measuredComponentWeight > 0d) ? 0d : _componentWeights[k] / measuredComponentWeight;
            components.Add(new ComponentExplanation(source, k, reading, share));
        }

        var riskUndefined = (numbers.Notes & ScoreNotes.RiskUndefined) != 0;
        var retentionUndefined = (numbers.Notes & ScoreNotes.RetentionUndefined) != 0;
        var sentiment = row.At(Col.CommentSentiment);

        var levelOverride = scoreOverride is { RiskLevel: not null } && scoreOverride.AppliesOn(snapshot.AsOf) ? scoreOverride : null;
        var scoreOverrideApplied = scoreOverride is { RetentionScore: not null } && scoreOverride.AppliesOn(snapshot.AsOf) ? scoreOverride : null;
        double? computedRetention = retentionUndefined ? null : numbers.RetentionScore;
        var retentionValue = scoreOverrideApplied?.RetentionScore?.Value ?? computedRetention;

        var risk = new RiskAssessment(
            riskUndefined ? null : numbers.RiskScore,
            levelOverride?.RiskLevel ?? numbers.Level,
            numbers.Level,
            double.IsNaN(numbers.ChurnProbability) ? null : numbers.ChurnProbability,
            signals.MoveToImmutable(),
            redFlags.ToImmutable(),
            float.IsNaN((float)sentiment) ? null : SentimentBandOf(sentiment),
            levelOverride)
        {
            ProbabilitySource = ProbabilitySource,
            Model = _model is { } model ? ExplainModel(model, batch, numbers, logOdds[0], componentReadings) : null,
        };
        var retention = new RetentionScore(
            retentionValue,
            computedRetention,
            retentionValue is { } value ? BandOf(value) : null,
            components.MoveToImmutable(),
            scoreOverrideApplied);
        return new CustomerScore(snapshot.Customer, snapshot.AsOf, snapshot.ObservedOn, risk, retention, numbers.Notes);
    }

    /// <summary>A model's probability, attributed feature by feature in log-odds and in probability points.</summary>
    private static ModelExplanation ExplainModel(ModelPlan model, ScoringBatch batch, in BatchScore numbers, double logOdds, ReadOnlySpan<ComponentReading> readings)
    {
        Span<ulong> masks = [numbers.ActiveSignals];
        Span<ulong> flags = [numbers.RedFlags];
        Span<double> components = stackalloc double[readings.Length];
        for (var k = 0; k < readings.Length; k++)
        {
            components[k] = readings[k].IsMissing ? double.NaN : readings[k].Value;
        }

        var chunk = new ModelChunk(batch.Engine, batch, 0, 1, masks, flags, components);
        var contributions = new double[model.Features.Length];
        model.Contributions(chunk, 0, contributions);
        var baseline = model.BaselineLogOdds;
        var p = numbers.ChurnProbability;
        var p0 = 1d / (1d + Math.Exp(-baseline));

        // Points share p − p0 in proportion to the log-odds contributions (so they add up to it); at no difference,
        // the logistic's slope there.
        var difference = 0d;
        foreach (var c in contributions)
        {
            difference += c;
        }

        var scale = Math.Abs(difference) > 1e-12 ? (p - p0) / difference : p0 * (1d - p0);
        var items = ImmutableArray.CreateBuilder<FeatureContribution>(contributions.Length);
        for (var f = 0; f < contributions.Length; f++)
        {
            items.Add(new FeatureContribution(model.Features[f], contributions[f], contributions[f] * scale));
        }

        return new ModelExplanation(model.Name, baseline, p0, logOdds, p, items.MoveToImmutable());
    }

    /// <summary>The top a band's probabilities reach: one point below the next band's minimum when the two touch, else its own maximum.</summary>
    private static double ExclusiveTop(ProbabilityBandOptions band, ProbabilityBandOptions next) =>
        band.Maximum >= next.Minimum ? Math.Max(band.Minimum, next.Minimum - 0.01) : band.Maximum;

    internal int SignalIndex(SignalKey key) => _signalIndex.TryGetValue(key, out var index) ? index : -1;

    internal int ComponentIndex(ComponentKey key) => _componentIndex.TryGetValue(key, out var index) ? index : -1;

    internal int ColumnIndex(MeasureKey measure) =>
        _columns.TryGetValue(measure, out var column)
            ? column
            : throw new ArgumentException($"The measure '{measure}' is not built in and no registered signal or component declares it.", nameof(measure));

    /// <summary>A snapshot's values in column order (one per measure), checked; the sentiment of its comments filled in when it has none.</summary>
    internal void ColumnValues(CustomerSnapshot snapshot, Span<float> values)
    {
        CheckCrossMeasure(snapshot, snapshot.EmailsOpened, snapshot.EmailsSent, "EmailsOpened", "EmailsSent");
        CheckCrossMeasure(snapshot, snapshot.NegativeTickets, snapshot.SupportTickets, "NegativeTickets", "SupportTickets");
        values.Fill(ScoringBatch.Missing);
        for (var column = 0; column < Col.BuiltInCount; column++)
        {
            if (snapshot.BuiltIn(column) is { } value)
            {
                values[column] = (float)value;
            }
        }

        if (snapshot.CommentSentiment is null && !snapshot.Comments.IsEmpty)
        {
            double sum = 0d;
            var scored = 0;
            foreach (var comment in snapshot.Comments)
            {
                if (_sentimentAnalyzer.Analyze(comment) is { } sentiment)
                {
                    if (!(sentiment is >= 0d and <= 1d))
                    {
                        throw new InvalidOperationException($"The sentiment analyser {_sentimentAnalyzer.GetType().Name} returned {sentiment}; a sentiment must be between 0 and 1.");
                    }

                    sum += sentiment;
                    scored++;
                }
            }

            if (scored > 0)
            {
                values[Col.CommentSentiment] = (float)(sum / scored);
            }
        }

        foreach (var (key, value) in snapshot.AdditionalMeasures)
        {
            if (!_columns.TryGetValue(key, out var column))
            {
                // A measure nothing in use reads (a feature switched off, a signal removed): carried, not an error.
                continue;
            }

            var definition = Measures[column];
            if (value < definition.Minimum || value > definition.Maximum)
            {
                throw new ArgumentException($"snapshot.AdditionalMeasures[{key}] is {value.ToString(CultureInfo.InvariantCulture)}; it must be between {definition.Minimum.ToString(CultureInfo.InvariantCulture)} and {definition.Maximum.ToString(CultureInfo.InvariantCulture)}.", nameof(snapshot));
            }

            if (Array.IndexOf(_categoricalColumns, column) >= 0 && value != Math.Round(value))
            {
                throw new ArgumentException($"snapshot.AdditionalMeasures[{key}] is {value.ToString(CultureInfo.InvariantCulture)}; the feature takes a whole number (0 or 1 for a yes/no, a level's code for a categorical feature).", nameof(snapshot));
            }

            values[column] = (float)value;
        }
    }

    private static void CheckCrossMeasure(CustomerSnapshot snapshot, double? part, double? whole, string partName, string wholeName)
    {
        if (part is { } p && whole is { } w && p > w)
        {
            throw new ArgumentException($"snapshot.{partName} ({p.ToString(CultureInfo.InvariantCulture)}) must not exceed snapshot.{wholeName} ({w.ToString(CultureInfo.InvariantCulture)}) of {snapshot.Customer}.", nameof(snapshot));
        }
    }

    /// <summary>Checks rows of a batch: every value in its measure's range or missing, whole codes, parts within their wholes.</summary>
    internal void Validate(ScoringBatch batch, int firstRow, int count, bool wide)
    {
        var inRange = Vector.IsHardwareAccelerated && (wide ? InRange<Vector512Lanes>(batch, firstRow, count) : InRange<VectorLanes>(batch, firstRow, count));
        for (var column = 0; column < Measures.Length && !inRange; column++)
        {
            var definition = Measures[column];
            var values = batch.ColumnSpan(column).Slice(firstRow, count);
            var bad = FirstOutOfRange(values, (float)definition.Minimum, (float)definition.Maximum);
            if (bad >= 0)
            {
                var value = values[bad];
                var what = float.IsNaN(value)
                    ? "NaN, which is not a value; mark a missing value with ScoringBatch.Missing or SetMissing"
                    : float.IsInfinity(value)
                        ? $"{value.ToString(CultureInfo.InvariantCulture)}, which is not a finite number"
                        : $"{value.ToString(CultureInfo.InvariantCulture)}; it must be between {definition.Minimum.ToString(CultureInfo.InvariantCulture)} and {definition.Maximum.ToString(CultureInfo.InvariantCulture)} ({definition.Description})";
                throw new ArgumentException($"batch column {definition.Key}, row {firstRow + bad}, is {what}.", nameof(batch));
            }
        }

        foreach (var column in _categoricalColumns)
        {
            var values = batch.ColumnSpan(column).Slice(firstRow, count);
            for (var i = 0; i < values.Length; i++)
            {
                if (!ScoringBatch.IsMissing(values[i]) && values[i] != MathF.Round(values[i]))
                {
                    throw new ArgumentException($"batch column {Measures[column].Key}, row {firstRow + i}, is {values[i].ToString(CultureInfo.InvariantCulture)}; the feature takes a whole number (0 or 1 for a yes/no, a level's code for a categorical feature).", nameof(batch));
                }
            }
        }

        CheckColumns(batch, firstRow, count, Col.EmailsOpened, Col.EmailsSent);
        CheckColumns(batch, firstRow, count, Col.NegativeTickets, Col.SupportTickets);
    }

    /// <summary>Whether every value of the rows is in its measure's range or missing: all columns tested a step at a time, with one test at the end (a bad value is rare; the scalar scan then finds and names it).</summary>
    private bool InRange<T>(ScoringBatch batch, int firstRow, int count)
        where T : struct, ILanes<T>
    {
        var steps = count - (count % T.Rows);
        var missing = T.Broadcast(unchecked((uint)ScoringBatch.MissingMarkerBits));
        var bad = T.Zero;
        var tailBad = false;
        ref var data = ref MemoryMarshal.GetArrayDataReference(batch.Data);
        for (var column = 0; column < _minimums.Length; column++)
        {
            ref var first = ref Unsafe.Add(ref data, unchecked(batch.Origin + ((nint)(uint)column * batch.Stride) + firstRow));
            var low = T.Broadcast(_minimums[column]);
            var high = T.Broadcast(_maximums[column]);
            for (var i = 0; i < steps; i += T.Rows)
            {
                bad |= T.Outside(T.Load(ref Unsafe.Add(ref first, i)), low, high, missing);
            }

            for (var i = steps; i < count; i++)
            {
                var value = Unsafe.Add(ref first, i);
                tailBad |= !(value >= _minimums[column] && value <= _maximums[column]) && !ScoringBatch.IsMissing(value);
            }
        }

        return bad.IsZero && !tailBad;
    }

    /// <summary>The index of the first value that is neither the missing marker nor in [min, max], or −1.</summary>
    private static int FirstOutOfRange(ReadOnlySpan<float> values, float min, float max)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (!(value >= min && value <= max) && !ScoringBatch.IsMissing(value))
            {
                return i;
            }
        }

        return -1;
    }

    private void CheckColumns(ScoringBatch batch, int firstRow, int count, int partColumn, int wholeColumn)
    {
        var parts = batch.ColumnSpan(partColumn).Slice(firstRow, count);
        var wholes = batch.ColumnSpan(wholeColumn).Slice(firstRow, count);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            {
                if (Vector.GreaterThanAny(new Vector<float>(parts[i..]), new Vector<float>(wholes[i..])))
                {
                    break;
                }
            }
        }

        for (; i < parts.Length; i++)
        {
            if (parts[i] > wholes[i])
            {
                throw new ArgumentException($"batch row {firstRow + i}: {Measures[partColumn].Key} ({parts[i].ToString(CultureInfo.InvariantCulture)}) must not exceed {Measures[wholeColumn].Key} ({wholes[i].ToString(CultureInfo.InvariantCulture)}).", nameof(batch));
            }
        }
    }

    private RetentionBand BandOf(double score) =>
        (RetentionBand)((score >= _lowFrom ? 1 : 0) + (score >= _mediumFrom ? 1 : 0) + (score >= _highFrom ? 1 : 0));

    private RedFlagPlan PlanFor(IRedFlagRule rule)
    {
        if (rule is not ConditionRedFlagRule condition)
        {
            return new RedFlagPlan(rule.Floor, 0UL, [], rule);
        }

        var mask = 0UL;
        foreach (var signal in condition.Signals)
        {
            mask |= 1UL << _signalIndex[signal];
        }

        return new RedFlagPlan(condition.Floor, mask, [.. condition.MeasuresBelow.Select(m => (_columns[m.Measure], m.Below))], null);
    }
}
