using System;
using System.Collections.Generic;
using MathNet.Numerics;

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
        if (BrokenRule() is { } broken)
        {
            throw new ArgumentOutOfRangeException(name, broken.Value, broken.Rule);
        }
    }

    /// <summary>Checks customer <paramref name="index"/> of a batch, naming it and the rule it breaks.</summary>
    internal void Validate(string name, int index)
    {
        if (BrokenRule() is { } broken)
        {
            throw new ArgumentOutOfRangeException(name, broken.Value, $"Customer {index}: {broken.Rule}");
        }
    }

    /// <summary>The first rule the history breaks and the value that breaks it; null when it is valid.</summary>
    private (double Value, string Rule)? BrokenRule()
    {
        if (!double.IsFinite(Frequency) || Frequency < 0 || Frequency != Math.Floor(Frequency))
        {
            return (Frequency, "The frequency (repeat purchases) must be a whole number, 0 or more.");
        }

        if (!double.IsFinite(T) || T <= 0)
        {
            return (T, "T (the time since the first purchase) must be positive.");
        }

        if (!double.IsFinite(Recency) || Recency < 0 || Recency > T)
        {
            return (Recency, $"The recency must be between 0 and T ({T}).");
        }

        return Frequency == 0 && Recency != 0 ? (Recency, "A customer without repeat purchases has a recency of 0.") : null;
    }
}

