using System;
using System.Collections.Generic;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// The Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987): while alive a customer buys as a Poisson process
/// whose rate is gamma(r, α) across customers, and lives an exponential lifetime whose rate is gamma(s, β) across
/// customers. Unlike BG/NBD, a customer may leave at any moment, not only just after a purchase, so a customer who
/// never bought again is not certainly alive.
/// </summary>
/// <param name="R">The gamma shape r of the purchase rate.</param>
/// <param name="Alpha">The gamma scale α of the purchase rate.</param>
/// <param name="S">The gamma shape s of the dropout rate.</param>
/// <param name="Beta">The gamma scale β of the dropout rate.</param>
public sealed record ParetoNbdModel(double R, double Alpha, double S, double Beta)
{
    /// <summary>Gets the gamma shape r of the purchase rate; positive and finite.</summary>
    public double R { get; init => field = ModelParameter.Positive(value, nameof(R)); } = ModelParameter.Positive(R, nameof(R));

    /// <summary>Gets the gamma scale α of the purchase rate; positive and finite.</summary>
    public double Alpha { get; init => field = ModelParameter.Positive(value, nameof(Alpha)); } = ModelParameter.Positive(Alpha, nameof(Alpha));

    /// <summary>Gets the gamma shape s of the dropout rate; positive and finite.</summary>
    public double S { get; init => field = ModelParameter.Positive(value, nameof(S)); } = ModelParameter.Positive(S, nameof(S));

    /// <summary>Gets the gamma scale β of the dropout rate; positive and finite.</summary>
    public double Beta { get; init => field = ModelParameter.Positive(value, nameof(Beta)); } = ModelParameter.Positive(Beta, nameof(Beta));

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
    public static ParetoNbdModel FitTo(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights = null, int maxIterations = 500, double penalizer = 0)
    {
        var data = Collapse(customers, weights);
        if (data.TotalWeight < 4)
        {
            throw new ArgumentException($"Fitting four parameters needs at least four customers; there are {data.TotalWeight}.", nameof(customers));
        }

        PurchaseHistories.RequireRepeatPurchases(System.Linq.Enumerable.Select(customers, c => c.Frequency), "Pareto/NBD");

        var logT = Math.Log(Math.Max(1e-3, data.MeanT));
        double[] last = [];
        try
        {
            var (theta, fit) = MaximumLikelihood.Fit(
                "Pareto/NBD",
                ["r", "alpha", "s", "beta"],
                (p, g) =>
                {
                    last = p;
                    return data.LogLikelihood(p[0], p[1], p[2], p[3], g);
                },
                data.TotalWeight,
                [0, logT, 0, logT],
                maxIterations,
                penalizer);
            return new ParetoNbdModel(theta[0], theta[1], theta[2], theta[3]) { Fit = fit };
        }
        catch (Exception e) when (FromSeries(e))
        {
            throw new ModelFitException(
                FormattableString.Invariant($"The Pareto/NBD fit left the range its likelihood can be computed in, at r = {last[0]:G4}, α = {last[1]:G4}, s = {last[2]:G4}, β = {last[3]:G4}: α and β so far apart need a hypergeometric series of more than {ParetoNbdLikelihood.SeriesTerms:N0} terms. ")
                + (last[2] > 100 && last[3] > 100
                    ? FormattableString.Invariant($"s and β growing together mean a dropout rate common to every customer (s/β = {last[2] / last[3]:G3}), a limit the Pareto/NBD only reaches at infinity; BG/NBD or MBG/NBD fits such data.")
                    : "The data do not suit the Pareto/NBD; compare it with BG/NBD or MBG/NBD."),
                e);
        }
    }

    /// <summary>Whether a fit's failure comes from a hypergeometric series that could not be summed (through the optimiser's and the parallel loop's wrappers).</summary>
    private static bool FromSeries(Exception? e) => e switch
    {
        null => false,
        ArithmeticException => true,
        AggregateException all => all.InnerExceptions.All(FromSeries),
        _ => FromSeries(e.InnerException),
    };

    /// <summary>The log-likelihood of the histories under the model (summed, no constant dropped).</summary>
    /// <param name="customers">The histories.</param>
    /// <returns>The log-likelihood.</returns>
    public double LogLikelihood(IReadOnlyList<PurchaseHistory> customers) => Collapse(customers, null).LogLikelihood(R, Alpha, S, Beta, null);

