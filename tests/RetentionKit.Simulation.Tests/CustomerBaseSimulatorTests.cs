using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.TestUtilities;

namespace RetentionKit.Simulation.Tests;

public class CustomerBaseSimulatorTests
{
    private static readonly SimulationSettings Small = new(2_000, 24, 7, new LocalDate(2024, 1, 1));
    private static readonly Lazy<SimulatedCustomerBase> Data = new(() => CustomerBaseSimulator.Run(Small));

    [Fact]
    public void Run_SameSettings_SameOutput()
    {
        var again = CustomerBaseSimulator.Run(Small);
        Assert.Equal(Data.Value.Customers.ToArray(), again.Customers.ToArray());
        Assert.Equal(Data.Value.SubscriptionEvents.ToArray(), again.SubscriptionEvents.ToArray());
        Assert.Equal(Data.Value.Activity.ToArray(), again.Activity.ToArray());
        Assert.Equal(Data.Value.Feedback.ToArray(), again.Feedback.ToArray());
        Assert.Equal(Data.Value.Churns.ToArray(), again.Churns.ToArray());
    }

    [Fact]
    public void Run_DifferentSeed_DifferentOutput()
    {
        var other = CustomerBaseSimulator.Run(new SimulationSettings(2_000, 24, 8, Small.Start));
        Assert.NotEqual(Data.Value.SubscriptionEvents.Select(e => e.EffectiveDate), other.SubscriptionEvents.Select(e => e.EffectiveDate));
    }

    [Fact]
    public void Run_HistoryIsValidForTheAnalyzer()
    {
        var data = Data.Value;
        var analysis = new SubscriptionAnalyzer(new()).Analyze(data.SubscriptionEvents, Small.End, Currency.Usd);
        Assert.Equal(Small.Customers, data.Customers.Length);
        Assert.Equal(Small.Customers, analysis.CustomerCount);
        Assert.Equal(24, analysis.Periods.Length);
        Assert.All(data.SubscriptionEvents, e => Assert.InRange(e.EffectiveDate, Small.Start, Small.End));
    }

    // Each customer's events are listed in date order, starting with the sign-up: a plan change in the sign-up month
    // used to be drawn from the whole month and could fall before the sign-up.
    [Fact]
    public void Run_EachCustomersEventsAreInDateOrder_FromTheSignup()
    {
        var data = Data.Value;
        var signups = data.Customers.ToDictionary(c => c.Id, c => c.SignupDate);
        foreach (var history in data.SubscriptionEvents.GroupBy(e => e.Customer))
        {
            var dates = history.Select(e => e.EffectiveDate).ToList();
            Assert.Equal(signups[history.Key], dates[0]);
            Assert.Equal(dates.Order(), dates);
        }
    }

    [Fact]
    public void Run_ProducesEveryKindOfMovement()
    {
        var data = Data.Value;
        Assert.Contains(data.SubscriptionEvents, e => e is Cancellation);
        Assert.Contains(data.SubscriptionEvents, e => e is Reactivation);
        Assert.Contains(data.SubscriptionEvents, e => e is SubscriptionChange { Terms.Interval.Months: 12 });
        Assert.Contains(data.SubscriptionEvents, e => e is SubscriptionChange { Terms.Discount.Fraction: > 0 });
        var reasons = data.Churns.Select(c => c.Reason).Distinct().ToList();
        Assert.True(reasons.Count >= 4, "expected a spread of churn reasons, got " + string.Join(", ", reasons));
        Assert.Contains(data.Feedback, f => f.Comment is not null);
        Assert.Contains(data.Feedback, f => f.Nps is not null);
    }

    [Fact]
    public void Run_GroundTruthMatchesCancellations()
    {
        var data = Data.Value;
        var cancellations = data.SubscriptionEvents.OfType<Cancellation>().Select(c => (c.Customer, c.EffectiveDate, c.Reason)).ToHashSet();
        Assert.Equal(cancellations.Count, data.Churns.Length);
        Assert.All(data.Churns, t => Assert.Contains((t.Customer, t.Date, t.Reason), cancellations));
    }

