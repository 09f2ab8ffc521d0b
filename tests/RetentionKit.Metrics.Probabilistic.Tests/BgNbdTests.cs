using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>BG/NBD against Fader, Hardie &amp; Lee (2005) on CDNOW: the published parameters, log-likelihood and predictions.</summary>
public class BgNbdTests
{
    // The paper's estimates (and the log-likelihood they give): r = 0.243, α = 4.414, a = 0.793, b = 2.426; −9582.43.
    private static readonly BgNbdModel Published = new(0.243, 4.414, 0.793, 2.426);

    internal static PurchaseHistory[] Cdnow() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new PurchaseHistory(double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        })];

    [Fact]
    public void Fit_OnCdnow_ReproducesThePublishedParametersAndLogLikelihood()
    {
        var model = BgNbdModel.FitTo(Cdnow());

        Assert.Equal(0.243, model.R, 3);
        Assert.Equal(4.414, model.Alpha, 3);
        Assert.Equal(0.793, model.A, 3);
        Assert.Equal(2.426, model.B, 3);
        Assert.Equal(-9582.43, model.Fit!.LogLikelihood, 2);
        Assert.True(model.Fit.Converged);
        Assert.InRange(model.Fit.GradientNorm, 0, 1e-2);
    }

    [Fact]
    public void ThePublishedParameters_GiveThePublishedLogLikelihood()
    {
        Assert.Equal(-9582.43, Published.LogLikelihood(Cdnow()), 0);
    }

    [Fact]
    public void Predictions_MatchThePaper()
    {
        var fitted = BgNbdModel.FitTo(Cdnow());

        // Customer 1 (x = 2, t_x = 30.43, T = 38.86): 1.226 purchases expected in the next 39 weeks.
        Assert.Equal(1.226, fitted.ConditionalExpectedPurchases(39, new PurchaseHistory(2, 30.43, 38.86)), 3);

        // E[X(t)] for a new customer.
        Assert.Equal(0.0532, fitted.ExpectedPurchases(1), 4);
        Assert.Equal(0.1506, fitted.ExpectedPurchases(3), 4);
        Assert.Equal(1.0437, fitted.ExpectedPurchases(32), 4);
        // Published 1.8576. The series summed in 40-digit decimal arithmetic at these parameters gives 1.857972 (and the
        // published, rounded parameters 1.8605), so the published figure carries an error of its 2F1 evaluation near
        // z = 1 (c − a − b < 0): it is met to three decimals, and the exact value to six.
        Assert.Equal(1.8576, fitted.ExpectedPurchases(78), 3);
        Assert.Equal(1.857972, fitted.ExpectedPurchases(78), 5);

        // P(alive) of a customer with no repeat purchase is 1.
        Assert.Equal(1, fitted.ProbabilityAlive(new PurchaseHistory(0, 0, 38.86)));
    }

    [Fact]
    public void ProbabilityOfNPurchases_MatchesThePaper()
    {
        Assert.Equal(0.5737864, Published.ProbabilityOfPurchases(0, 39), 6);
        Assert.Equal(1.07869e-7, Published.ProbabilityOfPurchases(10, 2), 11);
        Assert.Equal(1, Enumerable.Range(0, 200).Sum(n => Published.ProbabilityOfPurchases(n, 39)), 6);
    }

    [Fact]
    public void AHeavyBuyerLongGone_HasPAliveNearZero_WithoutOverflow()
    {
        var gone = new PurchaseHistory(1000, 10, 100);

        var alive = Published.ProbabilityAlive(gone);
        var expected = Published.ConditionalExpectedPurchases(39, gone);

        Assert.InRange(alive, 0, 1e-12);
        Assert.True(double.IsFinite(expected) && expected >= 0 && expected < 1e-6, $"expected purchases {expected}");
    }

    [Fact]
    public void TheTwoFormsOfTheHypergeometricTail_Agree_WhereBothConverge()
    {
        foreach (var (r, a, b) in new[] { (0.243, 0.793, 2.426), (1.5, 30.0, 90.0), (0.5, 3.0, 0.7) })
        {
            foreach (var x in new[] { 0d, 1, 5, 20 })
            {
                foreach (var z in new[] { 0.01, 0.3, 0.7, 0.95 })
                {
                    var (rho, beta, c) = (r + x, b + x, a + b + x - 1);
                    var direct = BgNbdModel.TailDirect(rho, beta, c, z);
                    Assert.Equal(BgNbdModel.TailEuler(rho, beta, c, z), direct, Math.Max(1e-13, direct * 1e-11));
                }
            }
        }
    }

    [Fact]
    public void TheSeriesInOneMinusZ_AgreesWithTheSeriesInZ_JustPastWhereItTakesOver()
    {
        foreach (var (r, a, b) in new[] { (0.243, 0.793, 2.426), (1.5, 3.0, 9.0), (0.5, 3.0, 0.7), (2.0, 0.6, 1.2) })
        {
            foreach (var x in new[] { 0d, 1, 3 })
            {
                foreach (var z in new[] { 0.991, 0.995, 0.999 })
                {
                    var (rho, beta, c) = (r + x, b + x, a + b + x - 1);
                    var series = c > 0 && rho * beta < Math.Abs((c - rho) * (c - beta)) ? BgNbdModel.TailDirect(rho, beta, c, z) : BgNbdModel.TailEuler(rho, beta, c, z);
                    Assert.Equal(series, BgNbdModel.TailNearOne(rho, beta, c, 1 - z), Math.Max(1e-12, Math.Abs(series) * 1e-9));
                }
            }
        }
    }

    // Regression: ExpectedPurchases(t) threw "did not converge" from t ≈ 5×10⁵ weeks at CDNOW's parameters (the
    // series in z needs about 1/(1 − z) terms). Checked against E[X(t)] = E_p[(1 − (α/(α + pt))^r) / p], p ~ Beta(a, b),
    // integrated numerically here (an independent route: no hypergeometric function).
    [Theory]
    [InlineData(5e5)]
    [InlineData(1e6)]
    [InlineData(3e7)]
    public void ExpectedPurchases_OverAVeryLongHorizon_IsFinite_AndTheIntegralOverDropout(double t)
    {
        var (r, alpha, a, b) = (Published.R, Published.Alpha, Published.A, Published.B);
        var value = Published.ExpectedPurchases(t);

        // With p = v^a the density's p^(a−2) dp becomes dv / (a p), finite at 0; the bend near p = α/t gets its own grid.
        double Integrand(double v)
        {
            var p = Math.Pow(v, 1 / a);
            if (p < 1e-12)
            {
                return r * t / alpha / a; // (1 − (1 + pt/α)^−r) / p → r t / α
            }

            return -double.ExpM1(-r * double.LogP1(p * t / alpha)) / p * Math.Pow(1 - p, b - 1) / a;
        }

        static double Simpson(Func<double, double> f, double from, double to, int n)
        {
            var h = (to - from) / n;
            var sum = f(from) + f(to);
            for (var i = 1; i < n; i++)
            {
                sum += f(from + (i * h)) * (i % 2 == 1 ? 4 : 2);
            }

            return sum * h / 3;
        }

        var bend = Math.Min(0.5, 100 * Math.Pow(alpha / t, a));
        var integral = (Simpson(Integrand, 0, bend, 200_000) + Simpson(Integrand, bend, 1, 200_000)) / Math.Exp(MathNet.Numerics.SpecialFunctions.BetaLn(a, b));

        Assert.True(double.IsFinite(value) && value > Published.ExpectedPurchases(t / 2), $"E[X({t})] = {value}");
        Assert.Equal(integral, value, integral * 1e-6);
    }

    [Fact]
    public void LittleHeterogeneityInDropout_LargeAAndB_GivesFiniteExpectations_ThatSettleAsTheyGrow()
    {
        // a and b in a fixed ratio (dropout 22 % after each purchase for everyone) as they grow: a fit on data without
        // heterogeneity in dropout ends there. The transformed series alone would overflow beyond a ≈ 1,000.
        var history = new PurchaseHistory(3, 20, 30);
        var values = new[] { 1e2, 1e3, 1e4, 1e5, 1e6 }.Select(k => new BgNbdModel(0.28, 4.87, 2.1 * k, 7.4 * k)).Select(m => (Conditional: m.ConditionalExpectedPurchases(26, history), New: m.ExpectedPurchases(26))).ToList();
        var heavy = new BgNbdModel(0.28, 4.87, 2.1e6, 7.4e6).ConditionalExpectedPurchases(26, new PurchaseHistory(1000, 29, 30));

        Assert.All(values, v => Assert.True(double.IsFinite(v.Conditional) && v.Conditional > 0 && double.IsFinite(v.New) && v.New > 0));
        Assert.True(Math.Abs(values[4].Conditional - values[3].Conditional) < Math.Abs(values[1].Conditional - values[0].Conditional) / 100);
        Assert.True(Math.Abs(values[4].New - values[3].New) < Math.Abs(values[1].New - values[0].New) / 100);
        Assert.True(double.IsFinite(heavy) && heavy > 0, $"expected purchases {heavy}");
    }

    [Fact]
    public void WeightedFit_OfCollapsedRows_EqualsTheFitOfTheExpandedData()
    {
        var customers = Cdnow();
        var distinct = customers.GroupBy(c => c).Select(g => (g.Key, (double)g.Count())).ToArray();

        var expanded = BgNbdModel.FitTo(customers);
        var weighted = BgNbdModel.FitTo([.. distinct.Select(d => d.Key)], [.. distinct.Select(d => d.Item2)]);

        Assert.Equal(expanded.R, weighted.R, 6);
        Assert.Equal(expanded.Alpha, weighted.Alpha, 5);
        Assert.Equal(expanded.A, weighted.A, 6);
        Assert.Equal(expanded.B, weighted.B, 5);
    }

    [Fact]
    public void BadInput_IsRefused_NamingTheRule()
    {
        Assert.Contains("between 0 and T", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(new PurchaseHistory(2, 40, 38))).Message, StringComparison.Ordinal);
        Assert.Contains("whole number", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(new PurchaseHistory(-1, 0, 38))).Message, StringComparison.Ordinal);
        Assert.Contains("at least four customers", Assert.Throws<ArgumentException>(() => BgNbdModel.FitTo([new PurchaseHistory(1, 1, 2), new PurchaseHistory(0, 0, 2)])).Message, StringComparison.Ordinal);
    }
}