/// <summary>How a fit ended.</summary>
/// <param name="Iterations">The optimiser's iterations.</param>
/// <param name="GradientNorm">The norm of the log-likelihood's gradient (in log-parameters) at the end.</param>
/// <param name="LogLikelihood">The log-likelihood at the parameters.</param>
/// <param name="Converged">Whether the optimiser converged.</param>
public sealed record FitReport(int Iterations, double GradientNorm, double LogLikelihood, bool Converged)
{
    /// <summary>Gets the parameters' standard errors and intervals from the observed information; null when it is not positive definite at the optimum.</summary>
    public ParameterUncertainty? Uncertainty { get; init; }
}

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
    /// <summary>Gets the gamma shape r of the purchase rate; positive and finite.</summary>
    public double R { get; init => field = ModelParameter.Positive(value, nameof(R)); } = ModelParameter.Positive(R, nameof(R));

    /// <summary>Gets the gamma scale α of the purchase rate; positive and finite.</summary>
    public double Alpha { get; init => field = ModelParameter.Positive(value, nameof(Alpha)); } = ModelParameter.Positive(Alpha, nameof(Alpha));

    /// <summary>Gets the beta parameter a of the dropout probability; positive and finite.</summary>
    public double A { get; init => field = ModelParameter.Positive(value, nameof(A)); } = ModelParameter.Positive(A, nameof(A));

    /// <summary>Gets the beta parameter b of the dropout probability; positive and finite.</summary>
    public double B { get; init => field = ModelParameter.Positive(value, nameof(B)); } = ModelParameter.Positive(B, nameof(B));

    /// <summary>Gets how the fit that produced the model ended; null for a model built from known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model by maximum likelihood (log-parameters, BFGS), collapsing identical histories into weights.</summary>
    /// <param name="customers">The customers' histories.</param>
    /// <param name="weights">How many customers each history stands for (default: one each); positive.</param>
    /// <param name="maxIterations">The optimiser's iteration limit.</param>
    /// <param name="penalizer">The weight of an L2 penalty on the log-parameters (as the penalizer_coef of `lifetimes`; it shrinks the parameters toward 1 when the data are few); 0, the default, for none.</param>
    /// <returns>The fitted model, with its <see cref="Fit"/> report.</returns>
    /// <exception cref="ArgumentException">Fewer than four customers (the model has four parameters), a bad history, a bad weight, or a negative penalizer.</exception>
    /// <exception cref="ModelFitException">No customer made a repeat purchase, or the optimiser did not reach a maximum.</exception>
    public static BgNbdModel FitTo(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights = null, int maxIterations = 500, double penalizer = 0) =>
        FitTo(customers, weights, maxIterations, penalizer, uncertainty: true);

    /// <summary>The fit, with or without its standard errors (the benchmarks time what they add).</summary>
    internal static BgNbdModel FitTo(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights, int maxIterations, double penalizer, bool uncertainty)
    {
        var data = Collapse(customers, weights);
        if (data.TotalWeight < 4)
        {
            throw new ArgumentException($"Fitting four parameters needs at least four customers; there are {data.TotalWeight}.", nameof(customers));
        }

        PurchaseHistories.RequireRepeatPurchases(System.Linq.Enumerable.Select(customers, c => c.Frequency), "BG/NBD");

        var (theta, fit) = MaximumLikelihood.Fit(
            "BG/NBD",
            ["r", "alpha", "a", "b"],
            (p, g) => data.LogLikelihood(p[0], p[1], p[2], p[3], g),
            data.TotalWeight,
            [0, Math.Log(Math.Max(1e-3, data.MeanT)), 0, 0],
            maxIterations,
            penalizer,
            uncertainty);
        return new BgNbdModel(theta[0], theta[1], theta[2], theta[3]) { Fit = fit };
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
        return AliveUnchecked(history);
    }

    /// <summary>P(alive) of a history already validated.</summary>
    internal double AliveUnchecked(PurchaseHistory history)
    {
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
        return (A + B - 1) / (A - 1) * (1 - Tail(R, B, A + B - 1, z, Alpha / (Alpha + t)));
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
    public void Predict(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive) =>
        BatchPrediction.Run(t, customers, expectedPurchases, probabilityAlive, AliveUnchecked, (x, age) => ExpectedPurchasesIfAlive(t, x, age));

    /// <summary>E[Y(t) | x, T] ÷ P(alive): the expected purchases of a customer known to be alive (depends on x and T only).</summary>
    internal double ExpectedPurchasesIfAlive(double t, double x, double age)
    {
        var z = t / (Alpha + age + t);
        return (A + B + x - 1) / (A - 1) * (1 - Tail(R + x, B + x, A + B + x - 1, z, (Alpha + age) / (Alpha + age + t)));
    }

    /// <summary>
    /// (1 − z)^ρ · 2F1(ρ, β; c; z), the tail of both expectations above (ρ = r + x, β = b + x, c = a + b + x − 1; x = 0
    /// for a new customer), in one of two forms: directly, or after Euler's transformation,
    /// (1 − z)^(c−β) · 2F1(c − ρ, c − β; c; z), where c − β = a − 1. Each series converges fast when its first
    /// term ratio is small; the direct one (used only when c &gt; 0, so that every term is positive) suits a large a and b
    /// (little heterogeneity in dropout), the transformed one a large x. The direct form is summed with a running scale
    /// in logs, so its growing terms cannot overflow.
    /// </summary>
    /// <remarks>
    /// Near z = 1 (a horizon long against α + T) both series need about 1/(1 − z) terms; there the tail is taken from
    /// the connection formula to series in 1 − z (<see cref="TailNearOne"/>) when both of its series start by falling,
    /// unless c − ρ − β is within 10⁻⁶ of an integer, where that formula's two terms cancel (the series in z are then
    /// summed however long they take).
    /// </remarks>
    /// <param name="rho">ρ.</param>
    /// <param name="beta">β.</param>
    /// <param name="c">c.</param>
    /// <param name="z">z, in [0, 1).</param>
    /// <param name="w">1 − z, computed by the caller without the cancellation of 1 − z (α/(α + t), say).</param>
    internal static double Tail(double rho, double beta, double c, double z, double w)
    {
        // Near one, and only when both series in w start by falling (for a large x the Euler form converges fast anyway).
        var s = c - rho - beta;
        if (z > NearOne && Math.Abs(s - Math.Round(s)) > 1e-6 && rho * beta * w < Math.Abs(1 - s) && Math.Abs((c - rho) * (c - beta) * w) < Math.Abs(1 + s))
        {
            return TailNearOne(rho, beta, c, w);
        }

        return c > 0 && rho * beta < Math.Abs((c - rho) * (c - beta)) ? TailDirect(rho, beta, c, z) : TailEuler(rho, beta, c, z);
    }

    /// <summary>Where <see cref="Tail"/> turns to the series in 1 − z.</summary>
    internal const double NearOne = 0.99;

    /// <summary>
    /// (1 − z)^ρ · 2F1(ρ, β; c; z) by the connection formula (Abramowitz &amp; Stegun 15.3.6), with s = c − ρ − β not an
    /// integer and w = 1 − z: Γ(c)Γ(s)/(Γ(c−ρ)Γ(c−β)) · w^ρ · 2F1(ρ, β; 1 − s; w) + Γ(c)Γ(−s)/(Γ(ρ)Γ(β)) · w^(c−β) ·
    /// 2F1(c − ρ, c − β; 1 + s; w); both series converge fast for a small w. The gamma ratios are taken in logs with
    /// their signs (a gamma function of a negative argument may be negative).
    /// </summary>
    internal static double TailNearOne(double rho, double beta, double c, double w)
    {
        var s = c - rho - beta;
        var (lnC, signC) = LnAbsGamma(c);
        var first = Product(lnC, signC, LnAbsGamma(s), LnAbsGamma(c - rho), LnAbsGamma(c - beta));
        var second = Product(lnC, signC, LnAbsGamma(-s), LnAbsGamma(rho), LnAbsGamma(beta));
        var logW = Math.Log(w);
        return (first.Sign * Math.Exp(first.Log + (rho * logW)) * Hypergeometric.Series(rho, beta, 1 - s, w))
            + (second.Sign * Math.Exp(second.Log + ((c - beta) * logW)) * Hypergeometric.Series(c - rho, c - beta, 1 + s, w));

        static (double Log, double Sign) Product(double lnC, double signC, (double Log, double Sign) up, (double Log, double Sign) down1, (double Log, double Sign) down2) =>
            (lnC + up.Log - down1.Log - down2.Log, signC * up.Sign * down1.Sign * down2.Sign);
    }

    /// <summary>ln |Γ(x)| and the sign of Γ(x), for any x that is not 0 or a negative integer (reflection below ½).</summary>
    internal static (double Log, double Sign) LnAbsGamma(double x)
    {
        if (x >= 0.5)
        {
            return (SpecialFunctions.GammaLn(x), 1);
        }

        // Γ(x) Γ(1 − x) = π / sin(πx), and Γ(1 − x) > 0 here.
        var sine = Math.Sin(Math.PI * x);
        return (Math.Log(Math.PI) - Math.Log(Math.Abs(sine)) - SpecialFunctions.GammaLn(1 - x), Math.Sign(sine));
    }

    internal static double TailDirect(double rho, double beta, double c, double z) =>
        Math.Exp((rho * Math.Log(1 - z)) + Hypergeometric.LogSeries(rho, beta, c, z));

    internal static double TailEuler(double rho, double beta, double c, double z) =>
        Math.Pow(1 - z, c - beta) * Hypergeometric.Series(c - rho, c - beta, c, z);

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

    private static BgNbdLikelihood Collapse(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        var (rows, counts) = PurchaseHistories.Collapse(customers, weights);
        return new BgNbdLikelihood(rows, counts);
    }
}

