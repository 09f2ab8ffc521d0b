using System;
using Microsoft.Extensions.Options;

namespace RetentionKit.Segmentation.Tests;

public class ValueSegmentTests
{
    private static readonly ValueSegmenter Segmenter = new(Facts.DefaultOptions);

    // G1: "low < $1,000", "high > $10,000": exactly $1,000 and exactly $10,000 are both medium.
    [Theory]
    [InlineData("-50", ValueSegment.Low)]
    [InlineData("0", ValueSegment.Low)]
    [InlineData("999.99", ValueSegment.Low)]
    [InlineData("1000", ValueSegment.Medium)]
    [InlineData("1000.01", ValueSegment.Medium)]
    [InlineData("9999.99", ValueSegment.Medium)]
    [InlineData("10000", ValueSegment.Medium)]
    [InlineData("10000.01", ValueSegment.High)]
    [InlineData("2500000", ValueSegment.High)]
    public void Classify_PutsTheBoundariesWhereG1Says(string clv, ValueSegment expected)
    {
        var amount = decimal.Parse(clv, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, Segmenter.Classify(Money.Usd(amount)));
        var column = new ValueSegment[1];
        Segmenter.Classify([amount], Currency.Usd, column);
        Assert.Equal(expected, column[0]);
    }

    [Fact]
    public void Thresholds_ArePerCurrency()
    {
        var options = new SegmentationOptions();
        options.ValueThresholds["eur"] = new ValueThresholds { MediumFrom = 900m, HighAbove = 9_000m };
        var segmenter = new ValueSegmenter(options);

        Assert.Equal(ValueSegment.Medium, segmenter.Classify(Money.Eur(900m)));
        Assert.Equal(ValueSegment.High, segmenter.Classify(Money.Eur(9_000.01m)));
        Assert.Equal(ValueSegment.Low, segmenter.Classify(Money.Usd(900m)));
        Assert.Equal((900m, 9_000m), segmenter.ThresholdsOf(Currency.Eur));
        Assert.Null(segmenter.ThresholdsOf(Currency.Gbp));
    }

