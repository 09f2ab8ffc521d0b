using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>A customer's purchase history in the form the buy-till-you-die models read: repeat purchases, when the last one was, and how long they have been watched.</summary>
/// <param name="Frequency">The number of repeat purchases, x (0 or more).</param>
/// <param name="Recency">The time of the last repeat purchase since the first purchase, t_x (0 when x = 0; at most <paramref name="T"/>).</param>
/// <param name="T">The time since the first purchase (the customer's age), positive.</param>
public readonly record struct PurchaseHistory(double Frequency, double Recency, double T)
{
    /// <summary>Checks the history, naming the rule it breaks.</summary>
    /// <param name="name">The argument's name for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, not finite, or recency exceeds T, or a customer without repeat purchases has a recency.</exception>
    public void Validate(string name)
    {
        if (!double.IsFinite(Frequency) || Frequency < 0 || Frequency != Math.Floor(Frequency))
        {
            throw new ArgumentOutOfRangeException(name, Frequency, "The frequency (repeat purchases) must be a whole number, 0 or more.");
        }

        if (!double.IsFinite(T) || T <= 0)
        {
            throw new ArgumentOutOfRangeException(name, T, "T (the time since the first purchase) must be positive.");
        }

        if (!double.IsFinite(Recency) || Recency < 0 || Recency > T)
        {
            throw new ArgumentOutOfRangeException(name, Recency, $"The recency must be between 0 and T ({T}).");
        }

        if (Frequency == 0 && Recency != 0)
        {
            throw new ArgumentOutOfRangeException(name, Recency, "A customer without repeat purchases has a recency of 0.");
        }
    }
}

/// <summary>How a fit ended.</summary>
/// <param name="Iterations">The optimiser's iterations.</param>
/// <param name="GradientNorm">The norm of the log-likelihood's gradient (in log-parameters) at the end.</param>
/// <param name="LogLikelihood">The log-likelihood at the parameters.</param>
/// <param name="Converged">Whether the optimiser converged.</param>
public sealed record FitReport(int Iterations, double GradientNorm, double LogLikelihood, bool Converged);

/// <summary>A fit that did not converge: the parameters it reached are not an estimate.</summary>
public sealed class ModelFitException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ModelFitException"/> class.</summary>
    public ModelFitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFitException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ModelFitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFitException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelFitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"): while alive a customer buys
/// as a Poisson process whose rate is gamma(r, α) across customers; after each purchase they leave with a probability
/// that is beta(a, b) across customers.
/// </summary>
/// <param name="R">The gamma shape r of the purchase rate.</param>
/// <param name="Alpha">The gamma scale α of the purchase rate.</param>
/// <param name="A">The beta parameter a of the dropout probability.</param>
/// <param name="B">The beta parameter b of the dropout probability.</param>
public sealed record BgNbdModel(double R, double Alpha, double A, double B)
{
    /// <summary>Gets how the fit that produced the model ended; null for a model built from known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model by maximum likelihood (log-parameters, BFGS), collapsing identical histories into weights.</summary>
    /// <param name="customers">The customers' histories.</param>
    /// <param name="weights">How many customers each history stands for (default: one each); positive.</param>
    /// <param name="maxIterations">The optimiser's iteration limit.</param>
    /// <returns>The fitted model, with its <see cref="Fit"/> report.</returns>
    /// <exception cref="ArgumentException">Fewer than four customers (the model has four parameters), a bad history, or a bad weight.</exception>
    /// <exception cref="ModelFitException">The optimiser did not converge.</exception>
    public static BgNbdModel FitTo(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights = null, int maxIterations = 500)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (weights is not null && weights.Count != customers.Count)
        {
            throw new ArgumentException($"There are {customers.Count} histories and {weights.Count} weights; they go by index.", nameof(weights));
        }

        var data = Collapse(customers, weights);
        if (data.TotalWeight < 4)
        {
            throw new ArgumentException($"Fitting four parameters needs at least four customers; there are {data.TotalWeight}.", nameof(customers));
        }

        // The negative log-likelihood and its analytic gradient in log-parameters (∂/∂ln θ = θ ∂/∂θ).
        (double, Vector<double>) Objective(Vector<double> p)
        {
            // Log-parameters are held to ±25 so that a long trial step of the line search stays finite.
            var theta = new[] { Math.Exp(Math.Clamp(p[0], -25, 25)), Math.Exp(Math.Clamp(p[1], -25, 25)), Math.Exp(Math.Clamp(p[2], -25, 25)), Math.Exp(Math.Clamp(p[3], -25, 25)) };
            var g = new double[4];
            var ll = data.LogLikelihood(theta[0], theta[1], theta[2], theta[3], g);
            return (-ll, Vector<double>.Build.Dense([-g[0] * theta[0], -g[1] * theta[1], -g[2] * theta[2], -g[3] * theta[3]]));
        }

