using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Testing;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The fake channel RetentionKit.Testing ships for hosts' tests, driven by the real runner.</summary>
public class RecordingPlaybookChannelTests
{
    private static readonly Instant Morning = new LocalDateTime(2026, 3, 2, 9, 0).InZoneStrictly(Madrid).ToInstant();

    [Fact]
    public async Task Runner_DeliversOncePerKey_AndTheFakeCountsARetryAsARepeat()
    {
        var channel = new RecordingPlaybookChannel(PlaybookChannel.Email);
        var customer = Customer(since: Day0.PlusDays(-1));
        var deliveries = 0;
        var runner = new PlaybookRunner(Engine(BuiltInPlaybooks.Onboarding), new InMemoryEnrolmentStore(), [channel, new RecordingPlaybookChannel(PlaybookChannel.InApp), new RecordingPlaybookChannel(PlaybookChannel.Call), new RecordingPlaybookChannel(PlaybookChannel.Task)], new FakeClock(Morning));

        await runner.RunAsync([customer]);
        await runner.RunAsync([customer]); // the same day again: nothing new is due
        deliveries = channel.Delivered.Length;
        await channel.DeliverAsync(channel.Delivered[0]); // a host retrying a delivery under its key

        Assert.Equal(["welcome"], channel.Delivered.Select(d => d.Step.Id));
        Assert.Equal(1, deliveries);
        Assert.Equal(2, channel.Attempts.Length);
        Assert.Equal(1, channel.Repeats);
    }

    [Fact]
    public async Task FailWhen_FailsTheChosenDeliveries_AndTheRunnerDeliversThemOnTheNextRun()
    {
        var channel = new RecordingPlaybookChannel(PlaybookChannel.Email);
        var customer = Customer(since: Day0.PlusDays(-1));
        var runner = new PlaybookRunner(Engine(BuiltInPlaybooks.Onboarding), new InMemoryEnrolmentStore(), [channel, new RecordingPlaybookChannel(PlaybookChannel.InApp), new RecordingPlaybookChannel(PlaybookChannel.Call), new RecordingPlaybookChannel(PlaybookChannel.Task)], new FakeClock(Morning));
        channel.FailWhen(d => d.Step.Id == "welcome" ? new TimeoutException("the mail server did not answer") : null);

        var failed = await runner.RunAsync([customer]);
        channel.FailWhen(null);
        await runner.RunAsync([customer]);

        Assert.Equal("TimeoutException: the mail server did not answer", failed.Failures.Single().Reason); // reported, the run went on
        Assert.Equal(["welcome"], channel.Delivered.Select(d => d.Step.Id));
        Assert.Equal((2, 0), (channel.Attempts.Length, channel.Repeats));
        Assert.Equal(PlaybookChannel.Email, channel.Channel);
        Assert.Throws<ArgumentNullException>("delivery", () => { _ = channel.DeliverAsync(null!); });
    }
}
