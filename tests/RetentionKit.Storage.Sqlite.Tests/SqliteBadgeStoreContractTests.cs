using System;
using System.Collections.Generic;
using RetentionKit.Loyalty.Badges;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The badge store contract (first award stands, order, concurrency) against SQLite: a fresh file per test.</summary>
public sealed class SqliteBadgeStoreContractTests : BadgeStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IBadgeStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteBadgeStore(database.Database());
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
