using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The runner: steps delivered once through the host's channels, whatever happens between runs.</summary>
public class RunnerTests
{
    private static readonly Instant Morning = new LocalDateTime(2026, 3, 2, 9, 0).InZoneStrictly(Madrid).ToInstant();

    [Fact]
    public async Task RunningTwiceADay_DeliversEachStepOnce()
    {
        var (runner, channel, _, clock) = Setup();
        var customer = Customer(since: Day0.PlusDays(-1)); // onboarding's day-1 welcome is due today

        var first = await runner.RunAsync([customer]);
        var second = await runner.RunAsync([customer]);

        Assert.Equal(["ana/onboarding/2026-03-01/welcome"], first.Delivered.Select(d => d.IdempotencyKey));
        Assert.Empty(second.Delivered);
        Assert.Equal(1, channel.Accepted);
        clock.Advance(Duration.FromDays(2));
        Assert.Equal(["first-success"], (await runner.RunAsync([customer])).Delivered.Select(d => d.Step.Id));
    }

    [Fact]
    public async Task ARunThatStopsBetweenDeliveryAndRecord_DeliversAgainUnderTheSameKey_AndTheChannelRefusesIt()
    {
        var store = new FailingStore();
        var (runner, channel, _, _) = Setup(store);
        var customer = Customer(since: Day0.PlusDays(-1));

        store.FailOnRecord = true;
        var failed = await runner.RunAsync([customer]);
        store.FailOnRecord = false;
        var retry = await runner.RunAsync([customer]);

        Assert.Equal((Ana, "onboarding"), (failed.Failures.Single().Customer, failed.Failures.Single().Playbook)); // reported, not thrown
        Assert.IsType<InvalidOperationException>(failed.Failures.Single().Error);
        Assert.Equal(["ana/onboarding/2026-03-01/welcome", "ana/onboarding/2026-03-01/welcome"], channel.Keys);
        Assert.Equal(1, channel.Accepted); // the second delivery was refused by its key
        Assert.Single(retry.Delivered);
        Assert.Empty((await runner.RunAsync([customer])).Delivered);
        Assert.Equal(["welcome"], (await store.GetAsync(Ana)).Single(e => e.Playbook == BuiltInPlaybooks.Onboarding).Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task ANewEnrolment_IsRecordedBeforeItsFirstDelivery()
    {
        var store = new FailingStore();
        var (runner, _, _, _) = Setup(store);
        store.FailOnRecord = true;

        Assert.Single((await runner.RunAsync([Customer(since: Day0.PlusDays(-1))])).Failures);

        var recorded = (await store.GetAsync(Ana)).Single(e => e.Playbook == BuiltInPlaybooks.Onboarding);
        Assert.True(recorded.IsActive);
        Assert.Empty(recorded.Steps);
    }

    [Fact]
    public async Task TodayIsTheCustomersDate_InTheirZone()
    {
        // 23:30 UTC on 1 March is already 2 March in Madrid (UTC+1) but still 1 March in New York.
        var clock = new FakeClock(Instant.FromUtc(2026, 3, 1, 23, 30));
        var (runner, _, _, _) = Setup(clock: clock);
        var madrid = Customer(since: new LocalDate(2026, 3, 1));
        var newYork = new CustomerState(new CustomerId("bob"), DateTimeZoneProviders.Tzdb["America/New_York"], new LocalDate(2026, 3, 1));

        var report = await runner.RunAsync([madrid, newYork]);

        Assert.Equal(["ana"], report.Delivered.Select(d => d.Customer.Customer.Value)); // Madrid's day 1 has come
        Assert.Equal([new LocalDate(2026, 3, 2), new LocalDate(2026, 3, 1)], report.Plans.Select(p => p.Today));
    }

    [Fact]
    public async Task DayOffsets_AreCalendarDays_AcrossTheDaylightSavingChange()
    {
        // Madrid moves to summer time on 29 March 2026: day 7 after 25 March is 1 April whatever the hours.
        var clock = new FakeClock(new LocalDateTime(2026, 3, 25, 9, 0).InZoneStrictly(Madrid).ToInstant());
        var (runner, _, _, _) = Setup(clock: clock);
        var customer = Customer(since: new LocalDate(2026, 3, 25));
        var delivered = new List<(LocalDate, string)>();
        for (var day = 0; day < 10; day++)
        {
            foreach (var d in (await runner.RunAsync([customer])).Delivered)
            {
                delivered.Add((clock.GetCurrentInstant().InZone(Madrid).Date, d.Step.Id));
            }

            clock.Advance(Duration.FromHours(24));
        }

        Assert.Contains((new LocalDate(2026, 4, 1), "check-in"), delivered);
        Assert.Contains((new LocalDate(2026, 3, 26), "welcome"), delivered);
    }

    /// <summary>Regression (issue 21): a channel missing for an enabled playbook was found only on the day a step for it fell due.</summary>
    [Fact]
    public void AStepOnAChannelWithoutAnImplementation_IsRefusedWhenTheRunnerIsMade_NamingIt()
    {
        var engine = Engine(BuiltInPlaybooks.Onboarding);

        var error = Assert.Throws<ArgumentException>(() => new PlaybookRunner(engine, new InMemoryEnrolmentStore(), [new RecordingChannel(PlaybookChannel.Email)], new FakeClock(Morning)));

        Assert.Equal("channels", error.ParamName);
        Assert.StartsWith("Playbook 'onboarding' has step 'first-success' on InApp, and no InApp channel is registered", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Regression (issue 21): at start-up, a host that registers channels but none for a step of an enabled playbook fails, naming it; a host that registers none only plans and starts.</summary>
    [Fact]
    public void AtStartUp_AMissingChannelForAnEnabledPlaybook_FailsTheStart_AndAHostWithoutChannelsStarts()
    {
        static ServiceProvider Host(params IPlaybookChannel[] channels)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IClock>(new FakeClock(Morning));
            foreach (var channel in channels)
            {
                services.AddSingleton(channel);
            }

            services.AddRetentionKit(kit => kit.AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Where(p => p.Id != BuiltInPlaybooks.Onboarding).Select(p => p.Id).ToHashSet()));
            return services.BuildServiceProvider();
        }

        using var missing = Host(new RecordingChannel(PlaybookChannel.Email));
        using var planner = Host();
        using var complete = Host(new RecordingChannel(PlaybookChannel.Email), new RecordingChannel(PlaybookChannel.InApp), new RecordingChannel(PlaybookChannel.Call));

        var error = Assert.Throws<OptionsValidationException>(() => missing.GetRequiredService<IStartupValidator>().Validate());
        planner.GetRequiredService<IStartupValidator>().Validate();
        complete.GetRequiredService<IStartupValidator>().Validate();

        Assert.Contains("RetentionKit:Playbooks: Playbook 'onboarding' has step 'first-success' on InApp, and no InApp channel is registered", error.Message, StringComparison.Ordinal);
        Assert.NotNull(complete.GetRequiredService<PlaybookRunner>());
    }

    /// <summary>Regression (issue 21): one channel throwing for one customer aborted the whole run, and later customers got nothing.</summary>
    [Fact]
    public async Task AChannelFailingForOneCustomerInTen_LeavesTheOthersServed_AndTheFailuresReported()
    {
        var store = new InMemoryEnrolmentStore();
        var failing = new FailingForSomeChannel(PlaybookChannel.Email, fails: c => int.Parse(c.Value.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 10 == 3);
        var runner = new PlaybookRunner(Engine(BuiltInPlaybooks.Onboarding), store, [failing, new RecordingChannel(PlaybookChannel.InApp), new RecordingChannel(PlaybookChannel.Call)], new FakeClock(Morning));
        var customers = Enumerable.Range(0, 50).Select(i => new CustomerState(new CustomerId($"c{i:D2}"), Madrid, Day0.PlusDays(-1))).ToList();

        var report = await runner.RunAsync(customers);
        var retry = await runner.RunAsync(customers);

        Assert.Equal(45, failing.Delivered.Count); // every customer but the five it fails for, including those after a failure
        Assert.Equal(["c03", "c13", "c23", "c33", "c43"], report.Failures.Select(f => f.Customer.Value));
        Assert.All(report.Failures, f => Assert.Equal(("onboarding", "welcome"), (f.Playbook, f.Step)));
        Assert.All(report.Failures, f => Assert.Equal("InvalidOperationException: the mail server refused c" + f.Customer.Value[1..], f.Reason));
        Assert.Equal(5, retry.Failures.Length); // still failing: reported again, not marked delivered
        Assert.Empty(retry.Delivered);          // the others were served once
        Assert.All(await store.GetAsync(new CustomerId("c03")), e => Assert.Empty(e.Steps));
    }

    [Fact]
    public async Task CancellingTheRun_StopsIt_InsteadOfReportingAFailure()
    {
        using var cancel = new CancellationTokenSource();
        var failing = new FailingForSomeChannel(PlaybookChannel.Email, fails: _ => false, onDeliver: cancel.Cancel);
        var runner = new PlaybookRunner(Engine(BuiltInPlaybooks.Onboarding), new InMemoryEnrolmentStore(), [failing, new RecordingChannel(PlaybookChannel.InApp), new RecordingChannel(PlaybookChannel.Call)], new FakeClock(Morning));
        var customers = Enumerable.Range(0, 3).Select(i => new CustomerState(new CustomerId($"c{i}"), Madrid, Day0.PlusDays(-1))).ToList();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await runner.RunAsync(customers, cancel.Token));

        Assert.Single(failing.Delivered);
    }

    [Fact]
    public void TwoChannelsForTheSameWay_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PlaybookRunner(Engine(), new InMemoryEnrolmentStore(), [new RecordingChannel(PlaybookChannel.Email), new RecordingChannel(PlaybookChannel.Email)], new FakeClock(Morning)));

        Assert.Equal("channels", error.ParamName);
    }

