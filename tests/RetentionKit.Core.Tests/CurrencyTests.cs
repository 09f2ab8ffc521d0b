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
        Assert.Contains("three-letter ISO 4217", ex.Message, StringComparison.Ordinal);
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
}
