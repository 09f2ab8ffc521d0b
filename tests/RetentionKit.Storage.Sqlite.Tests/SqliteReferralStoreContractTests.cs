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

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
