using System;
using System.Collections.Generic;
using MathNet.Numerics;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// A customer's history in discrete time: of <paramref name="Periods"/> transaction opportunities after the first
/// (renewal dates, yearly donation drives, scheduled events), those taken and the last one taken.
/// </summary>
/// <param name="Frequency">The opportunities taken, x (0 to <paramref name="Recency"/>).</param>
/// <param name="Recency">The opportunity of the last one taken, t_x (0 when x = 0; at least x; at most <paramref name="Periods"/>).</param>
/// <param name="Periods">The opportunities so far, n (1 or more).</param>
public readonly record struct DiscretePurchaseHistory(int Frequency, int Recency, int Periods)
{
    /// <summary>Checks the history, naming the rule it breaks.</summary>
    /// <param name="name">The argument's name for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">The history breaks a rule of the summary.</exception>
    public void Validate(string name)
    {
        if (BrokenRule() is { } broken)
        {
            throw new ArgumentOutOfRangeException(name, broken.Value, broken.Rule);
        }
    }

    /// <summary>Checks history <paramref name="index"/> of a batch, naming it and the rule it breaks.</summary>
    internal void Validate(string name, int index)
    {
        if (BrokenRule() is { } broken)
        {
            throw new ArgumentOutOfRangeException(name, broken.Value, $"History {index}: {broken.Rule}");
        }
    }

    private (int Value, string Rule)? BrokenRule() =>
        Periods < 1 ? (Periods, "The periods (opportunities so far) must be 1 or more.")
        : Recency < 0 || Recency > Periods ? (Recency, $"The recency must be between 0 and the periods ({Periods}).")
        : Frequency < 0 || Frequency > Recency ? (Frequency, $"The frequency must be between 0 and the recency ({Recency}): one transaction per opportunity at most.")
        : Frequency == 0 && Recency != 0 ? (Recency, "A customer without repeat transactions has a recency of 0.")
        : null;
}

/// <summary>
/// The BG/BB model (Fader, Hardie &amp; Shang 2010, "Customer-base analysis in a discrete-time noncontractual
/// setting"): at each opportunity a customer alive transacts with probability p, beta(α, β) across customers, and
/// leaves before the next one with probability θ, beta(γ, δ) across customers. For renewals, donations, events: any
/// business whose transactions can only happen at discrete moments.
/// </summary>
/// <param name="Alpha">The beta parameter α of the transaction probability.</param>
/// <param name="Beta">The beta parameter β of the transaction probability.</param>
/// <param name="Gamma">The beta parameter γ of the dropout probability.</param>
/// <param name="Delta">The beta parameter δ of the dropout probability.</param>
public sealed record BgBbModel(double Alpha, double Beta, double Gamma, double Delta)
{
    /// <summary>Gets the beta parameter α of the transaction probability; positive and finite.</summary>
    public double Alpha { get; init => field = ModelParameter.Positive(value, nameof(Alpha)); } = ModelParameter.Positive(Alpha, nameof(Alpha));

    /// <summary>Gets the beta parameter β of the transaction probability; positive and finite.</summary>
    public double Beta { get; init => field = ModelParameter.Positive(value, nameof(Beta)); } = ModelParameter.Positive(Beta, nameof(Beta));

    /// <summary>Gets the beta parameter γ of the dropout probability; positive and finite.</summary>
    public double Gamma { get; init => field = ModelParameter.Positive(value, nameof(Gamma)); } = ModelParameter.Positive(Gamma, nameof(Gamma));

    /// <summary>Gets the beta parameter δ of the dropout probability; positive and finite.</summary>
    public double Delta { get; init => field = ModelParameter.Positive(value, nameof(Delta)); } = ModelParameter.Positive(Delta, nameof(Delta));

    /// <summary>Gets how the fit that produced the model ended; null for a model built from known parameters.</summary>
    public FitReport? Fit { get; init; }

    /// <summary>Fits the model by maximum likelihood (log-parameters, BFGS, analytic gradient) on histories with weights.</summary>
    /// <param name="customers">The histories.</param>
    /// <param name="weights">How many customers each history stands for (default: one each); positive.</param>
    /// <param name="maxIterations">The optimiser's iteration limit.</param>
    /// <param name="penalizer">The weight of an L2 penalty on the log-parameters (as the penalizer_coef of `lifetimes`; it shrinks the parameters toward 1 when the data are few); 0, the default, for none.</param>
    /// <returns>The fitted model, with its <see cref="Fit"/> report.</returns>
    /// <exception cref="ArgumentException">Fewer than four customers, a bad history, a bad weight, or a negative penalizer.</exception>
    /// <exception cref="ModelFitException">No customer made a repeat purchase, or the optimiser did not reach a maximum.</exception>
    public static BgBbModel FitTo(IReadOnlyList<DiscretePurchaseHistory> customers, IReadOnlyList<double>? weights = null, int maxIterations = 500, double penalizer = 0)
    {
        var (rows, counts) = Collapse(customers, weights);
        double total = 0;
        foreach (var w in counts)
        {
            total += w;
        }

        if (total < 4)
        {
            throw new ArgumentException($"Fitting four parameters needs at least four customers; there are {total}.", nameof(customers));
        }

        PurchaseHistories.RequireRepeatPurchases(System.Linq.Enumerable.Select(rows, r => (double)r.Frequency), "BG/BB");

        var (theta, fit) = MaximumLikelihood.Fit(
            "BG/BB",
            ["alpha", "beta", "gamma", "delta"],
            (p, g) => LogLikelihood(rows, counts, p[0], p[1], p[2], p[3], g),
            total,
            [0, 0, 0, 0],
            maxIterations,
            penalizer);
        return new BgBbModel(theta[0], theta[1], theta[2], theta[3]) { Fit = fit };
    }

