using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring;

/// <summary>A customer's snapshot on a date and whether they churned within the horizon after it: one example of labelled history.</summary>
/// <param name="Snapshot">The customer's measures on the date.</param>
/// <param name="Churned">Whether the customer churned within the horizon after the snapshot's date.</param>
public sealed record LabelledSnapshot(CustomerSnapshot Snapshot, bool Churned);

/// <summary>
/// A logistic model of churn probability (S9) fitted on labelled history: penalised maximum likelihood on standardised
/// terms, the ridge strength chosen by cross-validation unless fixed. Its terms are an engine's signals, components,
/// red flags and features (<see cref="ScoringEngine.ModelTerms"/>), so it learns how much each predicts churn in the
/// host's own data.
/// </summary>
/// <remarks>
/// Fit with <see cref="Fit(ScoringEngine, IReadOnlyList{LabelledSnapshot}, CalibrationFitOptions)"/>, read
/// <see cref="Terms"/>, <see cref="Training"/> and <see cref="Separation"/>, evaluate on examples the fit did not see
/// (<see cref="ChurnBacktest"/>), then <see cref="ApplyTo"/> the options or use <see cref="ScoringEngine.WithCalibration"/>.
/// Coefficients are stored on the terms' own scale; standardisation is only how the fit is done and penalised.
/// </remarks>
public sealed class ChurnCalibration
{
    /// <summary>The model name explanations show for a fitted calibration.</summary>
    internal const string ModelName = "calibration";

    private ChurnCalibration(
        double intercept,
        ImmutableArray<CoefficientEstimate> terms,
        ImmutableArray<DroppedTerm> dropped,
        ImmutableArray<string> separation,
        double ridge,
        ImmutableArray<RidgeCandidate> crossValidation,
        int horizonDays,
        int iterations,
        double gradientNorm,
        CalibrationReport training)
    {
        Intercept = intercept;
        Terms = terms;
        Dropped = dropped;
        Separation = separation;
        Ridge = ridge;
        CrossValidation = crossValidation;
        HorizonDays = horizonDays;
        Iterations = iterations;
        GradientNorm = gradientNorm;
        Training = training;
        Coefficients = terms.ToImmutableDictionary(t => t.Term, t => t.Coefficient, StringComparer.Ordinal);
        Means = terms.ToImmutableDictionary(t => t.Term, t => t.Mean, StringComparer.Ordinal);
    }

    /// <summary>Gets the fitted intercept (the log-odds when every term is 0).</summary>
    public double Intercept { get; }

    /// <summary>Gets the fitted coefficients by term name, on the terms' own scale.</summary>
    public ImmutableDictionary<string, double> Coefficients { get; }

    /// <summary>Gets each term's mean over the training examples: the reference customer explanations measure from.</summary>
    public ImmutableDictionary<string, double> Means { get; }

    /// <summary>Gets the coefficient table: each fitted term's coefficient, standard error and odds ratio.</summary>
    public ImmutableArray<CoefficientEstimate> Terms { get; }

    /// <summary>Gets the terms left out of the fit and why (for example, constant over the examples).</summary>
    public ImmutableArray<DroppedTerm> Dropped { get; }

    /// <summary>
    /// Gets the terms that separate the outcomes on their own (every example with the term, or above a cut, has the same
    /// outcome): their coefficients are held finite only by the ridge penalty and mean less than they seem.
    /// </summary>
    public ImmutableArray<string> Separation { get; }

    /// <summary>Gets the ridge strength used (on standardised terms, against the summed log-likelihood).</summary>
    public double Ridge { get; }

    /// <summary>Gets the cross-validation that chose <see cref="Ridge"/>: each candidate's mean held-out log loss; empty when the ridge was fixed.</summary>
    public ImmutableArray<RidgeCandidate> CrossValidation { get; }

    /// <summary>Gets the horizon, in days, the labels describe.</summary>
    public int HorizonDays { get; }

    /// <summary>Gets the number of Newton iterations the final fit took.</summary>
    public int Iterations { get; }

