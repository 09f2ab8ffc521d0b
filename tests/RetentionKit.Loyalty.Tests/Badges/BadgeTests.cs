using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Loyalty.Badges;
using RetentionKit.Loyalty.Tests.Ledger;
using RetentionKit.Testing;

namespace RetentionKit.Loyalty.Tests.Badges;

/// <summary>The badge store contract against the in-memory store.</summary>
public sealed class InMemoryBadgeStoreContractTests : BadgeStoreContract
{
    protected override IBadgeStore CreateStore() => new InMemoryBadgeStore();
}

/// <summary>Issue 24: badges for the onboarding milestones, awarded once, optionally with points through the ledger.</summary>
public sealed class BadgeTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;
    private static readonly Instant At = LedgerFixture.Start;

    private static Dictionary<string, BadgeOptions> WithPoints() => new(BadgeService.BuiltIn()) { ["tutorial"] = new() { Milestone = OnboardingMilestones.TutorialCompleted, Points = 50 } };

    [Fact]
    public void The_built_in_badges_are_the_onboarding_milestones_without_points()
    {
        var builtIn = BadgeService.BuiltIn();

        Assert.Equal(
            [("explorer", OnboardingMilestones.TwoFeaturesUsed), ("first-report", OnboardingMilestones.FirstReport), ("first-success", OnboardingMilestones.FirstSuccess), ("tutorial", OnboardingMilestones.TutorialCompleted)],
            builtIn.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Value.Milestone)).ToArray());
        Assert.All(builtIn.Values, b => Assert.Equal(0, b.Points));
    }

    [Fact]
    public async Task A_milestone_awards_its_badge_and_points_once()
    {
        var f = new LedgerFixture();
        var store = new InMemoryBadgeStore();
        var badges = new BadgeService(store, f.Ledger, WithPoints());

        var first = await badges.RecordAsync(Ana, OnboardingMilestones.TutorialCompleted, At);
        var again = await badges.RecordAsync(Ana, OnboardingMilestones.TutorialCompleted, At + Duration.FromHours(1));
        var other = await badges.RecordAsync(Ana, OnboardingMilestones.FirstReport, At + Duration.FromMinutes(5));
        var unknown = await badges.RecordAsync(Ana, "watched-a-webinar", At);

        Assert.Equal([new BadgeAward(Ana, "tutorial", At, 50)], first.ToArray());
        Assert.Empty(again);
        Assert.Equal([new BadgeAward(Ana, "first-report", At + Duration.FromMinutes(5), 0)], other.ToArray());
        Assert.Empty(unknown);
        Assert.Equal(50, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal(["tutorial", "first-report"], (await store.GetAsync(Ana)).Select(a => a.Badge).ToArray());
    }

    [Fact]
    public async Task A_retry_after_a_crash_between_the_points_and_the_award_posts_nothing_twice()
    {
        var f = new LedgerFixture();
        var store = new FailOnceStore();
        var badges = new BadgeService(store, f.Ledger, WithPoints());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await badges.RecordAsync(Ana, OnboardingMilestones.TutorialCompleted, At));
        Assert.Equal(50, await f.Ledger.GetBalanceAsync(Ana)); // the points went in before the crash

        var retried = await badges.RecordAsync(Ana, OnboardingMilestones.TutorialCompleted, At);

        Assert.Single(retried);
        Assert.Equal(50, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
    }

    [Property(MaxTest = 100)]
    public Property Replays_in_any_order_award_each_badge_once_and_post_its_points_once()
    {
        var milestones = new[] { OnboardingMilestones.TutorialCompleted, OnboardingMilestones.FirstSuccess, OnboardingMilestones.TwoFeaturesUsed, OnboardingMilestones.FirstReport, "other" };
        var events = Gen.ListOf(Gen.Zip(Gen.Elements(milestones), Gen.Elements("ana", "bea"))).Select(l => l.ToArray());
        return Prop.ForAll(events.ToArbitrary(), script =>
        {
            var f = new LedgerFixture();
            var store = new InMemoryBadgeStore();
            var options = new Dictionary<string, BadgeOptions>(BadgeService.BuiltIn())
            {
                ["tutorial"] = new() { Milestone = OnboardingMilestones.TutorialCompleted, Points = 50 },
                ["explorer"] = new() { Milestone = OnboardingMilestones.TwoFeaturesUsed, Points = 20 },
            };
            var badges = new BadgeService(store, f.Ledger, options);
            var awarded = new List<BadgeAward>();
            foreach (var (milestone, member) in script)
            {
                awarded.AddRange(badges.RecordAsync(new CustomerId(member), milestone, At).AsTask().GetAwaiter().GetResult());
            }

            return new[] { "ana", "bea" }.All(m =>
            {
                var id = new CustomerId(m);
                var reached = script.Where(s => s.Item2 == m).Select(s => s.Item1).ToHashSet();
                var expected = options.Where(o => reached.Contains(o.Value.Milestone)).Select(o => o.Key).Order(StringComparer.Ordinal).ToArray();
                var held = store.GetAsync(id).AsTask().GetAwaiter().GetResult().Select(a => a.Badge).Order(StringComparer.Ordinal).ToArray();
                var mine = awarded.Where(a => a.Member == id).Select(a => a.Badge).Order(StringComparer.Ordinal).ToArray();
                var balance = f.Ledger.GetBalanceAsync(id).AsTask().GetAwaiter().GetResult();
                return held.SequenceEqual(expected) && mine.SequenceEqual(expected) && balance == expected.Sum(b => options[b].Points);
            });
        });
    }

    [Fact]
    public void Bad_badges_are_refused_at_start_up_and_by_the_service()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new NodaTime.Testing.FakeClock(At));
        services.AddRetentionKit(kit => kit.AddLoyalty(o => o.Badges["tutorial"].Points = -5));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value);

        Assert.Contains("Badges:tutorial:Points must not be negative (was -5).", error.Message, StringComparison.Ordinal);
        var f = new LedgerFixture();
        Assert.Equal("badges", Assert.Throws<ArgumentException>(() => new BadgeService(new InMemoryBadgeStore(), f.Ledger, new Dictionary<string, BadgeOptions> { ["x"] = new() })).ParamName);
    }

    [Fact]
    public async Task Dependency_injection_gives_a_badge_service_on_the_ledger()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new NodaTime.Testing.FakeClock(At));
        services.AddRetentionKit(kit => kit.AddLoyalty(o => o.Badges["first-success"].Points = 30));
        using var provider = services.BuildServiceProvider();

        var awarded = await provider.GetRequiredService<BadgeService>().RecordAsync(Ana, OnboardingMilestones.FirstSuccess, At);

        Assert.Equal(30, awarded.Single().Points);
        Assert.Equal(30, await provider.GetRequiredService<RetentionKit.Loyalty.Ledger.LoyaltyLedger>().GetBalanceAsync(Ana));
    }

    /// <summary>A store whose first award fails, as a process killed between the points and the award.</summary>
    private sealed class FailOnceStore : IBadgeStore
    {
        private readonly InMemoryBadgeStore _inner = new();
        private bool _failed;

        public ValueTask<bool> TryAwardAsync(BadgeAward award, System.Threading.CancellationToken cancellationToken = default)
        {
            if (!_failed)
            {
                _failed = true;
                throw new InvalidOperationException("crash");
            }

            return _inner.TryAwardAsync(award, cancellationToken);
        }

        public ValueTask<IReadOnlyList<BadgeAward>> GetAsync(CustomerId member, System.Threading.CancellationToken cancellationToken = default) => _inner.GetAsync(member, cancellationToken);
    }
}
