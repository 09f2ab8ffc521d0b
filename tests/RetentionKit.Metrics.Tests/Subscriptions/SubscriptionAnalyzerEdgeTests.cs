using System;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Tests.Subscriptions;

// Edge cases found by mutation testing: each test pins a behaviour a surviving mutant changed silently.
public class SubscriptionAnalyzerEdgeTests
{
    private static readonly SubscriptionAnalyzer Default = new(new SubscriptionAnalysisOptions());
    private static readonly CustomerId A = new("a");
    private static readonly CustomerId B = new("b");

    private static LocalDate D(int month, int day) => new(2025, month, day);

    private static SubscriptionChange Change(string id, CustomerId c, decimal amount, LocalDate on) =>
        new(id, c, "pro", Money.Usd(amount), BillingInterval.Monthly, on);

    [Fact]
    public void Analyze_CustomerHistoryOutOfOrder_IsSortedByDate()
    {
        SubscriptionEvent[] shuffled =
        [
            new Cancellation("3", A, D(3, 1), ChurnReason.Price),
            Change("1", A, 100m, D(1, 1)),
            Change("1", B, 10m, D(2, 1)),
            Change("2", A, 150m, D(2, 1)),
        ];
        var result = Default.Analyze(shuffled, D(3, 31), Currency.Usd);
        Assert.Equal([100m, 160m, 10m], result.Periods.Select(p => p.Mrr.Ending.Amount));
        Assert.Equal(50m, result.Periods[1].Mrr.Expansion.Amount);
        Assert.Equal(150m, result.Periods[2].Mrr.Churn.Amount);
    }

    [Fact]
    public void Analyze_LazySequence_IsAccepted()
    {
        var lazy = Enumerable.Range(1, 3).Select(i => Change("1", new CustomerId($"c{i}"), i * 10m, D(1, i)));
        Assert.Equal(60m, Default.Analyze(lazy, D(1, 31), Currency.Usd).Periods[0].Mrr.Ending.Amount);
    }

    [Fact]
    public void Analyze_ReactivateAndCancelInOneMonth_CountsReactivationAndChurn()
    {
        SubscriptionEvent[] events =
        [
            Change("1", A, 100m, D(1, 1)),
            new Cancellation("2", A, D(1, 20), ChurnReason.Price),
            new Reactivation("3", A, "pro", Money.Usd(80m), BillingInterval.Monthly, D(3, 2)),
            new Cancellation("4", A, D(3, 25), ChurnReason.Support),
        ];
        var result = Default.Analyze(events, D(3, 31), Currency.Usd);
        var march = result.Periods[2];
        Assert.Equal((80m, 80m, 0m), (march.Mrr.Reactivation.Amount, march.Mrr.Churn.Amount, march.Mrr.NewBusiness.Amount));
        Assert.Equal((1, 1), (march.Customers.Reactivated, march.Customers.Churned));
        Assert.Equal(new ChurnTally(1, Money.Usd(80m)), result.ChurnByReason["support"]);
        Assert.Equal(new ChurnTally(1, Money.Usd(100m)), result.ChurnByReason["price"]);
    }

    [Fact]
    public void Analyze_TwoReactivations_CustomerCountedOnceInReactivationRate()
    {
        SubscriptionEvent[] events =
        [
            Change("1", A, 10m, D(1, 1)),
            new Cancellation("2", A, D(2, 1), ChurnReason.Price),
            new Reactivation("3", A, "pro", Money.Usd(10m), BillingInterval.Monthly, D(3, 1)),
            new Cancellation("4", A, D(4, 1), ChurnReason.Price),
            new Reactivation("5", A, "pro", Money.Usd(10m), BillingInterval.Monthly, D(5, 1)),
            Change("1", B, 10m, D(1, 1)),
            new Cancellation("2", B, D(2, 1), ChurnReason.Price),
        ];
        Assert.Equal(0.5, Default.Analyze(events, D(5, 31), Currency.Usd).ReactivationRate!.Value.Fraction);
    }

    [Fact]
    public void Analyze_ExactlyThirteenMonths_AnnualRetentionDefined()
    {
        var result = Default.Analyze([Change("1", A, 10m, D(1, 1))], new LocalDate(2026, 1, 31), Currency.Usd);
        Assert.Equal(13, result.Periods.Length);
        Assert.Equal(Rate.One, result.AnnualCustomerRetention);
    }

    [Fact]
    public void Analyze_JoinAfterAnchor_NotInAnnualBase()
    {
        // 13 months, February 2025 to February 2026: the anchor is the end of February 2025. A joined then and is in
        // the base; B joined in March, after the anchor, and its churn does not count against annual retention.
        SubscriptionEvent[] events = [Change("1", A, 10m, D(2, 10)), Change("1", B, 10m, D(3, 10)), new Cancellation("2", B, new LocalDate(2026, 2, 1), ChurnReason.Price)];
        var result = Default.Analyze(events, new LocalDate(2026, 2, 28), Currency.Usd);
        Assert.Equal(13, result.Periods.Length);
        Assert.Equal(Rate.One, result.AnnualCustomerRetention);
    }

