using System.Linq;
using NodaTime;
using RetentionKit.Scoring;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Every built-in playbook's timeline, day by day, exactly as SPEC B1–B13 gives it.</summary>
public class BuiltInTimelineTests
{
    [Fact]
    public void B1_ReEngagement_Day14EmailDay16InAppDay18SuccessManager()
    {
        // Engagement below 50 % from day 0: the trigger fires on day 14 of low engagement.
        var timeline = Timeline(Engine(BuiltInPlaybooks.ReEngagement), Day0, 40, d => Customer() with
        {
            Engagement = new UsageLevel(0.3, DaysBelowLow: Period.Between(Day0, d, PeriodUnits.Days).Days),
        });

        Assert.Equal(
        [
            (14, BuiltInPlaybooks.ReEngagement, "activity-summary"),
            (16, BuiltInPlaybooks.ReEngagement, "premium-trial"),
            (18, BuiltInPlaybooks.ReEngagement, "success-manager-outreach"),
        ], timeline);
    }

    [Fact]
    public void B2_SuccessCoaching_StartsADayAfterTheTrigger_SessionTwoDaysLater_FollowUpFiveDaysAfterThat()
    {
        var timeline = Timeline(Engine(BuiltInPlaybooks.SuccessCoaching), Day0, 50, d => Customer() with
        {
            FeatureAdoption = new UsageLevel(0.2, DaysBelowLow: Period.Between(Day0, d, PeriodUnits.Days).Days),
        });

        Assert.Equal(
        [
            (31, BuiltInPlaybooks.SuccessCoaching, "coaching-email"),
            (33, BuiltInPlaybooks.SuccessCoaching, "coaching-session"),
            (38, BuiltInPlaybooks.SuccessCoaching, "follow-up"),
        ], timeline);
    }

    [Fact]
    public void B3_RetentionOffer_OfferCallAndEscalationWithoutAnAnswer()
    {
        var timeline = Timeline(Engine(BuiltInPlaybooks.RetentionOffer), Day0, 10, _ => AtRisk(Customer()));

        Assert.Equal(
        [
            (0, BuiltInPlaybooks.RetentionOffer, "offer"),
            (1, BuiltInPlaybooks.RetentionOffer, "manager-call"),
            (3, BuiltInPlaybooks.RetentionOffer, "director-escalation"),
        ], timeline);
    }

    [Fact]
    public void B3_RetentionOffer_AnAnswerBeforeDay3_SkipsTheEscalation_AndCompletes()
    {
        var days = Simulate(Engine(BuiltInPlaybooks.RetentionOffer), Day0, 10, d => AtRisk(Customer()) with
        {
            Events = d >= Day0.PlusDays(2) ? [new CustomerEvent(CustomerEvents.Replied, Day0.PlusDays(2))] : [],
        });

        Assert.Equal(["offer", "manager-call"], PlaybookSimulator.Schedule(days).Select(s => s.Step));
        var day3 = Assert.Single(days[3].Plan!.Enrolments);
        Assert.Equal(EnrolmentStatus.Completed, day3.After.Status);
        Assert.Equal(new StepRecord("director-escalation", Day0.PlusDays(3), Skipped: true), day3.After.Steps[^1]);
    }

    [Fact]
    public void B4_WinBack_Days30_37_45_60AfterChurn()
    {
        var churned = Day0;
        var timeline = Timeline(Engine(BuiltInPlaybooks.WinBack), Day0, 70, _ => Customer() with { ChurnedOn = churned, ChurnReason = "price" });

        Assert.Equal(
        [
            (30, BuiltInPlaybooks.WinBack, "we-miss-you"),
            (37, BuiltInPlaybooks.WinBack, "half-price"),
            (45, BuiltInPlaybooks.WinBack, "personal-call"),
            (60, BuiltInPlaybooks.WinBack, "last-offer"),
        ], timeline);
    }

    [Fact]
    public void B4_WinBack_FirstSeenDaysAfterTheChurn_StillCountsFromTheChurnDate()
    {
        var timeline = Timeline(Engine(BuiltInPlaybooks.WinBack), Day0.PlusDays(10), 60, _ => Customer() with { ChurnedOn = Day0 });

        Assert.Equal([20, 27, 35, 50], timeline.Select(t => t.Day)); // days 30, 37, 45 and 60 after the churn
    }

