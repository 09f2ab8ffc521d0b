using System;
using System.Linq;
using NodaTime;
using RetentionKit.Scoring;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The engine's policy (B15): exits, conflicts, caps, economics, re-entry, variants.</summary>
public class EnginePolicyTests
{
    [Fact]
    public void AGoalMet_EndsTheEnrolmentEarly_WithTheGoalAsTheReason()
    {
        var days = Simulate(Engine(BuiltInPlaybooks.ReEngagement), Day0, 30, d => Customer() with
        {
            Engagement = d == Day0 ? new UsageLevel(0.3, DaysBelowLow: 14) : new UsageLevel(0.6),
        });

        Assert.Equal(["activity-summary"], PlaybookSimulator.Schedule(days).Select(s => s.Step));
        var exit = Assert.Single(days[1].Plan!.Enrolments);
        Assert.Equal((EnrolmentStatus.Exited, Day0.PlusDays(1)), (exit.After.Status, exit.After.EndedOn));
        Assert.Equal("goal met: engagement at least 50 % or the customer churned", exit.After.EndReason);
        Assert.Empty(exit.Deliver);
    }

    [Fact]
    public void AHigherPriorityIntervention_PreEmptsTheRunningOne()
    {
        var engine = Engine(BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer);
        var days = Simulate(engine, Day0, 6, d =>
        {
            var c = Customer() with { Engagement = new UsageLevel(0.3, DaysBelowLow: 14 + Period.Between(Day0, d, PeriodUnits.Days).Days) };
            return d >= Day0.PlusDays(3) ? BuiltInTimelineTests.AtRisk(c) : c;
        });

        var day3 = days[3].Plan!;
        var exited = day3.Enrolments.Single(e => e.After.Playbook == BuiltInPlaybooks.ReEngagement);
        var started = day3.Enrolments.Single(e => e.After.Playbook == BuiltInPlaybooks.RetentionOffer);
        Assert.Equal("pre-empted by 'retention-offer' (priority 90)", exited.After.EndReason);
        Assert.True(started.Starts);
        Assert.Equal(["offer"], started.Deliver.Select(d => d.Step.Id));
        Assert.Equal(
            ["activity-summary", "premium-trial", "offer", "manager-call"],
            PlaybookSimulator.Schedule(days).Select(s => s.Step));
    }

    [Fact]
    public void DryRun_ShowsEachDayAWaitingTriggerWaits_UntilItEnrols()
    {
        var engine = Engine(BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer);
        var days = PlaybookSimulator.Run(engine, Day0, 5, day => day < Day0.PlusDays(2)
            ? BuiltInTimelineTests.AtRisk(Customer()) with { Engagement = new UsageLevel(0.3, DaysBelowLow: 20) }
            : Customer() with { Engagement = new UsageLevel(0.3, DaysBelowLow: 20), Events = [new CustomerEvent(CustomerEvents.AcceptedOffer, Day0.PlusDays(2))] });

        var waits = days.Select(d => d.Plan?.Declined.SingleOrDefault(x => x.WaitsBehind is not null).WaitsBehind).ToArray();
        Assert.Equal(BuiltInPlaybooks.RetentionOffer, waits[0]);
        Assert.Contains(days, d => d.Plan?.Enrolments.Any(e => e.Starts && e.After.Playbook == BuiltInPlaybooks.ReEngagement) == true);
    }

    [Fact]
    public void ALowerPriorityIntervention_WaitsWhileAHigherOneRuns()
    {
        var engine = Engine(BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer);
        var plan = engine.Plan(BuiltInTimelineTests.AtRisk(Customer()) with { Engagement = new UsageLevel(0.3, DaysBelowLow: 20) }, [], Day0)!;

        Assert.Equal([BuiltInPlaybooks.RetentionOffer], plan.Enrolments.Select(e => e.After.Playbook));
        // Regression (issue 19): the waiting trigger was silent; the plan (and so the dry run) says what it waits behind.
        var waiting = Assert.Single(plan.Declined);
        Assert.Equal((BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer), (waiting.Playbook, waiting.WaitsBehind));
        Assert.Equal("waits behind 'retention-offer' (priority 90, this one 50): one intervention at a time; it enrols when that ends if its trigger still fires", waiting.Reason);
        var later = engine.Plan(Customer() with { Engagement = new UsageLevel(0.3, DaysBelowLow: 24) }, [plan.Enrolments[0].After with { Status = EnrolmentStatus.Completed, EndedOn = Day0.PlusDays(3) }], Day0.PlusDays(10))!;
        Assert.Equal([BuiltInPlaybooks.ReEngagement], later.Enrolments.Select(e => e.After.Playbook));
    }

