using System;
using System.Linq;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>Saving and loading fitted models as JSON.</summary>
public class SavedModelTests
{
    [Fact]
    public void EveryModel_RoundTrips_WithItsUncertaintyAndDataSummary()
    {
        var cdnow = BgNbdTests.Cdnow();
        var (rows, weights) = BgBbTests.Donations();
        var bg = BgNbdModel.FitTo(cdnow);
        var pareto = ParetoNbdModel.FitTo(cdnow);
        var mbg = MbgNbdModel.FitTo(cdnow);
        var bgbb = BgBbModel.FitTo(rows, weights);
        SavedModel[] saved = [SavedModel.Of(bg, 2_357, "week"), SavedModel.Of(pareto, 2_357, "week"), SavedModel.Of(mbg, 2_357, "week"), SavedModel.Of(bgbb, 11_104, "year")];

        foreach (var s in saved)
        {
            var loaded = SavedModel.FromJson(s.ToJson());

            Assert.Equal(s.Model, loaded.Model);
            Assert.Equal(s.Parameters.ToArray(), loaded.Parameters.ToArray());
            Assert.Equal(s.StandardErrors.ToArray(), loaded.StandardErrors.ToArray());
            Assert.Equal(s.LogCovariance.ToArray(), loaded.LogCovariance.ToArray());
            Assert.Equal((s.LogLikelihood, s.Customers, s.TimeUnit), (loaded.LogLikelihood, loaded.Customers, loaded.TimeUnit));
            Assert.Equal(s.Uncertainty!.Interval(1), loaded.Uncertainty!.Interval(1));
        }

        // The loaded models predict as the fitted ones.
        var h = cdnow[0];
        Assert.Equal(bg.ConditionalExpectedPurchases(39, h), SavedModel.FromJson(saved[0].ToJson()).ToBgNbd().ConditionalExpectedPurchases(39, h));
        Assert.Equal(pareto.ProbabilityAlive(h), SavedModel.FromJson(saved[1].ToJson()).ToParetoNbd().ProbabilityAlive(h));
        Assert.Equal(mbg.ExpectedPurchases(39), SavedModel.FromJson(saved[2].ToJson()).ToMbgNbd().ExpectedPurchases(39));
        Assert.Equal(bgbb.ExpectedTransactions(5), SavedModel.FromJson(saved[3].ToJson()).ToBgBb().ExpectedTransactions(5));
        Assert.Equal(bg.Fit!.Uncertainty!.StandardErrors.ToArray(), saved[0].StandardErrors.ToArray());
    }

    [Fact]
    public void TheJson_IsReadable_AndAKnownModelNeedsNoFit()
    {
        var json = SavedModel.Of(new GammaGammaModel(6.25, 3.74, 15.44)).ToJson();

        Assert.Contains("\"model\": \"gammagamma\"", json, StringComparison.Ordinal);
        Assert.Contains("\"gamma\": 15.44", json, StringComparison.Ordinal);
        Assert.DoesNotContain("standardErrors", json, StringComparison.Ordinal);
        Assert.Null(SavedModel.FromJson(json).Uncertainty);
        Assert.Equal(15.44, SavedModel.FromJson(json).ToGammaGamma().Gamma);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"model\":\"weibull\",\"parameters\":{}}", "no known model")]
    [InlineData("{\"model\":\"bgnbd\",\"parameters\":{\"r\":1,\"alpha\":2,\"a\":3}}", "\"b\"")]
    [InlineData("{\"model\":\"paretonbd\",\"parameters\":{\"r\":1,\"alpha\":2,\"s\":-3,\"beta\":4}}", "\"s\"")]
    [InlineData("{\"model\":\"bgbb\",\"parameters\":{\"alpha\":1,\"beta\":2,\"gamma\":3,\"delta\":4},\"logCovariance\":[1,2,3]}", "16")]
    public void ABadSavedModel_IsAFormatErrorThatSaysWhy(string json, string why)
    {
        Assert.Contains(why, Assert.Throws<FormatException>(() => SavedModel.FromJson(json)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelOfAnotherKind_IsNotReadAsThisOne()
    {
        var saved = SavedModel.Of(new BgNbdModel(0.243, 4.414, 0.793, 2.426));

        Assert.Equal("The saved model is bgnbd, not paretonbd.", Assert.Throws<InvalidOperationException>(() => saved.ToParetoNbd()).Message);
        Assert.Equal("customers", Assert.Throws<ArgumentOutOfRangeException>(() => SavedModel.Of(new BgNbdModel(1, 1, 1, 1), -1)).ParamName);
    }
}
