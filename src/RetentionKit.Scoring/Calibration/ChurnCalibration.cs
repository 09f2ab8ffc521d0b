using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring;

/// <summary>A customer's snapshot on a date and whether they churned within the horizon after it: one example of labelled history.</summary>
/// <param name="Snapshot">The customer's measures on the date.</param>
/// <param name="Churned">Whether the customer churned within the horizon after the snapshot's date.</param>
public sealed record LabelledSnapshot(CustomerSnapshot Snapshot, bool Churned);

/// <summary>
/// A logistic calibration of churn probability (S9), fitted by maximum likelihood with a small ridge penalty on labelled
/// history. Its features are the signals (active or not) and the components (value ÷ 100, and whether missing) of an
/// engine, so it learns how much each actually predicts churn in the host's own data.
/// </summary>
/// <remarks>
/// Fit with <see cref="Fit"/>, inspect <see cref="Training"/>, then <see cref="ApplyTo"/> the options (or copy the
/// coefficients into configuration) to make an engine use it. Evaluate on examples the fit did not see before trusting it.
/// </remarks>
public sealed class ChurnCalibration
{
    private ChurnCalibration(double intercept, ImmutableDictionary<string, double> coefficients, int horizonDays, int iterations, double gradientNorm, CalibrationReport training)
    {
        Intercept = intercept;
        Coefficients = coefficients;
        HorizonDays = horizonDays;
        Iterations = iterations;
        GradientNorm = gradientNorm;
        Training = training;
    }

    /// <summary>Gets the fitted intercept.</summary>
    public double Intercept { get; }

    /// <summary>Gets the fitted coefficients by feature name (<c>signal.{key}</c>, <c>component.{key}</c>, <c>component.{key}.missing</c>).</summary>
    public ImmutableDictionary<string, double> Coefficients { get; }

    /// <summary>Gets the horizon, in days, the labels describe.</summary>
    public int HorizonDays { get; }

    /// <summary>Gets the number of Newton iterations the fit took.</summary>
    public int Iterations { get; }

    /// <summary>Gets the norm of the penalised log-likelihood's gradient at the solution (near zero when converged).</summary>
    public double GradientNorm { get; }

    /// <summary>Gets the fit's report on its own training examples.</summary>
    public CalibrationReport Training { get; }

    /// <summary>Fits a calibration for an engine's signals and components.</summary>
    /// <param name="engine">The engine whose signals and components are the features.</param>
    /// <param name="examples">The labelled history; both outcomes must occur.</param>
    /// <param name="horizonDays">The horizon, in days, within which "churned" was counted.</param>
    /// <param name="ridge">The ridge penalty on the coefficients (not the intercept); small positive values keep rare features finite. Default 1.</param>
    /// <param name="maxIterations">The most Newton iterations before the fit gives up. Default 100.</param>
    /// <returns>The fitted calibration.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There are fewer examples than features plus one, or only one outcome.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizonDays"/> is below 1, <paramref name="ridge"/> is negative or NaN, or <paramref name="maxIterations"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The fit did not converge; the message gives the iterations and gradient norm.</exception>
    public static ChurnCalibration Fit(ScoringEngine engine, IReadOnlyList<LabelledSnapshot> examples, int horizonDays, double ridge = 1d, int maxIterations = 100)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        RetentionKit.Internal.Guard.FiniteNonNegative(ridge);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var names = CalibrationFeatures.Names(engine.Signals, engine.Components).ToArray();
        var p = names.Length + 1;
        if (examples.Count < p)
        {
            throw new ArgumentException($"examples has {examples.Count} examples; fitting {p} parameters needs at least {p}.", nameof(examples));
        }

        var x = Features(engine, examples, names.Length);
        var y = examples.Select(e => e.Churned ? 1d : 0d).ToArray();
        var positives = y.Sum();
        if (positives == 0 || positives == y.Length)
        {
            throw new ArgumentException($"examples must hold both outcomes; all {y.Length} are {(positives == 0 ? "stayers" : "churners")}.", nameof(examples));
        }