    /// <summary>Gets the norm of the penalised log-likelihood's gradient at the solution, on standardised terms (near zero when converged).</summary>
    public double GradientNorm { get; }

    /// <summary>Gets the fit's report on its own training examples.</summary>
    public CalibrationReport Training { get; }

    /// <summary>Fits a calibration with a fixed ridge penalty (kept for callers of the first version).</summary>
    /// <param name="engine">The engine whose terms are the model's.</param>
    /// <param name="examples">The labelled history; both outcomes must occur.</param>
    /// <param name="horizonDays">The horizon, in days, within which "churned" was counted.</param>
    /// <param name="ridge">The ridge penalty on the standardised coefficients (not the intercept). Default 1.</param>
    /// <param name="maxIterations">The most Newton iterations before the fit gives up. Default 100.</param>
    /// <returns>The fitted calibration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Too few examples, or only one outcome.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The fit did not converge; the message names the cause.</exception>
    public static ChurnCalibration Fit(ScoringEngine engine, IReadOnlyList<LabelledSnapshot> examples, int horizonDays, double ridge = 1d, int maxIterations = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        RetentionKit.Internal.Guard.FiniteNonNegative(ridge);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        return Fit(engine, examples, new CalibrationFitOptions { HorizonDays = horizonDays, Ridge = ridge, MaxIterations = maxIterations });
    }

    /// <summary>Fits a calibration for an engine's terms on labelled snapshots.</summary>
    /// <param name="engine">The engine whose terms are the model's.</param>
    /// <param name="examples">The labelled history; both outcomes must occur.</param>
    /// <param name="options">How to fit.</param>
    /// <returns>The fitted calibration.</returns>
    /// <exception cref="ArgumentNullException">An argument or an example is null.</exception>
    /// <exception cref="ArgumentException">Too few examples, only one outcome, or a snapshot the engine rejects.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The fit did not converge; the message names the cause (separating terms, collinear terms, or the iteration limit).</exception>
    public static ChurnCalibration Fit(ScoringEngine engine, IReadOnlyList<LabelledSnapshot> examples, CalibrationFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var batch = engine.CreateBatch(Math.Max(1, examples.Count));
        for (var i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null)
            {
                throw new ArgumentNullException(nameof(examples), $"examples[{i}] is null.");
            }

            batch.Write(i, examples[i].Snapshot);
        }

