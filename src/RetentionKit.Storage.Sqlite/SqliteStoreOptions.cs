using System;

namespace RetentionKit.Storage.Sqlite;

/// <summary>Where and how RetentionKit keeps its state in SQLite; bind <c>RetentionKit:Storage:Sqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the connection string, for example <c>Data Source=retentionkit.db</c>.</summary>
    /// <value>The default value is null: <c>ConnectionStrings:RetentionKit</c> of the host's configuration is used.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets whether the library creates and migrates its schema on first use.</summary>
    /// <value>The default value is true. Set false when your DBAs apply <see cref="SqliteSchema.Script"/> themselves.</value>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>Gets or sets how long a call waits for another writer's lock before it fails with a clear error.</summary>
    /// <value>The default value is 5 seconds; 1 millisecond to 10 minutes.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets whether every commit is synced to disk before it is acknowledged (<c>synchronous=FULL</c>), so that
    /// a power loss loses nothing acknowledged. With false (<c>NORMAL</c>), a crash of the process still loses nothing,
    /// a power loss may lose the last commits.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool SyncEveryCommit { get; set; } = true;
}