    [Fact]
    public async Task AHostPlaybookWithItsOwnTrigger_RunsThroughDependencyInjection()
    {
        var channel = new RecordingChannel(PlaybookChannel.InApp);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Morning));
        services.AddSingleton<IPlaybookChannel>(channel);
        services.AddRetentionKit(kit => kit
            .AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Select(p => p.Id).ToHashSet())
            .AddPlaybook(new Playbook("vip-welcome", PlaybookKind.Engagement, new VipTrigger(), [new PlaybookStep("hello", 0, PlaybookChannel.InApp, "vip.hello")]))
            .AddPlaybookTemplates(VipTemplates));
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<PlaybookRunner>().RunAsync([Customer() with { Segment = Segmentation.ValueSegment.High }]);

        Assert.Equal(["ana/vip-welcome/2026-03-02/hello"], channel.Keys);
        Assert.Equal(1, report.Started);
    }

    /// <summary>Regression (issue 19): AddPlaybook took only an instance, so a trigger could not receive services through its constructor.</summary>
    [Fact]
    public async Task AddPlaybook_WithATriggerType_BuildsItFromTheContainer_AndWithAFactory_UsesServices()
    {
        var channel = new RecordingChannel(PlaybookChannel.InApp);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Morning));
        services.AddSingleton<IPlaybookChannel>(channel);
        services.AddSingleton(new VipList(["ana"]));
        services.AddRetentionKit(kit => kit
            .AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Select(p => p.Id).ToHashSet())
            .AddPlaybook<ListedTrigger>(trigger => new Playbook("vip-welcome", PlaybookKind.Engagement, trigger, [new PlaybookStep("hello", 0, PlaybookChannel.InApp, "vip.hello")]))
            .AddPlaybook(sp => new Playbook("vip-survey", PlaybookKind.CheckIn, new ListedTrigger(sp.GetRequiredService<VipList>()), [new PlaybookStep("ask", 2, PlaybookChannel.InApp, "vip.ask")]))
            .AddPlaybookTemplates(VipTemplates));
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<PlaybookEngine>();
        var report = await provider.GetRequiredService<PlaybookRunner>().RunAsync([Customer()]);

        Assert.Equal(["vip-survey", "vip-welcome"], engine.Playbooks.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal("listed as a VIP (1 listed)", engine.Playbooks.Single(p => p.Id == "vip-welcome").Trigger.Description);
        Assert.Equal(["ana/vip-welcome/2026-03-02/hello"], channel.Keys);
        Assert.Equal(2, report.Started);
    }

    private static readonly MessageTemplate[] VipTemplates =
    [
        new("vip.hello", "en", "Welcome, {name}", "Hello {name}."),
        new("vip.ask", "es", "¿Qué tal, {name}?", "Cuéntanos, {name}."),
    ];

    /// <summary>Regression (issue 19): an unknown template id was found only on the day its step fell due (<c>No template 'nope' in en or en.</c>).</summary>
    [Fact]
    public void StartUp_StepWithAnUnknownTemplate_FailsNamingPlaybookStepAndTemplate_UnlessThePlaybookIsDisabled()
    {
        ServiceProvider Build(bool disable)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IClock>(new FakeClock(Morning));
            services.AddRetentionKit(kit => kit
                .AddPlaybooks(o => o.Disabled = disable ? new HashSet<string> { "vip-welcome" } : new HashSet<string>())
                .AddPlaybook(new Playbook("vip-welcome", PlaybookKind.Engagement, new VipTrigger(), [new PlaybookStep("hello", 0, PlaybookChannel.InApp, "vip.hello"), new PlaybookStep("nudge", 3, PlaybookChannel.Email, "nope")]))
                .AddPlaybookTemplates(VipTemplates));
            return services.BuildServiceProvider();
        }

        using var enabled = Build(disable: false);
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => enabled.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());
        Assert.Equal(
            ["RetentionKit:Playbooks:Disabled: playbook 'vip-welcome' step 'nudge' uses template 'nope', which the template catalogue does not have in any language; add it with AddPlaybookTemplates or disable the playbook here."],
            error.Failures);

        using var disabled = Build(disable: true);
        disabled.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        var catalog = disabled.GetRequiredService<TemplateCatalog>();
        Assert.Equal("Welcome, Ana", catalog.Render("vip.hello", System.Globalization.CultureInfo.GetCultureInfo("en-US"), new Dictionary<string, object> { ["name"] = "Ana" }).Subject);
        Assert.NotNull(catalog.Find(TemplateIds.RetentionOfferOffer, System.Globalization.CultureInfo.GetCultureInfo("es-ES")));
    }

    [Fact]
    public void AddPlaybookTemplates_ABlankTemplate_ThrowsWhereItIsAdded() =>
        Assert.Throws<ArgumentException>("templates", () => new ServiceCollection().AddRetentionKit(kit => kit.AddPlaybookTemplates([new MessageTemplate("x", "en", " ", "body")])));

    [Fact]
    public void AddPlaybook_FactoryReturningNull_ThrowsNamingTheRegistration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Morning));
        services.AddRetentionKit(kit => kit.AddPlaybooks().AddPlaybook(_ => null!));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PlaybookEngine>());
        Assert.Contains("AddPlaybook returned null", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("factory", () => new ServiceCollection().AddRetentionKit(kit => kit.AddPlaybook((Func<IServiceProvider, Playbook>)null!)));
        Assert.Throws<ArgumentNullException>("build", () => new ServiceCollection().AddRetentionKit(kit => kit.AddPlaybook<ListedTrigger>(null!)));
    }

    [Fact]
    public void Options_AreValidatedAtStartUp_NamingEveryRuleBroken()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Morning));
        services.AddRetentionKit(kit => kit.AddPlaybooks(o =>
        {
            o.CapWindowDays = 0;
            o.MaxEmails = -1;
            o.RetentionOfferDiscount = 1.5;
            o.Variants["retention-offer"] = ["a", "a"];
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PlaybookOptions>>().Value);

        Assert.Equal(
        [
            "RetentionKit:Playbooks:CapWindowDays must be 1 to 365 (was 0).",
            "RetentionKit:Playbooks:MaxEmails must not be negative (was -1).",
            "RetentionKit:Playbooks:RetentionOfferDiscount must be above 0 and below 1 (was 1.5).",
            "RetentionKit:Playbooks:Variants:retention-offer must list at least one variant, none blank, none twice.",
        ], error.Failures);
    }

    private static (PlaybookRunner Runner, RecordingChannel Channel, IEnrolmentStore Store, FakeClock Clock) Setup(IEnrolmentStore? store = null, FakeClock? clock = null)
    {
        store ??= new InMemoryEnrolmentStore();
        clock ??= new FakeClock(Morning);
        var channel = new RecordingChannel(PlaybookChannel.Email);
        var runner = new PlaybookRunner(Engine(BuiltInPlaybooks.Onboarding), store, [channel, new RecordingChannel(PlaybookChannel.InApp), new RecordingChannel(PlaybookChannel.Call)], clock);
        return (runner, channel, store, clock);
    }

    /// <summary>A channel that throws for some customers (a mail server refusing them), and delivers to the rest.</summary>
    private sealed class FailingForSomeChannel(PlaybookChannel channel, Func<CustomerId, bool> fails, Action? onDeliver = null) : IPlaybookChannel
    {
        public PlaybookChannel Channel => channel;

        public List<string> Delivered { get; } = [];

        public ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default)
        {
            if (fails(delivery.Customer.Customer))
            {
                throw new InvalidOperationException($"the mail server refused {delivery.Customer.Customer}");
            }

            Delivered.Add(delivery.IdempotencyKey);
            onDeliver?.Invoke();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A channel that refuses a key it has delivered, as the contract asks.</summary>
    private sealed class RecordingChannel(PlaybookChannel channel) : IPlaybookChannel
    {
        private readonly ConcurrentDictionary<string, bool> _delivered = new(StringComparer.Ordinal);

        public PlaybookChannel Channel => channel;

        public List<string> Keys { get; } = [];

        public int Accepted => _delivered.Count;

        public ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default)
        {
            Keys.Add(delivery.IdempotencyKey);
            _delivered.TryAdd(delivery.IdempotencyKey, true);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A store that can fail when a delivered step is recorded (a crash between delivery and record).</summary>
    private sealed class FailingStore : IEnrolmentStore
    {
        private readonly InMemoryEnrolmentStore _inner = new();

        public bool FailOnRecord { get; set; }

        public ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default) => _inner.GetAsync(customer, cancellationToken);

        public ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default) =>
            FailOnRecord && !enrolment.Steps.IsEmpty ? throw new InvalidOperationException("the process stopped") : _inner.SaveAsync(enrolment, cancellationToken);
    }

    [Fact]
    public void TriggersOnScoringHistory_AndOnMoments_FireOnTheirFacts()
    {
        var falling = Triggers.RetentionScoreFalling(10);
        var anniversary = Triggers.Moment(CustomerMomentKind.Anniversary);

        Assert.Equal(Day0, falling.Fires(Customer() with { RetentionScoreChange = -12 }, Day0));
        Assert.Null(falling.Fires(Customer() with { RetentionScoreChange = -8 }, Day0));
        Assert.Null(falling.Fires(Customer(), Day0));
        Assert.Equal(Day0, anniversary.Fires(Customer() with { Moments = [new CustomerMoment(CustomerMomentKind.Anniversary, Day0)] }, Day0));
        Assert.Null(anniversary.Fires(Customer() with { Moments = [new CustomerMoment(CustomerMomentKind.Anniversary, Day0.PlusDays(-1))] }, Day0));
        Assert.Equal("retention score down 10 points or more in 30 days", falling.Description);
    }

    private sealed class VipList(string[] ids)
    {
        public IReadOnlySet<string> Ids { get; } = ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A trigger that needs a service: fires for the customers the host lists.</summary>
    private sealed class ListedTrigger(VipList list) : IPlaybookTrigger
    {
        public string Description => $"listed as a VIP ({list.Ids.Count} listed)";

        public LocalDate? Fires(CustomerState customer, LocalDate today) => list.Ids.Contains(customer.Customer.Value) ? today : null;
    }

    private sealed class VipTrigger : IPlaybookTrigger
    {
        public string Description => "a VIP customer";

        public LocalDate? Fires(CustomerState customer, LocalDate today) => customer.Segment == Segmentation.ValueSegment.High ? today : null;
    }
}
