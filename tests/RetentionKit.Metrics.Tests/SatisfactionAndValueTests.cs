using System;

namespace RetentionKit.Metrics.Tests;

public class SatisfactionTests
{
    [Fact]
    public void Nps_PromotersMinusDetractorsInPoints()
    {
        var result = Satisfaction.Nps([10, 9, 9, 8, 7, 6, 0, 10, 10, 5]);
        Assert.Equal(new NpsResult(5, 2, 3), result);
        Assert.Equal(20d, result.Score!.Value, 12);
        Assert.Equal(10, result.Responses);
    }

    [Fact]
    public void Nps_NoAnswers_IsUndefined() => Assert.Null(Satisfaction.Nps([]).Score);

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Nps_AnswerOutOfScale_Throws(int answer) =>
        Assert.Throws<ArgumentOutOfRangeException>("answers", () => Satisfaction.Nps([5, answer]));

    [Fact]
    public void Csat_ShareAtOrAboveThreshold()
    {
        Assert.Equal(0.6, Satisfaction.Csat([5, 4, 4, 3, 1]).Score!.Value.Fraction, 12);
        Assert.Equal(0.4, Satisfaction.Csat([10, 9, 8, 7, 1], scaleMax: 10, satisfiedFrom: 9).Score!.Value.Fraction, 12);
        Assert.Null(Satisfaction.Csat([]).Score);
    }

    [Fact]
    public void Csat_ScaleAndThresholdBoundariesAreValid()
    {
        Assert.Equal(0.5, Satisfaction.Csat([1, 2], scaleMax: 2, satisfiedFrom: 2).Score!.Value.Fraction);
        Assert.Equal(1.0, Satisfaction.Csat([1, 2], scaleMax: 2, satisfiedFrom: 1).Score!.Value.Fraction);
    }