    /// <summary>The log-likelihood of the histories under the model (summed, no constant dropped).</summary>
    /// <param name="customers">The histories.</param>
    /// <param name="weights">How many customers each history stands for (default: one each).</param>
    /// <returns>The log-likelihood.</returns>
    public double LogLikelihood(IReadOnlyList<DiscretePurchaseHistory> customers, IReadOnlyList<double>? weights = null)
    {
        var (rows, counts) = Collapse(customers, weights);
        return LogLikelihood(rows, counts, Alpha, Beta, Gamma, Delta, null);
    }

    /// <summary>P(alive): the probability that a customer with this history is still alive at the next opportunity, n + 1.</summary>
    /// <param name="history">The history.</param>
    /// <returns>The probability.</returns>
    public double ProbabilityAlive(DiscretePurchaseHistory history)
    {
        history.Validate(nameof(history));
        var (x, n) = (history.Frequency, history.Periods);
        var alive = SpecialFunctions.BetaLn(Alpha + x, Beta + n - x) - SpecialFunctions.BetaLn(Alpha, Beta)
            + SpecialFunctions.BetaLn(Gamma, Delta + n + 1) - SpecialFunctions.BetaLn(Gamma, Delta);
        return Math.Exp(alive - RowLogLikelihood(history, Alpha, Beta, Gamma, Delta, default));
    }

