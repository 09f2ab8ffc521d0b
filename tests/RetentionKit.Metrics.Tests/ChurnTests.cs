using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Metrics.Tests;

public class ChurnTests
{
    [Fact]
    public void PeriodRate_DocumentExample_Is5Percent() => Assert.Equal(Rate.FromPercent(5), Churn.PeriodRate(1_000, 50));

    [Fact]
    public void MonthlyToAnnual_DocumentExample_Is4596Percent() =>
        Assert.Equal(45.96, Churn.MonthlyToAnnual(Rate.FromPercent(5)).Percent, 2);

    [Fact]
    public void MonthlyToAnnualBySimpleMultiplication_DocumentShortcut_Is60Percent()
    {
        Assert.Equal(60d, Churn.MonthlyToAnnualBySimpleMultiplication(Rate.FromPercent(5)).Percent, 9);
        Assert.Equal(120d, Churn.MonthlyToAnnualBySimpleMultiplication(Rate.FromPercent(10)).Percent, 9);
    }

    [Fact]
    public void AnnualToMonthly_InvertsTheDocumentExample() =>
        Assert.Equal(5d, Churn.AnnualToMonthly(Rate.FromFraction(1 - Math.Pow(0.95, 12))).Percent, 9);

    [Theory]
    [InlineData(0, 0, "customersAtStart")]
    [InlineData(-5, 0, "customersAtStart")]
    [InlineData(10, -1, "customersLost")]
    [InlineData(10, 11, "customersLost")]
    public void PeriodRate_Invalid_Throws(long start, long lost, string param) =>
        Assert.Throws<ArgumentOutOfRangeException>(param, () => Churn.PeriodRate(start, lost));

    [Fact]
    public void PeriodRate_EmptyPopulation_SaysUndefined()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Churn.PeriodRate(0, 0));
        Assert.Contains("undefined", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(-1d)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Compound_InvalidPeriods_Throws(double periods) =>
        Assert.Throws<ArgumentOutOfRangeException>("periods", () => Churn.Compound(Rate.FromPercent(5), periods));

    [Fact]
    public void PeriodRate_EveryoneLost_IsOneHundredPercent() => Assert.Equal(Rate.One, Churn.PeriodRate(10, 10));

    [Fact]
    public void Messages_StateTheRule()
    {
        Assert.Contains("must not exceed customersAtStart (10)", Assert.Throws<ArgumentOutOfRangeException>(() => Churn.PeriodRate(10, 11)).Message, StringComparison.Ordinal);
        Assert.Contains("periods must be greater than zero", Assert.Throws<ArgumentOutOfRangeException>(() => Churn.Compound(Rate.Zero, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compound_Boundaries()
    {
        Assert.Equal(Rate.Zero, Churn.MonthlyToAnnual(Rate.Zero));
        Assert.Equal(Rate.One, Churn.MonthlyToAnnual(Rate.One));
        Assert.Equal(0.05, Churn.Compound(Rate.FromPercent(5), 1).Fraction, 15);
    }

    // Round trip holds to 1e-9 absolute for monthly churn in [0, 0.5]. Beyond that (1 − m)^12 sinks towards the
    // double's resolution next to 1 and the twelfth root cannot recover m; such churn is not a business case.
    [Property]
    public Property MonthlyAnnual_RoundTrip() =>
        Prop.ForAll(Gen.Choose(0, 50_000).Select(x => x / 100_000d).ToArbitrary(), m =>
            Math.Abs(Churn.AnnualToMonthly(Churn.MonthlyToAnnual(Rate.FromFraction(m))).Fraction - m) < 1e-9);

    [Property]
    public Property MonthlyToAnnual_IsMonotoneAndAtLeastMonthly() =>
        Prop.ForAll(Gen.Choose(0, 99_999).Select(x => x / 100_000d).ToArbitrary(), m =>
        {
            var annual = Churn.MonthlyToAnnual(Rate.FromFraction(m));
            var higher = Churn.MonthlyToAnnual(Rate.FromFraction(m + 0.00001));
            return annual.Fraction >= m && higher >= annual && annual.Fraction <= Churn.MonthlyToAnnualBySimpleMultiplication(Rate.FromFraction(m)).Fraction + 1e-12;
        });
}