    [Fact]
    public void B5_Onboarding_Days1_3_7_14_30()
    {
        var timeline = Timeline(Engine(BuiltInPlaybooks.Onboarding), Day0, 40, _ => Customer(since: Day0));

        Assert.Equal(
        [
            (1, BuiltInPlaybooks.Onboarding, "welcome"),
            (3, BuiltInPlaybooks.Onboarding, "first-success"),
            (7, BuiltInPlaybooks.Onboarding, "check-in"),
            (14, BuiltInPlaybooks.Onboarding, "results"),
            (30, BuiltInPlaybooks.Onboarding, "growth-plan"),
        ], timeline);
    }

    [Fact]
    public void B6_ValueMilestones_Week1Month1Quarter1Year1()
    {
        var timeline = Timeline(Engine(BuiltInPlaybooks.ValueMilestones), Day0, 400, _ => Customer(since: Day0));

        Assert.Equal([7, 30, 90, 365], timeline.Select(t => t.Day));
    }

    [Fact]
    public void B7_CheckIns_Day30Day90_AndSixtyDaysBeforeRenewal()
    {
        var renewal = Day0.PlusDays(200);
        var timeline = Timeline(Engine(BuiltInPlaybooks.CheckIn30, BuiltInPlaybooks.CheckIn90, BuiltInPlaybooks.RenewalCheckIn), Day0, 220, _ => Customer(since: Day0) with { RenewalOn = renewal });

        Assert.Equal(
        [
            (30, BuiltInPlaybooks.CheckIn30, "success-check-in"),
            (90, BuiltInPlaybooks.CheckIn90, "value-check-in"),
            (140, BuiltInPlaybooks.RenewalCheckIn, "renewal-check-in"),
        ], timeline);
    }

    [Fact]
    public void B8_Upsells_ByUsageResultsAndNeed()
    {
        var usage = Timeline(Engine(BuiltInPlaybooks.UpsellUsage), Day0, 10, _ => Healthy() with { FeatureAdoption = new UsageLevel(0.9, DaysAboveHigh: 30) });
        var results = Timeline(Engine(BuiltInPlaybooks.UpsellResults), Day0, 10, _ => Healthy() with { Roi = 2.5, Nps = 75 });
        var need = Timeline(Engine(BuiltInPlaybooks.UpsellNeed), Day0, 10, _ => Healthy() with { LimitUsage = 0.85 });

        Assert.Equal([(0, BuiltInPlaybooks.UpsellUsage, "upgrade-offer"), (3, BuiltInPlaybooks.UpsellUsage, "in-app-reminder")], usage);
        Assert.Equal([(0, BuiltInPlaybooks.UpsellResults, "results-offer"), (2, BuiltInPlaybooks.UpsellResults, "account-manager-call")], results);
        Assert.Equal([(0, BuiltInPlaybooks.UpsellNeed, "upgrade-now"), (1, BuiltInPlaybooks.UpsellNeed, "upgrade-email")], need);
    }

    [Fact]
    public void B9_CrossSells_ComplementarySeasonalAndDepartments()
    {
        var complementary = Timeline(Engine(BuiltInPlaybooks.CrossSellComplementary), Day0, 5, _ => Healthy() with { Nps = 65 });
        var seasonal = Timeline(Engine(BuiltInPlaybooks.CrossSellSeasonal), new LocalDate(2026, 9, 28), 10, _ => Healthy());
        var departments = Timeline(Engine(BuiltInPlaybooks.CrossSellDepartments), Day0, 5, _ => Healthy() with { Events = [new CustomerEvent(CustomerEvents.OtherDepartmentsAsked, Day0)] });

        Assert.Equal([(0, BuiltInPlaybooks.CrossSellComplementary, "bundle-offer")], complementary);
        Assert.Equal([(3, BuiltInPlaybooks.CrossSellSeasonal, "seasonal-offer")], seasonal); // 1 October
        Assert.Equal([(0, BuiltInPlaybooks.CrossSellDepartments, "volume-offer"), (2, BuiltInPlaybooks.CrossSellDepartments, "expansion-call")], departments);
    }

