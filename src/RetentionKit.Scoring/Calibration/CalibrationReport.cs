using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Scoring;

/// <summary>One row of a calibration table: the examples whose predicted probability fell in a band, and how many churned.</summary>
/// <param name="From">The band's lowest predicted probability (inclusive).</param>
/// <param name="To">The band's highest predicted probability (exclusive, except 1 for the last band).</param>
/// <param name="Count">The number of examples in the band.</param>
/// <param name="MeanPredicted">Their mean predicted probability; NaN when the band is empty.</param>
/// <param name="ObservedRate">The share of them that churned; NaN when the band is empty.</param>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

/// <summary>How well churn probabilities match what happened (S9): discrimination (AUC), accuracy (Brier score, log loss), calibration (in the large, expected calibration error) and a reliability table.</summary>
/// <param name="Examples">The number of examples.</param>
/// <param name="Churned">How many of them churned.</param>
/// <param name="Auc">The area under the ROC curve: the probability that a random churner is ranked above a random stayer (ties count half); 0.5 is chance.</param>
/// <param name="BrierScore">The mean squared difference between probability and outcome (0 is perfect; lower is better).</param>
/// <param name="Table">Equal-width probability bands with predicted and observed rates.</param>
public sealed record CalibrationReport(int Examples, int Churned, double Auc, double BrierScore, ImmutableArray<CalibrationBin> Table)
{
    /// <summary>Gets the mean negative log-likelihood of the outcomes (natural log; lower is better; probabilities are bounded to [1e-15, 1 − 1e-15]).</summary>
    public double LogLoss { get; init; }

    /// <summary>Gets the calibration in the large: the mean predicted probability minus the observed churn rate (0 when the model's overall level is right).</summary>
    public double CalibrationInTheLarge { get; init; }

    /// <summary>Gets the expected calibration error: Σ over the table's bands of (band share of examples) × |mean predicted − observed rate|.</summary>
    public double ExpectedCalibrationError { get; init; }

    /// <summary>Evaluates predicted probabilities against outcomes.</summary>
    /// <param name="predicted">The predicted churn probabilities, each in [0, 1].</param>
    /// <param name="churned">Whether each example churned, in the same order.</param>
    /// <param name="bins">The number of equal-width bands of the table (default 10).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length, or all examples have the same outcome (AUC is undefined).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is NaN or outside [0, 1], or <paramref name="bins"/> is below 1.</exception>
    public static CalibrationReport Evaluate(IReadOnlyList<double> predicted, IReadOnlyList<bool> churned, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(churned);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (predicted.Count != churned.Count)
        {
            throw new ArgumentException($"predicted has {predicted.Count} values and churned {churned.Count}; they must match.", nameof(churned));
        }

        var positives = 0;
        double brier = 0d;
        double logLoss = 0d;
        double predictedSum = 0d;
        for (var i = 0; i < predicted.Count; i++)
        {
            var p = predicted[i];
            if (!(p is >= 0d and <= 1d))
            {
                throw new ArgumentOutOfRangeException(nameof(predicted), p, $"predicted[{i}] must be a probability between 0 and 1.");
            }

            var y = churned[i] ? 1d : 0d;
            positives += churned[i] ? 1 : 0;
            brier += (p - y) * (p - y);
            var bounded = Math.Clamp(p, 1e-15, 1d - 1e-15);
            logLoss -= churned[i] ? Math.Log(bounded) : Math.Log(1d - bounded);
            predictedSum += p;
        }

        if (positives == 0 || positives == predicted.Count)
        {
            throw new ArgumentException($"churned must hold both outcomes; all {predicted.Count} examples are {(positives == 0 ? "stayers" : "churners")}, so AUC is undefined.", nameof(churned));
        }

        // One pass: each example's band is the b with b/bins ≤ p < (b+1)/bins (the last band also takes p = 1), found from
        // ⌊p·bins⌋ and corrected where that product rounded across a boundary.
        var counts = new int[bins];
        var sums = new double[bins];
        var churners = new int[bins];
        for (var i = 0; i < predicted.Count; i++)
        {
            var p = predicted[i];
            var b = Math.Min((int)(p * bins), bins - 1);
            while (b > 0 && p < (double)b / bins)
            {
                b--;
            }

            while (b < bins - 1 && p >= (double)(b + 1) / bins)
            {
                b++;
            }

            counts[b]++;
            sums[b] += p;
            churners[b] += churned[i] ? 1 : 0;
        }

        var table = ImmutableArray.CreateBuilder<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            table.Add(new CalibrationBin(
                (double)b / bins,
                (double)(b + 1) / bins,
                counts[b],
                counts[b] == 0 ? double.NaN : sums[b] / counts[b],
                counts[b] == 0 ? double.NaN : churners[b] / (double)counts[b]));
        }

        var rows = table.MoveToImmutable();
        var ece = rows.Where(b => b.Count > 0).Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.ObservedRate)) / predicted.Count;
        return new CalibrationReport(predicted.Count, positives, RankAuc(predicted, churned, positives), brier / predicted.Count, rows)
        {
            LogLoss = logLoss / predicted.Count,
            CalibrationInTheLarge = (predictedSum - positives) / predicted.Count,
            ExpectedCalibrationError = ece,
        };
    }

    /// <summary>AUC by the rank-sum (Mann–Whitney) statistic with average ranks for ties.</summary>
    private static double RankAuc(IReadOnlyList<double> predicted, IReadOnlyList<bool> churned, int positives)
    {
        var keys = new double[predicted.Count];
        var order = new int[predicted.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            (keys[i], order[i]) = (predicted[i], i);
        }

        Array.Sort(keys, order); // ties share an average rank below, so their order does not matter
        double positiveRankSum = 0d;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var averageRank = ((start + end) / 2d) + 1d;
            for (var k = start; k <= end; k++)
            {
                if (churned[order[k]])
                {
                    positiveRankSum += averageRank;
                }
            }

            start = end + 1;
        }

        double negatives = predicted.Count - positives;
        return (positiveRankSum - (positives * (positives + 1d) / 2d)) / (positives * negatives);
    }
}
