using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;

namespace RetentionKit.Scoring.Internal;

/// <summary>The model's design matrix: one row per customer, one column per term of <see cref="ScoringEngine.ModelTerms"/>.</summary>
internal static class DesignMatrix
{
    public static double[][] Build(ScoringEngine engine, ScoringBatch batch, int count)
    {
        var scores = new BatchScore[count];
        engine.ScoreBatchUnobserved(batch, 0, scores);
        var width = engine.ModelTerms.Length;
        var rows = new double[count][];
        for (var i = 0; i < count; i++)
        {
            var row = new ScoringRow(batch, i);
            var x = new double[width];
            var t = 0;
            for (var j = 0; j < engine.Signals.Length; j++)
            {
                x[t++] = (scores[i].ActiveSignals & (1UL << j)) != 0 ? 1d : 0d;
            }

            foreach (var component in engine.Components)
            {
                var reading = component.Read(row);
                x[t++] = reading.IsMissing ? 0d : reading.Value / 100d;
                x[t++] = reading.IsMissing ? 1d : 0d;
            }

            for (var k = 0; k < engine.RedFlags.Length; k++)
            {
                x[t++] = (scores[i].RedFlags & (1UL << k)) != 0 ? 1d : 0d;
            }

            foreach (var feature in engine.Features)
            {
                var value = row[feature.Measure.Key];
                var missing = double.IsNaN(value);
                if (feature.Kind == ChurnFeatureKind.Categorical)
                {
                    for (var level = 0; level < feature.Levels.Length; level++)
                    {
                        if (feature.Levels[level] != feature.ReferenceLevel)
                        {
                            x[t++] = !missing && (int)value == level ? 1d : 0d;
                        }
                    }
                }
                else
                {
                    x[t++] = missing ? 0d : value;
                }

                x[t++] = missing ? 1d : 0d;
            }

            rows[i] = x;
        }

        return rows;
    }
}

/// <summary>The design matrix with constant terms dropped and the rest standardised to mean 0 and standard deviation 1.</summary>
internal sealed class Standardised
{
    private Standardised(double[][] rows, double[] mean, double[] scale, ImmutableArray<string> names, ImmutableArray<DroppedTerm> dropped)
    {
        Rows = rows;
        Mean = mean;
        Scale = scale;
        TermNames = names;
        Dropped = dropped;
    }

    public double[][] Rows { get; }

    public double[] Mean { get; }

    public double[] Scale { get; }

    public ImmutableArray<string> TermNames { get; }

    public ImmutableArray<DroppedTerm> Dropped { get; }

    public int Width => TermNames.Length;

    public static Standardised From(double[][] x, ImmutableArray<string> names)
    {
        var n = x.Length;
        var kept = new List<int>();
        var means = new List<double>();
        var scales = new List<double>();
        var dropped = ImmutableArray.CreateBuilder<DroppedTerm>();
        for (var t = 0; t < names.Length; t++)
        {
            double sum = 0d;
            for (var i = 0; i < n; i++)
            {
                sum += x[i][t];
            }

            var mean = sum / n;
            double squares = 0d;
            for (var i = 0; i < n; i++)
            {
                squares += (x[i][t] - mean) * (x[i][t] - mean);
            }

            var sd = Math.Sqrt(squares / n);
            if (!(sd > 1e-12 * Math.Max(1d, Math.Abs(mean))))
            {
                dropped.Add(new DroppedTerm(names[t], string.Create(CultureInfo.InvariantCulture, $"constant: every example has {x[0][t]:G6}, so the data cannot say what it does")));
                continue;
            }

            kept.Add(t);
            means.Add(mean);
            scales.Add(sd);
        }

        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var row = new double[kept.Count];
            for (var k = 0; k < kept.Count; k++)
            {
                row[k] = (x[i][kept[k]] - means[k]) / scales[k];
            }

            rows[i] = row;
        }

        return new Standardised(rows, [.. means], [.. scales], [.. kept.Select(t => names[t])], dropped.ToImmutable());
    }
}

/// <summary>Finds the terms that on their own separate churners from stayers (complete or quasi-complete separation).</summary>
internal static class SeparationCheck
{
    public static ImmutableArray<string> Separating(Standardised design, double[] y)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        for (var t = 0; t < design.Width; t++)
        {
            // Churners all at or above every stayer (or all at or below), with the extremes on one side only: a cut on
            // this term alone classifies one outcome perfectly, so its maximum-likelihood coefficient is infinite. A yes/no
            // term with one outcome only at one of its values is such a case: the other outcome then lies all at the other.
            double minChurned = double.PositiveInfinity, maxChurned = double.NegativeInfinity;
            double minStayed = double.PositiveInfinity, maxStayed = double.NegativeInfinity;
            for (var i = 0; i < y.Length; i++)
            {
                var v = design.Rows[i][t];
                if (y[i] == 1d)
                {
                    minChurned = Math.Min(minChurned, v);
                    maxChurned = Math.Max(maxChurned, v);
                }
                else
                {
                    minStayed = Math.Min(minStayed, v);
                    maxStayed = Math.Max(maxStayed, v);
                }
            }

            var above = minChurned >= maxStayed && (minChurned > minStayed || maxChurned > maxStayed);
            var below = maxChurned <= minStayed && (maxChurned < maxStayed || minChurned < minStayed);
            if (above || below)
            {
                result.Add(design.TermNames[t]);
            }
        }

        return result.ToImmutable();
    }
}

/// <summary>Penalised logistic regression by Newton–Raphson with step halving, on standardised terms.</summary>
internal static class Newton
{
    public sealed record Result(double[] Beta, int Iterations, double GradientNorm);

