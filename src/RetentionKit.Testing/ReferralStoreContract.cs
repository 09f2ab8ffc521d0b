using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using Xunit;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IReferralStore"/> must do: one record per referrer, a unique code (RI-1), one referral per
/// referred customer (RI-5), updates only over the version read. Derive from it to test another store.
/// </summary>
public abstract class ReferralStoreContract
{
    private static readonly Instant At = Instant.FromUtc(2026, 2, 1, 0, 0);
    private static readonly CustomerId Ana = new("ana");
    private static readonly CustomerId Bea = new("bea");
    private static readonly CustomerId Cai = new("cai");

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IReferralStore CreateStore();

    /// <summary>Referrers, have one code, and acode has one referrer.</summary>
    [ContractFact]
    public async Task Referrers_HaveOneCode_AndACodeHasOneReferrer()
    {
        var store = CreateStore();
        var code = ReferralCode.NewCode();
        var ana = new ReferrerAccount(Ana, code, At, [], 1);

        Assert.Equal(AddReferrerStatus.Added, await store.TryAddReferrerAsync(ana));
        Assert.Equal(AddReferrerStatus.ReferrerExists, await store.TryAddReferrerAsync(ana with { Code = ReferralCode.NewCode() }));
        Assert.Equal(AddReferrerStatus.CodeTaken, await store.TryAddReferrerAsync(new ReferrerAccount(Bea, code, At, [], 1)));
        Assert.Equal(ana, await store.FindReferrerAsync(Ana));
        Assert.Equal(ana, await store.FindReferrerByCodeAsync(code));
        Assert.Null(await store.FindReferrerAsync(Bea));
        Assert.Null(await store.FindReferrerByCodeAsync(ReferralCode.NewCode()));
        Assert.Equal(new[] { ana }, await ToListAsync(store.ReferrersAsync()));
    }

    /// <summary>Referrers, update only over the version read.</summary>
    [ContractFact]
    public async Task Referrers_UpdateOnlyOverTheVersionRead()
    {
        var store = CreateStore();
        var ana = new ReferrerAccount(Ana, ReferralCode.NewCode(), At, [], 1);
        await store.TryAddReferrerAsync(ana);
        var claimed = ana with { Claims = [new RewardClaim(Bea, At)], Version = 2 };

        Assert.True(await store.TryUpdateReferrerAsync(claimed, 1));
        Assert.False(await store.TryUpdateReferrerAsync(ana with { Version = 2 }, 1));
        Assert.False(await store.TryUpdateReferrerAsync(new ReferrerAccount(Cai, ReferralCode.NewCode(), At, [], 2), 1));
        Assert.Equal(claimed, await store.FindReferrerAsync(Ana));
        await Assert.ThrowsAsync<ArgumentException>("account", async () => await store.TryUpdateReferrerAsync(claimed with { Version = 4 }, 2));
        await Assert.ThrowsAsync<ArgumentException>("account", async () => await store.TryUpdateReferrerAsync(claimed with { Code = ReferralCode.NewCode(), Version = 3 }, 2));
        await Assert.ThrowsAsync<ArgumentException>("account", async () => await store.TryAddReferrerAsync(new ReferrerAccount(Cai, ReferralCode.NewCode(), At, [], 2)));
    }

    /// <summary>Referrals, attribute acustomer once, and update only over the version read.</summary>
    [ContractFact]
    public async Task Referrals_AttributeACustomerOnce_AndUpdateOnlyOverTheVersionRead()
    {
        var store = CreateStore();
        var code = ReferralCode.NewCode();
        var incentive = new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100);
        var referral = new Referral(Bea, Ana, code, incentive, ReferralStatus.Attributed, At, 1, ImmutableArray<FraudFinding>.Empty);

        Assert.True(await store.TryAddReferralAsync(referral));
        Assert.False(await store.TryAddReferralAsync(referral with { Referrer = Cai, Code = ReferralCode.NewCode() }));
        var qualified = referral with { Status = ReferralStatus.Qualified, QualifiedAt = At, Version = 2 };
        Assert.True(await store.TryUpdateReferralAsync(qualified, 1));
        Assert.False(await store.TryUpdateReferralAsync(referral with { Status = ReferralStatus.Expired, Version = 2 }, 1));
        Assert.False(await store.TryUpdateReferralAsync(referral with { Referred = Cai, Version = 2 }, 1));
        Assert.Equal(qualified, await store.FindReferralAsync(Bea));
        Assert.Null(await store.FindReferralAsync(Cai));
        Assert.Equal(new[] { qualified }, await ToListAsync(store.ReferralsAsync()));
        await Assert.ThrowsAsync<ArgumentException>("referral", async () => await store.TryUpdateReferralAsync(qualified with { Referrer = Cai, Version = 3 }, 2));
        await Assert.ThrowsAsync<ArgumentException>("referral", async () => await store.TryUpdateReferralAsync(qualified with { Version = 2 }, 2));
        await Assert.ThrowsAsync<ArgumentException>("referral", async () => await store.TryAddReferralAsync(referral with { Referred = Cai, Version = 5 }));
    }

    /// <summary>Concurrent writers, one wins each race.</summary>
    [ContractFact]
    public async Task ConcurrentWriters_OneWinsEachRace()
    {
        var store = CreateStore();
        var incentive = new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100);
        var referrers = Enumerable.Range(0, 16).Select(i => new CustomerId($"r{i}")).ToArray();
        var code = ReferralCode.NewCode();

        var codeRace = await Task.WhenAll(referrers.Select(r => Task.Run(async () => await store.TryAddReferrerAsync(new ReferrerAccount(r, code, At, [], 1)))));
        var attributionRace = await Task.WhenAll(referrers.Select(r => Task.Run(async () =>
            await store.TryAddReferralAsync(new Referral(Bea, r, code, incentive, ReferralStatus.Attributed, At, 1, ImmutableArray<FraudFinding>.Empty)))));
        var current = (await store.FindReferralAsync(Bea))!;
        var updateRace = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await store.TryUpdateReferralAsync(current with { Note = $"writer {i}", Version = 2 }, 1))));

        Assert.Equal(1, codeRace.Count(s => s == AddReferrerStatus.Added));
        Assert.Single(attributionRace, added => added);
        Assert.Single(updateRace, written => written);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
