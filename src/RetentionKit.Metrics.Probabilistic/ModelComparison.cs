using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>The customers of one calibration frequency and their mean hold-out purchases, actual and predicted.</summary>
/// <param name="Frequency">The calibration frequency (repeat purchases); the last bin holds this many and more.</param>
/// <param name="Customers">The customers in the bin.</param>
/// <param name="Actual">Their mean purchases in the hold-out period.</param>
/// <param name="Predicted">The model's mean prediction for them.</param>
public readonly record struct FrequencyBin(int Frequency, int Customers, double Actual, double Predicted);

/// <summary>How one model did: fitted on the calibration period, judged on the hold-out period.</summary>
/// <param name="Model">The model's name: "BG/NBD", "Pareto/NBD", "MBG/NBD".</param>
/// <param name="Parameters">The fitted parameters by name; empty when the fit failed.</param>
/// <param name="LogLikelihood">The calibration log-likelihood; NaN when the fit failed.</param>
/// <param name="Aic">Akaike's criterion, 2k − 2 ln L (lower is better).</param>
/// <param name="Bic">Schwarz's criterion, k ln n − 2 ln L (lower is better).</param>
/// <param name="PredictedHoldoutPurchases">The hold-out purchases the model predicts, in total.</param>
/// <param name="ByFrequency">Actual against predicted mean hold-out purchases by calibration frequency (0 to 7+).</param>
/// <param name="BinError">The customer-weighted mean absolute error of <paramref name="ByFrequency"/>: how far the model's conditional expectations are from what happened.</param>
/// <param name="Failure">Why the fit failed; null when it did not.</param>
public sealed record ModelAssessment(
    string Model,
    ImmutableDictionary<string, double> Parameters,
    double LogLikelihood,
    double Aic,
    double Bic,
    double PredictedHoldoutPurchases,
    ImmutableArray<FrequencyBin> ByFrequency,
    double BinError,
    string? Failure)
{
    /// <summary>Gets the fit's parameters' uncertainty, when it has one.</summary>
    public ParameterUncertainty? Uncertainty { get; init; }
}

/// <summary>
/// BG/NBD, Pareto/NBD and MBG/NBD fitted on the same calibration period and judged on the same hold-out period — by
/// calibration log-likelihood and information criteria, and by how well each predicts the hold-out purchases — with
/// the winner named.
/// </summary>
/// <param name="Customers">The calibration customers.</param>
/// <param name="HoldoutLength">The hold-out period in time units.</param>
/// <param name="ActualHoldoutPurchases">The purchases the customers made in the hold-out period.</param>
/// <param name="Models">Each model's assessment, in the order fitted.</param>
/// <param name="Winner">The model with the smallest <see cref="ModelAssessment.BinError"/>, ties to the smaller BIC; null when every fit failed.</param>
public sealed record ModelComparison(int Customers, double HoldoutLength, double ActualHoldoutPurchases, ImmutableArray<ModelAssessment> Models, string? Winner)
{
    /// <summary>The last frequency bin: customers with this many repeat purchases or more.</summary>
    public const int TopFrequency = 7;

    /// <summary>
    /// Fits the three continuous-time models on a split's calibration histories and judges them on its hold-out period.
    /// The winner is chosen by the hold-out error by calibration frequency (the comparison Fader, Hardie &amp; Lee draw,
    /// and what a forecast of a segment's purchases needs), not by the calibration fit: a model may fit the past better
    /// with the same number of parameters and still predict worse.
    /// </summary>
    /// <param name="split">The calibration/hold-out split.</param>
    /// <param name="penalizer">The L2 penalizer of every fit; 0 for none.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">The split has fewer than four customers.</exception>
    public static ModelComparison Compare(CalibrationHoldoutSplit split, double penalizer = 0)
    {
        ArgumentNullException.ThrowIfNull(split);
        var customers = split.Customers;
        if (customers.Length < 4)
        {
            throw new ArgumentException($"Comparing models of four parameters needs at least four customers; the split has {customers.Length}.", nameof(split));
        }

        var histories = customers.Select(c => c.Calibration).ToArray();
        var horizon = split.HoldoutLength;
        var actual = customers.Sum(c => (double)c.HoldoutPurchases);
        ModelAssessment[] models =
        [
            Assess("BG/NBD", histories, customers, () =>
            {
                var m = BgNbdModel.FitTo(histories, penalizer: penalizer);
                return (m.Fit!, new() { ["r"] = m.R, ["alpha"] = m.Alpha, ["a"] = m.A, ["b"] = m.B }, m.Predict);
            }, horizon),
            Assess("Pareto/NBD", histories, customers, () =>
            {
                var m = ParetoNbdModel.FitTo(histories, penalizer: penalizer);
                return (m.Fit!, new() { ["r"] = m.R, ["alpha"] = m.Alpha, ["s"] = m.S, ["beta"] = m.Beta }, m.Predict);
            }, horizon),
            Assess("MBG/NBD", histories, customers, () =>
            {
                var m = MbgNbdModel.FitTo(histories, penalizer: penalizer);
                return (m.Fit!, new() { ["r"] = m.R, ["alpha"] = m.Alpha, ["a"] = m.A, ["b"] = m.B }, m.Predict);
            }, horizon),
        ];

        var winner = models.Where(m => m.Failure is null).OrderBy(m => m.BinError).ThenBy(m => m.Bic).FirstOrDefault()?.Model;
        return new ModelComparison(customers.Length, horizon, actual, [.. models], winner);
    }

    private delegate void Predictor(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive);

    private static ModelAssessment Assess(string name, PurchaseHistory[] histories, ImmutableArray<HoldoutCustomer> customers, Func<(FitReport Fit, Dictionary<string, double> Parameters, Predictor Predict)> fit, double horizon)
    {
        (FitReport Fit, Dictionary<string, double> Parameters, Predictor Predict) fitted;
        try
        {
            fitted = fit();
        }
        catch (ModelFitException e)
        {
            return new ModelAssessment(name, ImmutableDictionary<string, double>.Empty, double.NaN, double.NaN, double.NaN, double.NaN, [], double.NaN, e.Message);
        }

        var (expected, alive) = (new double[histories.Length], new double[histories.Length]);
        fitted.Predict(horizon, histories, expected, alive);
        var bins = new (int Customers, double Actual, double Predicted)[TopFrequency + 1];
        for (var i = 0; i < histories.Length; i++)
        {
            var b = (int)Math.Min(TopFrequency, histories[i].Frequency);
            bins[b] = (bins[b].Customers + 1, bins[b].Actual + customers[i].HoldoutPurchases, bins[b].Predicted + expected[i]);
        }

        var byFrequency = ImmutableArray.CreateBuilder<FrequencyBin>();
        double error = 0;
        for (var b = 0; b < bins.Length; b++)
        {
            if (bins[b].Customers > 0)
            {
                var (n, a, p) = (bins[b].Customers, bins[b].Actual / bins[b].Customers, bins[b].Predicted / bins[b].Customers);
                byFrequency.Add(new FrequencyBin(b, n, a, p));
                error += n * Math.Abs(p - a);
            }
        }

        var k = fitted.Parameters.Count;
        var ll = fitted.Fit.LogLikelihood;
        return new ModelAssessment(
            name,
            fitted.Parameters.ToImmutableDictionary(),
            ll,
            (2 * k) - (2 * ll),
            (k * Math.Log(histories.Length)) - (2 * ll),
            expected.Sum(),
            byFrequency.ToImmutable(),
            error / histories.Length,
            null)
        {
            Uncertainty = fitted.Fit.Uncertainty,
        };
    }
}