    public static double Probability(double[] beta, double[] row)
    {
        var z = beta[0];
        for (var t = 0; t < row.Length; t++)
        {
            z += beta[t + 1] * row[t];
        }

        return 1d / (1d + Math.Exp(-z));
    }

    public static Result Fit(double[][] rows, double[] y, int width, double ridge, int maxIterations, ImmutableArray<string> names)
    {
        var p = width + 1;
        var beta = new double[p];
        var positives = y.Sum();
        beta[0] = Math.Log(positives / (y.Length - positives));
        var objective = Objective(rows, y, beta, ridge);
        var gradient = new double[p];
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var hessian = new double[p, p];
            Array.Clear(gradient);
            foreach (var (row, i) in rows.Select((r, i) => (r, i)))
            {
                var probability = Probability(beta, row);
                var w = probability * (1d - probability);
                var residual = y[i] - probability;
                gradient[0] += residual;
                hessian[0, 0] += w;
                for (var a = 0; a < width; a++)
                {
                    gradient[a + 1] += residual * row[a];
                    hessian[a + 1, 0] += w * row[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[a + 1, b + 1] += w * row[a] * row[b];
                    }
                }
            }

            for (var a = 1; a < p; a++)
            {
                gradient[a] -= ridge * beta[a];
                hessian[a, a] += ridge;
            }

            var step = Cholesky.Solve(hessian, gradient, p, names);
            var largest = step.Max(Math.Abs);

            // Step halving: Newton's step unless it fails to raise the penalised log-likelihood. "Fails" allows for the
            // rounding of a sum over every row (relative 1e-12): near the optimum the change is below it, and an
            // absolute test halved the step down to 1e-10 there, 33 objective passes for nothing.
            var scale = 1d;
            var slack = 1e-12 * Math.Max(1d, Math.Abs(objective));
            double[] candidate;
            double value;
            do
            {
                candidate = [.. beta.Select((b, a) => b + (scale * step[a]))];
                value = Objective(rows, y, candidate, ridge);
                scale /= 2d;
            }
            while (value < objective - slack && scale > 1e-10);

            beta = candidate;
            objective = value;
            if (largest < 1e-8)
            {
                return new Result(beta, iteration, Math.Sqrt(gradient.Sum(g => g * g)));
            }

            if (beta.Skip(1).Any(b => Math.Abs(b) > 50d))
            {
                var largestTerms = Enumerable.Range(0, width).OrderByDescending(t => Math.Abs(beta[t + 1])).Take(3).Select(t => names[t]);
                throw new InvalidOperationException($"The calibration diverges: the outcomes are separated by a combination of terms (largest standardised coefficients: {string.Join(", ", largestTerms)}). Raise the ridge penalty or drop those terms.");
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The calibration did not converge in {maxIterations} iterations (gradient norm {Math.Sqrt(gradient.Sum(g => g * g)):G4}); raise MaxIterations or the ridge penalty."));
    }

    /// <summary>The covariance of the standardised estimates: the inverse of the penalised observed information at the optimum.</summary>
    public static double[,] Covariance(double[][] rows, double[] beta, double ridge, ImmutableArray<string> names)
    {
        var p = beta.Length;
        var information = new double[p, p];
        foreach (var row in rows)
        {
            var probability = Probability(beta, row);
            var w = probability * (1d - probability);
            for (var a = 0; a < p; a++)
            {
                var xa = a == 0 ? 1d : row[a - 1];
                for (var b = 0; b <= a; b++)
                {
                    information[a, b] += w * xa * (b == 0 ? 1d : row[b - 1]);
                }
            }
        }

        for (var a = 1; a < p; a++)
        {
            information[a, a] += ridge;
        }

        var covariance = new double[p, p];
        var unit = new double[p];
        for (var c = 0; c < p; c++)
        {
            Array.Clear(unit);
            unit[c] = 1d;
            var column = Cholesky.Solve(information, unit, p, names);
            for (var r = 0; r < p; r++)
            {
                covariance[r, c] = column[r];
            }
        }

        return covariance;
    }

    /// <summary>The penalised log-likelihood.</summary>
    private static double Objective(double[][] rows, double[] y, double[] beta, double ridge)
    {
        double sum = 0d;
        for (var i = 0; i < rows.Length; i++)
        {
            var z = beta[0];
            for (var t = 0; t < rows[i].Length; t++)
            {
                z += beta[t + 1] * rows[i][t];
            }

            // log σ(z) = −log(1 + e^−z), computed without overflow.
            sum += y[i] == 1d ? -Softplus(-z) : -Softplus(z);
        }

        for (var a = 1; a < beta.Length; a++)
        {
            sum -= ridge * beta[a] * beta[a] / 2d;
        }

        return sum;
    }

    private static double Softplus(double z) => z > 30d ? z : Math.Log(1d + Math.Exp(z));
}

/// <summary>Solves H s = g for a symmetric positive-definite H (lower triangle filled), naming the term where it is not.</summary>
internal static class Cholesky
{
    public static double[] Solve(double[,] h, double[] g, int n, ImmutableArray<string> names)
    {
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = h[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(sum > 1e-10 * Math.Max(1d, h[i, i])))
                    {
                        var term = i == 0 ? "the intercept" : $"'{names[i - 1]}'";
                        throw new InvalidOperationException($"The calibration's information matrix is singular at {term}: it is a linear combination of the terms before it (collinear, for example a level that always comes with another). Drop it or raise the ridge penalty.");
                    }

                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = g[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * z[k];
            }

            z[i] = sum / l[i, i];
        }

        var s = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * s[k];
            }

            s[i] = sum / l[i, i];
        }

        return s;
    }
}
