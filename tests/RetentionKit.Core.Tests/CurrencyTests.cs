using System;

namespace RetentionKit.Core.Tests;

public class CurrencyTests
{
    [Theory]
    [InlineData("usd", "USD")]
    [InlineData("Eur", "EUR")]
    [InlineData("JPY", "JPY")]
    public void Constructor_NormalisesToUpperCase(string code, string expected) => Assert.Equal(expected, new Currency(code).Code);

    [Theory]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("USDX")]
    [InlineData("U$D")]
    [InlineData("12A")]
    [InlineData("ÜSD")]
    public void Constructor_NotThreeAsciiLetters_Throws(string code)
    {
        var ex = Assert.Throws<ArgumentException>("code", () => new Currency(code));
        Assert.Contains("three ASCII letters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_Null_Throws() => Assert.Throws<ArgumentNullException>("code", () => new Currency(null!));

    [Fact]
    public void Default_IsNoCurrency()
    {
        Assert.Equal("XXX", default(Currency).Code);
        Assert.Equal(new Currency("XXX"), default);
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("CLP", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    public void MinorUnits_KnownCurrencies(string code, int expected) => Assert.Equal(expected, new Currency(code).MinorUnits);

    [Fact]
    public void Equality_ByCode()
    {
        Assert.True(new Currency("usd") == Currency.Usd);
        Assert.True(Currency.Usd != Currency.Eur);
        Assert.Equal(Currency.Usd.GetHashCode(), new Currency("USD").GetHashCode());
        Assert.Equal("GBP", Currency.Gbp.ToString());
        Assert.False(Currency.Usd.Equals((object)"USD"));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("USX")]
    [InlineData("HRK")]
    [InlineData("ANG")]
    public void Constructor_CodeNotActiveInIso4217_ThrowsNamingCustom(string code)
    {
        var ex = Assert.Throws<ArgumentException>("code", () => new Currency(code));
        Assert.Contains("active ISO 4217 code", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Currency.Custom(\"{code}\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XCG", 2)]
    [InlineData("ZWG", 2)]
    [InlineData("SLE", 2)]
    [InlineData("CLF", 4)]
    [InlineData("XAU", 2)]
    [InlineData("ISK", 0)]
    public void Constructor_CurrentCodes_AreAccepted(string code, int minorUnits)
    {
        var currency = new Currency(code);
        Assert.True(currency.IsIso);
        Assert.Equal(minorUnits, currency.MinorUnits);
    }

    [Fact]
    public void Custom_HostCode_KeepsItsMinorUnitsAndEqualsByCode()
    {
        var credits = Currency.Custom("xcr", minorUnits: 0);
        Assert.Equal("XCR", credits.Code);
        Assert.Equal(0, credits.MinorUnits);
        Assert.False(credits.IsIso);
        Assert.Equal(Currency.Custom("XCR", 0), credits);
        Assert.Equal(3m, new Money(2.5m, credits).Round(MidpointRounding.AwayFromZero).Amount);
    }

    [Fact]
    public void Custom_IsoCodeWithOtherMinorUnits_Throws()
    {
        var ex = Assert.Throws<ArgumentException>("code", () => Currency.Custom("JPY", 2));
        Assert.Contains("0 minor units", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Currency.Custom("usd"), Currency.Usd);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void Custom_MinorUnitsOutOfRange_Throws(int units) =>
        Assert.Throws<ArgumentOutOfRangeException>("minorUnits", () => Currency.Custom("XCR", units));

    [Theory]
    [InlineData("eur", true)]
    [InlineData("XYZ", false)]
    [InlineData("E", false)]
    [InlineData(null, false)]
    public void TryFromIso_NeverThrows(string? code, bool expected)
    {
        Assert.Equal(expected, Currency.TryFromIso(code, out var currency));
        Assert.Equal(expected ? "EUR" : "XXX", currency.Code);
    }
}
