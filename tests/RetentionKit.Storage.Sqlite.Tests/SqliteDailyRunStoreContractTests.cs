using System;
using System.Collections.Generic;
using RetentionKit.Hosting;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The daily-run store contract (leases, results, completion) against SQLite: a fresh file per test.</summary>
public sealed class SqliteDailyRunStoreContractTests : DailyRunStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IDailyRunStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteDailyRunStore(database.Database());
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