        var beta = new double[p];
        beta[0] = Math.Log(positives / (y.Length - positives));
        var gradient = new double[p];
        var hessian = new double[p * p];
        var row = new double[p];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < y.Length; i++)
            {
                row[0] = 1d;
                Array.Copy(x[i], 0, row, 1, p - 1);
                var probability = Sigmoid(Dot(beta, row));
                var w = probability * (1d - probability);
                for (var a = 0; a < p; a++)
                {
                    gradient[a] += (y[i] - probability) * row[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[(a * p) + b] += w * row[a] * row[b];
                    }
                }
            }

            for (var a = 1; a < p; a++)
            {
                gradient[a] -= ridge * beta[a];
                hessian[(a * p) + a] += ridge;
            }

            var step = SolveSymmetric(hessian, gradient, p);
            var largest = 0d;
            for (var a = 0; a < p; a++)
            {
                beta[a] += step[a];
                largest = Math.Max(largest, Math.Abs(step[a]));
            }

            if (largest < 1e-9)
            {
                var predictions = x.Select(features => Predict(beta, features)).ToArray();
                var coefficients = names.Select((n, i) => (n, beta[i + 1])).ToImmutableDictionary(t => t.n, t => t.Item2, StringComparer.Ordinal);
                return new ChurnCalibration(beta[0], coefficients, horizonDays, iteration, Norm(gradient), CalibrationReport.Evaluate(predictions, [.. examples.Select(e => e.Churned)]));
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The calibration did not converge in {maxIterations} iterations (gradient norm {Norm(gradient):G4}); add examples or raise the ridge penalty."));
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
    }

    /// <summary>The feature vectors: signals active (0/1), then per component value ÷ 100 (0 when missing) and missing (0/1).</summary>
    internal static double[][] Features(ScoringEngine engine, IReadOnlyList<LabelledSnapshot> examples, int width)
    {
        var batch = engine.CreateBatch(examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(examples[i], nameof(examples));
            batch.Write(i, examples[i].Snapshot);
        }

        var features = new double[examples.Count][];
        for (var i = 0; i < examples.Count; i++)
        {
            var row = new ScoringRow(batch, i);
            var vector = new double[width];
            var f = 0;
            foreach (var signal in engine.Signals)
            {
                vector[f++] = signal.Read(row).IsActive ? 1d : 0d;
            }

            foreach (var component in engine.Components)
            {
                var reading = component.Read(row);
                vector[f++] = reading.IsMissing ? 0d : reading.Value / 100d;
                vector[f++] = reading.IsMissing ? 1d : 0d;
            }

            features[i] = vector;
        }

        return features;
    }

    private static double Predict(double[] beta, double[] features)
    {
        var z = beta[0];
        for (var i = 0; i < features.Length; i++)
        {
            z += beta[i + 1] * features[i];
        }

        return Sigmoid(z);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0d;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Sigmoid(double z) => 1d / (1d + Math.Exp(-z));

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    /// <summary>Solves H s = g by Cholesky (H symmetric positive definite; lower triangle filled).</summary>
    private static double[] SolveSymmetric(double[] h, double[] g, int n)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = h[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[(i * n) + k] * l[(j * n) + k];
                }

                if (i == j)
                {
                    if (!(sum > 0d))
                    {
                        throw new InvalidOperationException("The calibration's information matrix is not positive definite (a feature never varies); raise the ridge penalty.");
                    }

                    l[(i * n) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * n) + j] = sum / l[(j * n) + j];
                }
            }
        }

        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = g[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[(i * n) + k] * z[k];
            }

            z[i] = sum / l[(i * n) + i];
        }

        var s = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * s[k];
            }

            s[i] = sum / l[(i * n) + i];
        }

        return s;
    }
}
