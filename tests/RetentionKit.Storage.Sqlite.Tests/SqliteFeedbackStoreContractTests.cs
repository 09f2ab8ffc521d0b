using System;
using System.Collections.Generic;
using RetentionKit.Playbooks;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The feedback store contract (idempotent add, every field, atomic changes, the three queries) against SQLite: a fresh file per test.</summary>
public sealed class SqliteFeedbackStoreContractTests : FeedbackStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IFeedbackStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteFeedbackStore(database.Database());
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