    [Fact]
    public void Classify_CurrencyWithoutThresholds_ThrowsNamingTheCurrency()
    {
        var error = Assert.Throws<ArgumentException>(() => Segmenter.Classify(new Money(5_000m, Currency.Gbp)));

        Assert.Equal("lifetimeValue", error.ParamName);
        Assert.Contains("GBP", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("currency", () => Segmenter.Classify([1m], Currency.Gbp, new ValueSegment[1]));
    }

    [Fact]
    public void ClassifyColumn_OutputTooShort_ThrowsAndWritesNothing()
    {
        var output = new[] { (ValueSegment)7, (ValueSegment)7 };

        var error = Assert.Throws<ArgumentException>(() => Segmenter.Classify([1m, 2m, 3m], Currency.Usd, output));

        Assert.Equal("segments", error.ParamName);
        Assert.All(output, s => Assert.Equal((ValueSegment)7, s));
    }

    [Fact]
    public void Constructor_InvalidThresholds_ListsEveryProblem()
    {
        var options = new SegmentationOptions();
        options.ValueThresholds["USD"].MediumFrom = 0m;
        options.ValueThresholds["EURO"] = new ValueThresholds { MediumFrom = 5_000m, HighAbove = 1_000m };

        var error = Assert.Throws<OptionsValidationException>(() => new ValueSegmenter(options));

        Assert.Contains("RetentionKit:Segmentation:ValueThresholds:USD:MediumFrom is 0; it must be above 0.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:ValueThresholds:EURO: 'EURO' is not a three-letter ISO 4217 currency code.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:ValueThresholds:EURO:HighAbove (1000) must not be below MediumFrom (5000).", error.Failures);
        Assert.Equal(3, System.Linq.Enumerable.Count(error.Failures));
    }

    [Fact]
    public void Segmentation_CustomerInACurrencyWithoutThresholds_IsNamed()
    {
        var segmentation = new ValueSegmentation(Facts.DefaultOptions);
        CustomerFacts[] customers = [Facts.Customer(0), Facts.Customer(1) with { LifetimeValue = Money.Eur(10m) }];

        var error = Assert.Throws<ArgumentException>(() => segmentation.Assign(customers, new int[2]));

        Assert.Equal("customers", error.ParamName);
        Assert.Contains("c00001 (row 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("EUR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segmentation_MixedCurrencies_UsesEachCurrencysThresholds()
    {
        var options = new SegmentationOptions();
        options.ValueThresholds["EUR"] = new ValueThresholds { MediumFrom = 100m, HighAbove = 200m };
        var segmentation = new ValueSegmentation(options);
        CustomerFacts[] customers =
        [
            Facts.Customer(0, clv: 150m),
            Facts.Customer(1) with { LifetimeValue = Money.Eur(150m) },
            Facts.Customer(2) with { LifetimeValue = Money.Eur(250m) },
            Facts.Customer(3, clv: 250m),
        ];
        var segments = new int[4];

        segmentation.Assign(customers, segments);

        Assert.Equal([0, 1, 2, 0], segments);
    }

    [Theory]
    [InlineData(ValueSegment.High, 500d, 0.95, 0.30, 70d, "white-glove", ValueSegment.High)]
    [InlineData(ValueSegment.Medium, 100d, 0.85, 0.15, 50d, "proactive support", ValueSegment.High)]
    [InlineData(ValueSegment.Low, null, 0.70, null, null, "value realisation", ValueSegment.Medium)]
    public void Profiles_CarryTheFiguresOfG1(ValueSegment segment, double? arpuFrom, double retentionFrom, double? expansionFrom, double? npsFrom, string strategy, ValueSegment target)
    {
        var profile = ValueSegmentProfile.For(segment);

        Assert.Equal(segment, profile.Segment);
        Assert.Equal(arpuFrom, profile.MonthlyArpu.Minimum);
        Assert.Equal(retentionFrom, profile.AnnualRetention.Minimum);
        Assert.Equal(expansionFrom, profile.Expansion.Minimum);
        Assert.Equal(npsFrom, profile.Nps.Minimum);
        Assert.Equal(strategy, profile.Strategy);
        Assert.Equal(5, profile.Resources.Length);
        Assert.Equal(target, profile.TargetSegment);
        Assert.False(string.IsNullOrWhiteSpace(profile.Objective));
    }

    [Fact]
    public void Profiles_UpperEndsAndObjectives()
    {
        var high = ValueSegmentProfile.For(ValueSegment.High);
        var medium = ValueSegmentProfile.For(ValueSegment.Medium);
        var low = ValueSegmentProfile.For(ValueSegment.Low);

        Assert.Equal((0.98, 0.40), (high.TargetRetention, high.TargetExpansion));
        Assert.Null(medium.TargetRetention);
        Assert.Equal((500d, 0.95, 0.30, 70d), (medium.MonthlyArpu.Maximum, medium.AnnualRetention.Maximum, medium.Expansion.Maximum, medium.Nps.Maximum));
        Assert.Equal((100d, 0.85, 0.15, 50d), (low.MonthlyArpu.Maximum, low.AnnualRetention.Maximum, low.Expansion.Maximum, low.Nps.Maximum));
        Assert.Contains("dedicated account manager", high.Resources);
        Assert.Equal(new[] { 1, 2, 2 }, System.Linq.Enumerable.ToArray(ValueSegmentation.ObjectiveTargets));
        Assert.Throws<ArgumentOutOfRangeException>("segment", () => ValueSegmentProfile.For((ValueSegment)3));
    }

    [Theory]
    [InlineData(100d, 500d, 100d, true)]
    [InlineData(100d, 500d, 500d, true)]
    [InlineData(100d, 500d, 99.99, false)]
    [InlineData(100d, 500d, 500.01, false)]
    [InlineData(null, 100d, -1e9, true)]
    [InlineData(500d, null, 1e9, true)]
    [InlineData(null, null, double.NaN, false)]
    public void TypicalRange_Contains_EndsIncluded(double? minimum, double? maximum, double value, bool expected) =>
        Assert.Equal(expected, new TypicalRange(minimum, maximum).Contains(value));

    [Fact]
    public void TypicalRange_Guards_AndText()
    {
        Assert.Throws<ArgumentOutOfRangeException>("minimum", () => new TypicalRange(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>("minimum", () => new TypicalRange(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>("maximum", () => new TypicalRange(0, double.PositiveInfinity));
        Assert.Equal("0.1–0.2", new TypicalRange(0.1, 0.2).ToString());
        Assert.Equal("500+", new TypicalRange(500, null).ToString());
        Assert.Equal("up to 100", new TypicalRange(null, 100).ToString());
        Assert.Equal("any", default(TypicalRange).ToString());
    }
}