    [Fact]
    public void AnAtRiskCustomer_GetsNoUpsell_AndARunningUpsellExits()
    {
        var engine = Engine(BuiltInPlaybooks.UpsellNeed);
        var healthy = BuiltInTimelineTests.Healthy() with { LimitUsage = 0.9 };
        var started = engine.Plan(healthy, [], Day0)!.Enrolments.Single().After;

        var atRisk = healthy with { Score = Scores.WithRisk(RiskLevel.High, 0.5, RetentionBand.Low) };
        var plan = engine.Plan(atRisk, [started], Day0.PlusDays(1))!;
        var fresh = engine.Plan(atRisk, [], Day0)!;

        Assert.Equal("the customer is at risk", Assert.Single(plan.Enrolments).After.EndReason);
        Assert.Empty(fresh.Enrolments);
        Assert.Equal("the customer is at risk: no upsell or cross-sell", Assert.Single(fresh.Declined).Reason);
    }

    [Fact]
    public void TheRetentionOffer_IsMadeOnlyWhenItCostsLessThanTheExpectedSavedValue()
    {
        var engine = Engine(BuiltInPlaybooks.RetentionOffer);
        var risky = BuiltInTimelineTests.AtRisk(Customer());

        // 30 % of 3 months at $100 = $90; 40 % of a $200 CLV = $80 saved: not worth it. A $250 CLV saves $100: worth it.
        var cheap = engine.Plan(risky with { LifetimeValue = Money.Usd(200m) }, [], Day0)!;
        var worth = engine.Plan(risky with { LifetimeValue = Money.Usd(250m) }, [], Day0)!;
        var unknown = engine.Plan(risky with { LifetimeValue = null }, [], Day0)!;

        Assert.Equal("the offer costs 90 USD at the least (discount), more than the expected saved value (80)", Assert.Single(cheap.Declined).Reason);
        Assert.Empty(cheap.Enrolments);
        Assert.Equal(BuiltInPlaybooks.RetentionOffer, Assert.Single(worth.Enrolments).After.Playbook);
        Assert.StartsWith("the offer cannot be weighed", Assert.Single(unknown.Declined).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FrequencyCaps_HoldStepsBack_InOrder_AndReleaseThemWhenTheWindowAllows()
    {
        var options = new PlaybookOptions { MaxEmails = 1, CapWindowDays = 7 };
        var engine = Engine(options, BuiltInPlaybooks.Onboarding, BuiltInPlaybooks.ValueMilestones);
        var timeline = Timeline(engine, Day0, 40, _ => Customer(since: Day0));

        // Onboarding's e-mails on days 1, 7 and 14 pass one a week; "check-in" (day 7) waits until day 8, when day 1 leaves the window.
        Assert.Equal(
        [
            (1, BuiltInPlaybooks.Onboarding, "welcome"),
            (3, BuiltInPlaybooks.Onboarding, "first-success"),
            (7, BuiltInPlaybooks.ValueMilestones, "week-1"),
            (8, BuiltInPlaybooks.Onboarding, "check-in"),
            (15, BuiltInPlaybooks.Onboarding, "results"),
            (30, BuiltInPlaybooks.Onboarding, "growth-plan"),
            (30, BuiltInPlaybooks.ValueMilestones, "month-1"),
        ], timeline);
    }

    [Fact]
    public void AFinishedPlaybook_IsEnteredAgainOnlyAfterItsCooldown_AndAOnceOnlyPlaybookNever()
    {
        var engine = Engine(BuiltInPlaybooks.RetentionOffer, BuiltInPlaybooks.CheckIn30);
        var timeline = Timeline(engine, Day0, 200, _ => BuiltInTimelineTests.AtRisk(Customer(since: Day0.PlusDays(-30))));

        var offers = timeline.Where(t => t.Step == "offer").Select(t => t.Day);
        Assert.Equal([0, 183], offers); // completed on day 3, cooldown 180 days
        Assert.Single(timeline, t => t.Playbook == BuiltInPlaybooks.CheckIn30);
    }

    [Fact]
    public void Variants_AreAStableHashOfCustomerAndPlaybook_SpreadOverEveryVariant()
    {
        var options = new PlaybookOptions();
        options.Variants[BuiltInPlaybooks.RetentionOffer] = ["discount", "upgrade", "feature"];
        var engine = Engine(options, BuiltInPlaybooks.RetentionOffer);
        var again = Engine(options, BuiltInPlaybooks.RetentionOffer);

        var assigned = Enumerable.Range(0, 300).Select(i => engine.VariantOf(new CustomerId($"c{i}"), BuiltInPlaybooks.RetentionOffer)).ToList();

        Assert.Equal(assigned, Enumerable.Range(0, 300).Select(i => again.VariantOf(new CustomerId($"c{i}"), BuiltInPlaybooks.RetentionOffer)));
        Assert.All(assigned.GroupBy(v => v), g => Assert.InRange(g.Count(), 70, 130));
        Assert.Equal(3, assigned.Distinct().Count());
        Assert.Null(engine.VariantOf(Ana, BuiltInPlaybooks.WinBack));
        Assert.Equal(engine.VariantOf(Ana, BuiltInPlaybooks.RetentionOffer), engine.Plan(BuiltInTimelineTests.AtRisk(Customer()), [], Day0)!.Enrolments[0].After.Variant);
    }

    [Fact]
    public void ThePlan_IsTheSameForTheSameInputs_AndNothingChangesGivesNull()
    {
        var engine = new PlaybookEngine(BuiltInPlaybooks.All, new PlaybookOptions());
        var customer = BuiltInTimelineTests.AtRisk(Customer(since: Day0.PlusDays(-2))) with { Events = [new CustomerEvent(CustomerEvents.NegativeFeedback, Day0)] };

        Assert.Equal(engine.Plan(customer, [], Day0)!.Enrolments.Select(e => e.After), engine.Plan(customer, [], Day0)!.Enrolments.Select(e => e.After));
        Assert.Null(engine.Plan(Customer() with { Engagement = new UsageLevel(0.9) }, [], Day0));
    }

    [Fact]
    public void AnEnrolmentInAPlaybookNoLongerDefined_Exits_WithoutAPlaybook()
    {
        var engine = Engine(BuiltInPlaybooks.Onboarding);
        var orphan = new Enrolment(Ana, "retired", Day0);

        var planned = Assert.Single(engine.Plan(Customer(), [orphan], Day0)!.Enrolments);

        Assert.Null(planned.Playbook);
        Assert.Equal("the playbook 'retired' is no longer defined", planned.After.EndReason);
    }

    [Fact]
    public void Guards_NameTheArgument()
    {
        var engine = Engine(BuiltInPlaybooks.Onboarding);
        var stranger = new Enrolment(new CustomerId("bob"), BuiltInPlaybooks.Onboarding, Day0);

        Assert.Equal("enrolments", Assert.Throws<ArgumentException>(() => engine.Plan(Customer(), [stranger], Day0)).ParamName);
        Assert.Equal("playbooks", Assert.Throws<ArgumentException>(() => new PlaybookEngine([BuiltInPlaybooks.All[0], BuiltInPlaybooks.All[0]], new PlaybookOptions())).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [])).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [new("a", 2, PlaybookChannel.Email, "t"), new("b", 1, PlaybookChannel.Email, "t")])).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [new("a", 1, PlaybookChannel.Email, "t"), new("a", 2, PlaybookChannel.Email, "t")])).ParamName);
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => new PlaybookStep("a", -1, PlaybookChannel.Email, "t")).ParamName);
        Assert.Equal("channel", Assert.Throws<ArgumentNullException>(() => new PlaybookStep("a", 1, null!, "t")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PlaybookChannel("sms text")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PlaybookChannel(new string('a', 65))).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PlaybookChannel(" ")).ParamName);
    }

    /// <summary>
    /// Regression (issue 21): on a new customer's 30th day the onboarding review call, the 30-day check-in call and the
    /// month-one e-mail fell due together, and the customer got all three. Now: one step per channel per day and two
    /// contacts a day at most, across playbooks; what is held back is delivered on the next days, in order.
    /// </summary>
    [Fact]
    public void OnOneDay_ACustomerGetsOneStepPerChannel_AndTwoContactsAtMost_TheRestFollowsOnTheNextDays()
    {
        var engine = Engine(BuiltInPlaybooks.Onboarding, BuiltInPlaybooks.CheckIn30, BuiltInPlaybooks.ValueMilestones);

        var timeline = Timeline(engine, Day0, 40, _ => Customer(since: Day0));
        var relaxed = Timeline(Engine(new PlaybookOptions { MaxPerChannelPerDay = 5, MaxContactsPerDay = 9 }, BuiltInPlaybooks.Onboarding, BuiltInPlaybooks.CheckIn30, BuiltInPlaybooks.ValueMilestones), Day0, 40, _ => Customer(since: Day0));

        var channelOf = engine.Playbooks.SelectMany(p => p.Steps.Select(s => (p.Id, s.Id, s.Channel))).ToDictionary(x => (x.Item1, x.Item2), x => x.Channel);
        foreach (var day in timeline.GroupBy(t => t.Day))
        {
            var channels = day.Select(t => channelOf[(t.Playbook, t.Step)]).ToList();
            Assert.Equal(channels.Distinct().Count(), channels.Count);
            Assert.True(channels.Count(c => c != PlaybookChannel.Task) <= 2, $"day {day.Key}: {string.Join(", ", day.Select(t => t.Step))}");
        }

        Assert.Contains(relaxed.GroupBy(t => t.Day), d => d.Count(t => channelOf[(t.Playbook, t.Step)] == PlaybookChannel.Call) == 2); // the defaults change something
        Assert.Equal(relaxed.Select(t => (t.Playbook, t.Step)).Order(), timeline.Select(t => (t.Playbook, t.Step)).Order()); // nothing lost, only later
        Assert.Equal(
            ["MaxPerChannelPerDay must be at least 1 (was 0).", "MaxContactsPerDay must be at least 1 (was 0)."],
            new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { MaxPerChannelPerDay = 0, MaxContactsPerDay = 0 }).Failures!.Select(f => f[(f.IndexOf("Max", StringComparison.Ordinal))..]));
    }
}
