using System;
using FsCheck.Xunit;
using RetentionKit.TestUtilities;

namespace RetentionKit.Core.Tests;

public class MoneyTests
{
    private static readonly Money Usd10 = Money.Usd(10m);
    private static readonly Money Eur10 = Money.Eur(10m);

    [Fact]
    public void Arithmetic_SameCurrency_IsExactDecimal()
    {
        Assert.Equal(Money.Usd(0.3m), Money.Usd(0.1m) + Money.Usd(0.2m));
        Assert.Equal(Money.Usd(-5m), Money.Usd(5m) - Usd10);
        Assert.Equal(Money.Usd(25m), Usd10 * 2.5m);
        Assert.Equal(Money.Usd(25m), 2.5m * Usd10);
        Assert.Equal(Money.Usd(2.5m), Usd10 / 4m);
        Assert.Equal(Money.Usd(-10m), -Usd10);
        Assert.Equal(Money.Usd(20m), Usd10.Add(Usd10));
        Assert.Equal(Money.Zero(Currency.Usd), Usd10.Subtract(Usd10));
        Assert.Equal(Money.Usd(30m), Usd10.Multiply(3m));
        Assert.Equal(Money.Usd(5m), Usd10.Divide(2m));
        Assert.Equal(Money.Usd(-10m), Usd10.Negate());
    }

    [Fact]
    public void Division_DoesNotRound()
    {
        var third = Money.Usd(100m) / 3m;
        Assert.Equal(33.333333333333333333333333333m, third.Amount);
    }

    public static TheoryData<string, Func<Money, Money, object>> CrossCurrencyOperations => new()
    {
        { "+", (a, b) => a + b },
        { "-", (a, b) => a - b },
        { "<", (a, b) => a < b },
        { ">", (a, b) => a > b },
        { "<=", (a, b) => a <= b },
        { ">=", (a, b) => a >= b },
        { "CompareTo", (a, b) => a.CompareTo(b) },
        { "Sum", (a, b) => Money.Sum([a, b], a.Currency) },
    };

    [Theory]
    [MemberData(nameof(CrossCurrencyOperations))]
    public void Operation_AcrossCurrencies_Throws(string operation, Func<Money, Money, object> apply)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => apply(Usd10, Eur10));
        Assert.Contains("EUR", ex.Message, StringComparison.Ordinal);
        Assert.Contains("USD", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(operation));
    }

    [Fact]
    public void Equality_DifferentCurrencies_NotEqual()
    {
        Assert.NotEqual(Usd10, Eur10);
        Assert.True(Usd10 != Eur10);
        Assert.True(Money.Usd(10.0m) == Money.Usd(10.00m));
        Assert.Equal(Money.Usd(10.0m).GetHashCode(), Money.Usd(10.00m).GetHashCode());
        Assert.False(Usd10.Equals((object)"10 USD"));
    }

    [Theory]
    [InlineData("2.345", "USD", "2.34")] // half to even
    [InlineData("2.355", "USD", "2.36")]
    [InlineData("-2.345", "USD", "-2.34")]
    [InlineData("1234.5", "JPY", "1234")] // no minor unit
    [InlineData("1.23456", "KWD", "1.235")] // three minor units
    public void Round_UsesMinorUnitAndBankersRounding(string amount, string currency, string expected)
    {
        var money = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), new Currency(currency));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), money.Round().Amount);
    }

    [Fact]
    public void Round_WithMode_AwayFromZero()
    {
        Assert.Equal(2.35m, Money.Usd(2.345m).Round(MidpointRounding.AwayFromZero).Amount);
    }

    [Fact]
    public void Sum_Empty_IsZeroInCurrency()
    {
        Assert.Equal(Money.Zero(Currency.Eur), Money.Sum([], Currency.Eur));
        Assert.Throws<ArgumentNullException>("amounts", () => Money.Sum(null!, Currency.Eur));
    }

    [Fact]
    public void Predicates_ZeroAndNegative()
    {
        Assert.True(Money.Usd(0m).IsZero);
        Assert.False(Money.Usd(-0m).IsNegative);
        Assert.False((Money.Usd(0m) * -1m).IsNegative);
        Assert.True(Money.Usd(-0.01m).IsNegative);
    }

    [Fact]
    public void Divide_ByZero_ThrowsArgumentNamingDivisor()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>("divisor", () => Usd10.Divide(0m));
        Assert.Contains("must not be zero", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("divisor", () => Usd10 / 0m);
    }

    [Fact]
    public void ToString_CurrencyFormat_UsesTheCodeAndMinorUnitsNotTheCulturesSymbol()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal("USD1,600.00", Money.Usd(1600m).ToString("C", invariant));
        Assert.Equal("JPY1,600", new Money(1600m, new Currency("JPY")).ToString("C", invariant));
        Assert.Equal("1.600,50 EUR", Money.Eur(1600.5m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("de-DE")));
        Assert.Equal("USD1,600.5", Money.Usd(1600.5m).ToString("C1", invariant));
        Assert.Equal($"{Money.Usd(2m):F1}", Money.Usd(2m).ToString("F1", null));
    }

    [Fact]
    public void ToString_IsInvariantAmountAndCode()
    {
        Assert.Equal("1600.00 USD", Money.Usd(1600.00m).ToString());
        Assert.Equal("1,600.00 EUR", Money.Eur(1600m).ToString("N2", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Comparison_SameCurrency_Orders()
    {
        Assert.True(Money.Usd(1m) < Usd10);
        Assert.True(Usd10 > Money.Usd(1m));
        Assert.True(Usd10 <= Money.Usd(10m));
        Assert.True(Usd10 >= Money.Usd(10m));
        Assert.Equal(0, Usd10.CompareTo(Money.Usd(10.000m)));
    }

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool AddThenSubtract_RoundTrips(Money a, Money b) => a + b - b == a;

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool Addition_IsCommutativeAndStaysInCurrency(Money a, Money b) => a + b == b + a && (a + b).Currency == Currency.Usd;

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool Sum_EqualsFoldedAddition(Money a, Money b, Money c) => Money.Sum([a, b, c], Currency.Usd) == a + b + c;

    [Property(Arbitrary = [typeof(DomainArbitraries)])]
    public bool Round_IsIdempotentAndWithinHalfACent(Money a)
    {
        var rounded = a.Round();
        return rounded.Round() == rounded && Math.Abs(rounded.Amount - a.Amount) <= 0.005m;
    }
}