    [Fact]
    public void Messages_StateTheRule()
    {
        Assert.Contains("from 0 to 10", Assert.Throws<ArgumentOutOfRangeException>(() => Satisfaction.Nps([11])).Message, StringComparison.Ordinal);
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => Satisfaction.Csat([1], scaleMax: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and scaleMax (5)", Assert.Throws<ArgumentOutOfRangeException>(() => Satisfaction.Csat([1], satisfiedFrom: 6)).Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 5", Assert.Throws<ArgumentOutOfRangeException>(() => Satisfaction.Csat([6])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csat_Guards()
    {
        Assert.Throws<ArgumentNullException>("answers", () => Satisfaction.Csat(null!));
        Assert.Throws<ArgumentNullException>("answers", () => Satisfaction.Nps(null!));
        Assert.Throws<ArgumentOutOfRangeException>("scaleMax", () => Satisfaction.Csat([1], scaleMax: 1));
        Assert.Throws<ArgumentOutOfRangeException>("satisfiedFrom", () => Satisfaction.Csat([1], satisfiedFrom: 6));
        Assert.Throws<ArgumentOutOfRangeException>("satisfiedFrom", () => Satisfaction.Csat([1], satisfiedFrom: 0));
        Assert.Throws<ArgumentOutOfRangeException>("answers", () => Satisfaction.Csat([0]));
        Assert.Throws<ArgumentOutOfRangeException>("answers", () => Satisfaction.Csat([6]));
    }
}

public class CustomerValueTests
{
    [Fact]
    public void Roi_IsNetGainOverCost()
    {
        Assert.Equal(2.0, CustomerValue.Roi(Money.Usd(300m), Money.Usd(100m)), 12);
        Assert.Equal(-0.5, CustomerValue.Roi(Money.Usd(50m), Money.Usd(100m)), 12);
        Assert.Equal(-1.0, CustomerValue.Roi(Money.Usd(0m), Money.Usd(100m)), 12);
    }

    [Fact]
    public void Roi_Guards()
    {
        Assert.Throws<ArgumentOutOfRangeException>("valueGained", () => CustomerValue.Roi(Money.Usd(-1m), Money.Usd(1m)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>("cost", () => CustomerValue.Roi(Money.Usd(1m), Money.Usd(0m)));
        Assert.Contains("undefined", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CustomerValue.Roi(Money.Usd(1m), Money.Eur(1m)));
    }

    [Fact]
    public void Standing_TopTwentyPercent()
    {
        double[] peers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var standing = CustomerValue.Standing(9, peers);
        Assert.Equal(0.2, standing.TopShare.Fraction, 12);
        Assert.Equal(0.85, standing.PercentileRank.Fraction, 12); // 8 below + half of 1 tie, of 10
        Assert.Equal(10, standing.Peers);
        Assert.Equal(0d, CustomerValue.Standing(0, peers).PercentileRank.Fraction, 12);
        Assert.Equal(1.0, CustomerValue.Standing(100, peers).PercentileRank.Fraction, 12);
    }

    [Fact]
    public void Standing_Guards()
    {
        Assert.Contains("must not be empty", Assert.Throws<ArgumentException>("peers", () => CustomerValue.Standing(1, [])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("peers", () => CustomerValue.Standing(1, null!));
        Assert.Throws<ArgumentOutOfRangeException>("value", () => CustomerValue.Standing(double.NaN, [1]));
        Assert.Contains("only finite numbers", Assert.Throws<ArgumentOutOfRangeException>("peers", () => CustomerValue.Standing(1, [1, double.NaN])).Message, StringComparison.Ordinal);
    }
}

public class RetentionOfferEconomicsTests
{
    [Fact]
    public void DocumentExample_ThreeToOne()
    {
        var cost = RetentionOfferEconomics.DiscountCost(Money.Usd(1_000m), Rate.FromPercent(30));
        Assert.Equal(Money.Usd(300m), cost);
        var evaluation = RetentionOfferEconomics.Evaluate(cost, Money.Usd(1_000m), Rate.FromPercent(45));
        Assert.True(evaluation.ValueToCost.Fraction >= 3d);
        Assert.Equal(10d / 3d, evaluation.ValueToCost.Fraction, 12);
        Assert.Equal(Money.Usd(450m), evaluation.ExpectedSavedValue);
        Assert.Equal(1.5, evaluation.ExpectedReturn.Fraction, 12);
        Assert.True(evaluation.IsWorthwhile);
    }

    [Fact]
    public void Evaluate_LowSuccessProbability_NotWorthwhile() =>
        Assert.False(RetentionOfferEconomics.Evaluate(Money.Usd(300m), Money.Usd(1_000m), Rate.FromPercent(30)).IsWorthwhile);

    [Fact]
    public void DiscountCost_PerPeriod()
    {
        Assert.Equal(Money.Usd(90m), RetentionOfferEconomics.DiscountCost(Money.Usd(100m), Rate.FromPercent(30), 3));
        Assert.Throws<ArgumentOutOfRangeException>("periods", () => RetentionOfferEconomics.DiscountCost(Money.Usd(100m), Rate.FromPercent(30), 0));
        Assert.Throws<ArgumentOutOfRangeException>("pricePerPeriod", () => RetentionOfferEconomics.DiscountCost(Money.Usd(-1m), Rate.FromPercent(30), 3));
        Assert.Throws<ArgumentOutOfRangeException>("billedDuringOffer", () => RetentionOfferEconomics.DiscountCost(Money.Usd(-1m), Rate.FromPercent(30)));
    }

    [Fact]
    public void Evaluate_Guards()
    {
        Assert.Throws<ArgumentOutOfRangeException>("offerCost", () => RetentionOfferEconomics.Evaluate(Money.Usd(0m), Money.Usd(1m), Rate.One));
        Assert.Throws<ArgumentOutOfRangeException>("valueAtRisk", () => RetentionOfferEconomics.Evaluate(Money.Usd(1m), Money.Usd(-1m), Rate.One));
        Assert.Throws<ArgumentException>(() => RetentionOfferEconomics.Evaluate(Money.Usd(1m), Money.Eur(1m), Rate.One));
    }
}

public class WhatIfTests
{
    [Fact]
    public void ChurnChange_FiveToThreePercent()
    {
        var scenario = WhatIf.ChurnChange(1_000, Money.Usd(100m), Rate.FromPercent(80), Rate.FromPercent(5), Rate.FromPercent(3), 12);
        Assert.Equal(Money.Usd(1600m), scenario.ClvBefore);
        Assert.Equal(2666.67m, scenario.ClvAfter.Round().Amount);
        Assert.Equal(1066.67m, scenario.ClvChange.Round().Amount);

        // 1,000 × $100 × Σ 0.95^t, t = 0..11 = 100,000 × (1 − 0.95^12) / 0.05
        Assert.Equal(100_000d * (1 - Math.Pow(0.95, 12)) / 0.05, (double)scenario.RevenueBefore.Amount, 4);
        Assert.Equal(100_000d * (1 - Math.Pow(0.97, 12)) / 0.03, (double)scenario.RevenueAfter.Amount, 4);
        Assert.Equal(scenario.RevenueAfter - scenario.RevenueBefore, scenario.RevenueChange);
        Assert.True(scenario.RevenueChange.Amount > 0m);
        Assert.Equal(12, scenario.HorizonMonths);
    }

    [Fact]
    public void ChurnChange_Guards()
    {
        Assert.Throws<ArgumentOutOfRangeException>("customers", () => WhatIf.ChurnChange(-1, Money.Usd(1m), Rate.One, Rate.One, Rate.One, 1));
        Assert.Throws<ArgumentOutOfRangeException>("monthlyArpu", () => WhatIf.ChurnChange(1, Money.Usd(-1m), Rate.One, Rate.One, Rate.One, 1));
        Assert.Throws<ArgumentOutOfRangeException>("horizonMonths", () => WhatIf.ChurnChange(1, Money.Usd(1m), Rate.One, Rate.One, Rate.One, 0));
        Assert.Throws<ArgumentOutOfRangeException>("churnRate", () => WhatIf.ChurnChange(1, Money.Usd(1m), Rate.One, Rate.Zero, Rate.One, 1));
    }
}