    [Fact]
    public void B11_Reactivation_After30DaysWithoutUse_AndTheSaveConversation()
    {
        var reactivation = Timeline(Engine(BuiltInPlaybooks.Reactivation), Day0, 15, _ => Customer() with { LastActiveOn = Day0.PlusDays(-30) });
        var save = Timeline(Engine(BuiltInPlaybooks.SaveConversation), Day0, 5, _ => Customer() with { Events = [new CustomerEvent(CustomerEvents.CancellationRequested, Day0)] });

        Assert.Equal([(0, BuiltInPlaybooks.Reactivation, "come-back"), (3, BuiltInPlaybooks.Reactivation, "whats-new"), (7, BuiltInPlaybooks.Reactivation, "success-manager-call")], reactivation);
        Assert.Equal([(0, BuiltInPlaybooks.SaveConversation, "save-call"), (2, BuiltInPlaybooks.SaveConversation, "director-escalation")], save);
    }

    [Theory]
    [InlineData(RetentionBand.AtRisk, BuiltInPlaybooks.RetentionOffer)]
    [InlineData(RetentionBand.Low, BuiltInPlaybooks.ReEngagement)]
    [InlineData(RetentionBand.Medium, BuiltInPlaybooks.ValueReinforcement)]
    [InlineData(RetentionBand.High, BuiltInPlaybooks.Advocacy)]
    public void B12_EachBand_LeadsWithItsPlaybook(RetentionBand band, string first)
    {
        Assert.Equal(first, BuiltInPlaybooks.ForBand(band)[0]);
        Assert.All(BuiltInPlaybooks.ForBand(band), id => Assert.Contains(BuiltInPlaybooks.All, p => p.Id == id));
    }

    [Fact]
    public void B13_FeedbackLoop_ResponseAndEscalationAtOnce_FollowUpUnlessResolved_Resolution()
    {
        var open = Timeline(Engine(BuiltInPlaybooks.FeedbackLoop), Day0, 10, _ => Customer() with { Events = [new CustomerEvent(CustomerEvents.NegativeFeedback, Day0)] });
        var resolved = Timeline(Engine(BuiltInPlaybooks.FeedbackLoop), Day0, 10, d => Customer() with
        {
            Events = [new CustomerEvent(CustomerEvents.NegativeFeedback, Day0), .. d >= Day0.PlusDays(1) ? new[] { new CustomerEvent(CustomerEvents.FeedbackResolved, Day0.PlusDays(1)) } : []],
        });

        Assert.Equal(["immediate-response", "escalation", "follow-up", "resolution"], open.Select(t => t.Step));
        Assert.Equal([0, 0, 3, 7], open.Select(t => t.Day));
        Assert.Equal(["immediate-response", "escalation", "resolution"], resolved.Select(t => t.Step));
    }

    [Fact]
    public void EveryBuiltInPlaybook_HasTheDocumentsExpectedSuccess_WhereTheyGiveOne()
    {
        var expected = new (string Id, int Low, int High)[]
        {
            (BuiltInPlaybooks.ReEngagement, 30, 40), (BuiltInPlaybooks.SuccessCoaching, 50, 60), (BuiltInPlaybooks.RetentionOffer, 40, 50),
            (BuiltInPlaybooks.WinBack, 10, 20), (BuiltInPlaybooks.UpsellUsage, 25, 35), (BuiltInPlaybooks.UpsellResults, 40, 50),
            (BuiltInPlaybooks.UpsellNeed, 50, 60), (BuiltInPlaybooks.CrossSellComplementary, 20, 30), (BuiltInPlaybooks.CrossSellSeasonal, 15, 25),
            (BuiltInPlaybooks.CrossSellDepartments, 30, 40),
        };

        foreach (var (id, low, high) in expected)
        {
            var playbook = BuiltInPlaybooks.All.Single(p => p.Id == id);
            Assert.Equal((Rate.FromPercent(low), Rate.FromPercent(high)), playbook.ExpectedSuccess);
        }
    }

    internal static CustomerState AtRisk(CustomerState c) => c with
    {
        Score = Scores.WithRisk(RiskLevel.High, 0.8, RetentionBand.AtRisk),
        MonthlyRevenue = Money.Usd(100m),
        LifetimeValue = Money.Usd(5_000m),
    };

    internal static CustomerState Healthy() => Customer() with { Score = Scores.WithRisk(RiskLevel.Low, 0.1, RetentionBand.High) };
}
