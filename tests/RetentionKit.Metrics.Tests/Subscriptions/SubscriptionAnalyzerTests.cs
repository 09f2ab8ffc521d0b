using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Tests.Subscriptions;

public class SubscriptionAnalyzerTests
{
    private static readonly SubscriptionAnalyzer Default = new(new SubscriptionAnalysisOptions());
    private static readonly CustomerId A = new("a");
    private static readonly CustomerId B = new("b");

    private static SubscriptionChange Change(string id, CustomerId c, decimal amount, LocalDate on, BillingInterval? interval = null, double discountPercent = 0) =>
        new(id, c, "pro", Money.Usd(amount), interval ?? BillingInterval.Monthly, on, Rate.FromPercent(discountPercent));

    private static Cancellation Cancel(string id, CustomerId c, LocalDate on, ChurnReason? reason = null) => new(id, c, on, reason ?? ChurnReason.Price);

    private static Reactivation Reactivate(string id, CustomerId c, decimal amount, LocalDate on) =>
        new(id, c, "pro", Money.Usd(amount), BillingInterval.Monthly, on);

    private static LocalDate D(int month, int day) => new(2025, month, day);

    [Fact]
    public void Customers_ReactivatedCustomerIsActive_WithHistoryAndTenureFromTheFirstSignUp()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 31)),
            Change("1", B, 50m, D(1, 20), discountPercent: 20),
            Cancel("2", A, D(2, 28), ChurnReason.Competitor),
            Reactivate("3", A, 120m, D(4, 2)),
            Cancel("2", B, D(3, 31)),
        };

        var result = Default.Analyze(events, D(4, 30), Currency.Usd).Customers;

        Assert.True(result.TryGet(A, out var a));
        Assert.Equal(CustomerStatus.Active, a.Status);
        Assert.Equal((120m, "pro", D(1, 31), 3), (a.Mrr.Amount, a.Plan, a.SignedUp, a.TenureMonths));
        Assert.Equal((D(2, 28), ChurnReason.Competitor, D(4, 2), 1, 1), (a.CancelledOn, a.LastChurnReason, a.ReactivatedOn, a.Cancellations, a.Reactivations));
        Assert.True(result.TryGet(B, out var b));
        Assert.Equal((CustomerStatus.Churned, 0m, 2), (b.Status, b.Mrr.Amount, b.TenureMonths)); // 20 Jan → 31 Mar: two whole months
        Assert.Equal((1, 120m), (result.ActiveCount, result.Mrr.Amount));
        Assert.Equal([A], result.Active.Select(c => c.Customer));
        Assert.Equal([A, B], result.Select(c => c.Customer));

        // One month earlier: A has left (tenure to the cancellation: 31 Jan → 28 Feb is a whole month), B pays net of discount.
        var march = Default.Analyze(events, D(3, 30), Currency.Usd).Customers;
        Assert.Equal((CustomerStatus.Churned, 1, (LocalDate?)null), (march[0].Status, march[0].TenureMonths, march[0].ReactivatedOn));
        Assert.Equal((40m, 1), (march[1].Mrr.Amount, march.ActiveCount));
    }

    [Fact]
    public void RevenueRetentionSince_AnEarlierBaseInAnotherCurrencyOrNotEarlier_IsRefusedNamingIt()
    {
        var events = new SubscriptionEvent[] { Change("1", A, 100m, D(1, 5)), Change("2", A, 150m, D(6, 1)), Change("1", B, 50m, D(1, 5)), Cancel("2", B, D(3, 1)) };
        var june = Default.Analyze(events, D(6, 30), Currency.Usd).Customers;
        var january = Default.Analyze(events, D(1, 31), Currency.Usd).Customers;

        var trailing = june.RevenueRetentionSince(january)!;
        Assert.Equal(150d / 150d, trailing.Nrr.Fraction, 12); // 100 → 150 and 50 → 0
        Assert.Equal(100d / 150d, trailing.Grr.Fraction, 12);
        Assert.Equal("earlier", Assert.Throws<ArgumentException>(() => january.RevenueRetentionSince(june)).ParamName);
        Assert.Equal("earlier", Assert.Throws<ArgumentException>(() => june.RevenueRetentionSince(new SubscriptionAnalyzer(new SubscriptionAnalysisOptions()).Analyze([new SubscriptionChange("1", A, "pro", new Money(1m, new Currency("EUR")), BillingInterval.Monthly, D(1, 5))], D(1, 31), new Currency("EUR")).Customers)).ParamName);
        Assert.Null(june.RevenueRetentionSince(Default.Analyze(events, D(1, 1), Currency.Usd).Customers)); // nobody yet
    }

    [Fact]
    public void Analyze_NewExpansionContractionChurnReactivation_ClassifiedPerMonth()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 5)),
            Change("1", B, 50m, D(1, 20)),
            Change("2", A, 150m, D(2, 1)),    // expansion +50
            Change("2", B, 30m, D(2, 10)),    // contraction −20
            Cancel("3", A, D(3, 15)),         // churn −150
            Reactivate("4", A, 120m, D(4, 2)), // reactivation +120
        };

        var result = Default.Analyze(events, D(4, 30), Currency.Usd);

        Assert.Equal(4, result.Periods.Length);
        var jan = result.Periods[0].Mrr;
        Assert.Equal((0m, 150m, 150m), (jan.Starting.Amount, jan.NewBusiness.Amount, jan.Ending.Amount));
        var feb = result.Periods[1].Mrr;
        Assert.Equal((50m, 20m, 180m), (feb.Expansion.Amount, feb.Contraction.Amount, feb.Ending.Amount));
        var mar = result.Periods[2];
        Assert.Equal(150m, mar.Mrr.Churn.Amount);
        Assert.Equal(30m, mar.Mrr.Ending.Amount);
        Assert.Equal(new CustomerMovements(2, 0, 0, 1, 1, 1), mar.Customers);
        Assert.Equal(0.5, mar.Customers.ChurnRate!.Value.Fraction);
        var apr = result.Periods[3];
        Assert.Equal(120m, apr.Mrr.Reactivation.Amount);
        Assert.Equal(1, apr.Customers.Reactivated);
        Assert.Equal(150m, apr.Mrr.Ending.Amount);
        Assert.Equal(D(4, 30), apr.End);

        // Trend: churn went from 0 % in February to 50 % in March (+50 points) and back to 0 % in April (−50).
        Assert.Equal(new PeriodTrend(null, null, null), result.Periods[0].Trend);
        Assert.Equal(50d, mar.Trend.ChurnRateChange!.Value, 9);
        Assert.Equal(-50d, apr.Trend.ChurnRateChange!.Value, 9);
        Assert.Equal((30d - 180d) / 180d, mar.Trend.MrrGrowth!.Value, 9);
        Assert.Equal((150d - 30d) / 30d, apr.Trend.MrrGrowth!.Value, 9);

        // NRR: February (150 + 50 − 20) ÷ 150 = 120 %, March (180 − 150) ÷ 180 = 16.7 %.
        Assert.Equal(((30d / 180d) - (180d / 150d)) * 100d, mar.Trend.NrrChange!.Value, 9);
        Assert.Equal(D(1, 31), result.Periods[0].End);
        Assert.Equal(2, result.CustomerCount);
    }

    [Fact]
    public void Analyze_RevenueRetentionPerMonth_FromStartingBaseOnly()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 5)),
            Change("1", B, 100m, D(1, 5)),
            Change("2", A, 130m, D(2, 3)),
            Cancel("2", B, D(2, 9)),
            Change("1", new CustomerId("new"), 500m, D(2, 10)), // new business is not part of NRR
        };

        var feb = Default.Analyze(events, D(2, 28), Currency.Usd).Periods[1];

        // (200 + 30 − 100) ÷ 200 = 65 %; GRR (200 − 100) ÷ 200 = 50 %; the new customer's 500 counts in neither.
        Assert.NotNull(feb.RevenueRetention);
        Assert.Equal(0.65, feb.RevenueRetention!.Nrr.Fraction, 12);
        Assert.Equal(0.50, feb.RevenueRetention.Grr.Fraction, 12);
        Assert.Equal(500m, feb.Mrr.NewBusiness.Amount);
        Assert.Null(Default.Analyze(events, D(2, 28), Currency.Usd).Periods[0].RevenueRetention); // nobody at the start of January
    }

    [Fact]
    public void Analyze_AnnualPlan_NormalisedToMonthly()
    {
        var result = Default.Analyze([Change("1", A, 1200m, D(1, 1), BillingInterval.Annual)], D(1, 31), Currency.Usd);
        Assert.Equal(100m, result.Periods[0].Mrr.Ending.Amount);
    }

    [Fact]
    public void Analyze_MonthlyAmountRounding_MinorUnit_RoundsEachCustomer()
    {
        var events = new[] { Change("1", A, 1000m, D(1, 1), BillingInterval.Annual) };
        var exact = Default.Analyze(events, D(1, 31), Currency.Usd).Periods[0].Mrr.Ending.Amount;
        var rounded = new SubscriptionAnalyzer(new() { MonthlyAmountRounding = NormalisedAmountRounding.MinorUnit })
            .Analyze(events, D(1, 31), Currency.Usd).Periods[0].Mrr.Ending.Amount;
        Assert.Equal(1000m / 12m, exact);
        Assert.Equal(83.33m, rounded);
    }

    [Fact]
    public void Analyze_Discounts_NetByDefault_ListPriceOnRequest()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 1), discountPercent: 20),
            Change("2", A, 100m, D(4, 1)), // the discount ends
        };
        var net = Default.Analyze(events, D(4, 30), Currency.Usd);
        Assert.Equal(80m, net.Periods[0].Mrr.Ending.Amount);
        Assert.Equal(20m, net.Periods[3].Mrr.Expansion.Amount);

        var list = new SubscriptionAnalyzer(new() { Discounts = DiscountTreatment.ListPrice }).Analyze(events, D(4, 30), Currency.Usd);
        Assert.Equal(100m, list.Periods[0].Mrr.Ending.Amount);
        Assert.Equal(0m, list.Periods[3].Mrr.Expansion.Amount);
    }

    [Fact]
    public void Analyze_SamePeriodSignupAndCancel_CountedBothWaysByDefault()
    {
        var events = new SubscriptionEvent[] { Change("1", A, 100m, D(1, 3)), Change("2", A, 140m, D(1, 9)), Cancel("3", A, D(1, 20)) };
        var jan = Default.Analyze(events, D(1, 31), Currency.Usd).Periods[0];
        Assert.Equal((140m, 140m, 0m), (jan.Mrr.NewBusiness.Amount, jan.Mrr.Churn.Amount, jan.Mrr.Ending.Amount));
        Assert.Equal(new CustomerMovements(0, 1, 0, 1, 0, 0), jan.Customers);
        Assert.Null(jan.Customers.ChurnRate);

        var excluded = new SubscriptionAnalyzer(new() { SamePeriodSignupAndCancel = SamePeriodSignupAndCancelPolicy.Exclude })
            .Analyze(events, D(1, 31), Currency.Usd).Periods[0];
        Assert.Equal((0m, 0m), (excluded.Mrr.NewBusiness.Amount, excluded.Mrr.Churn.Amount));
        Assert.Equal(new CustomerMovements(0, 0, 0, 0, 0, 0), excluded.Customers);
    }

    [Fact]
    public void Analyze_CancelAndReactivateWithinMonth_IsNetMovement()
    {
        var events = new SubscriptionEvent[] { Change("1", A, 100m, D(1, 3)), Cancel("2", A, D(2, 3)), Reactivate("3", A, 90m, D(2, 20)) };
        var feb = Default.Analyze(events, D(2, 28), Currency.Usd).Periods[1];
        Assert.Equal((0m, 10m, 0m, 0m), (feb.Mrr.Churn.Amount, feb.Mrr.Contraction.Amount, feb.Mrr.Reactivation.Amount, feb.Mrr.Expansion.Amount));
    }

    [Theory]
    [InlineData(null, 1, 0)]
    [InlineData(3, 1, 0)] // back after exactly three months: inside the window
    [InlineData(2, 0, 1)] // outside a two-month window: new business
    public void Analyze_ReactivationWindow_DecidesReactivationOrNew(int? window, int reactivated, int asNew)
    {
        var events = new SubscriptionEvent[] { Change("1", A, 100m, D(1, 10)), Cancel("2", A, D(2, 10)), Reactivate("3", A, 100m, D(5, 10)) };
        var analyzer = new SubscriptionAnalyzer(new() { ReactivationWindowMonths = window });
        var may = analyzer.Analyze(events, D(5, 31), Currency.Usd).Periods[4];
        Assert.Equal(reactivated, may.Customers.Reactivated);
        Assert.Equal(asNew, may.Customers.New);
    }

    [Fact]
    public void Analyze_ChurnByReasonAndSegment()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 1)), Change("1", B, 50m, D(1, 1)), Change("1", new CustomerId("c"), 10m, D(1, 1)),
            Cancel("2", A, D(2, 1), ChurnReason.Competitor), Cancel("2", B, D(2, 2), ChurnReason.Competitor),
        };
        var segments = new Dictionary<CustomerId, string> { [A] = "enterprise", [B] = "smb", [new CustomerId("c")] = "smb" };
        var result = Default.Analyze(events, D(2, 28), Currency.Usd, id => segments[id]);

        Assert.Equal(new ChurnTally(2, Money.Usd(150m)), result.ChurnByReason["competitor"]);
        var feb = result.Periods[1].ChurnBySegment;
        Assert.Equal(new SegmentChurn(1, 1, Money.Usd(100m), Money.Usd(100m)), feb["enterprise"]);
        Assert.Equal(new SegmentChurn(2, 1, Money.Usd(60m), Money.Usd(50m)), feb["smb"]);
        Assert.Equal(0.5, feb["smb"].ChurnRate!.Value.Fraction);
        Assert.Empty(result.Periods[0].ChurnBySegment); // nobody at the start of January, nobody left
    }

    [Fact]
    public void Analyze_Cohorts_CellsStopAtAsOf()
    {
        var events = new SubscriptionEvent[]
        {
            Change("1", A, 100m, D(1, 1)), Change("1", B, 100m, D(1, 15)),
            Cancel("2", B, D(2, 10)), Change("2", A, 150m, D(3, 1)),
            Change("1", new CustomerId("late"), 40m, D(3, 5)),
        };
        var cohorts = Default.Analyze(events, D(3, 20), Currency.Usd).Cohorts;

        Assert.Equal(2, cohorts.Length);
        var jan = cohorts[0];
        Assert.Equal((new YearMonth(2025, 1), 2, 200m), (jan.Cohort, jan.Size, jan.InitialMrr.Amount));
        Assert.Equal([2, 1, 1], jan.Cells.Select(c => c.ActiveCustomers));
        Assert.Equal([1.0, 0.5, 0.5], jan.Cells.Select(c => c.CustomerRetention.Fraction));
        Assert.Equal([1.0, 0.5, 0.75], jan.Cells.Select(c => c.RevenueRetention!.Value.Fraction));
        var mar = cohorts[1];
        Assert.Single(mar.Cells); // a young cohort: ages after the as-of date are absent, not zero
        Assert.Equal(new YearMonth(2025, 3), mar.Cohort);
    }

    [Fact]
    public void Analyze_AnnualRetentionAndReactivationRate()
    {
        var events = new List<SubscriptionEvent>();
        for (var i = 0; i < 10; i++)
        {
            events.Add(Change("1", new CustomerId($"k{i}"), 10m, new LocalDate(2024, 1, 1)));
        }

        events.Add(Cancel("2", new CustomerId("k0"), new LocalDate(2024, 4, 1)));   // gone before the anchor
        events.Add(Cancel("2", new CustomerId("k1"), new LocalDate(2024, 12, 15))); // gone after the anchor
        events.Add(Cancel("2", new CustomerId("k2"), new LocalDate(2025, 2, 1)));
        events.Add(Reactivate("3", new CustomerId("k2"), 10m, new LocalDate(2025, 5, 1)));
        events.Add(Change("1", new CustomerId("late"), 10m, new LocalDate(2024, 12, 1))); // joined after the anchor

        // The anchor is the end of May 2024, twelve months before the as-of month: k1…k9 are active there (9);
        // now k1 is gone and k2 is back, so 8 of the 9 remain. "late" joined after the anchor and does not count.
        var result = Default.Analyze(events, new LocalDate(2025, 5, 31), Currency.Usd);
        Assert.Equal(8d / 9d, result.AnnualCustomerRetention!.Value.Fraction, 12);
        Assert.Equal(1d / 3d, result.ReactivationRate!.Value.Fraction, 12);
    }

    [Fact]
    public void Analyze_LessThanThirteenMonths_AnnualRetentionUndefined()
    {
        var result = Default.Analyze([Change("1", A, 10m, D(1, 1))], D(12, 31), Currency.Usd);
        Assert.Null(result.AnnualCustomerRetention);
        Assert.Null(result.ReactivationRate);
    }

    [Fact]
    public void Analyze_NoEvents_EmptyAnalysis()
    {
        var result = Default.Analyze([], D(1, 1), Currency.Usd);
        Assert.Empty(result.Periods);
        Assert.Empty(result.Cohorts);
        Assert.Equal(0, result.CustomerCount);
    }

    [Fact]
    public void Analyze_EventsAfterAsOf_AreNotAnalysed()
    {
        var result = Default.Analyze([Change("1", A, 10m, D(1, 1)), Change("2", A, 99m, D(3, 1))], D(1, 31), Currency.Usd);
        Assert.Single(result.Periods);
        Assert.Equal(10m, result.Periods[0].Mrr.Ending.Amount);
    }

    [Fact]
    public void Analyze_SameEventTwice_IsHarmless()
    {
        var e = Change("1", A, 10m, D(1, 1));
        var twice = Default.Analyze([e, Change("1", A, 10m, D(1, 1))], D(1, 31), Currency.Usd);
        Assert.Equal(10m, twice.Periods[0].Mrr.Ending.Amount);
        Assert.Equal(1, twice.Periods[0].Customers.New);
    }

    [Fact]
    public void Analyze_DuplicateIdDifferentContent_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>("events", () => Default.Analyze([Change("1", A, 10m, D(1, 1)), Change("1", A, 20m, D(1, 5))], D(1, 31), Currency.Usd));
        Assert.Contains("id '1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("10", ex.Message, StringComparison.Ordinal);
        Assert.Contains("20", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, SubscriptionEvent[]> ImpossibleHistories => new()
    {
        { "cancels before the customer's first subscription", [Cancel("1", A, D(1, 1))] },
        { "reactivates a customer who never subscribed", [Reactivate("1", A, 5m, D(1, 1))] },
        { "cancels a customer who is already cancelled", [Change("1", A, 5m, D(1, 1)), Cancel("2", A, D(1, 2)), Cancel("3", A, D(1, 3))] },
        { "reactivates a customer who is active", [Change("1", A, 5m, D(1, 1)), Reactivate("2", A, 5m, D(1, 2))] },
        { "changes the subscription of a cancelled customer", [Change("1", A, 5m, D(1, 1)), Cancel("2", A, D(1, 2)), Change("3", A, 5m, D(1, 3))] },
    };

    [Theory]
    [MemberData(nameof(ImpossibleHistories))]
    public void Analyze_ImpossibleHistory_ThrowsNamingEvent(string problem, SubscriptionEvent[] events)
    {
        var ex = Assert.Throws<ArgumentException>("events", () => Default.Analyze(events, D(12, 31), Currency.Usd));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("customer 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("events", () => Default.Analyze(null!, D(1, 1), Currency.Usd));
        Assert.Throws<ArgumentException>("events", () => Default.Analyze([null!], D(1, 1), Currency.Usd));
        var currency = Assert.Throws<ArgumentException>("events", () => Default.Analyze([Change("1", A, 5m, D(1, 1))], D(1, 1), Currency.Eur));
        Assert.Contains("is in USD, but the analysis is in EUR", currency.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("segmentOf", () => Default.Analyze([Change("1", A, 5m, D(1, 1))], D(1, 1), Currency.Usd, _ => " "));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsProblems()
    {
        var ex = Assert.Throws<ArgumentException>("options", () => new SubscriptionAnalyzer(new()
        {
            ReactivationWindowMonths = 0,
            Discounts = (DiscountTreatment)9,
        }));
        Assert.Contains("ReactivationWindowMonths", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Discounts", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("options", () => new SubscriptionAnalyzer(null!));
    }

    [Fact]
    public void Events_InvalidConstruction_Throws()
    {
        Assert.Throws<ArgumentException>("id", () => Change(" ", A, 5m, D(1, 1)));
        Assert.Throws<ArgumentException>("customer", () => Change("1", default, 5m, D(1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => Change("1", A, -5m, D(1, 1)));
        Assert.Throws<ArgumentException>("plan", () => new SubscriptionChange("1", A, "", Money.Usd(1m), BillingInterval.Monthly, D(1, 1)));
        Assert.Throws<ArgumentException>("code", () => new ChurnReason(" "));
        Assert.Equal(ChurnReason.Unknown, new ChurnReason("Unknown"));
        Assert.Equal("competitor", new ChurnReason(" Competitor ").Code);
    }

    [Fact]
    public void MrrBridge_NotReconciling_Throws()
    {
        var ex = Assert.Throws<ArgumentException>("ending", () => new MrrBridge(Money.Usd(10m), Money.Usd(5m), Money.Usd(0m), Money.Usd(0m), Money.Usd(0m), Money.Usd(0m), Money.Usd(16m)));
        Assert.Contains("must equal starting + new", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("churn", () => new MrrBridge(Money.Usd(10m), Money.Usd(0m), Money.Usd(0m), Money.Usd(0m), Money.Usd(0m), Money.Usd(-1m), Money.Usd(11m)));
    }
}
