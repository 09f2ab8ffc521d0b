using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>A database file in a folder of its own, removed (with its WAL files) when disposed.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "rk-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        File = Path.Combine(Folder, "retentionkit.db");
    }

    public string Folder { get; }

    public string File { get; }

    public string ConnectionString => $"Data Source={File}";

    public SqliteStoreOptions Options(Action<SqliteStoreOptions>? change = null)
    {
        var options = new SqliteStoreOptions { ConnectionString = ConnectionString, SyncEveryCommit = false };
        change?.Invoke(options);
        return options;
    }

    public SqliteDatabase Database(Action<SqliteStoreOptions>? change = null) => new(Options(change));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a pooled connection of another test; the temp folder is cleaned by the OS
        }
    }
}
