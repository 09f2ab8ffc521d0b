using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;

namespace RetentionKit.Scoring;

/// <summary>
/// A time-based backtest: fit on the snapshots whose outcome was known before a cut-off date, evaluate on the snapshots
/// taken on or after it, against the engine's own probabilities on the same customers. This is how a model is judged
/// before it is deployed: on months it did not see, in the order time gives them.
/// </summary>
/// <param name="Calibration">The calibration fitted on the training snapshots.</param>
/// <param name="TrainingExamples">How many snapshots were trained on (their horizon ended before the cut-off).</param>
/// <param name="Test">The calibration's report on the test snapshots.</param>
/// <param name="Baseline">The engine's own probabilities' report on the test snapshots (the rule of thumb, or the engine's current model).</param>
public sealed record ChurnBacktest(ChurnCalibration Calibration, int TrainingExamples, CalibrationReport Test, CalibrationReport Baseline)
{
    /// <summary>Runs a backtest.</summary>
    /// <param name="engine">The engine whose terms the calibration uses and whose own probabilities are the baseline.</param>
    /// <param name="examples">Labelled snapshots of several dates.</param>
    /// <param name="cutoff">
    /// The cut-off date T: training uses snapshots dated on or before T − horizon (so every label was known by T);
    /// testing uses snapshots dated on or after T.
    /// </param>
    /// <param name="options">How to fit; its horizon is the labels' horizon.</param>
    /// <returns>The backtest.</returns>
    /// <exception cref="ArgumentNullException">An argument or an example is null.</exception>
    /// <exception cref="ArgumentException">Either side of the cut-off has too few examples or only one outcome.</exception>
    /// <exception cref="InvalidOperationException">The fit did not converge; the message names the cause.</exception>
    public static ChurnBacktest Run(ScoringEngine engine, IReadOnlyList<LabelledSnapshot> examples, LocalDate cutoff, CalibrationFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (examples.Any(e => e is null))
        {
            throw new ArgumentNullException(nameof(examples), "examples must not contain null.");
        }

        var lastTrainingDate = cutoff.PlusDays(-options.HorizonDays);
        var train = examples.Where(e => e.Snapshot.AsOf <= lastTrainingDate).ToList();
        var test = examples.Where(e => e.Snapshot.AsOf >= cutoff).ToList();
        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"examples has {train.Count} snapshots dated on or before {lastTrainingDate:uuuu-MM-dd} (training) and {test.Count} on or after {cutoff:uuuu-MM-dd} (test); both must have some.", nameof(examples));
        }

        var calibration = ChurnCalibration.Fit(engine, train, options);
        var calibrated = engine.WithCalibration(calibration);
        var outcomes = test.Select(e => e.Churned).ToList();
        var baseline = test.Select(e => engine.ScoreWithOverride(e.Snapshot, null).Risk.ChurnProbability).ToList();
        if (baseline.Any(p => p is null))
        {
            throw new ArgumentException("examples holds a test snapshot whose rule-of-thumb probability is undefined (no signal measured); the baseline cannot be evaluated on it.", nameof(examples));
        }

        return new ChurnBacktest(
            calibration,
            train.Count,
            CalibrationReport.Evaluate([.. test.Select(e => calibrated.ScoreWithOverride(e.Snapshot, null).Risk.ChurnProbability!.Value)], outcomes),
            CalibrationReport.Evaluate([.. baseline.Select(p => p!.Value)], outcomes));
    }
}
