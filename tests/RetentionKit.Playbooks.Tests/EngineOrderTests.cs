using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Who goes first when the caps let only one step through (B15), and what a day already sent counts for (issue 21, from Stryker's survivors).</summary>
public class EngineOrderTests
{
    private static Playbook OneEmail(string id, PlaybookKind kind, int priority, int day = 0, PlaybookChannel? channel = null) =>
        new(id, kind, Triggers.SignedUp(30), [new PlaybookStep("s", day, channel ?? PlaybookChannel.Email, "t")]) { Priority = priority };

    private static string[] FirstDay(params Playbook[] playbooks) =>
        [.. Timeline(new PlaybookEngine(playbooks, new PlaybookOptions()), Day0, 1, _ => Customer(since: Day0)).Select(t => t.Playbook)];

    [Fact]
    public void AnInterventionGoesBeforeTheLifecycle_WhateverItsPriority()
    {
        Assert.Equal(["b-intervention"], FirstDay(OneEmail("a-lifecycle", PlaybookKind.Onboarding, 100), OneEmail("b-intervention", PlaybookKind.Engagement, 1)));
        Assert.Equal(["b-intervention"], FirstDay(OneEmail("b-intervention", PlaybookKind.Engagement, 1), OneEmail("a-lifecycle", PlaybookKind.Onboarding, 100)));
    }

    [Fact]
    public void AmongTheLifecycle_TheHigherPriorityGoesFirst_ThenTheLowerEnrolmentId()
    {
        Assert.Equal(["d-high"], FirstDay(OneEmail("c-low", PlaybookKind.CheckIn, 1), OneEmail("d-high", PlaybookKind.CheckIn, 5)));
        Assert.Equal(["d-high"], FirstDay(OneEmail("d-high", PlaybookKind.CheckIn, 5), OneEmail("c-low", PlaybookKind.CheckIn, 1)));
        Assert.Equal(["e-same"], FirstDay(OneEmail("f-same", PlaybookKind.Milestones, 3), OneEmail("e-same", PlaybookKind.Milestones, 3)));
        Assert.Equal(["e-same"], FirstDay(OneEmail("e-same", PlaybookKind.Milestones, 3), OneEmail("f-same", PlaybookKind.Milestones, 3), OneEmail("g-same", PlaybookKind.Milestones, 3)));
    }

    [Fact]
    public void WhatWasSentEarlierToday_CountsAgainstTodaysCaps()
    {
        var engine = new PlaybookEngine([OneEmail("first", PlaybookKind.Onboarding, 9), OneEmail("second", PlaybookKind.Onboarding, 1, channel: PlaybookChannel.InApp), OneEmail("third", PlaybookKind.Onboarding, 0, channel: PlaybookChannel.Call)], new PlaybookOptions { MaxContactsPerDay = 2 });
        var customer = Customer(since: Day0);
        var sentEarlier = new Enrolment(Ana, "first", Day0) { Steps = [new StepRecord("s", Day0)] };

        var plan = engine.Plan(customer, [sentEarlier], Day0)!;

        Assert.Equal(["second"], plan.Enrolments.Where(e => e.Deliver.Length > 0).Select(e => e.After.Playbook)); // one contact was already made: one more
        Assert.Equal(["third"], plan.Enrolments.Where(e => e.Deferred.Length > 0).Select(e => e.After.Playbook));
    }

    [Fact]
    public void ManyChannels_BeyondTheStackBuffer_KeepTheirOwnCaps()
    {
        var playbooks = Enumerable.Range(0, 40).Select(i => OneEmail($"p{i:00}", PlaybookKind.Onboarding, i, channel: new PlaybookChannel($"ch{i:00}", isContact: false))).ToArray();
        var engine = new PlaybookEngine(playbooks, new PlaybookOptions { DefaultChannelCap = 1 });

        var days = Timeline(engine, Day0, 1, _ => Customer(since: Day0));

        Assert.Equal(40, days.Length); // one step on each of forty channels: no cap shared between them
    }

    [Fact]
    public void TheBuiltIns_SayWhatTheyAimAt_AndTheOnceOnlyOnesAreTheFirstMonths()
    {
        Assert.Equal([BuiltInPlaybooks.CheckIn30, BuiltInPlaybooks.CheckIn90, BuiltInPlaybooks.RenewalCheckIn], BuiltInPlaybooks.All.Where(p => string.IsNullOrWhiteSpace(p.Aim)).Select(p => p.Id)); // a check-in's aim is the conversation itself
        Assert.Equal(new[] { BuiltInPlaybooks.Onboarding, BuiltInPlaybooks.ValueMilestones, BuiltInPlaybooks.CheckIn30, BuiltInPlaybooks.CheckIn90 }.Order(), BuiltInPlaybooks.All.Where(p => p.Once).Select(p => p.Id).Order());
    }
}
