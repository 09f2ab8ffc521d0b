using System;
using System.Collections.Generic;
using NodaTime;
using RetentionKit.Metrics.Kpis;

namespace RetentionKit.Metrics.Tests.Kpis;

public class ExpansionKpisTests
{
    private static readonly CustomerId A = new("a");
    private static readonly CustomerId B = new("b");
    private static readonly LocalDate Jan1 = new(2025, 1, 1);

    private static OfferOutcome Offer(string id, CustomerId c, OfferKind kind, string product, int acceptAfterDays, decimal revenue) =>
        new(id, c, kind, product, Jan1, acceptAfterDays < 0 ? null : Jan1.PlusDays(acceptAfterDays), Money.Usd(revenue));

    [Fact]
    public void Compute_ConversionRevenueBreakdownsAndTiming()
    {
        var outcomes = new[]
        {
            Offer("1", A, OfferKind.Upsell, "pro", 10, 50m),
            Offer("2", B, OfferKind.Upsell, "pro", -1, 0m),
            Offer("3", B, OfferKind.Upsell, "enterprise", 20, 200m),
            Offer("4", A, OfferKind.CrossSell, "analytics", -1, 0m),
        };
        var segments = new Dictionary<CustomerId, string> { [A] = "smb", [B] = "enterprise" };
        var signups = new Dictionary<CustomerId, LocalDate> { [A] = new(2024, 12, 1), [B] = new(2024, 11, 1) };

        var report = ExpansionKpis.Compute(outcomes, Currency.Usd, id => segments[id], id => signups[id]);

        Assert.Equal((3, 2), (report.Upsell.Offered, report.Upsell.Accepted));
        Assert.Equal(2d / 3d, report.Upsell.Conversion!.Value.Fraction, 12);
        Assert.Equal(Money.Usd(250m), report.Upsell.Revenue);
        Assert.Equal(15d, report.Upsell.AverageDaysToAccept);
        Assert.Equal((41d + 81d) / 2d, report.Upsell.AverageDaysFromSignup);
        Assert.Equal(new OfferTally(2, 1, Money.Usd(200m)), report.Upsell.BySegment["enterprise"]);
        Assert.Equal(new OfferTally(2, 1, Money.Usd(50m)), report.Upsell.ByProduct["pro"]);
        Assert.Equal(0.5, report.Upsell.ByProduct["pro"].Conversion!.Value.Fraction);
        Assert.Equal(0d, report.CrossSell.Conversion!.Value.Fraction);
        Assert.Null(report.CrossSell.AverageDaysToAccept);
    }

    [Fact]
    public void Compute_NoOffers_ConversionUndefined()
    {
        var report = ExpansionKpis.Compute([], Currency.Usd);
        Assert.Null(report.Upsell.Conversion);
        Assert.Null(report.CrossSell.AverageDaysFromSignup);
        Assert.Empty(report.Upsell.BySegment);
    }

    [Fact]
    public void Compute_SameOutcomeTwice_CountedOnce()
    {
        var report = ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m), Offer("1", A, OfferKind.Upsell, "pro", 1, 5m)], Currency.Usd);
        Assert.Equal(1, report.Upsell.Offered);
    }

    [Fact]
    public void Compute_Guards()
    {
        Assert.Throws<ArgumentNullException>("outcomes", () => ExpansionKpis.Compute(null!, Currency.Usd));
        Assert.Contains("null at index 1", Assert.Throws<ArgumentException>("outcomes", () => ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m), null!], Currency.Usd)).Message, StringComparison.Ordinal);
        var dup = Assert.Throws<ArgumentException>("outcomes", () => ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m), Offer("1", A, OfferKind.Upsell, "pro", 1, 6m)], Currency.Usd));
        Assert.Contains("id '1'", dup.Message, StringComparison.Ordinal);
        Assert.Contains("is in USD, but the report is in EUR", Assert.Throws<ArgumentException>("outcomes", () => ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m)], Currency.Eur)).Message, StringComparison.Ordinal);
        Assert.Contains("blank segment for customer 'a'", Assert.Throws<ArgumentException>("segmentOf", () => ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m)], Currency.Usd, _ => "")).Message, StringComparison.Ordinal);
        Assert.Contains("before customer 'a' signed up", Assert.Throws<ArgumentException>("signupDateOf", () => ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 1, 5m)], Currency.Usd, null, _ => new LocalDate(2025, 6, 1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_AcceptedOnSignupDayAndSameDayAsOffer_AreValid()
    {
        var report = ExpansionKpis.Compute([Offer("1", A, OfferKind.Upsell, "pro", 0, 5m)], Currency.Usd, null, _ => Jan1);
        Assert.Equal((0d, 0d), (report.Upsell.AverageDaysToAccept, report.Upsell.AverageDaysFromSignup));
    }

    [Fact]
    public void OfferTally_NothingOffered_ConversionUndefined() => Assert.Null(new OfferTally(0, 0, Money.Usd(0m)).Conversion);

    [Fact]
    public void OfferOutcome_Guards()
    {
        Assert.Contains("must not be before offeredOn (2025-01-01)", Assert.Throws<ArgumentOutOfRangeException>("acceptedOn", () => new OfferOutcome("1", A, OfferKind.Upsell, "pro", Jan1, Jan1.PlusDays(-1), Money.Usd(1m))).Message, StringComparison.Ordinal);
        Assert.Contains("must be zero for an offer that was not accepted", Assert.Throws<ArgumentException>("revenue", () => new OfferOutcome("1", A, OfferKind.Upsell, "pro", Jan1, null, Money.Usd(1m))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("revenue", () => new OfferOutcome("1", A, OfferKind.Upsell, "pro", Jan1, Jan1, Money.Usd(-1m)));
        Assert.Contains("defined OfferKind", Assert.Throws<ArgumentOutOfRangeException>("kind", () => new OfferOutcome("1", A, (OfferKind)7, "pro", Jan1, Jan1, Money.Usd(1m))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("product", () => new OfferOutcome("1", A, OfferKind.Upsell, " ", Jan1, Jan1, Money.Usd(1m)));
        Assert.Throws<ArgumentException>("id", () => new OfferOutcome("", A, OfferKind.Upsell, "pro", Jan1, Jan1, Money.Usd(1m)));
        Assert.Throws<ArgumentException>("customer", () => new OfferOutcome("1", default, OfferKind.Upsell, "pro", Jan1, Jan1, Money.Usd(1m)));
    }
}