        return FitCore(engine, batch, [.. examples.Select(e => e.Churned)], options, nameof(examples));
    }

    /// <summary>Fits a calibration on the first rows of a batch, with their outcomes (for histories already in columns).</summary>
    /// <param name="engine">The engine whose terms are the model's; the batch must be its.</param>
    /// <param name="batch">The customers' measures.</param>
    /// <param name="churned">Whether each of rows [0, churned.Count) churned within the horizon.</param>
    /// <param name="options">How to fit.</param>
    /// <returns>The fitted calibration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The batch is another engine's or too short, holds a bad value, too few examples, or only one outcome.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The fit did not converge; the message names the cause.</exception>
    public static ChurnCalibration Fit(ScoringEngine engine, ScoringBatch batch, IReadOnlyList<bool> churned, CalibrationFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(churned);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (churned.Count > batch.Capacity)
        {
            throw new ArgumentException($"churned has {churned.Count} outcomes but the batch only {batch.Capacity} rows.", nameof(churned));
        }

        return FitCore(engine, batch, churned, options, nameof(churned));
    }

    private static ChurnCalibration FitCore(ScoringEngine engine, ScoringBatch batch, IReadOnlyList<bool> churned, CalibrationFitOptions options, string examplesName)
    {
        var names = engine.ModelTerms;
        var x = DesignMatrix.Build(engine, batch, churned.Count);
        var y = churned.Select(c => c ? 1d : 0d).ToArray();
        var positives = y.Sum();
        if (y.Length == 0 || positives == 0 || positives == y.Length)
        {
            throw new ArgumentException(y.Length == 0 ? "examples is empty." : $"examples must hold both outcomes; all {y.Length} are {(positives == 0 ? "stayers" : "churners")}.", examplesName);
        }

        var design = Standardised.From(x, names);
        if (y.Length < design.Width + 1)
        {
            throw new ArgumentException($"examples has {y.Length} examples; fitting {design.Width + 1} parameters needs at least {design.Width + 1}.", examplesName);
        }

        var separation = SeparationCheck.Separating(design, y);
        var candidates = ImmutableArray<RidgeCandidate>.Empty;
        double ridge;
        if (options.Ridge is { } fixedRidge)
        {
            ridge = fixedRidge;
        }
        else
        {
            var rarer = Math.Min(positives, y.Length - positives);
            if (rarer < options.Folds)
            {
                throw new ArgumentException($"examples has {rarer} {(positives < y.Length - positives ? "churners" : "stayers")}, fewer than the {options.Folds} cross-validation folds; lower CalibrationFitOptions.Folds or fix the ridge.", examplesName);
            }

            candidates = CrossValidate(design, y, options);
            ridge = candidates.MinBy(c => c.MeanLogLoss)!.Ridge;
        }

        if (ridge == 0d && separation.Length > 0)
        {
            throw new InvalidOperationException($"The calibration cannot converge without a penalty: the outcomes are separated by {string.Join(", ", separation)} (maximum-likelihood coefficients are infinite). Use a ridge penalty or drop the term.");
        }

        var fit = Newton.Fit(design.Rows, y, design.Width, ridge, options.MaxIterations, design.TermNames);
        var predictions = design.Rows.Select(row => Newton.Probability(fit.Beta, row)).ToArray();
        var covariance = Newton.Covariance(design.Rows, fit.Beta, ridge, design.TermNames);
        var intercept = fit.Beta[0];
        var terms = ImmutableArray.CreateBuilder<CoefficientEstimate>(design.Width);
        for (var t = 0; t < design.Width; t++)
        {
            var scale = design.Scale[t];
            var coefficient = fit.Beta[t + 1] / scale;
            intercept -= coefficient * design.Mean[t];
            var error = Math.Sqrt(covariance[t + 1, t + 1]) / scale;
            terms.Add(new CoefficientEstimate(design.TermNames[t], coefficient, error, Math.Exp(coefficient), fit.Beta[t + 1], design.Mean[t], scale));
        }

        return new ChurnCalibration(
            intercept,
            terms.MoveToImmutable(),
            design.Dropped,
            separation,
            ridge,
            candidates,
            options.HorizonDays,
            fit.Iterations,
            fit.GradientNorm,
            CalibrationReport.Evaluate(predictions, churned));
    }

    /// <summary>Writes the calibration into options and enables it; an engine built from them uses it.</summary>
    /// <param name="options">The calibration options to overwrite.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public void ApplyTo(CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Enabled = true;
        options.Intercept = Intercept;
        options.HorizonDays = HorizonDays;
        options.Coefficients = new Dictionary<string, double>(Coefficients, StringComparer.Ordinal);
        options.Means = new Dictionary<string, double>(Means, StringComparer.Ordinal);
    }

    /// <summary>Chooses the ridge strength: stratified k-fold cross-validation, the candidate with the lowest mean held-out log loss.</summary>
    private static ImmutableArray<RidgeCandidate> CrossValidate(Standardised design, double[] y, CalibrationFitOptions options)
    {
        // Stratified folds: churners and stayers each dealt round-robin after a seeded shuffle.
        var fold = new int[y.Length];
        var random = new Random(options.Seed);
        foreach (var outcome in new[] { 0d, 1d })
        {
            var members = Enumerable.Range(0, y.Length).Where(i => y[i] == outcome).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++)
            {
                fold[members[k]] = k % options.Folds;
            }
        }

        var result = ImmutableArray.CreateBuilder<RidgeCandidate>(options.RidgeCandidates.Count);
        foreach (var ridge in options.RidgeCandidates)
        {
            double loss = 0d;
            for (var f = 0; f < options.Folds; f++)
            {
                var train = Enumerable.Range(0, y.Length).Where(i => fold[i] != f).ToArray();
                var test = Enumerable.Range(0, y.Length).Where(i => fold[i] == f).ToArray();
                var trainY = train.Select(i => y[i]).ToArray();

                Newton.Result fit;
                try
                {
                    fit = Newton.Fit([.. train.Select(i => design.Rows[i])], trainY, design.Width, Math.Max(ridge, 1e-8), options.MaxIterations, design.TermNames);
                }
                catch (InvalidOperationException)
                {
                    loss = double.PositiveInfinity;
                    break;
                }

                foreach (var i in test)
                {
                    var p = Math.Clamp(Newton.Probability(fit.Beta, design.Rows[i]), 1e-15, 1d - 1e-15);
                    loss -= (y[i] * Math.Log(p)) + ((1d - y[i]) * Math.Log(1d - p));
                }
            }

            result.Add(new RidgeCandidate(ridge, loss / y.Length));
        }

        return result.MoveToImmutable();
    }
}

