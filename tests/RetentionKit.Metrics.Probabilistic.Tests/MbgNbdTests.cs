using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>MBG/NBD (Batislam, Denizel &amp; Filiztekin 2007) on CDNOW: no published CDNOW estimates, so the maximum-likelihood point `lifetimes` finds.</summary>
public class MbgNbdTests
{
    // lifetimes' ModifiedBetaGeoFitter on the same data: r ≈ 0.525, α ≈ 6.183, a ≈ 0.891, b ≈ 1.614.
    private static readonly MbgNbdModel Reference = new(0.525, 6.183, 0.891, 1.614);

    private static readonly Gen<MbgNbdModel> Models =
        from r in Gen.Elements(0.05, 0.525, 3.0, 40.0)
        from alpha in Gen.Elements(0.5, 6.183, 120.0)
        from a in Gen.Elements(0.3, 0.891, 2.5, 30.0)
        from b in Gen.Elements(0.4, 1.614, 9.0, 200.0)
        select new MbgNbdModel(r, alpha, a, b);

    private static readonly Gen<PurchaseHistory> Histories = CountModelChecks.Histories;

    [Fact]
    public void Fit_OnCdnow_FindsTheMaximumLifetimesFinds()
    {
        var model = MbgNbdModel.FitTo(BgNbdTests.Cdnow());

        Assert.Equal(0.525, model.R, 3);
        Assert.Equal(6.183, model.Alpha, 2);
        Assert.Equal(0.891, model.A, 3);
        Assert.Equal(1.614, model.B, 2);
        Assert.True(model.Fit!.Converged);
        Assert.True(model.Fit.LogLikelihood >= Reference.LogLikelihood(BgNbdTests.Cdnow()) - 1e-6);
    }

    [Fact]
    public void WeightedRows_FitAsTheExpandedData() =>
        CountModelChecks.WeightedRowsFitAsTheExpandedData((rows, weights) =>
        {
            var m = MbgNbdModel.FitTo(rows, weights);
            return [m.R, m.Alpha, m.A, m.B, m.Fit!.LogLikelihood];
        });

    [Property(MaxTest = 200)]
    public Property TheGradient_IsTheDerivativeOfTheLogLikelihood() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (m, h) = pair;
            var data = new BgNbdLikelihood([h], [1], modified: true);
            GradientCheck.Matches((p, g) => data.LogLikelihood(p[0], p[1], p[2], p[3], g), [m.R, m.Alpha, m.A, m.B], $"{m} {h}");
        });

    [Property(MaxTest = 300)]
    public Property PAlive_IsAProbabilityBelowOne_AndExpectationsGrowWithTheHorizon() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (m, h) = pair;
            var alive = m.ProbabilityAlive(h);
            var (near, far) = (m.ConditionalExpectedPurchases(13, h), m.ConditionalExpectedPurchases(52, h));

            Assert.InRange(alive, 0, 1);
            Assert.True(alive < 1, $"P(alive) {alive}: a dropout chance at the first purchase keeps it below 1 ({m}, {h})");
            Assert.True(double.IsFinite(near) && near >= 0 && far >= near, $"{near} then {far} ({m}, {h})");
        });

    [Fact]
    public void ANewCustomer_ExpectsWhatTheModelExpectsOfAnyoneJustAcquired()
    {
        var m = Reference;

        // Near 0, E[X(t)] grows at the purchase rate r/α times the chance b/(a+b) of surviving the first purchase.
        Assert.Equal(m.R / m.Alpha * m.B / (m.A + m.B), m.ExpectedPurchases(1e-6) / 1e-6, 6);
        Assert.Equal(m.ExpectedPurchases(39), m.ConditionalExpectedPurchases(39, new PurchaseHistory(0, 0, 1e-9)), 6);
        Assert.Equal(m.B / (m.A + m.B), m.ProbabilityAlive(new PurchaseHistory(0, 0, 1e-9)), 6);
    }

    [Fact]
    public void ItDiffersFromBgNbd_OnlyInTheFirstPurchasesDropout()
    {
        // The same parameters: MBG/NBD's P(alive) is BG/NBD's with b + x for b + x − 1, so the two meet as x grows.
        var bg = new BgNbdModel(Reference.R, Reference.Alpha, Reference.A, Reference.B);
        var heavy = new PurchaseHistory(40, 30, 38);

        Assert.Equal(1, bg.ProbabilityAlive(new PurchaseHistory(0, 0, 38)));
        Assert.True(Reference.ProbabilityAlive(new PurchaseHistory(0, 0, 38)) < 0.7);
        Assert.Equal(bg.ProbabilityAlive(heavy), Reference.ProbabilityAlive(heavy), 2);
    }

    [Fact]
    public void AHeavyBuyerLongGone_HasPAliveNearZero_WithoutOverflow()
    {
        var gone = new PurchaseHistory(1000, 10, 100);

        Assert.InRange(Reference.ProbabilityAlive(gone), 0, 1e-12);
        var expected = Reference.ConditionalExpectedPurchases(39, gone);
        Assert.True(double.IsFinite(expected) && expected >= 0 && expected < 1e-6, $"expected purchases {expected}");
    }

    [Fact]
    public void Predict_GivesTheSingleCustomerFigures()
    {
        var cdnow = BgNbdTests.Cdnow();
        var (expected, alive) = (new double[cdnow.Length], new double[cdnow.Length]);

        Reference.Predict(39, cdnow, expected, alive);

        for (var i = 0; i < cdnow.Length; i += 97)
        {
            Assert.Equal(Reference.ConditionalExpectedPurchases(39, cdnow[i]), expected[i], 12);
            Assert.Equal(Reference.ProbabilityAlive(cdnow[i]), alive[i], 12);
        }
    }

    [Fact]
    public void BadInput_IsNamed()
    {
        Assert.Equal("A", Assert.Throws<ArgumentOutOfRangeException>(() => new MbgNbdModel(0.5, 6, 0, 1)).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => MbgNbdModel.FitTo([new(1, 1, 2)])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => MbgNbdModel.FitTo([new(1, 1, 2), new(0, 0, 3), new(2, 1, 5), new(0, 0, 4)], [1, 1, -1, 1])).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentOutOfRangeException>(() => Reference.ConditionalExpectedPurchases(10, new PurchaseHistory(-1, 0, 3))).ParamName);
    }
}
