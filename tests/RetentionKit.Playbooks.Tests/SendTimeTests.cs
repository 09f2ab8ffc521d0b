using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Testing;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Steps with a send time: held by a run before it, scheduled, sent once by the run at or after it.</summary>
public class SendTimeTests
{
    // 1 March: onboarding's day-1 welcome (e-mail) is due on 2 March.
    private static readonly CustomerState Ana = Customer(since: Day0.PlusDays(-1));

    [Fact]
    public async Task ARunBeforeTheSendTime_HoldsTheStepAndSchedulesTheCustomer_AndTheRunAtThatTimeSendsItOnce()
    {
        var (runner, channels, store, scheduler, clock) = Setup(new PlaybookOptions { SendAt = "10:00" }, At(3, 0));
        var ten = Day0.At(new LocalTime(10, 0)).InZoneStrictly(Madrid).ToInstant();

        var night = await runner.RunAsync([Ana]);

        Assert.Empty(night.Delivered);
        Assert.Equal([new HeldStep(Ana.Customer, BuiltInPlaybooks.Onboarding, "welcome", ten)], night.Held.AsEnumerable());
        Assert.Equal([(Ana.Customer, ten)], scheduler.Calls);
        var enrolment = (await store.GetAsync(Ana.Customer)).Single();
        Assert.True(enrolment.IsActive); // started and recorded, its step not
        Assert.Empty(enrolment.Steps);

        clock.Reset(ten - Duration.FromMinutes(1)); // a minute early: still held
        Assert.Empty((await runner.RunAsync([Ana])).Delivered);
        clock.Reset(ten);
        var due = await runner.RunAsync([Ana]);
        var again = await runner.RunAsync([Ana]);

        Assert.Equal(["ana/onboarding/2026-03-01/welcome"], due.Delivered.Select(d => d.IdempotencyKey));
        Assert.Empty(due.Held);
        Assert.Empty(again.Delivered);
        Assert.Equal(1, channels.Sum(c => c.Delivered.Length));
        Assert.Equal(["welcome"], (await store.GetAsync(Ana.Customer)).Single().Steps.Select(s => s.Step));
        Assert.Equal(2, scheduler.Calls.Count); // the night, and the early run; none once sent
    }

    [Fact]
    public async Task WithoutAScheduler_TheSendTimeIsIgnored_AndTheRunSendsWhatIsDue()
    {
        var engine = Engine(new PlaybookOptions { SendAt = "10:00" }, BuiltInPlaybooks.Onboarding);
        var channels = PlaybookChannel.BuiltIn.Select(c => new RecordingPlaybookChannel(c)).ToArray();
        var runner = new PlaybookRunner(engine, new InMemoryEnrolmentStore(), channels, new FakeClock(At(3, 0)));

        var report = await runner.RunAsync([Ana]);

        Assert.Equal(["welcome"], report.Delivered.Select(d => d.Step.Id));
        Assert.Empty(report.Held);
    }

    [Fact]
    public async Task AStepsOwnSendTime_OverridesTheOptions_AndAHeldStepHoldsTheLaterStepsOfItsEnrolment()
    {
        // A playbook with two steps on day 0: the first waits until 11:00, the second has no time of its own.
        var playbook = new Playbook("two-steps", PlaybookKind.CheckIn, Triggers.When("every day", (_, _) => true), [
            new PlaybookStep("first", 0, PlaybookChannel.InApp, "t1") { SendAt = new LocalTime(11, 0) },
            new PlaybookStep("second", 0, PlaybookChannel.Email, "t2"),
        ]);
        var engine = new PlaybookEngine([playbook], new PlaybookOptions { SendAt = "08:00" });
        var scheduler = new RecordingScheduler();
        var store = new InMemoryEnrolmentStore();
        var clock = new FakeClock(At(9, 0));
        var runner = new PlaybookRunner(engine, store, PlaybookChannel.BuiltIn.Select(c => new RecordingPlaybookChannel(c)), clock, scheduler: scheduler);
        var eleven = Day0.At(new LocalTime(11, 0)).InZoneStrictly(Madrid).ToInstant();

        var nine = await runner.RunAsync([Ana]);
        clock.Reset(eleven);
        var later = await runner.RunAsync([Ana]);

        Assert.Equal(["first", "second"], nine.Held.Select(h => h.Step));
        Assert.Equal([eleven, At(9, 0)], nine.Held.Select(h => h.SendAt)); // the second waits behind the first
        Assert.Equal([(Ana.Customer, eleven)], scheduler.Calls);
        Assert.Equal(["first", "second"], later.Delivered.Select(d => d.Step.Id));
        var enrolment = (await store.GetAsync(Ana.Customer)).Single();
        Assert.Equal(EnrolmentStatus.Completed, enrolment.Status); // completed only once both were sent
    }

    [Theory]
    [InlineData("25:00")]
    [InlineData("9am")]
    [InlineData("")]
    public void ASendTimeThatIsNotATimeOfDay_IsRefusedNamingTheOption(string sendAt)
    {
        var result = new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { SendAt = sendAt });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("SendAt", StringComparison.Ordinal) && f.Contains($"'{sendAt}'", StringComparison.Ordinal));
    }

    private static Instant At(int hour, int minute) => Day0.At(new LocalTime(hour, minute)).InZoneStrictly(Madrid).ToInstant();

    private static (PlaybookRunner Runner, RecordingPlaybookChannel[] Channels, InMemoryEnrolmentStore Store, RecordingScheduler Scheduler, FakeClock Clock) Setup(PlaybookOptions options, Instant now)
    {
        var store = new InMemoryEnrolmentStore();
        var clock = new FakeClock(now);
        var scheduler = new RecordingScheduler();
        var channels = PlaybookChannel.BuiltIn.Select(c => new RecordingPlaybookChannel(c)).ToArray();
        return (new PlaybookRunner(Engine(options, BuiltInPlaybooks.Onboarding), store, channels, clock, scheduler: scheduler), channels, store, scheduler, clock);
    }

    private sealed class RecordingScheduler : IPlaybookStepScheduler
    {
        public List<(CustomerId Customer, Instant At)> Calls { get; } = [];

        public ValueTask ScheduleAsync(CustomerId customer, Instant at, CancellationToken cancellationToken = default)
        {
            Calls.Add((customer, at));
            return ValueTask.CompletedTask;
        }
    }
}