    /// <summary>E[X(n)]: the expected transactions in the first <paramref name="periods"/> opportunities of a customer just acquired.</summary>
    /// <param name="periods">The opportunities, 0 or more.</param>
    /// <returns>α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)/Γ(γ+δ+n) · Γ(1+δ+n)/Γ(1+δ)].</returns>
    public double ExpectedTransactions(int periods)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(periods);
        return Alpha / (Alpha + Beta) * DropoutSum(Gamma, Delta, 0, periods);
    }

    /// <summary>
    /// E[X(n, n + n*) | x, t_x, n]: the expected transactions in the next <paramref name="periods"/> opportunities of a
    /// customer with this history (Fader, Hardie &amp; Shang 2010, equation 13).
    /// </summary>
    /// <param name="periods">The opportunities ahead, n*, 0 or more.</param>
    /// <param name="history">The history.</param>
    /// <returns>The expected transactions.</returns>
    public double ConditionalExpectedTransactions(int periods, DiscretePurchaseHistory history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(periods);
        history.Validate(nameof(history));
        var (x, n) = (history.Frequency, history.Periods);

        // 1/L · B(α+x+1, β+n−x)/B(α,β) · Σ_(k=1..n*) P(alive at n+k | alive at the start): the last as a difference of gamma ratios.
        var front = SpecialFunctions.BetaLn(Alpha + x + 1, Beta + n - x) - SpecialFunctions.BetaLn(Alpha, Beta) - RowLogLikelihood(history, Alpha, Beta, Gamma, Delta, default);
        return Math.Exp(front) * DropoutSum(Gamma, Delta, n, periods);
    }

    /// <summary>
    /// Σ_(k=1..m) E[(1−θ)^(n+k)] over θ ~ beta(γ, δ), = Σ B(γ, δ+n+k)/B(γ, δ) = δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) ·
    /// [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+m)/Γ(γ+δ+n+m)]; summed term by term when γ is near 1 (where the closed form is 0/0).
    /// </summary>
    private static double DropoutSum(double gamma, double delta, int n, int m)
    {
        if (m == 0)
        {
            return 0;
        }

        var lnBeta = SpecialFunctions.BetaLn(gamma, delta);
        if (Math.Abs(gamma - 1) < 1e-6)
        {
            double sum = 0;
            for (var k = 1; k <= m; k++)
            {
                sum += Math.Exp(SpecialFunctions.BetaLn(gamma, delta + n + k) - lnBeta);
            }

            return sum;
        }

        var scale = delta / (gamma - 1) * Math.Exp(SpecialFunctions.GammaLn(gamma + delta) - SpecialFunctions.GammaLn(1 + delta));
        var first = Math.Exp(SpecialFunctions.GammaLn(1 + delta + n) - SpecialFunctions.GammaLn(gamma + delta + n));
        var last = Math.Exp(SpecialFunctions.GammaLn(1 + delta + n + m) - SpecialFunctions.GammaLn(gamma + delta + n + m));
        return scale * (first - last);
    }

    private static (DiscretePurchaseHistory[] Rows, double[] Weights) Collapse(IReadOnlyList<DiscretePurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (weights is not null && weights.Count != customers.Count)
        {
            throw new ArgumentException($"There are {customers.Count} histories and {weights.Count} weights; they go by index.", nameof(weights));
        }

        var groups = new Dictionary<DiscretePurchaseHistory, double>();
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

    /// <summary>The weighted log-likelihood and, when asked, its gradient in (α, β, γ, δ).</summary>
    internal static double LogLikelihood(DiscretePurchaseHistory[] rows, double[] weights, double alpha, double beta, double gamma, double delta, double[]? gradient)
    {
        double total = 0;
        Span<double> g = stackalloc double[4];
        if (gradient is not null)
        {
            Array.Clear(gradient);
        }

        for (var i = 0; i < rows.Length; i++)
        {
            total += weights[i] * RowLogLikelihood(rows[i], alpha, beta, gamma, delta, gradient is null ? default : g);
            if (gradient is not null)
            {
                for (var j = 0; j < 4; j++)
                {
                    gradient[j] += weights[i] * g[j];
                }
            }
        }

        return total;
    }

    /// <summary>
    /// ln L for one history: ln of B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) + Σ_(i=0..n−t_x−1) B(α+x, β+t_x−x+i)/B(α,β) ·
    /// B(γ+1, δ+t_x+i)/B(γ,δ) (alive through n, or gone after opportunity t_x + i), by log-sum-exp; with a non-empty
    /// <paramref name="gradient"/>, its derivatives in (α, β, γ, δ) as the terms' weighted derivatives.
    /// </summary>
    internal static double RowLogLikelihood(DiscretePurchaseHistory h, double alpha, double beta, double gamma, double delta, Span<double> gradient)
    {
        var (x, tx, n) = (h.Frequency, h.Recency, h.Periods);
        var lnBab = SpecialFunctions.BetaLn(alpha, beta);
        var lnBgd = SpecialFunctions.BetaLn(gamma, delta);
        var terms = n - tx + 1;
        Span<double> logs = terms <= 256 ? stackalloc double[terms] : new double[terms];
        logs[0] = SpecialFunctions.BetaLn(alpha + x, beta + n - x) - lnBab + SpecialFunctions.BetaLn(gamma, delta + n) - lnBgd;
        var max = logs[0];
        for (var i = 0; i < terms - 1; i++)
        {
            logs[i + 1] = SpecialFunctions.BetaLn(alpha + x, beta + tx - x + i) - lnBab + SpecialFunctions.BetaLn(gamma + 1, delta + tx + i) - lnBgd;
            max = Math.Max(max, logs[i + 1]);
        }

        double sum = 0;
        foreach (var l in logs)
        {
            sum += Math.Exp(l - max);
        }

        var log = max + Math.Log(sum);
        if (gradient.IsEmpty)
        {
            return log;
        }

        // ∂ ln B(a+u, b+v) = ψ(a+u) − ψ(a+b+u+v) in a, ψ(b+v) − ψ(a+b+u+v) in b; minus those of ln B(a, b).
        var (psiA, psiB, psiAb) = (SpecialFunctions.DiGamma(alpha), SpecialFunctions.DiGamma(beta), SpecialFunctions.DiGamma(alpha + beta));
        var (psiG, psiD, psiGd) = (SpecialFunctions.DiGamma(gamma), SpecialFunctions.DiGamma(delta), SpecialFunctions.DiGamma(gamma + delta));
        var psiAx = SpecialFunctions.DiGamma(alpha + x);
        gradient.Clear();
        for (var k = 0; k < terms; k++)
        {
            var weight = Math.Exp(logs[k] - log);
            var (m, e, j) = k == 0 ? (n - x, 0, n) : (tx - x + k - 1, 1, tx + k - 1); // β's shift, γ's shift, δ's shift
            var psiAll = SpecialFunctions.DiGamma(alpha + beta + x + m);
            var psiDropout = SpecialFunctions.DiGamma(gamma + delta + e + j);
            gradient[0] += weight * (psiAx - psiAll - psiA + psiAb);
            gradient[1] += weight * (SpecialFunctions.DiGamma(beta + m) - psiAll - psiB + psiAb);
            gradient[2] += weight * (SpecialFunctions.DiGamma(gamma + e) - psiDropout - psiG + psiGd);
            gradient[3] += weight * (SpecialFunctions.DiGamma(delta + j) - psiDropout - psiD + psiGd);
        }

        return log;
    }
}