/// <summary>What the purchase models share about their input.</summary>
internal static class PurchaseHistories
{
    /// <summary>
    /// Identical histories collapsed into one row with the sum of their weights (the likelihood of a row with weight w
    /// is w times its own), every history and weight checked first.
    /// </summary>
    public static (PurchaseHistory[] Rows, double[] Weights) Collapse(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (weights is not null && weights.Count != customers.Count)
        {
            throw new ArgumentException($"There are {customers.Count} histories and {weights.Count} weights; they go by index.", nameof(weights));
        }

        var groups = new Dictionary<PurchaseHistory, double>();
        for (var i = 0; i < customers.Count; i++)
        {
            customers[i].Validate(nameof(customers), i);
            var w = weights?[i] ?? 1;
            if (!double.IsFinite(w) || w <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), w, $"Weight {i} must be positive.");
            }

            groups[customers[i]] = groups.GetValueOrDefault(customers[i]) + w;
        }

        return ([.. groups.Keys], [.. groups.Values]);
    }

    /// <summary>
    /// Throws when no history has a repeat purchase: the likelihood then grows without bound as the purchase rate goes
    /// to 0, and an optimiser stops somewhere on that slope with a gradient near zero — not an estimate.
    /// </summary>
    public static void RequireRepeatPurchases(IEnumerable<double> frequencies, string model)
    {
        foreach (var x in frequencies)
        {
            if (x > 0)
            {
                return;
            }
        }

        throw new ModelFitException($"The {model} fit needs at least one repeat purchase: with none the likelihood is highest as the purchase rate goes to 0, and the model has no estimate.");
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

    /// <summary>
    /// ln 2F1(a, b; a + 1; z) for a, b &gt; 0 and 0 ≤ z &lt; 1, and, when asked, its derivatives in a (along c = a + 1),
    /// b and z. Summed after Euler's transformation, 2F1(a, b; c; z) = (1 − z)^(1 − b) · 2F1(1, d; c; z) with d = c − b:
    /// the new series' term ratio (d + k)/(c + k) · z stays below z, so however large b is (a heavy buyer) no term grows
    /// and nothing overflows; the direct series' terms would reach (1 − z)^(−b) first.
    /// </summary>
    /// <param name="a">a.</param>
    /// <param name="b">b.</param>
    /// <param name="z">z, in [0, 1).</param>
    /// <param name="w">1 − z, computed by the caller without cancellation.</param>
    /// <param name="derivatives">Whether to sum the derivatives.</param>
    /// <param name="maxTerms">
    /// The most terms to sum. The terms fall like z^k, so the series needs about 40/(1 − z) of them: near z = 1 (in the
    /// Pareto/NBD, α and β thousands of times apart) it is refused with an <see cref="ArithmeticException"/> rather than
    /// summed for minutes.
    /// </param>
    public static (double Log, double DA, double DB, double DZ) LogSeriesCPlusOne(double a, double b, double z, double w, bool derivatives, int maxTerms)
    {
        if (z < 0 || z >= 1 || !(w > 0) || !(a > 0) || !(b > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series needs 0 ≤ z < 1 and positive parameters.");
        }

        var (c, d) = (a + 1, a + 1 - b);
        var logW = Math.Log(w);
        if (z == 0)
        {
            // H = 1 exactly; ∂H/∂z = d/c there.
            return ((1 - b) * logW, 0, -logW, ((b - 1) / w) + (d / c));
        }

        // H = Σ t_k, t_(k+1) = t_k (d + k)/(c + k) z; ∂t_k/∂a = t_k Σ_(j<k) [1/(d+j) − 1/(c+j)], ∂t_k/∂b = −t_k Σ_(j<k) 1/(d+j).
        double sum = 1, term = 1, sumA = 0, sumB = 0, sumK = 0, harmonicD = 0, harmonicC = 0;
        for (var k = 0; k < maxTerms; k++)
        {
            term *= (d + k) / (c + k) * z;
            sum += term;
            if (derivatives)
            {
                harmonicD += 1 / (d + k);
                harmonicC += 1 / (c + k);
                sumA += term * (harmonicD - harmonicC);
                sumB -= term * harmonicD;
                sumK += term * (k + 1);
            }

            if (Math.Abs(term) * (k + 2) <= 1e-17 * sum)
            {
                var log = ((1 - b) * logW) + Math.Log(sum);
                return derivatives ? (log, sumA / sum, -logW + (sumB / sum), ((b - 1) / w) + (sumK / (z * sum))) : (log, 0, 0, 0);
            }
        }

        throw new ArithmeticException(FormattableString.Invariant($"2F1({a:G6}, {b:G6}; {a + 1:G6}; {z:R}) did not converge in {maxTerms:N0} terms: z is too close to 1."));
    }

    /// <summary>
    /// ln 2F1(a, b; c; z) for 0 ≤ z &lt; 1 and positive a, b, c (every term positive), with a running scale: terms that
    /// grow far past the range of a double before they fall are summed as (scale, mantissa).
    /// </summary>
    public static double LogSeries(double a, double b, double c, double z)
    {
        if (z < 0 || z >= 1 || a <= 0 || b <= 0 || c <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The scaled series needs 0 ≤ z < 1 and positive parameters.");
        }

        const double Big = 1e200;
        double logScale = 0, sum = 1, term = 1;
        for (var k = 0; k < 10_000_000; k++)
        {
            var ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            term *= ratio;
            sum += term;
            if (sum > Big)
            {
                (sum, term, logScale) = (sum / Big, term / Big, logScale + Math.Log(Big));
            }

            if (ratio < 1 && term <= 1e-16 * sum)
            {
                return logScale + Math.Log(sum);
            }
        }

        throw new ArithmeticException($"2F1({a}, {b}; {c}; {z}) did not converge.");
    }
}
