using System;
using System.Collections.Generic;
using RetentionKit.Scoring;
using RetentionKit.Testing;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>The score-history contract against SQLite: a fresh file per test.</summary>
public sealed class SqliteScoreHistoryStoreContractTests : ScoreHistoryStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IScoreHistoryStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteScoreHistoryStore(database.Database());
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

/// <summary>The score-override contract against SQLite: a fresh file per test.</summary>
public sealed class SqliteScoreOverrideStoreContractTests : ScoreOverrideStoreContract, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IScoreOverrideStore CreateStore()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return new SqliteScoreOverrideStore(database.Database());
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}