    /// <summary>P(alive): the probability that a customer with this history has not dropped out by T.</summary>
    /// <param name="history">The history.</param>
    /// <returns>The probability.</returns>
    public double ProbabilityAlive(PurchaseHistory history)
    {
        history.Validate(nameof(history));
        return AliveUnchecked(history);
    }

    /// <summary>E[X(t)]: the expected number of purchases in (0, t] of a customer just acquired, r β / (α (s − 1)) · [1 − (β/(β+t))^(s−1)].</summary>
    /// <param name="t">The time; not negative.</param>
    /// <returns>The expected purchases.</returns>
    public double ExpectedPurchases(double t)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        return R * Beta / Alpha * OneMinusPower(S - 1, Math.Log(Beta / (Beta + t)));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: the expected purchases in the next t of a customer with this history,
    /// (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
    /// </summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="history">The history.</param>
    /// <returns>The expected purchases.</returns>
    public double ConditionalExpectedPurchases(double t, PurchaseHistory history)
    {
        RetentionKit.Internal.Guard.FiniteNonNegative(t);
        history.Validate(nameof(history));
        return ExpectedPurchasesIfAlive(t, history) * AliveUnchecked(history);
    }

    /// <summary>Predicts for many customers at once: the expected purchases in the next <paramref name="t"/> and P(alive), over the cores.</summary>
    /// <param name="t">The time ahead; not negative.</param>
    /// <param name="customers">The histories.</param>
    /// <param name="expectedPurchases">Receives E[Y(t) | history] per customer; as long as <paramref name="customers"/>.</param>
    /// <param name="probabilityAlive">Receives P(alive) per customer; as long as <paramref name="customers"/>.</param>
    /// <exception cref="ArgumentException">The outputs are shorter than the input, or a history is invalid (nothing is written then).</exception>
    public void Predict(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive) =>
        BatchPrediction.Run(t, customers, expectedPurchases, probabilityAlive, AliveUnchecked, (x, age) => ExpectedPurchasesIfAlive(t, new PurchaseHistory(x, 0, age)), cacheAlive: true);

    /// <summary>P(alive) of a history already validated: 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀), in logs.</summary>
    internal double AliveUnchecked(PurchaseHistory history)
    {
        var (x, t) = (history.Frequency, history.T);
        var p = new ParetoNbdLikelihood.Parameters(R, Alpha, S, Beta, false);

        // The bracket is e^L1 + e^L2 with L1 = −(r+x) ln(α+T) − s ln(β+T); P(alive) = e^L1 / bracket.
        var l1 = (-(R + x) * Math.Log(Alpha + t)) - (S * Math.Log(Beta + t));
        var bracket = ParetoNbdLikelihood.Bracket(p, x, history.Recency, t, default);
        return Math.Exp(l1 - bracket);
    }

    /// <summary>E[Y(t) | x, T] ÷ P(alive).</summary>
    private double ExpectedPurchasesIfAlive(double t, PurchaseHistory history)
    {
        var (x, age) = (history.Frequency, history.T);
        return (R + x) * (Beta + age) / (Alpha + age) * OneMinusPower(S - 1, Math.Log((Beta + age) / (Beta + age + t)));
    }

    /// <summary>(1 − e^(k·l)) / k for l ≤ 0, and its limit −l at k = 0, without the cancellation of 1 − e^(k·l) for a small k·l.</summary>
    private static double OneMinusPower(double k, double l)
    {
        var kl = k * l;
        if (Math.Abs(kl) < 1e-5)
        {
            // −(kl + (kl)²/2 + (kl)³/6) / k = −l (1 + kl/2 + (kl)²/6).
            return -l * (1 + (kl / 2) + (kl * kl / 6));
        }

        return (1 - Math.Exp(kl)) / k;
    }

    private static ParetoNbdLikelihood Collapse(IReadOnlyList<PurchaseHistory> customers, IReadOnlyList<double>? weights)
    {
        var (rows, counts) = PurchaseHistories.Collapse(customers, weights);
        return new ParetoNbdLikelihood(rows, counts);
    }
}
