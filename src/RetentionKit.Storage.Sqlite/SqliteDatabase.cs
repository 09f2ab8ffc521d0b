using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// One SQLite database file: opens connections with the store's settings and brings the schema to
/// <see cref="SqliteSchema.Version"/> once, under an immediate (write-locking) transaction, so that two instances
/// starting together never both migrate. Thread-safe.
/// </summary>
internal sealed class SqliteDatabase
{
    private static readonly string[] OwnTables = [SqliteSchema.VersionTable, "ledger_members", "ledger_entries", "ledger_keys", "referrers", "referrals", "enrolments", "score_history", "score_overrides", "run_partitions"];

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly bool _autoMigrate;
    private readonly TimeSpan _busyTimeout;
    private readonly Lock _gate = new();

    // The handles (physical connections) already given the pragmas. The pool hands the same handle out again and
    // busy_timeout and synchronous live on it, so each is configured once, not on every call.
    private readonly ConditionalWeakTable<object, object> _configured = [];
    private volatile bool _ready;

    public SqliteDatabase(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("RetentionKit:Storage:Sqlite:ConnectionString is not set (nor ConnectionStrings:RetentionKit); the SQLite store needs a file, e.g. \"Data Source=retentionkit.db\".", nameof(options));
        }

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        var busy = (long)Math.Ceiling(options.BusyTimeout.TotalMilliseconds);
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busy}; PRAGMA synchronous = {(options.SyncEveryCommit ? "FULL" : "NORMAL")};");
        _autoMigrate = options.AutoMigrate;
        _busyTimeout = options.BusyTimeout;
    }

    /// <summary>Gets the file (or in-memory name) the connection string names.</summary>
    public string DataSource { get; }

    /// <summary>Opens a connection to a database whose schema is current.</summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            Prepare();
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the missing migrations (or, with automatic migration off, checks that none is missing); once per instance.</summary>
    /// <returns>The schema version the database was at before (the current version when nothing was applied).</returns>
    public int Prepare()
    {
        lock (_gate)
        {
            return Migrate();
        }
    }

    private int Migrate()
    {
        try
        {
            if (_ready)
            {
                return SqliteSchema.Version;
            }

            using var connection = OpenRaw();
            if (_autoMigrate)
            {
                Execute(connection, null, "PRAGMA journal_mode = WAL;");
            }

            int current;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                current = CurrentVersion(connection, transaction);
                if (current > SqliteSchema.Version)
                {
                    throw new InvalidOperationException($"The SQLite database '{DataSource}' is at RetentionKit schema version {current}; this RetentionKit.Storage.Sqlite knows versions up to {SqliteSchema.Version}. Upgrade the package (a newer version of the application has migrated this database), or point the store at another database.");
                }

                if (current < SqliteSchema.Version)
                {
                    if (!_autoMigrate)
                    {
                        throw new InvalidOperationException($"The SQLite database '{DataSource}' is at RetentionKit schema version {current}, not {SqliteSchema.Version}, and automatic migration is off (RetentionKit:Storage:Sqlite:AutoMigrate). Apply SqliteSchema.Script({current}) or `retentionkit db migrate`.");
                    }

                    Execute(connection, transaction, SqliteSchema.Script(current));
                }

                transaction.Commit();
            }

            _ready = true;
            return current;
        }
        catch (SqliteException ex)
        {
            var cause = ex.SqliteErrorCode switch
            {
                8 => " The file (or its folder, where SQLite writes the -wal and -shm files beside it) is read-only: the store needs to write there.",
                14 when System.IO.File.Exists(DataSource) => " The file exists but cannot be opened for writing: it or its folder is read-only (SQLite keeps -wal and -shm files beside it, so the folder must be writable too).",
                14 => " The file cannot be created: check that its folder exists and may be written.",
                26 => " The file is not a SQLite database: point the store at a file of its own.",
                _ => string.Empty,
            };
            throw new InvalidOperationException($"The SQLite store could not open or migrate '{DataSource}': {ex.Message}{cause}", ex);
        }
    }

    /// <summary>Whether SQLite gave up waiting for another connection's lock (SQLITE_BUSY, SQLITE_LOCKED).</summary>
    public static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is 5 or 6;

    /// <summary>The transient error a call gets when the database stayed locked past the busy timeout (ST-5): nothing was written; a retry with the same key is harmless.</summary>
    public TimeoutException Busy(SqliteException exception) =>
        new($"The SQLite store '{DataSource}' stayed locked by another writer for longer than its busy timeout ({_busyTimeout.TotalMilliseconds:0} ms, RetentionKit:Storage:Sqlite:BusyTimeout); nothing was written. Retry the call (with the same idempotency key it is harmless).", exception);

    internal static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int CurrentVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains(SqliteSchema.VersionTable, StringComparer.Ordinal))
        {
            var foreign = tables.Where(t => !OwnTables.Contains(t, StringComparer.Ordinal)).ToList();
            if (tables.Count > 0)
            {
                throw new InvalidOperationException($"The SQLite database '{DataSource}' is not a RetentionKit database: it holds the tables {string.Join(", ", foreign.Count > 0 ? foreign : tables)} and no {SqliteSchema.VersionTable} table. Point the store at a file of its own.");
            }

            return 0;
        }

        command.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {SqliteSchema.VersionTable}";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Configure(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Configure(SqliteConnection connection)
    {
        var handle = (object?)connection.Handle ?? connection;
        if (!_configured.TryGetValue(handle, out _))
        {
            Execute(connection, null, _pragmas);
            _configured.AddOrUpdate(handle, handle);
        }
    }

    private async ValueTask<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            Configure(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
