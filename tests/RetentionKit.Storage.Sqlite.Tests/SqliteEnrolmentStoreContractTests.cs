using System;
using System.Collections.Generic;
using RetentionKit.Playbooks;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The enrolment store contract (upsert by id, every field, start order) against SQLite: a fresh file per test.</summary>
public sealed class SqliteEnrolmentStoreContractTests : EnrolmentStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IEnrolmentStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteEnrolmentStore(database.Database());
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
