using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Testing;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The runner's meter (issue 21, SPEC H3): steps due, delivered, failed and deferred, enrolments started, ended and declined.</summary>
public sealed class TelemetryTests : IDisposable
{
    private const string TestSource = "RetentionKit.Playbooks.Tests.Telemetry";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task The_runner_counts_each_step_and_enrolment_by_playbook_channel_and_outcome()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var steps = new MetricCollector<long>(meters, "RetentionKit.Playbooks", "retentionkit.playbooks.steps");
        using var enrolments = new MetricCollector<long>(meters, "RetentionKit.Playbooks", "retentionkit.playbooks.enrolments");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "RetentionKit.Playbooks" or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var email = new RecordingPlaybookChannel(PlaybookChannel.Email);
        email.FailWhen(d => d.Customer.Customer.Value == "c1" ? new InvalidOperationException("refused") : null);
        var twoEmails = new Playbook("two-emails", PlaybookKind.Onboarding, Triggers.SignedUp(), [new PlaybookStep("a", 0, PlaybookChannel.Email, "t"), new PlaybookStep("b", 0, PlaybookChannel.Email, "t")]);
        var once = new Playbook("short", PlaybookKind.Milestones, Triggers.SignedUp(), [new PlaybookStep("only", 0, PlaybookChannel.InApp, "t")]);
        var runner = new PlaybookRunner(new PlaybookEngine([twoEmails, once], new PlaybookOptions()), new InMemoryEnrolmentStore(), [email, new RecordingPlaybookChannel(PlaybookChannel.InApp)], new FakeClock(Day0.At(new LocalTime(9, 0)).InUtc().ToInstant()), meters);

        // The run under a span of this test's own, so that spans other tests' runs stop meanwhile (the listener hears
        // every run in the process, on other threads) are told apart and never read while being added.
        using var source = new ActivitySource(TestSource);
        PlaybookRunReport report;
        ActivitySpanId parent;
        using (var test = source.StartActivity("test"))
        {
            parent = test!.SpanId;
            report = await runner.RunAsync([new CustomerState(new CustomerId("c0"), DateTimeZone.Utc, Day0), new CustomerState(new CustomerId("c1"), DateTimeZone.Utc, Day0)]);
        }

