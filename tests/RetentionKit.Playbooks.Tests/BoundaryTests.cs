using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NodaTime;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>
/// Every rule at its edge: the last value it accepts and the first it refuses, with the message a user reads. Written
/// after Stryker showed which comparisons no test told apart (issue 21).
/// </summary>
public class BoundaryTests
{
    private static IReadOnlyList<string> Failures(Action<PlaybookOptions> change)
    {
        var options = new PlaybookOptions();
        change(options);
        var result = new PlaybookOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures!.Select(f => f["RetentionKit:Playbooks:".Length..])] : [];
    }

    public static TheoryData<string, Action<PlaybookOptions>, string?> OptionEdges() => new()
    {
        { "window 1", o => o.CapWindowDays = 1, null },
        { "window 0", o => o.CapWindowDays = 0, "CapWindowDays must be 1 to 365 (was 0)." },
        { "window 365", o => o.CapWindowDays = 365, null },
        { "window 366", o => o.CapWindowDays = 366, "CapWindowDays must be 1 to 365 (was 366)." },
        { "per channel per day 1", o => o.MaxPerChannelPerDay = 1, null },
        { "contacts per day 1", o => o.MaxContactsPerDay = 1, null },
        { "contacts per day 0", o => o.MaxContactsPerDay = 0, "MaxContactsPerDay must be at least 1 (was 0)." },
        { "e-mails 0", o => o.MaxEmails = 0, null },
        { "e-mails -1", o => o.MaxEmails = -1, "MaxEmails must not be negative (was -1)." },
        { "in-app 0", o => o.MaxInApp = 0, null },
        { "in-app -1", o => o.MaxInApp = -1, "MaxInApp must not be negative (was -1)." },
        { "calls 0", o => o.MaxCalls = 0, null },
        { "calls -1", o => o.MaxCalls = -1, "MaxCalls must not be negative (was -1)." },
        { "tasks 0", o => o.MaxTasks = 0, null },
        { "tasks -1", o => o.MaxTasks = -1, "MaxTasks must not be negative (was -1)." },
        { "default channel cap 0", o => o.DefaultChannelCap = 0, null },
        { "channel cap 0", o => o.ChannelCaps["sms"] = 0, null },
        { "discount 0", o => o.RetentionOfferDiscount = 0, "RetentionOfferDiscount must be above 0 and below 1 (was 0)." },
        { "discount 1", o => o.RetentionOfferDiscount = 1, "RetentionOfferDiscount must be above 0 and below 1 (was 1)." },
        { "discount 0.99", o => o.RetentionOfferDiscount = 0.99, null },
        { "months 0", o => o.RetentionOfferMonths = 0, "RetentionOfferMonths must be 1 to 36 (was 0)." },
        { "months 1", o => o.RetentionOfferMonths = 1, null },
        { "months 36", o => o.RetentionOfferMonths = 36, null },
        { "months 37", o => o.RetentionOfferMonths = 37, "RetentionOfferMonths must be 1 to 36 (was 37)." },
        { "success 0", o => o.RetentionOfferSuccess = 0, "RetentionOfferSuccess must be above 0 and at most 1 (was 0)." },
        { "success 1", o => o.RetentionOfferSuccess = 1, null },
        { "success 1.01", o => o.RetentionOfferSuccess = 1.01, "RetentionOfferSuccess must be above 0 and at most 1 (was 1.01)." },
        { "disabled null", o => o.Disabled = null!, "Disabled must not be null." },
        { "variants null", o => o.Variants = null!, "Variants must not be null." },
        { "variants empty", o => o.Variants["win-back"] = [], "Variants:win-back must list at least one variant, none blank, none twice." },
        { "variant blank", o => o.Variants["win-back"] = ["a", " "], "Variants:win-back must list at least one variant, none blank, none twice." },
        { "variant twice", o => o.Variants["win-back"] = ["a", "a"], "Variants:win-back must list at least one variant, none blank, none twice." },
        { "variants fine", o => o.Variants["win-back"] = ["a", "b"], null },
    };

    [Theory]
    [MemberData(nameof(OptionEdges))]
    public void EachOptionRule_AcceptsItsEdge_AndRefusesPastIt(string edge, Action<PlaybookOptions> change, string? failure)
    {
        Assert.NotNull(edge);
        Assert.Equal(failure is null ? [] : [failure], Failures(change));
    }

    [Fact]
    public void Names_Steps_AndPlaybooks_RefuseWhatBreaksTheirRules_NamingTheArgument()
    {
        Assert.Equal(new string('a', 64), new PlaybookChannel(new string('a', 64)).Name);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new PlaybookChannel(null!)).ParamName);
        Assert.StartsWith("A channel name has at most 64 characters, each a letter, a digit, '-', '_' or '.' (was 'a b').", Assert.Throws<ArgumentException>(() => new PlaybookChannel("a b")).Message, StringComparison.Ordinal);
        Assert.Equal("crm.task_2-b", new PlaybookChannel("crm.task_2-b").Name);
        Assert.True((PlaybookChannel?)null == null);
        Assert.False(PlaybookChannel.Email == null);
        Assert.False(null == PlaybookChannel.Email);

        Assert.Equal("id", Assert.Throws<ArgumentException>(() => new PlaybookStep(" ", 1, PlaybookChannel.Email, "t")).ParamName);
        Assert.Equal("template", Assert.Throws<ArgumentException>(() => new PlaybookStep("a", 1, PlaybookChannel.Email, " ")).ParamName);
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => new PlaybookStep("a", 3_651, PlaybookChannel.Email, "t")).ParamName);
        Assert.Equal(3_650, new PlaybookStep("a", 3_650, PlaybookChannel.Email, "t").Day);

        var step = new PlaybookStep("a", 0, PlaybookChannel.Email, "t");
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => new Playbook(" ", PlaybookKind.Upsell, Triggers.SignedUp(), [step])).ParamName);
        Assert.StartsWith("A playbook has at least one step.", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [])).Message, StringComparison.Ordinal);
        Assert.StartsWith("A playbook's steps are not null.", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [step, null!])).Message, StringComparison.Ordinal);
        Assert.StartsWith("The step ids of playbook 'x' must be unique.", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [step, step])).Message, StringComparison.Ordinal);
        Assert.StartsWith("The steps of playbook 'x' must be in day order ('b' on day 0", Assert.Throws<ArgumentException>(() => new Playbook("x", PlaybookKind.Upsell, Triggers.SignedUp(), [new("a", 2, PlaybookChannel.Email, "t"), new("b", 0, PlaybookChannel.Email, "t")])).Message, StringComparison.Ordinal);
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => Triggers.Event(" ")).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => Goals.EventSinceStart(" ")).ParamName);
    }

    [Fact]
    public void Triggers_FireAtTheirThreshold_AndNotOneStepShort()
    {
        var today = Day0;
        var customer = Customer(since: today.PlusDays(-100));
        bool Fires(IPlaybookTrigger trigger, CustomerState state) => trigger.Fires(state, today) is not null;

        Assert.True(Fires(Triggers.LowEngagement(0.5, 14), customer with { Engagement = new UsageLevel(0.49, DaysBelowLow: 14) }));
        Assert.False(Fires(Triggers.LowEngagement(0.5, 14), customer with { Engagement = new UsageLevel(0.5, DaysBelowLow: 14) }));
        Assert.False(Fires(Triggers.LowEngagement(0.5, 14), customer with { Engagement = new UsageLevel(0.49, DaysBelowLow: 13) }));
        Assert.True(Fires(Triggers.LowAdoption(0.3, 30), customer with { FeatureAdoption = new UsageLevel(0.29, DaysBelowLow: 30) }));
        Assert.False(Fires(Triggers.LowAdoption(0.3, 30), customer with { FeatureAdoption = new UsageLevel(0.3, DaysBelowLow: 30) }));
        Assert.True(Fires(Triggers.HeavyUsage(0.8, 30), customer with { FeatureAdoption = new UsageLevel(0.81, DaysAboveHigh: 30) }));
        Assert.False(Fires(Triggers.HeavyUsage(0.8, 30), customer with { FeatureAdoption = new UsageLevel(0.8, DaysAboveHigh: 30) }));

        Assert.True(Fires(Triggers.Churned(30), customer with { ChurnedOn = today }));
        Assert.True(Fires(Triggers.Churned(30), customer with { ChurnedOn = today.PlusDays(-30) }));
        Assert.False(Fires(Triggers.Churned(30), customer with { ChurnedOn = today.PlusDays(-31) }));
        Assert.False(Fires(Triggers.Churned(30), customer with { ChurnedOn = today.PlusDays(1) }));
        Assert.True(Fires(Triggers.SignedUp(7), Customer(since: today.PlusDays(-7))));
        Assert.False(Fires(Triggers.SignedUp(7), Customer(since: today.PlusDays(-8))));
        Assert.False(Fires(Triggers.SignedUp(7), Customer(since: today.PlusDays(-3)) with { ChurnedOn = today }));

        Assert.True(Fires(Triggers.RetentionScoreFalling(10), customer with { RetentionScoreChange = -10 }));
        Assert.False(Fires(Triggers.RetentionScoreFalling(10), customer with { RetentionScoreChange = -9.9 }));
        Assert.False(Fires(Triggers.RetentionScoreFalling(10), customer with { RetentionScoreChange = -20, ChurnedOn = today }));
        Assert.True(Fires(Triggers.CustomerForDays(30), Customer(since: today.PlusDays(-30))));
        Assert.True(Fires(Triggers.CustomerForDays(30), Customer(since: today.PlusDays(-59))));
        Assert.False(Fires(Triggers.CustomerForDays(30), Customer(since: today.PlusDays(-60))));
        Assert.True(Fires(Triggers.BeforeRenewal(60), customer with { RenewalOn = today.PlusDays(60) }));
        Assert.True(Fires(Triggers.BeforeRenewal(60), customer with { RenewalOn = today.PlusDays(1) }));
        Assert.False(Fires(Triggers.BeforeRenewal(60), customer with { RenewalOn = today }));

        var happy = customer with { Roi = 2.01, Nps = 71 };
        Assert.True(Fires(Triggers.StrongResults(2.0, 3, 70), happy));
        Assert.False(Fires(Triggers.StrongResults(2.0, 3, 70), happy with { Roi = 2.0 }));
        Assert.False(Fires(Triggers.StrongResults(2.0, 3, 70), happy with { Nps = 70 }));
        Assert.False(Fires(Triggers.StrongResults(2.0, 3, 70), happy with { ChurnedOn = today }));
        Assert.False(Fires(Triggers.StrongResults(2.0, 3, 70), Customer(since: today.PlusDays(-80)) with { Roi = 3, Nps = 90 }));
        Assert.True(Fires(Triggers.AtLimit(0.8), customer with { LimitUsage = 0.8 }));
        Assert.False(Fires(Triggers.AtLimit(0.8), customer with { LimitUsage = 0.79 }));

        var established = customer with { Nps = 61, Score = Scores.WithRisk(Scoring.RiskLevel.Low, 0.1, Scoring.RetentionBand.High) };
        Assert.True(Fires(Triggers.EstablishedAndHappy(3, 60), established));
        Assert.False(Fires(Triggers.EstablishedAndHappy(3, 60), established with { Nps = 60 }));
        Assert.False(Fires(Triggers.EstablishedAndHappy(3, 60), established with { ChurnedOn = today }));
        Assert.False(Fires(Triggers.EstablishedAndHappy(3, 60), Customer(since: today.PlusDays(-80)) with { Nps = 61, Score = established.Score }));
        Assert.True(Triggers.Season(3, 3).Fires(established, new LocalDate(2026, 3, 31)) is not null);
        Assert.False(Triggers.Season(3, 3).Fires(established, new LocalDate(2026, 4, 1)) is not null);
        Assert.False(Triggers.Season(4, 5).Fires(established, new LocalDate(2026, 3, 31)) is not null);
        Assert.True(Fires(Triggers.ChurnProbabilityAbove(0.7), customer with { Score = Scores.WithRisk(Scoring.RiskLevel.High, 0.71, Scoring.RetentionBand.Low) }));
        Assert.False(Fires(Triggers.ChurnProbabilityAbove(0.7), customer with { Score = Scores.WithRisk(Scoring.RiskLevel.High, 0.7, Scoring.RetentionBand.Low) }));
        Assert.True(Fires(Triggers.RetentionBandIs(Scoring.RetentionBand.Low), customer with { Score = Scores.WithRisk(Scoring.RiskLevel.High, 0.8, Scoring.RetentionBand.Low) }));
        Assert.False(Fires(Triggers.RetentionBandIs(Scoring.RetentionBand.Low), customer with { Score = Scores.WithRisk(Scoring.RiskLevel.High, 0.8, Scoring.RetentionBand.Low), ChurnedOn = today }));

        Assert.True(Goals.EngagementAtLeast(0.6).IsMet(customer with { Engagement = new UsageLevel(0.6) }, today, today));
        Assert.False(Goals.EngagementAtLeast(0.6).IsMet(customer with { Engagement = new UsageLevel(0.59) }, today, today));
        Assert.Equal("the customer churned", Goals.Churned().Description);
        Assert.Equal("the customer churned or engagement at least 60 %", Goals.Any(Goals.Churned(), Goals.EngagementAtLeast(0.6)).Description);
    }

    [Fact]
    public void Enrolments_AreEqual_OnlyWhenEveryFieldIs()
    {
        var a = new Enrolment(Ana, "win-back", Day0, "v1");
        Assert.Equal(a, new Enrolment(Ana, "win-back", Day0, "v1"));
        Assert.NotEqual(a, new Enrolment(new CustomerId("bob"), "win-back", Day0, "v1"));
        Assert.NotEqual(a, new Enrolment(Ana, "onboarding", Day0, "v1"));
        Assert.NotEqual(a, new Enrolment(Ana, "win-back", Day0.PlusDays(1), "v1"));
        Assert.NotEqual(a, new Enrolment(Ana, "win-back", Day0, "v2"));
        Assert.NotEqual(a, a with { Status = EnrolmentStatus.Exited });
        Assert.NotEqual(a, a with { EndedOn = Day0 });
        Assert.NotEqual(a, a with { EndReason = "goal" });
        Assert.NotEqual(a, a with { Steps = [new StepRecord("s", Day0)] });
        Assert.False(a.Equals(null));
        Assert.Equal(a.Id, new Enrolment(Ana, "win-back", Day0, "v1").Id);
        Assert.NotEqual(a.Id, new Enrolment(new CustomerId("bob"), "win-back", Day0).Id);
    }

    [Fact]
    public void Values_AreFormattedForTheCulture()
    {
        var en = CultureInfo.GetCultureInfo("en-GB");
        Assert.Equal("1,234,567", TemplateCatalog.Format(1_234_567L, en));
        Assert.Equal("1,234.50", TemplateCatalog.Format(1_234.5m, en));
        Assert.Equal("1,234.6", TemplateCatalog.Format(1_234.56, en));
        Assert.Equal("£12.00", TemplateCatalog.Format(new Money(12m, new Currency("GBP")), en));
        Assert.Equal("plain", TemplateCatalog.Format(new object[] { "plain" }[0], en));
        Assert.Equal("Thursday, 5 March 2026", TemplateCatalog.Format(new LocalDate(2026, 3, 5), en));
        Assert.Equal("x", TemplateCatalog.Format(new Opaque(), en));
    }

    private sealed class Opaque
    {
        public override string ToString() => "x";
    }
}
