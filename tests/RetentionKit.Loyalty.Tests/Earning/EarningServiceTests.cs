using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Tests.Ledger;

namespace RetentionKit.Loyalty.Tests.Earning;

public class EarningServiceTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static (EarningService Service, LedgerFixture Fixture) Create(Action<LoyaltyOptions>? configure = null, params IEarningRule[] custom)
    {
        var options = new LoyaltyOptions();
        configure?.Invoke(options);
        var f = new LedgerFixture();
        return (new EarningService(f.Ledger, options, custom), f);
    }

    private static LoyaltyEvent Event(string id, string kind, Instant at, DateTimeZone? zone = null) => new(id, Ana, kind, at, zone ?? DateTimeZone.Utc);

    [Fact]
    public async Task DailyUse_OncePerLocalDayInTheMembersZone()
    {
        var (service, f) = Create();
        var lateEvening = Instant.FromUtc(2026, 3, 10, 23, 30); // 19:30 in New York
        var afterMidnightUtc = Instant.FromUtc(2026, 3, 11, 0, 30); // 20:30 the same day in New York

        var first = await service.EarnAsync(Event("ev-1", LoyaltyEventKinds.DailyUse, lateEvening, NewYork));
        var sameLocalDay = await service.EarnAsync(Event("ev-2", LoyaltyEventKinds.DailyUse, afterMidnightUtc, NewYork));
        var nextLocalDay = await service.EarnAsync(Event("ev-3", LoyaltyEventKinds.DailyUse, Instant.FromUtc(2026, 3, 11, 5, 0), NewYork));
        var replay = await service.EarnAsync(Event("ev-1", LoyaltyEventKinds.DailyUse, lateEvening, NewYork));

        Assert.Equal((EarningStatus.Awarded, 10L), (first.Status, first.Posting!.Entry!.Points));
        Assert.Equal(EarningStatus.CapReached, sameLocalDay.Status);
        Assert.Equal(EarningStatus.Awarded, nextLocalDay.Status);
        Assert.True(replay.Posting!.Replayed);
        Assert.Equal(20, (await f.Ledger.GetAccountAsync(Ana)).Balance);

        // In UTC the same two instants fall on two days.
        var (utc, g) = Create();
        await utc.EarnAsync(Event("ev-1", LoyaltyEventKinds.DailyUse, lateEvening));
        Assert.Equal(EarningStatus.Awarded, (await utc.EarnAsync(Event("ev-2", LoyaltyEventKinds.DailyUse, afterMidnightUtc))).Status);
        Assert.Equal(20, (await g.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task Uncapped_EachEventEarnsOnce_AndReplaysAreHarmless()
    {
        var (service, f) = Create();
        var at = Instant.FromUtc(2026, 3, 10, 12, 0);

        foreach (var id in new[] { "f1", "f2", "f3", "f2", "f1" })
        {
            await service.EarnAsync(Event(id, LoyaltyEventKinds.FeatureUsed, at));
        }

        await service.EarnAsync(Event("fb", LoyaltyEventKinds.Feedback, at));
        await service.EarnAsync(Event("ref", LoyaltyEventKinds.Referral, at));
        await service.EarnAsync(Event("share", LoyaltyEventKinds.SocialShare, at));

        var history = await f.Ledger.GetHistoryAsync(Ana);
        Assert.Equal(new long[] { 5, 5, 5, 25, 100, 15 }, history.Select(e => e.Points));
        Assert.Equal(["f1", "f2", "f3", "fb", "ref", "share"], history.Select(e => e.Reference));
        Assert.Equal(155, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task ConfiguredCap_PaysThatManyPerDay_AndARetryFindsItsOwnSlot()
    {
        var (service, f) = Create(o => o.EarningRules[LoyaltyEventKinds.FeatureUsed].MaxPerDay = 3);
        var at = Instant.FromUtc(2026, 3, 10, 12, 0);

        var results = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => service.EarnAsync(Event($"f{i}", LoyaltyEventKinds.FeatureUsed, at)).AsTask()));
        var retry = await service.EarnAsync(Event("f2", LoyaltyEventKinds.FeatureUsed, at));

        Assert.Equal(3, results.Count(r => r.Status == EarningStatus.Awarded));
        Assert.Equal(2, results.Count(r => r.Status == EarningStatus.CapReached));
        Assert.Equal(results[1].Status, retry.Status);
        Assert.Equal(15, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task DailyUse_ManyConcurrentEvents_OneAward()
    {
        var (service, f) = Create();
        var at = Instant.FromUtc(2026, 3, 10, 12, 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () => await service.EarnAsync(Event($"d{i}", LoyaltyEventKinds.DailyUse, at.Plus(Duration.FromMinutes(i)))))));

        Assert.Single(results, r => r.Status == EarningStatus.Awarded);
        Assert.Equal(10, (await f.Ledger.GetAccountAsync(Ana)).Balance);
    }

    [Fact]
    public async Task UnknownKind_EarnsNothing()
    {
        var (service, f) = Create();

        var result = await service.EarnAsync(Event("x", "webinar-attended", Instant.FromUtc(2026, 3, 10, 12, 0)));

        Assert.Equal((EarningStatus.NotEarning, (PostingResult?)null), (result.Status, result.Posting));
        Assert.Empty(await f.Ledger.GetHistoryAsync(Ana));
    }

    // L1 extensibility: a host rule through DI replaces a built-in kind and adds a new one.
    [Fact]
    public async Task CustomRules_ThroughDI_ReplaceAndAdd()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(LedgerFixture.Start));
        services.AddRetentionKit(kit => kit.AddLoyalty().AddEarningRule<DetailedFeedbackRule>().AddEarningRule<WebinarRule>());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var service = provider.GetRequiredService<EarningService>();
        var at = Instant.FromUtc(2026, 3, 10, 12, 0);

        await service.EarnAsync(Event("fb-short", LoyaltyEventKinds.Feedback, at));
        await service.EarnAsync(Event("fb-long-detailed", LoyaltyEventKinds.Feedback, at));
        await service.EarnAsync(Event("w1", "webinar-attended", at));
        await service.EarnAsync(Event("w2", "webinar-attended", at));

        var history = await provider.GetRequiredService<LoyaltyLedger>().GetHistoryAsync(Ana);
        Assert.Equal(new long[] { 50, 30 }, history.Select(e => e.Points));
        Assert.Equal(["detailed feedback", "webinar"], history.Select(e => e.Reason));
        Assert.Contains("webinar-attended", service.Kinds);
    }

    [Fact]
    public void Options_And_Rules_AreChecked()
    {
        var options = new LoyaltyOptions();
        options.EarningRules[LoyaltyEventKinds.DailyUse].Points = 0;
        options.EarningRules[LoyaltyEventKinds.FeatureUsed].MaxPerDay = 0;
        var f = new LedgerFixture();

        var error = Assert.Throws<ArgumentException>("options", () => new EarningService(f.Ledger, options, []));
        Assert.Contains("EarningRules:daily-use:Points is 0; it must be at least 1.", error.Message, StringComparison.Ordinal);
        Assert.Contains("EarningRules:feature-used:MaxPerDay is 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("customRules", () => new EarningService(f.Ledger, new LoyaltyOptions(), [new WebinarRule(), new WebinarRule()]));
        Assert.Throws<ArgumentException>("id", () => new LoyaltyEvent(" ", Ana, "k", LedgerFixture.Start, DateTimeZone.Utc));
        Assert.Throws<ArgumentException>("id", () => new LoyaltyEvent(new string('x', 101), Ana, "k", LedgerFixture.Start, DateTimeZone.Utc));
        Assert.Throws<ArgumentException>("member", () => new LoyaltyEvent("e", default, "k", LedgerFixture.Start, DateTimeZone.Utc));
        Assert.Throws<ArgumentNullException>("zone", () => new LoyaltyEvent("e", Ana, "k", LedgerFixture.Start, null!));
    }

    [Fact]
    public async Task CustomRule_AwardingNothingUsable_Throws()
    {
        var (service, _) = Create(null, new BrokenRule());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await service.EarnAsync(Event("b", "broken", LedgerFixture.Start)));
    }

    private sealed class DetailedFeedbackRule : IEarningRule
    {
        public string Kind => LoyaltyEventKinds.Feedback;

        public EarningAward? Award(LoyaltyEvent loyaltyEvent) =>
            loyaltyEvent.Id.Contains("detailed", StringComparison.Ordinal) ? new EarningAward(50, null, "detailed feedback") : null;
    }

    private sealed class WebinarRule : IEarningRule
    {
        public string Kind => "webinar-attended";

        public EarningAward? Award(LoyaltyEvent loyaltyEvent) => new EarningAward(30, 1, "webinar");
    }

    private sealed class BrokenRule : IEarningRule
    {
        public string Kind => "broken";

        public EarningAward? Award(LoyaltyEvent loyaltyEvent) => new EarningAward(0, null, "nothing");
    }
}