        long Steps(string playbook, string channel, string outcome) => steps.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags["playbook"] == playbook && (string?)m.Tags["channel"] == channel && (string?)m.Tags["outcome"] == outcome).Sum(m => m.Value);
        long Enrolments(string playbook, string outcome) => enrolments.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags["playbook"] == playbook && (string?)m.Tags["outcome"] == outcome).Sum(m => m.Value);
        Assert.Equal(4, Steps("two-emails", "Email", "due"));      // "a" and "b" for each customer
        Assert.Equal(2, Steps("two-emails", "Email", "deferred")); // one e-mail a day: "b" waits for tomorrow
        Assert.Equal(1, Steps("two-emails", "Email", "delivered"));
        Assert.Equal(1, Steps("two-emails", "Email", "failed"));
        Assert.Equal(2, Steps("short", "InApp", "delivered"));
        Assert.Equal((2, 2), (Enrolments("two-emails", "started"), Enrolments("short", "started")));
        Assert.Equal(2, Enrolments("short", "completed"));
        Assert.Equal(0, Enrolments("two-emails", "completed"));
        Assert.Single(report.Failures);
        Assert.Equal(("{step}", "{enrolment}"), (steps.Instrument!.Unit, enrolments.Instrument!.Unit));
        Activity[] stopped;
        lock (spans)
        {
            stopped = [.. spans];
        }

        var span = Assert.Single(stopped, s => s.OperationName == "retentionkit.playbooks.run" && s.ParentSpanId == parent);
        Assert.Equal(2, (int?)span.GetTagItem("retentionkit.plans"));
        Assert.Equal((3, 1), ((int)span.GetTagItem("retentionkit.delivered")!, (int)span.GetTagItem("retentionkit.failures")!));
    }

    [Fact]
    public async Task A_trigger_that_fires_without_enrolling_is_counted_as_declined()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var enrolments = new MetricCollector<long>(meters, "RetentionKit.Playbooks", "retentionkit.playbooks.enrolments");
        var a = new Playbook("first", PlaybookKind.Engagement, Triggers.SignedUp(), [new PlaybookStep("s", 0, PlaybookChannel.Email, "t")]) { Priority = 2 };
        var b = new Playbook("second", PlaybookKind.Coaching, Triggers.SignedUp(), [new PlaybookStep("s", 0, PlaybookChannel.Email, "t")]) { Priority = 1 };
        var runner = new PlaybookRunner(new PlaybookEngine([a, b], new PlaybookOptions()), new InMemoryEnrolmentStore(), [new RecordingPlaybookChannel(PlaybookChannel.Email)], new FakeClock(Day0.At(new LocalTime(9, 0)).InUtc().ToInstant()), meters);

        await runner.RunAsync([new CustomerState(new CustomerId("c0"), DateTimeZone.Utc, Day0)], CancellationToken.None);

        var declined = enrolments.GetMeasurementSnapshot().Where(m => (string?)m.Tags["outcome"] == "declined").ToList();
        Assert.Equal("second", (string?)Assert.Single(declined).Tags["playbook"]); // one intervention at a time
    }
    [Fact]
    public async Task Controls_steps_are_counted_as_withheld_and_outcomes_by_arm()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var steps = new MetricCollector<long>(meters, "RetentionKit.Playbooks", "retentionkit.playbooks.steps");
        using var outcomes = new MetricCollector<long>(meters, "RetentionKit.Playbooks", "retentionkit.playbooks.outcomes");
        var welcome = new Playbook("welcome", PlaybookKind.Onboarding, Triggers.SignedUp(), [new PlaybookStep("hello", 0, PlaybookChannel.Email, "t")])
        {
            Outcome = OutcomeRules.When("logged in", (c, _, _, _) => c.Customer.Value.EndsWith('0')),
            OutcomeWindowDays = 1,
        };
        var engine = new PlaybookEngine([welcome], new PlaybookOptions { HoldoutShare = 0.5 });
        var ids = Enumerable.Range(0, 40).Select(i => new CustomerId($"m{i}")).ToArray();
        var clock = new FakeClock(Day0.At(new LocalTime(9, 0)).InUtc().ToInstant());
        var email = new RecordingPlaybookChannel(PlaybookChannel.Email);
        var runner = new PlaybookRunner(engine, new InMemoryEnrolmentStore(), [email], clock, meters);
        CustomerState[] customers = [.. ids.Select(id => new CustomerState(id, DateTimeZone.Utc, Day0))];

        await runner.RunAsync(customers);
        clock.AdvanceDays(1);
        await runner.RunAsync(customers);

        long Sum(MetricCollector<long> c, string key, string value, string? key2 = null, string? value2 = null) => c.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags["playbook"] == "welcome" && (string?)m.Tags[key] == value && (key2 is null || (string?)m.Tags[key2] == value2)).Sum(m => m.Value);
        var held = ids.Count(id => engine.IsHeldOut(id, "welcome"));
        Assert.InRange(held, 1, 39);
        Assert.Equal(held, Sum(steps, "outcome", "withheld"));
        Assert.Equal(ids.Length - held, Sum(steps, "outcome", "delivered"));
        Assert.Equal(ids.Length - held, email.Delivered.Length);
        Assert.Equal(held, Sum(outcomes, "arm", "control"));
        Assert.Equal(ids.Length - held, Sum(outcomes, "arm", "treated"));
        Assert.Equal(ids.Count(id => id.Value.EndsWith('0')), Sum(outcomes, "result", "succeeded"));
    }
}
