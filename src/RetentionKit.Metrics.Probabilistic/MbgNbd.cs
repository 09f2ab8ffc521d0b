using System;
using System.Collections.Generic;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// The MBG/NBD model (Batislam, Denizel &amp; Filiztekin 2007): BG/NBD with a dropout chance at the first purchase as
/// well as after every repeat one. A customer who never bought again is then not certainly alive (BG/NBD says they
/// are), which suits bases with many one-time buyers; otherwise the two models agree closely.
/// </summary>
/// <param name="R">The gamma shape r of the purchase rate.</param>
/// <param name="Alpha">The gamma scale α of the purchase rate.</param>
/// <param name="A">The beta parameter a of the dropout probability.</param>
/// <param name="B">The beta parameter b of the dropout probability.</param>
public sealed record MbgNbdModel(double R, double Alpha, double A, double B)
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

    /// <summary>Fits the model by maximum likelihood (log-parameters, BFGS, analytic gradient), collapsing identical histories into weights.</summary>
    /// <param name="customers">The customers' histories.</param>
    /// <param name="weights">How many customers each history stands for (default: one each); positive.</param>
    /// <param name="maxIterations">The optimiser's iteration limit.</param>
    /// <param name="penalizer">The weight of an L2 penalty on the log-parameters (as the penalizer_coef of `lifetimes`; it shrinks the parameters toward 1 when the data are few); 0, the default, for none.</param>
    /// <returns>The fitted model, with its <see cref="Fit"/> report.</returns>
    /// <exception cref="ArgumentException">Fewer than four customers (the model has four parameters), a bad history, a bad weight, or a negative penalizer.</exception>
    /// <exception cref="ModelFitException">No customer made a repeat purchase, or the optimiser did not reach a maximum.</exception>
    public static MbgNbdModel FitTo(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights = null, int maxIterations = 500, double penalizer = 0)
    {
        var data = Collapse(customers, weights);
        if (data.TotalWeight < 4)
        {
            throw new ArgumentException($"Fitting four parameters needs at least four customers; there are {data.TotalWeight}.", nameof(customers));
        }

        PurchaseHistories.RequireRepeatPurchases(System.Linq.Enumerable.Select(customers, c => c.Frequency), "MBG/NBD");

        var (theta, fit) = MaximumLikelihood.Fit(
            "MBG/NBD",
            ["r", "alpha", "a", "b"],
            (p, g) => data.LogLikelihood(p[0], p[1], p[2], p[3], g),
            data.TotalWeight,
            [0, Math.Log(Math.Max(1e-3, data.MeanT)), 0, 0],
            maxIterations,
            penalizer);
        return new MbgNbdModel(theta[0], theta[1], theta[2], theta[3]) { Fit = fit };
    }

    /// <summary>The log-likelihood of the histories under the model (summed, no constant dropped).</summary>
    /// <param name="customers">The histories.</param>
    /// <returns>The log-likelihood.</returns>
    public double LogLikelihood(IReadOnlyList<PurchaseHistory> customers) => Collapse(customers, null).LogLikelihood(R, Alpha, A, B);

    /// <summary>P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)); below 1 even for a customer with no repeat purchase.</summary>
    /// <param name="history">The history.</param>
    /// <returns>The probability.</returns>
    public double ProbabilityAlive(PurchaseHistory history)
    {
        history.Validate(nameof(history));
        return AliveUnchecked(history);
    }

    /// <summary>E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b+1; a+b; t/(α+t))]: the expected purchases in (0, t] of a customer just acquired.</summary>
    /// <param name="t">The time; not negative.</param>
    /// <returns>The expected purchases.</returns>
    public double ExpectedPurchases(double t)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        return t == 0 ? 0 : B / (A - 1) * (1 - BgNbdModel.Tail(R, B + 1, A + B, t / (Alpha + t), Alpha / (Alpha + t)));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive):
    /// the expected purchases in the next t of a customer with this history.
    /// </summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="history">The history.</param>
    /// <returns>The expected purchases.</returns>
    public double ConditionalExpectedPurchases(double t, PurchaseHistory history)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        history.Validate(nameof(history));
        return t == 0 ? 0 : ExpectedPurchasesIfAlive(t, history.Frequency, history.T) * AliveUnchecked(history);
    }

    /// <summary>Predicts for many customers at once: the expected purchases in the next <paramref name="t"/> and P(alive), over the cores.</summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="customers">The histories.</param>
    /// <param name="expectedPurchases">Receives E[Y(t) | history] per customer; as long as <paramref name="customers"/>.</param>
    /// <param name="probabilityAlive">Receives P(alive) per customer; as long as <paramref name="customers"/>.</param>
    /// <exception cref="ArgumentException">The outputs are shorter than the input, or a history is invalid (nothing is written then).</exception>
    public void Predict(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive) =>
        BatchPrediction.Run(t, customers, expectedPurchases, probabilityAlive, AliveUnchecked, (x, age) => ExpectedPurchasesIfAlive(t, x, age));

    /// <summary>P(alive) of a history already validated, in logs so that a heavy buyer long gone gives 0, not NaN.</summary>
    internal double AliveUnchecked(PurchaseHistory history)
    {
        var (x, tx, t) = (history.Frequency, history.Recency, history.T);
        var log = Math.Log(A) - Math.Log(B + x) + ((R + x) * (Math.Log(Alpha + t) - Math.Log(Alpha + tx)));
        return log > 700 ? 0 : 1 / (1 + Math.Exp(log));
    }

    /// <summary>E[Y(t) | x, T] ÷ P(alive).</summary>
    private double ExpectedPurchasesIfAlive(double t, double x, double age) =>
        (A + B + x) / (A - 1) * (1 - BgNbdModel.Tail(R + x, B + x + 1, A + B + x, t / (Alpha + age + t), (Alpha + age) / (Alpha + age + t)));

    private static BgNbdLikelihood Collapse(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        var (rows, counts) = PurchaseHistories.Collapse(customers, weights);
        return new BgNbdLikelihood(rows, counts, modified: true);
    }
}