    [Fact]
    public void Analyze_ListPriceIgnoresDiscountOnAnnualPlans()
    {
        var annual = new SubscriptionChange("1", A, "pro", Money.Usd(1200m), BillingInterval.Annual, D(1, 1), Rate.FromPercent(50));
        var list = new SubscriptionAnalyzer(new() { Discounts = DiscountTreatment.ListPrice }).Analyze([annual], D(1, 31), Currency.Usd);
        var net = Default.Analyze([annual], D(1, 31), Currency.Usd);
        Assert.Equal(100m, list.Periods[0].Mrr.Ending.Amount);
        Assert.Equal(50m, net.Periods[0].Mrr.Ending.Amount);
    }

    [Fact]
    public void Analyze_MinorUnitRounding_AppliesToDiscountedMonthlyPlans()
    {
        var plan = new SubscriptionChange("1", A, "pro", Money.Usd(10m), BillingInterval.Monthly, D(1, 1), Rate.FromFraction(1d / 3d));
        var rounded = new SubscriptionAnalyzer(new() { MonthlyAmountRounding = NormalisedAmountRounding.MinorUnit }).Analyze([plan], D(1, 31), Currency.Usd);
        Assert.Equal(6.67m, rounded.Periods[0].Mrr.Ending.Amount);
    }

    [Fact]
    public void Analyze_FreePlanCohort_RevenueRetentionUndefined()
    {
        var cohort = Default.Analyze([Change("1", A, 0m, D(1, 1))], D(2, 28), Currency.Usd).Cohorts.Single();
        Assert.All(cohort.Cells, c => Assert.Null(c.RevenueRetention));
        Assert.All(cohort.Cells, c => Assert.Equal(Rate.One, c.CustomerRetention));
    }

    [Fact]
    public void Analyze_SegmentThatLostEveryone_DropsOutAfterTheMonthItChurned()
    {
        SubscriptionEvent[] events = [Change("1", A, 10m, D(1, 1)), new Cancellation("2", A, D(2, 5), ChurnReason.Price), Change("1", B, 10m, D(1, 1))];
        var result = Default.Analyze(events, D(3, 31), Currency.Usd, id => id == A ? "gone" : "kept");
        Assert.True(result.Periods[1].ChurnBySegment.ContainsKey("gone"));
        Assert.False(result.Periods[2].ChurnBySegment.ContainsKey("gone"));
        Assert.Equal(new SegmentChurn(1, 0, Money.Usd(10m), Money.Usd(0m)), result.Periods[2].ChurnBySegment["kept"]);
    }

    [Fact]
    public void Analyze_ErrorMessages_NameTheProblem()
    {
        var nullEvent = Assert.Throws<ArgumentException>("events", () => Default.Analyze([Change("1", A, 1m, D(1, 1)), null!], D(1, 1), Currency.Usd));
        Assert.Contains("null at index 1", nullEvent.Message, StringComparison.Ordinal);
        var blank = Assert.Throws<ArgumentException>("segmentOf", () => Default.Analyze([Change("1", A, 1m, D(1, 1))], D(1, 1), Currency.Usd, _ => ""));
        Assert.Contains("blank segment for customer 'a'", blank.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MrrBridge_NegativeMovement_Throws(int which)
    {
        var m = new decimal[5];
        m[which] = -1m;
        string[] names = ["newBusiness", "expansion", "reactivation", "contraction", "churn"];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(names[which], () => new MrrBridge(
            Money.Usd(10m), Money.Usd(m[0]), Money.Usd(m[1]), Money.Usd(m[2]), Money.Usd(m[3]), Money.Usd(m[4]), Money.Usd(10m + m[0] + m[1] + m[2] - m[3] - m[4])));
        Assert.Contains("must not be negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MrrBridge_NetNew_IsEndingMinusStarting() =>
        Assert.Equal(Money.Usd(-3m), new MrrBridge(Money.Usd(10m), Money.Usd(2m), Money.Usd(0m), Money.Usd(0m), Money.Usd(0m), Money.Usd(5m), Money.Usd(7m)).NetNew);

    [Fact]
    public void ChurnReason_Operators()
    {
        Assert.True(ChurnReason.Price != ChurnReason.Product);
        Assert.False(ChurnReason.Price != new ChurnReason("PRICE"));
        Assert.Equal("no-longer-needed", ChurnReason.NoLongerNeeded.ToString());
        Assert.Equal(new ChurnReason("payment").GetHashCode(), ChurnReason.Payment.GetHashCode());
    }
}
