using System;
using System.Collections.Generic;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The ledger store contract (LI-13) against SQLite: a fresh file per test.</summary>
public sealed class SqliteLoyaltyLedgerStoreContractTests : LoyaltyLedgerStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override ILoyaltyLedgerStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteLoyaltyLedgerStore(database.Database());
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
