using System;
using System.Collections.Generic;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The referral store contract (RI-1, RI-5, conditional updates) against SQLite: a fresh file per test.</summary>
public sealed class SqliteReferralStoreContractTests : ReferralStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IReferralStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteReferralStore(database.Database());
    }

    [Fact]
    public async System.Threading.Tasks.Task Updates_ThatChangeACodeOrAReferrer_AreRefused_AndWriteNothing()
    {
        var store = CreateStore();
        var at = NodaTime.Instant.FromUtc(2026, 2, 1, 0, 0);
        var ana = new ReferrerAccount(new CustomerId("ana"), ReferralCode.NewCode(), at, [], 1);
        var referral = new Referral(new CustomerId("bea"), ana.Referrer, ana.Code, new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100), ReferralStatus.Attributed, at, 1, []);
        await store.TryAddReferrerAsync(ana);
        await store.TryAddReferralAsync(referral);

        var code = await Assert.ThrowsAsync<ArgumentException>("account", async () => await store.TryUpdateReferrerAsync(ana with { Code = ReferralCode.NewCode(), Version = 2 }, 1));
        var referrer = await Assert.ThrowsAsync<ArgumentException>("referral", async () => await store.TryUpdateReferralAsync(referral with { Referrer = new CustomerId("cai"), Version = 2 }, 1));

        Assert.StartsWith("A referrer's code never changes (RI-1).", code.Message, StringComparison.Ordinal);
        Assert.StartsWith("A referral's referrer and code never change (RI-5).", referrer.Message, StringComparison.Ordinal);
        Assert.False(await store.TryUpdateReferralAsync(referral with { Version = 3 }, 2)); // not at that version
        Assert.Equal(ana, await store.FindReferrerAsync(ana.Referrer));
        Assert.Equal(referral, await store.FindReferralAsync(referral.Referred));
        Assert.True(await store.TryUpdateReferralAsync(referral with { Status = ReferralStatus.Qualified, Version = 2 }, 1));
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