        var objective = ObjectiveFunction.Gradient(Objective);
        var start = Vector<double>.Build.Dense([0, Math.Log(Math.Max(1e-3, data.MeanT)), 0, 0]);
        MinimizationResult result;
        try
        {
            result = new BfgsMinimizer(1e-9, 1e-14, 1e-15, maxIterations).FindMinimum(objective, start);
        }
        catch (MaximumIterationsException e)
        {
            throw new ModelFitException($"The BG/NBD fit did not converge in {maxIterations} iterations.", e);
        }
        catch (InnerOptimizationException e)
        {
            throw new ModelFitException($"The BG/NBD fit failed: {e.InnerException?.Message ?? e.Message}", e);
        }

        var p = result.MinimizingPoint;
        var gradient = Objective(p).Item2.L2Norm();
        var fit = new FitReport(result.Iterations, gradient, -result.FunctionInfoAtMinimum.Value, true);
        if (!double.IsFinite(fit.LogLikelihood) || gradient > 1e-2 * Math.Max(1, data.TotalWeight))
        {
            throw new ModelFitException($"The BG/NBD fit stopped after {result.Iterations} iterations with a gradient norm of {gradient:G3}: not a maximum.");
        }

        return new BgNbdModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3])) { Fit = fit };
    }

    /// <summary>The log-likelihood of the histories under the model (summed, no constant dropped).</summary>
    /// <param name="customers">The histories.</param>
    /// <returns>The log-likelihood.</returns>
    public double LogLikelihood(IReadOnlyList<PurchaseHistory> customers) => Collapse(customers, null).LogLikelihood(R, Alpha, A, B);

    /// <summary>P(alive): the probability that a customer with this history has not dropped out. 1 for a customer with no repeat purchase.</summary>
    /// <param name="history">The history.</param>
    /// <returns>The probability.</returns>
    public double ProbabilityAlive(PurchaseHistory history)
    {
        history.Validate(nameof(history));
        var (x, tx, t) = (history.Frequency, history.Recency, history.T);
        if (x == 0)
        {
            return 1;
        }

        // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), in logs so a large x gives 0, not NaN.
        var log = Math.Log(A) - Math.Log(B + x - 1) + ((R + x) * (Math.Log(Alpha + t) - Math.Log(Alpha + tx)));
        return log > 700 ? 0 : 1 / (1 + Math.Exp(log));
    }

    /// <summary>E[X(t)]: the expected number of purchases in (0, t] of a customer just acquired.</summary>
    /// <param name="t">The time; not negative.</param>
    /// <returns>The expected purchases.</returns>
    public double ExpectedPurchases(double t)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        if (t == 0)
        {
            return 0;
        }

        // (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))]; Euler: (1−z)^r · 2F1 = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b−1; z).
        var z = t / (Alpha + t);
        var tail = Math.Pow(1 - z, A - 1) * Hypergeometric.Series(A + B - 1 - R, A - 1, A + B - 1, z);
        return (A + B - 1) / (A - 1) * (1 - tail);
    }

    /// <summary>E[Y(t) | x, t_x, T]: the expected purchases in the next t of a customer with this history.</summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="history">The history.</param>
    /// <returns>The expected purchases.</returns>
    public double ConditionalExpectedPurchases(double t, PurchaseHistory history)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        history.Validate(nameof(history));
        var (x, T) = (history.Frequency, history.T);
        if (t == 0)
        {
            return 0;
        }

        // (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)] · P(alive), z = t/(α+T+t);
        // Euler: (1−z)^(r+x) · 2F1(r+x, b+x; c; z) = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; c; z), finite for any x.
        return ExpectedPurchasesIfAlive(t, x, T) * ProbabilityAlive(history);
    }

    /// <summary>
    /// Predicts for many customers at once: the expected purchases in the next <paramref name="t"/> and P(alive). The
    /// hypergeometric part depends only on (x, T), so it is computed once per distinct pair and shared; the work is
    /// split over the cores.
    /// </summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="customers">The histories.</param>
    /// <param name="expectedPurchases">Receives E[Y(t) | history] per customer; as long as <paramref name="customers"/>.</param>
    /// <param name="probabilityAlive">Receives P(alive) per customer; as long as <paramref name="customers"/>.</param>
    /// <exception cref="ArgumentException">The outputs are shorter than the input, or a history is invalid.</exception>
    public void Predict(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(expectedPurchases);
        ArgumentNullException.ThrowIfNull(probabilityAlive);
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        if (expectedPurchases.Length < customers.Length || probabilityAlive.Length < customers.Length)
        {
            throw new ArgumentException($"The outputs must hold {customers.Length} values.", nameof(expectedPurchases));
        }

        var partitions = System.Collections.Concurrent.Partitioner.Create(0, customers.Length, Math.Max(4_096, customers.Length / (4 * Environment.ProcessorCount)));
        System.Threading.Tasks.Parallel.ForEach(partitions, range =>
        {
            // Per worker: the (x, T) factor of the last pair seen, and a small map of the pairs met so far.
            var cache = new Dictionary<(double X, double T), double>();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var h = customers[i];
                var alive = ProbabilityAlive(h); // validates the history
                probabilityAlive[i] = alive;
                if (t == 0)
                {
                    expectedPurchases[i] = 0;
                    continue;
                }

                if (!cache.TryGetValue((h.Frequency, h.T), out var factor))
                {
                    factor = ExpectedPurchasesIfAlive(t, h.Frequency, h.T);
                    cache[(h.Frequency, h.T)] = factor;
                }

                expectedPurchases[i] = factor * alive;
            }
        });
    }

    /// <summary>E[Y(t) | x, T] ÷ P(alive): the expected purchases of a customer known to be alive (depends on x and T only).</summary>
    internal double ExpectedPurchasesIfAlive(double t, double x, double age)
    {
        var z = t / (Alpha + age + t);
        var tail = Math.Pow(1 - z, A - 1) * Hypergeometric.Series(A + B - 1 - R, A - 1, A + B + x - 1, z);
        return (A + B + x - 1) / (A - 1) * (1 - tail);
    }

    /// <summary>P(X(t) = n): the probability that a customer just acquired makes exactly n purchases in (0, t].</summary>
    /// <param name="n">The number of purchases, 0 or more.</param>
    /// <param name="t">The time; positive.</param>
    /// <returns>The probability.</returns>
    public double ProbabilityOfPurchases(int n, double t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        var logQ = Math.Log(Alpha / (Alpha + t));
        var logP = Math.Log(t / (Alpha + t));
        var logBetaAb = SpecialFunctions.BetaLn(A, B);

        // Alive throughout with n purchases, plus dropped out after the n-th.
        var first = SpecialFunctions.BetaLn(A, B + n) - logBetaAb + SpecialFunctions.GammaLn(R + n) - SpecialFunctions.GammaLn(R) - SpecialFunctions.FactorialLn(n) + (R * logQ) + (n * logP);
        var probability = Math.Exp(first);
        if (n > 0)
        {
            double sum = 0;
            for (var j = 0; j < n; j++)
            {
                sum += Math.Exp(SpecialFunctions.GammaLn(R + j) - SpecialFunctions.GammaLn(R) - SpecialFunctions.FactorialLn(j) + (R * logQ) + (j * logP));
            }

            probability += Math.Exp(SpecialFunctions.BetaLn(A + 1, B + n - 1) - logBetaAb) * (1 - sum);
        }

        return probability;
    }

    private static Collapsed Collapse(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var groups = new Dictionary<PurchaseHistory, double>();
        for (var i = 0; i < customers.Count; i++)
        {
            customers[i].Validate(nameof(customers));
            var w = weights?[i] ?? 1;
            if (!double.IsFinite(w) || w <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, $"Weight {i} must be positive.");
            }

            groups[customers[i]] = groups.GetValueOrDefault(customers[i]) + w;
        }

        return new Collapsed([.. groups.Keys], [.. groups.Values]);
    }

    /// <summary>Distinct histories with their weights; the log-gamma and digamma terms are shared by every history with the same x.</summary>
    private sealed class Collapsed
    {
        private readonly PurchaseHistory[] _histories;
        private readonly double[] _weights;
        private readonly double[] _xs;      // the distinct frequencies
        private readonly int[] _xIndex;     // each history's index into _xs

        public Collapsed(PurchaseHistory[] histories, double[] weights)
        {
            (_histories, _weights) = (histories, weights);
            _xs = [.. histories.Select(h => h.Frequency).Distinct().Order()];
            var slot = _xs.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
            _xIndex = [.. histories.Select(h => slot[h.Frequency])];
            TotalWeight = weights.Sum();
            MeanT = histories.Length == 0 ? 1 : histories.Select((h, i) => h.T * weights[i]).Sum() / TotalWeight;
        }

        public double TotalWeight { get; }

        public double MeanT { get; }

        public double LogLikelihood(double r, double alpha, double a, double b) => LogLikelihood(r, alpha, a, b, null);

        /// <summary>The log-likelihood; with <paramref name="gradient"/>, also its derivatives in (r, α, a, b).</summary>
        public double LogLikelihood(double r, double alpha, double a, double b, double[]? gradient)
        {
            var n = _xs.Length;
            Span<double> front = n <= 256 ? stackalloc double[n] : new double[n];   // A1 + A2
            Span<double> logA4 = n <= 256 ? stackalloc double[n] : new double[n];   // ln a − ln(b + x − 1)
            Span<double> dr = n <= 256 ? stackalloc double[n] : new double[n];      // ψ(r+x) − ψ(r) + ln α
            Span<double> da = n <= 256 ? stackalloc double[n] : new double[n];      // ψ(a+b) − ψ(a+b+x)
            Span<double> db = n <= 256 ? stackalloc double[n] : new double[n];      // ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x)
            var logAlpha = Math.Log(alpha);
            var (lgR, lgAb, lgB) = (SpecialFunctions.GammaLn(r), SpecialFunctions.GammaLn(a + b), SpecialFunctions.GammaLn(b));
            var (psiR, psiAb, psiB) = gradient is null ? (0d, 0d, 0d) : (SpecialFunctions.DiGamma(r), SpecialFunctions.DiGamma(a + b), SpecialFunctions.DiGamma(b));
            for (var k = 0; k < n; k++)
            {
                var x = _xs[k];
                front[k] = SpecialFunctions.GammaLn(r + x) - lgR + (r * logAlpha) + lgAb + SpecialFunctions.GammaLn(b + x) - lgB - SpecialFunctions.GammaLn(a + b + x);
                logA4[k] = x > 0 ? Math.Log(a) - Math.Log(b + x - 1) : double.NegativeInfinity;
                if (gradient is not null)
                {
                    var psiAbx = SpecialFunctions.DiGamma(a + b + x);
                    dr[k] = SpecialFunctions.DiGamma(r + x) - psiR + logAlpha;
                    da[k] = psiAb - psiAbx;
                    db[k] = psiAb + SpecialFunctions.DiGamma(b + x) - psiB - psiAbx;
                }
            }

            double total = 0, gR = 0, gAlpha = 0, gA = 0, gB = 0;
            for (var i = 0; i < _histories.Length; i++)
            {
                var (x, tx, t) = (_histories[i].Frequency, _histories[i].Recency, _histories[i].T);
                var k = _xIndex[i];
                var w = _weights[i];
                var logAt = Math.Log(alpha + t);
                var a3 = -(r + x) * logAt;
                if (x == 0)
                {
                    total += w * (front[k] + a3);
                    if (gradient is not null)
                    {
                        gR += w * (dr[k] - logAt);
                        gAlpha += w * ((r / alpha) - ((r + x) / (alpha + t)));
                        gA += w * da[k];
                        gB += w * db[k];
                    }

                    continue;
                }

                var logAtx = Math.Log(alpha + tx);
                var a4 = logA4[k] - ((r + x) * logAtx);
                var max = Math.Max(a3, a4);
                var (e3, e4) = (Math.Exp(a3 - max), Math.Exp(a4 - max));
                total += w * (front[k] + max + Math.Log(e3 + e4));
                if (gradient is not null)
                {
                    var (w3, w4) = (e3 / (e3 + e4), e4 / (e3 + e4));
                    gR += w * (dr[k] - (w3 * logAt) - (w4 * logAtx));
                    gAlpha += w * ((r / alpha) - (w3 * (r + x) / (alpha + t)) - (w4 * (r + x) / (alpha + tx)));
                    gA += w * (da[k] + (w4 / a));
                    gB += w * (db[k] - (w4 / (b + x - 1)));
                }
            }

            if (gradient is not null)
            {
                (gradient[0], gradient[1], gradient[2], gradient[3]) = (gR, gAlpha, gA, gB);
            }

            return total;
        }
    }
}

/// <summary>The Gauss hypergeometric series where the models need it (|z| &lt; 1, parameters after an Euler transformation).</summary>
internal static class Hypergeometric
{
    /// <summary>2F1(a, b; c; z) by its series, for 0 ≤ z &lt; 1.</summary>
    public static double Series(double a, double b, double c, double z)
    {
        if (z < 0 || z >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series needs 0 ≤ z < 1.");
        }

        double sum = 1, term = 1;
        for (var k = 0; k < 1_000_000; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum))
            {
                return sum;
            }
        }

        throw new ArithmeticException($"2F1({a}, {b}; {c}; {z}) did not converge.");
    }
}
