using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>The tracking plot's expected curve and a customer's P(alive) path, against their definitions and CDNOW.</summary>
public class PurchaseTrackingTests
{
    private static readonly BgNbdModel Published = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void ExpectedCumulativeRepeats_OfOneCustomerFromTheOrigin_IsEOfX_AndThePublishedFigure()
    {
        var fitted = BgNbdModel.FitTo(BgNbdTests.Cdnow());
        var curve = PurchaseTracking.ExpectedCumulativeRepeats(fitted, [0], [0, 1, 3, 32, 78]);

        Assert.Equal([0, fitted.ExpectedPurchases(1), fitted.ExpectedPurchases(3), fitted.ExpectedPurchases(32), fitted.ExpectedPurchases(78)], curve.ToArray());
        Assert.Equal(1.8576, curve[^1], 3);
    }

    [Fact]
    public void ExpectedCumulativeRepeats_AddsTheCustomers_EachFromTheirFirstPurchase()
    {
        var curve = PurchaseTracking.ExpectedCumulativeRepeats(Published, [10, 0, 10], [5, 10, 20]);

        Assert.Equal(Published.ExpectedPurchases(5), curve[0]);
        Assert.Equal(Published.ExpectedPurchases(10), curve[1]); // those starting at 10 have had no time yet
        Assert.Equal(Published.ExpectedPurchases(20) + (2 * Published.ExpectedPurchases(10)), curve[2], 12);
    }

    // The calibration period's expected repeat purchases (each CDNOW customer watched for T weeks) against the 2,457
    // repeat purchases the 2,357 customers made: the fitted model tracks the total.
    [Fact]
    public void ExpectedCumulativeRepeats_OverCdnowsCalibrationWeeks_TracksTheActualTotal()
    {
        var customers = BgNbdTests.Cdnow();
        var firstPurchases = customers.Select(c => 39 - c.T).ToArray();
        var actual = customers.Sum(c => c.Frequency);

        var expected = PurchaseTracking.ExpectedCumulativeRepeats(Published, firstPurchases, [13, 26, 39]);

        Assert.Equal(customers.Sum(c => Published.ExpectedPurchases(c.T)), expected[2], 6);
        Assert.True(expected[0] < expected[1] && expected[1] < expected[2]);
        Assert.InRange(expected[2] / actual, 0.95, 1.05);
    }

    [Property(MaxTest = 200)]
    public Property ProbabilityAlivePath_IsTheHistoryByEachTime_AndFallsBetweenPurchases() =>
        Prop.ForAll(
            (from gaps in Gen.ListOf(Gen.Choose(1, 40))
             from step in Gen.Choose(1, 5)
             select (gaps, step)).ToArbitrary(),
            c =>
            {
                var purchases = c.gaps.Select((_, i) => (double)c.gaps.Take(i + 1).Sum()).ToArray();
                var times = Enumerable.Range(0, ((int)(purchases.LastOrDefault() / c.step)) + 10).Select(k => (double)(k * c.step)).ToArray();
                var path = PurchaseTracking.ProbabilityAlivePath(Published, purchases, times);
                return times.Select((tau, k) =>
                {
                    var made = purchases.Where(p => p <= tau).ToArray();
                    var definition = tau == 0 ? 1 : Published.ProbabilityAlive(new PurchaseHistory(made.Length, made.LastOrDefault(), tau));
                    var noPurchaseSince = k == 0 || !purchases.Any(p => p > times[k - 1] && p <= tau);
                    return path[k] == definition && path[k] is >= 0 and <= 1 && (!noPurchaseSince || k == 0 || path[k] <= path[k - 1]);
                }).All(ok => ok);
            });

    [Fact]
    public void BadInput_IsRefused_NamingTheArgument()
    {
        Assert.Equal("repeatPurchases", Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseTracking.ProbabilityAlivePath(Published, [3, 2], [1])).ParamName);
        Assert.Equal("repeatPurchases", Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseTracking.ProbabilityAlivePath(Published, [0], [1])).ParamName);
        Assert.Equal("times", Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseTracking.ProbabilityAlivePath(Published, [1], [-1])).ParamName);
        Assert.Equal("firstPurchases", Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseTracking.ExpectedCumulativeRepeats(Published, [double.NaN], [1])).ParamName);
        Assert.Equal("times", Assert.Throws<ArgumentOutOfRangeException>(() => PurchaseTracking.ExpectedCumulativeRepeats(Published, [0], [double.PositiveInfinity])).ParamName);
    }
}
