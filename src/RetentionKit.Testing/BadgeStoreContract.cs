using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Badges;
using Xunit;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IBadgeStore"/> must do: one award per member and badge — the first stands, a second is refused
/// even from many callers at once — every field kept to the nanosecond, a member's badges in the order awarded, members
/// kept apart. Derive a test class and supply <see cref="CreateStore"/>.
/// </summary>
public abstract class BadgeStoreContract
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly CustomerId Bea = new("bea");
    private static readonly Instant At = Instant.FromUtc(2026, 3, 2, 9, 30).PlusNanoseconds(123);

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IBadgeStore CreateStore();

    /// <summary>The first award of a badge stands; a second of the same badge is refused and changes nothing.</summary>
    [ContractFact]
    public async Task TheFirstAwardStands()
    {
        var store = CreateStore();

        Assert.True(await store.TryAwardAsync(new BadgeAward(Ana, "tutorial", At, 50)));
        Assert.False(await store.TryAwardAsync(new BadgeAward(Ana, "tutorial", (At + Duration.FromSeconds(60)), 0)));

        Assert.Equal([new BadgeAward(Ana, "tutorial", At, 50)], (await store.GetAsync(Ana)).ToArray());
        Assert.Empty(await store.GetAsync(Bea));
    }

    /// <summary>A member's badges come in the order awarded, then by id; members are kept apart.</summary>
    [ContractFact]
    public async Task BadgesComeInTheOrderAwarded()
    {
        var store = CreateStore();
        await store.TryAwardAsync(new BadgeAward(Ana, "first-report", (At + Duration.FromSeconds(5)), 0));
        await store.TryAwardAsync(new BadgeAward(Ana, "tutorial", At, 0));
        await store.TryAwardAsync(new BadgeAward(Ana, "explorer", (At + Duration.FromSeconds(5)), 10));
        await store.TryAwardAsync(new BadgeAward(Bea, "tutorial", At, 0));

        Assert.Equal(["tutorial", "explorer", "first-report"], (await store.GetAsync(Ana)).Select(a => a.Badge).ToArray());
        Assert.Equal(["tutorial"], (await store.GetAsync(Bea)).Select(a => a.Badge).ToArray());
    }

    /// <summary>Many callers awarding one badge at once: exactly one succeeds.</summary>
    [ContractFact]
    public async Task ConcurrentAwards_OneWins()
    {
        var store = CreateStore();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.TryAwardAsync(new BadgeAward(Ana, "first-success", (At + Duration.FromSeconds(i)), 0)))));

        Assert.Single(results, r => r);
        Assert.Single(await store.GetAsync(Ana));
    }

    /// <summary>Award of null is refused naming the argument.</summary>
    [ContractFact]
    public async Task Award_Null_Throws() =>
        Assert.Equal("award", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await CreateStore().TryAwardAsync(null!))).ParamName);
}