/// <summary>One row of a calibration's coefficient table.</summary>
/// <param name="Term">The term's name.</param>
/// <param name="Coefficient">The coefficient on the term's own scale: the change in log-odds per unit of the term.</param>
/// <param name="StandardError">Its standard error, from the penalised observed information at the optimum.</param>
/// <param name="OddsRatio">e^coefficient: how the odds of churn multiply per unit of the term (for a yes/no or a level: with it against without).</param>
/// <param name="StandardisedCoefficient">The coefficient per standard deviation of the term: comparable across terms.</param>
/// <param name="Mean">The term's mean over the training examples.</param>
/// <param name="StandardDeviation">The term's standard deviation over the training examples.</param>
public sealed record CoefficientEstimate(string Term, double Coefficient, double StandardError, double OddsRatio, double StandardisedCoefficient, double Mean, double StandardDeviation)
{
    /// <summary>Gets the Wald statistic, coefficient ÷ standard error.</summary>
    public double Z => Coefficient / StandardError;
}

/// <summary>A term left out of a fit.</summary>
/// <param name="Term">The term's name.</param>
/// <param name="Reason">Why, in plain language (for example "constant: every example has 0").</param>
public sealed record DroppedTerm(string Term, string Reason);

/// <summary>One ridge strength tried by cross-validation.</summary>
/// <param name="Ridge">The ridge strength.</param>
/// <param name="MeanLogLoss">The mean log loss over the held-out examples of every fold (lower is better).</param>
public sealed record RidgeCandidate(double Ridge, double MeanLogLoss);

/// <summary>How to fit a <see cref="ChurnCalibration"/>.</summary>
public sealed record CalibrationFitOptions
{
    /// <summary>Gets the horizon, in days, the labels describe.</summary>
    /// <value>The default value is 90.</value>
    public int HorizonDays { get; init; } = 90;

    /// <summary>Gets a fixed ridge strength (on standardised terms), or null to choose one by cross-validation.</summary>
    /// <value>The default value is null.</value>
    public double? Ridge { get; init; }

    /// <summary>Gets the ridge strengths cross-validation chooses from.</summary>
    /// <value>The default value is 0.01, 0.1, 1, 10, 100 and 1000.</value>
    public IReadOnlyList<double> RidgeCandidates { get; init; } = [0.01, 0.1, 1, 10, 100, 1000];

    /// <summary>Gets the number of cross-validation folds.</summary>
    /// <value>The default value is 5.</value>
    public int Folds { get; init; } = 5;

    /// <summary>Gets the seed of the folds' shuffle, so that a fit is repeatable.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the most Newton iterations before a fit gives up.</summary>
    /// <value>The default value is 100.</value>
    public int MaxIterations { get; init; } = 100;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(HorizonDays, 1, nameof(HorizonDays));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
        if (Ridge is { } ridge)
        {
            RetentionKit.Internal.Guard.FiniteNonNegative(ridge, nameof(Ridge));
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 2, nameof(Folds));
            if (RidgeCandidates is null || RidgeCandidates.Count == 0 || RidgeCandidates.Any(r => !double.IsFinite(r) || r < 0d))
            {
                throw new ArgumentException("RidgeCandidates must hold at least one finite, non-negative strength.", nameof(RidgeCandidates));
            }
        }
    }
}
