using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Testing;

namespace RetentionKit.Loyalty.Tests.Referrals;

public sealed class InMemoryReferralStoreTests : ReferralStoreContract
{
    private static readonly Instant At = Instant.FromUtc(2026, 2, 1, 0, 0);

    protected override IReferralStore CreateStore() => new InMemoryReferralStore();

    [Fact]
    public async Task BrokenWrites_AreRefused_WithTheRule()
    {
        var store = new InMemoryReferralStore();
        var ana = new ReferrerAccount(new CustomerId("ana"), ReferralCode.NewCode(), At, [], 1);
        await store.TryAddReferrerAsync(ana);
        var referral = new Referral(new CustomerId("bea"), ana.Referrer, ana.Code, new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100), ReferralStatus.Attributed, At, 1, []);
        await store.TryAddReferralAsync(referral);

        var first = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAddReferrerAsync(ana with { Referrer = new CustomerId("cai"), Code = ReferralCode.NewCode(), Version = 2 }));
        Assert.Equal(("account", "A new record starts at version 1, not 2. (Parameter 'account')"), (first.ParamName, first.Message));
        var next = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateReferrerAsync(ana with { Version = 3 }, 1));
        Assert.Equal("An update writes version 2 over version 1, not 3. (Parameter 'account')", next.Message);
        var code = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateReferrerAsync(ana with { Code = ReferralCode.NewCode(), Version = 2 }, 1));
        Assert.Equal("A referrer's code never changes (RI-1). (Parameter 'account')", code.Message);
        var referrer = await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateReferralAsync(referral with { Referrer = new CustomerId("cai"), Version = 2 }, 1));
        Assert.Equal("A referral's referrer and code never change (RI-5). (Parameter 'referral')", referrer.Message);
        Assert.Equal(ana, await store.FindReferrerAsync(ana.Referrer));
        Assert.Equal(referral, await store.FindReferralAsync(referral.Referred));
    }

    [Fact]
    public async Task Listings_StopWhenCancelled()
    {
        var store = new InMemoryReferralStore();
        var ana = new ReferrerAccount(new CustomerId("ana"), ReferralCode.NewCode(), At, [], 1);
        await store.TryAddReferrerAsync(ana);
        await store.TryAddReferralAsync(new Referral(new CustomerId("bea"), ana.Referrer, ana.Code, new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100), ReferralStatus.Attributed, At, 1, []));
        using var cancelled = new System.Threading.CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ToListAsync(store.ReferrersAsync(cancelled.Token)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ToListAsync(store.ReferralsAsync(cancelled.Token)));
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