    [Fact]
    public void Run_ActivityOnlyWhileActive()
    {
        var data = Data.Value;
        var byCustomer = data.SubscriptionEvents.GroupBy(e => e.Customer).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var a in data.Activity.Take(3_000))
        {
            var end = a.Month.ToDateInterval().End;
            var start = a.Month.ToDateInterval().Start;
            var (activeAtStart, _) = ReferenceSubscriptionModel.StateAt(byCustomer[a.Customer], start.PlusDays(-1));
            var (activeAtEnd, _) = ReferenceSubscriptionModel.StateAt(byCustomer[a.Customer], end);
            var joinedThisMonth = byCustomer[a.Customer].Any(e => e.EffectiveDate >= start && e.EffectiveDate <= end && e is not Cancellation);
            Assert.True(activeAtStart || activeAtEnd || joinedThisMonth, $"{a.Customer} has activity in {a.Month} while inactive");
        }
    }

    // The signals must carry real information: in the month before they leave, churners look worse than stayers.
    [Fact]
    public void Run_SignalsAreInformativeAboutChurn()
    {
        var data = CustomerBaseSimulator.Run(new SimulationSettings(10_000, 24, 11, Small.Start));
        var churnMonths = data.Churns.Select(c => (c.Customer, new YearMonth(c.Date.Year, c.Date.Month))).ToHashSet();
        var before = data.Activity.Where(a => churnMonths.Contains((a.Customer, a.Month))).ToList();
        var others = data.Activity.Where(a => !churnMonths.Contains((a.Customer, a.Month))).ToList();

        Assert.True(before.Average(a => a.FeatureShare) < others.Average(a => a.FeatureShare) - 0.1);
        Assert.True(before.Average(a => (double)a.EmailsOpened / a.EmailsSent) < others.Average(a => (double)a.EmailsOpened / a.EmailsSent) - 0.1);
        Assert.True(before.Average(a => a.CompetitorVisits) > others.Average(a => a.CompetitorVisits));
        Assert.True(data.Churns.Average(c => c.HealthBefore) < 0.45);

        // …but noisily: plenty of churners still used half the features or more.
        Assert.True(before.Count(a => a.FeatureShare >= 0.5) > before.Count / 20);
    }

    [Fact]
    public void Run_Progress_ReachesOne()
    {
        var reports = new List<double>();
        CustomerBaseSimulator.Run(new SimulationSettings(500, 6, 1, Small.Start), new SyncProgress(reports.Add));
        Assert.Equal(1d, reports[^1]);
        Assert.Equal(reports.OrderBy(x => x), reports);
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cts = new System.Threading.CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => CustomerBaseSimulator.Run(Small, null, cts.Token));
        Assert.Throws<ArgumentNullException>("settings", () => CustomerBaseSimulator.Run(null!));
    }

    [Theory]
    [InlineData(0, 12, 1, "customers")]
    [InlineData(10, 0, 1, "months")]
    [InlineData(10, 241, 1, "months")]
    [InlineData(10, 12, 2, "start")]
    public void Settings_Invalid_Throw(int customers, int months, int day, string param) =>
        Assert.Throws<ArgumentOutOfRangeException>(param, () => new SimulationSettings(customers, months, 1, new LocalDate(2024, 1, day)));

    [Fact]
    public void Settings_Default_IsTheBundledSample()
    {
        Assert.Equal((5_000, 24, 42), (SimulationSettings.Default.Customers, SimulationSettings.Default.Months, SimulationSettings.Default.Seed));
        Assert.Equal(new LocalDate(2025, 12, 31), SimulationSettings.Default.End);
    }

    [Fact]
    public void MonthlyActivity_Guards()
    {
        var id = new CustomerId("c");
        var month = new YearMonth(2024, 1);
        Assert.Throws<ArgumentOutOfRangeException>("emailsOpened", () => new MonthlyActivity(id, month, 1, 1, 0.5, 2, 3, 0, 0, 0, 0, 0, false, false, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("negativeTickets", () => new MonthlyActivity(id, month, 1, 1, 0.5, 2, 1, 1, 2, 0, 0, 0, false, false, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("featureShare", () => new MonthlyActivity(id, month, 1, 1, 1.5, 2, 1, 1, 0, 0, 0, 0, false, false, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>("logins", () => new MonthlyActivity(id, month, -1, 1, 0.5, 2, 1, 1, 0, 0, 0, 0, false, false, 0, 0.5));
        Assert.Throws<ArgumentException>("customer", () => new MonthlyActivity(default, month, 1, 1, 0.5, 2, 1, 1, 0, 0, 0, 0, false, false, 0, 0.5));
    }

    [Fact]
    public void PublicTypes_AreImmutable() => MutabilityAssert.PublicTypesAreImmutable(typeof(CustomerBaseSimulator).Assembly);

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
