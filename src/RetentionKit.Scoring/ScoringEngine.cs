using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Numerics;
using Microsoft.Extensions.Options;
using RetentionKit.Scoring.Internal;
using RetentionKit.Scoring.RedFlags;
using RetentionKit.Scoring.Sentiment;
using RetentionKit.Scoring.Signals;

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
    private const int ChunkSize = 128;
    private const int CategoryCount = 3;

    private readonly BuiltInSignal?[] _builtInSignals;
    private readonly Components.BuiltInComponents.BlendedComponent?[] _builtInComponents;
    private readonly double[] _signalWeights;
    private readonly int[] _signalCategories;
    private readonly double[] _categoryWeights;
    private readonly double[] _componentWeights;
    private readonly CategoryShares _shares;
    private readonly RedFlagPlan[] _redFlagPlans;
    private readonly FrozenDictionary<MeasureKey, int> _columns;
    private readonly FrozenDictionary<SignalKey, int> _signalIndex;
    private readonly ISentimentAnalyzer _sentimentAnalyzer;
    private readonly int _mediumAt;
    private readonly int _highAt;
    private readonly ProbabilityBands _probabilityBands;
    private readonly double _lowFrom;
    private readonly double _mediumFrom;
    private readonly double _highFrom;
    private readonly BandCuts _bandCuts;
    private readonly double _negativeBelow;
    private readonly double _positiveAbove;
    private Calibration? _calibration; // set only by the constructor and by WithCalibration on a fresh clone

    /// <summary>Initializes a new instance of the <see cref="ScoringEngine"/> class.</summary>
    /// <param name="options">The options; copied, so later changes do not affect the engine.</param>
    /// <param name="signals">The host's own signals (a key of a built-in one replaces it), or null.</param>
    /// <param name="components">The host's own components (a key of a built-in one replaces it), or null.</param>
    /// <param name="redFlags">The host's own red-flag rules, added to those in the options, or null.</param>
    /// <param name="sentimentAnalyzer">The sentiment analyser for snapshots' comments; null for the built-in lexicon analyser.</param>
    /// <param name="meterFactory">Creates the <c>RetentionKit.Scoring</c> meter (customers scored, alerts); null for a meter nothing listens to by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public ScoringEngine(
        ScoringOptions options,
        IEnumerable<IChurnSignal>? signals = null,
        IEnumerable<IRetentionScoreComponent>? components = null,
        IEnumerable<IRedFlagRule>? redFlags = null,
        ISentimentAnalyzer? sentimentAnalyzer = null,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Telemetry = new ScoringTelemetry(meterFactory);
        var customSignals = (signals ?? []).ToList();
        var customComponents = (components ?? []).ToList();
        var customRedFlags = (redFlags ?? []).ToList();
        if (customSignals.Contains(null!) || customComponents.Contains(null!) || customRedFlags.Contains(null!))
        {
            throw new ArgumentException("signals, components and redFlags must not contain null.", customSignals.Contains(null!) ? nameof(signals) : customComponents.Contains(null!) ? nameof(components) : nameof(redFlags));
        }

        var problems = ScoringOptionsValidation.Problems(options, customSignals, customComponents, customRedFlags);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ScoringOptions), RetentionKit.Internal.OptionPaths.Qualify<ScoringOptions>("Scoring", problems));
        }

        _sentimentAnalyzer = sentimentAnalyzer ?? new LexiconSentimentAnalyzer();
        Signals = [.. ScoringOptionsValidation.ResolveSignals(options, customSignals)];
        Components = [.. ScoringOptionsValidation.ResolveComponents(customComponents)];
        RedFlags = [.. ScoringOptionsValidation.ResolveRedFlags(options, customRedFlags)];

        Measures = [.. Scoring.Measures.BuiltIn.Concat(
            Signals.SelectMany(s => s.AdditionalMeasures ?? []).Concat(Components.SelectMany(c => c.AdditionalMeasures ?? []))
                .GroupBy(d => d.Key).Select(g => g.First()))];
        _columns = Measures.Select((d, i) => (d.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i);
        _signalIndex = Signals.Select((s, i) => (s.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i);

        _builtInSignals = [.. Signals.Select(s => s as BuiltInSignal)];
        _builtInComponents = [.. Components.Select(c => c as Components.BuiltInComponents.BlendedComponent)];
        _signalWeights = [.. Signals.Select(s => options.Signals[s.Key.Name].Weight)];
        _signalCategories = [.. Signals.Select(s => (int)s.Category)];
        _categoryWeights = [options.CategoryWeights.Behavioural, options.CategoryWeights.Sentiment, options.CategoryWeights.Competitive];
        _shares = new CategoryShares(_signalWeights, _signalCategories, _categoryWeights);
        _componentWeights = [.. Components.Select(c => options.RetentionScore.ComponentWeights[c.Key.Name])];
        _redFlagPlans = [.. RedFlags.Select(PlanFor)];

        var levels = options.RiskLevels;
        _mediumAt = levels.MediumAtActiveSignals;
        _highAt = levels.HighAtActiveSignals;
        _probabilityBands = new ProbabilityBands(_mediumAt, _highAt, levels.Low.Minimum, levels.Low.Maximum, levels.Medium.Minimum, levels.Medium.Maximum, levels.High.Minimum, levels.High.Maximum);
        _lowFrom = options.RetentionScore.LowFrom;
        _mediumFrom = options.RetentionScore.MediumFrom;
        _highFrom = options.RetentionScore.HighFrom;
        _bandCuts = new BandCuts(_lowFrom, _mediumFrom, _highFrom);
        _negativeBelow = options.Sentiment.NegativeBelow;
        _positiveAbove = options.Sentiment.PositiveAbove;
        if (options.Calibration.Enabled)
        {
            _calibration = CalibrationFor(options.Calibration.Intercept, options.Calibration.Coefficients);
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

    /// <summary>Gets whether churn probabilities come from a fitted calibration rather than the S2/S3 bands.</summary>
    public bool IsCalibrated => _calibration is not null;

    /// <summary>Returns an engine identical to this one except that churn probabilities come from <paramref name="calibration"/> (S9).</summary>
    /// <remarks>For a calibration fitted at run time; to configure one at start-up use <see cref="ChurnCalibration.ApplyTo"/> on the options.</remarks>
    /// <param name="calibration">The fitted calibration; coefficients of features this engine does not have are ignored.</param>
    /// <returns>The calibrated engine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calibration"/> is null.</exception>
    public ScoringEngine WithCalibration(ChurnCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var calibrated = (ScoringEngine)MemberwiseClone();
        calibrated._calibration = CalibrationFor(calibration.Intercept, calibration.Coefficients);
        return calibrated;
    }

    private Calibration CalibrationFor(double intercept, IReadOnlyDictionary<string, double> coefficients)
    {
        double Coefficient(string name) => coefficients.TryGetValue(name, out var c) ? c : 0d;
        return new Calibration(
            intercept,
            [.. Signals.Select(s => Coefficient(CalibrationFeatures.Signal(s.Key)))],
            [.. Components.Select(c => Coefficient(CalibrationFeatures.Component(c.Key)))],
            [.. Components.Select(c => Coefficient(CalibrationFeatures.ComponentMissing(c.Key)))]);
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
    /// <exception cref="ArgumentException">The batch belongs to another engine, is shorter than <paramref name="results"/>, or holds a value out of its measure's range (nothing is written then).</exception>
    public void ScoreBatch(ScoringBatch batch, Span<BatchScore> results) => ScoreBatch(batch, 0, results);

    /// <summary>Scores rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="results"/>.Length) of a batch; lets callers split a batch across threads.</summary>
    /// <param name="batch">The customers' measures, from <see cref="CreateBatch"/> of this engine.</param>
    /// <param name="firstRow">The first row to score.</param>
    /// <param name="results">Where to write, one result per row.</param>
    /// <exception cref="ArgumentException">The batch belongs to another engine, is too short, or holds a value out of its measure's range (nothing is written then).</exception>
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

        Validate(batch, firstRow, results.Length);
        for (var start = 0; start < results.Length; start += ChunkSize)
        {
            var count = Math.Min(ChunkSize, results.Length - start);
            ScoreChunk(batch, firstRow + start, results.Slice(start, count));
        }

        Telemetry.Scored(results.Length, batch: true);
    }

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
        ScoreChunk(batch, 0, result);
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
            riskUndefined ? null : numbers.ChurnProbability,
            signals.MoveToImmutable(),
            redFlags.ToImmutable(),
            float.IsNaN((float)sentiment) ? null : SentimentBandOf(sentiment),
            levelOverride);
        var retention = new RetentionScore(
            retentionValue,
            computedRetention,
            retentionValue is { } value ? BandOf(value) : null,
            components.MoveToImmutable(),
            scoreOverrideApplied);
        return new CustomerScore(snapshot.Customer, snapshot.AsOf, snapshot.ObservedOn, risk, retention, numbers.Notes);
    }

    internal int SignalIndex(SignalKey key) => _signalIndex.TryGetValue(key, out var index) ? index : -1;

    internal int ColumnIndex(MeasureKey measure) =>
        _columns.TryGetValue(measure, out var column)
            ? column
            : throw new ArgumentException($"The measure '{measure}' is not built in and no registered signal or component declares it.", nameof(measure));

    /// <summary>A snapshot's values in column order, checked; the sentiment of its comments filled in when it has none.</summary>
    internal float[] ColumnValues(CustomerSnapshot snapshot)
    {
        CheckCrossMeasure(snapshot, snapshot.EmailsOpened, snapshot.EmailsSent, "EmailsOpened", "EmailsSent");
        CheckCrossMeasure(snapshot, snapshot.NegativeTickets, snapshot.SupportTickets, "NegativeTickets", "SupportTickets");
        var values = new float[Measures.Length];
        values.AsSpan().Fill(float.NaN);
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
                throw new ArgumentException($"snapshot.AdditionalMeasures holds '{key}', which no registered signal or component declares.", nameof(snapshot));
            }

            var definition = Measures[column];
            if (value < definition.Minimum || value > definition.Maximum)
            {
                throw new ArgumentException($"snapshot.AdditionalMeasures[{key}] is {value.ToString(CultureInfo.InvariantCulture)}; it must be between {definition.Minimum.ToString(CultureInfo.InvariantCulture)} and {definition.Maximum.ToString(CultureInfo.InvariantCulture)}.", nameof(snapshot));
            }

            values[column] = (float)value;
        }

        return values;
    }

    private static void CheckCrossMeasure(CustomerSnapshot snapshot, double? part, double? whole, string partName, string wholeName)
    {
        if (part is { } p && whole is { } w && p > w)
        {
            throw new ArgumentException($"snapshot.{partName} ({p.ToString(CultureInfo.InvariantCulture)}) must not exceed snapshot.{wholeName} ({w.ToString(CultureInfo.InvariantCulture)}) of {snapshot.Customer}.", nameof(snapshot));
        }
    }

    private void Validate(ScoringBatch batch, int firstRow, int count)
    {
        for (var column = 0; column < Measures.Length; column++)
        {
            var definition = Measures[column];
            var values = batch.ColumnSpan(column).Slice(firstRow, count);
            var bad = FirstOutOfRange(values, (float)definition.Minimum, (float)definition.Maximum);
            if (bad >= 0)
            {
                throw new ArgumentException($"batch column {definition.Key}, row {firstRow + bad}, is {values[bad].ToString(CultureInfo.InvariantCulture)}; it must be between {definition.Minimum.ToString(CultureInfo.InvariantCulture)} and {definition.Maximum.ToString(CultureInfo.InvariantCulture)} ({definition.Description}) or NaN for missing.", nameof(batch));
            }
        }

        CheckColumns(batch, firstRow, count, Col.EmailsOpened, Col.EmailsSent);
        CheckColumns(batch, firstRow, count, Col.NegativeTickets, Col.SupportTickets);
    }

    /// <summary>The index of the first value that is neither NaN nor in [min, max], or −1; vectorised.</summary>
    private static int FirstOutOfRange(ReadOnlySpan<float> values, float min, float max)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var low = new Vector<float>(min);
            var high = new Vector<float>(max);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values.Slice(i));

                // In range, or NaN (a NaN is the only value not equal to itself).
                var ok = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(v, low), Vector.LessThanOrEqual(v, high)) | ~Vector.Equals(v, v);
                if (!Vector.EqualsAll(ok, new Vector<int>(-1)))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var value = values[i];
            if (!(value >= min && value <= max) && !float.IsNaN(value))
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
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] > wholes[i])
            {
                throw new ArgumentException($"batch row {firstRow + i}: {Measures[partColumn].Key} ({parts[i].ToString(CultureInfo.InvariantCulture)}) must not exceed {Measures[wholeColumn].Key} ({wholes[i].ToString(CultureInfo.InvariantCulture)}).", nameof(batch));
            }
        }
    }

    /// <summary>The kernel: scores up to <see cref="ChunkSize"/> rows; the explained path runs it on a batch of one.</summary>
    /// <remarks>
    /// Built-in signals and components run a column at a time in vectorised loops (see <see cref="Kernels"/>); the
    /// host's own run row by row through their interfaces. A final scalar pass sets levels, probabilities and red flags.
    /// </remarks>
    private void ScoreChunk(ScoringBatch batch, int start, Span<BatchScore> results)
    {
        var n = results.Length;
        Span<ulong> masks = stackalloc ulong[n];
        Span<ulong> present = stackalloc ulong[n];
        masks.Clear();
        present.Clear();
        var acc = new Accumulators(masks, present);
        for (var j = 0; j < Signals.Length; j++)
        {
            if (_builtInSignals[j] is { } builtIn)
            {
                builtIn.Accumulate(batch, start, 1UL << j, acc);
            }
            else
            {
                AccumulateCustom(Signals[j], batch, start, 1UL << j, acc);
            }
        }

        // Risk score: each category's active share of its measured weight, the category weights shared among the
        // categories with a measured signal (0 ÷ 0 = NaN: undefined); the level counts the active signals.
        Span<double> risk = stackalloc double[n];
        Span<long> missing = stackalloc long[n];
        Span<long> counts = stackalloc long[n];
        _shares.Score(present, masks, risk, missing);
        Kernels.CountBits(masks, counts);

        // Retention score: component weights shared among the measured components.
        var componentCount = Components.Length;
        Span<double> componentValues = stackalloc double[componentCount * n];
        Span<long> incomplete = stackalloc long[n];
        incomplete.Clear();
        for (var k = 0; k < componentCount; k++)
        {
            var values = componentValues.Slice(k * n, n);
            if (_builtInComponents[k] is { } builtIn)
            {
                builtIn.Evaluate(batch, start, values, incomplete);
            }
            else
            {
                for (var r = 0; r < n; r++)
                {
                    var reading = Components[k].Read(new ScoringRow(batch, start + r));
                    values[r] = reading.Value;
                    incomplete[r] |= reading.IsMissing || reading.IsPartial ? 1L : 0L;
                }
            }
        }

        Span<double> retention = stackalloc double[n];
        Span<double> retentionWeights = stackalloc double[n];
        retention.Clear();
        retentionWeights.Clear();
        for (var k = 0; k < componentCount; k++)
        {
            Kernels.AccumulatePresent(componentValues.Slice(k * n, n), _componentWeights[k], retention, retentionWeights);
        }

        Kernels.ScaledQuotient(retention, retentionWeights, 1d, retention);

        // Levels, bands and notes; the probability (the level's band interpolated by the risk score, or the
        // calibration); then the red flags and their floors. Column-wise, like everything above.
        Span<long> levels = stackalloc long[n];
        Span<long> bands = stackalloc long[n];
        Span<long> notes = stackalloc long[n];
        Kernels.Classify(risk, retention, counts, missing, incomplete, _probabilityBands, _bandCuts, levels, bands, notes);
        Span<double> probability = stackalloc double[n];
        if (_calibration is { } calibration)
        {
            Span<double> rowComponents = stackalloc double[componentCount];
            for (var r = 0; r < n; r++)
            {
                if (levels[r] == (long)RiskLevel.Unknown)
                {
                    probability[r] = double.NaN;
                    continue;
                }

                for (var k = 0; k < componentCount; k++)
                {
                    rowComponents[k] = componentValues[(k * n) + r];
                }

                probability[r] = calibration.Probability(masks[r], rowComponents);
                notes[r] |= (long)ScoreNotes.Calibrated;
            }
        }
        else
        {
            Kernels.BandProbability(risk, counts, _probabilityBands, probability);
        }

        Span<ulong> redFlags = stackalloc ulong[n];
        Span<long> matched = stackalloc long[n];
        redFlags.Clear();
        for (var k = 0; k < _redFlagPlans.Length; k++)
        {
            var plan = _redFlagPlans[k];
            Kernels.MatchMask(masks, levels, plan.RequiredMask, matched);
            if (plan.Custom is { } custom)
            {
                for (var r = 0; r < n; r++)
                {
                    matched[r] = matched[r] != 0 && custom.Matches(new RedFlagArguments(this, new ScoringRow(batch, start + r), masks[r])) ? -1L : 0L;
                }
            }
            else
            {
                foreach (var (column, below) in plan.MeasuresBelow)
                {
                    Kernels.AndBelow(new MeasureSource(batch.ColumnSpan(column).Slice(start, n)), below, matched);
                }
            }

            Kernels.ApplyRedFlag(matched, 1UL << k, _calibration is null ? plan.Floor : double.NaN, redFlags, probability, notes);
        }

        for (var r = 0; r < n; r++)
        {
            results[r] = new BatchScore(risk[r], probability[r], retention[r], masks[r], redFlags[r], (byte)counts[r], (RiskLevel)levels[r], (RetentionBand)bands[r], (ScoreNotes)notes[r]);
        }
    }

    private static void AccumulateCustom(IChurnSignal signal, ScoringBatch batch, int start, ulong bit, in Accumulators acc)
    {
        for (var r = 0; r < acc.Active.Length; r++)
        {
            var state = signal.Read(new ScoringRow(batch, start + r)).State;
            acc.Active[r] |= state == SignalState.Active ? bit : 0UL;
            acc.Present[r] |= state != SignalState.Missing ? bit : 0UL;
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

    private readonly record struct RedFlagPlan(double Floor, ulong RequiredMask, (int Column, double Below)[] MeasuresBelow, IRedFlagRule? Custom);

    private sealed class Calibration(double intercept, double[] signals, double[] components, double[] componentsMissing)
    {
        public double Probability(ulong mask, ReadOnlySpan<double> componentValues)
        {
            var z = intercept;
            for (var j = 0; j < signals.Length; j++)
            {
                if ((mask & (1UL << j)) != 0)
                {
                    z += signals[j];
                }
            }

            for (var k = 0; k < components.Length; k++)
            {
                var value = componentValues[k];
                z += double.IsNaN(value) ? componentsMissing[k] : components[k] * value / 100d;
            }

            return 1d / (1d + Math.Exp(-z));
        }
    }
}
