using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>ST-4: migrations are versioned, idempotent, taken under a lock; a newer schema is refused at start-up.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Prepare_AnEmptyFile_CreatesTheCurrentSchemaInWalMode_Once()
    {
        _db.Database().Prepare();
        _db.Database().Prepare(); // another instance: nothing to do

        Assert.Equal(SqliteSchema.Version, Scalar("SELECT MAX(version) FROM retentionkit_schema"));
        Assert.Equal(SqliteSchema.Version, Scalar("SELECT COUNT(*) FROM retentionkit_schema")); // one row per version, each applied once
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ledger_%'"));
        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)command.ExecuteScalar()!);
    }

    [Fact]
    public void Prepare_AVersion1File_MigratesToTheRunAndFeedbackTables_KeepingItsRows()
    {
        // A file written by the previous release (schema 1), with a score in it.
        Execute(SqliteSchema.CreateVersionTable + ";\n" + SqliteSchema.Step(1) + "\nINSERT INTO retentionkit_schema (version, applied_at) VALUES (1, 'then');");
        Execute("INSERT INTO score_history (customer, day, observed_day, level) VALUES ('ana', 20000, 20000, 1)");

        Assert.Equal(1, _db.Database().Prepare());

        Assert.Equal(3, Scalar("SELECT MAX(version) FROM retentionkit_schema"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'run_partitions'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'feedback'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'badges'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM score_history WHERE customer = 'ana'"));
    }

    [Fact]
    public async Task Prepare_ManyInstancesStartingTogether_MigrateOnce()
    {
        var databases = Enumerable.Range(0, 8).Select(_ => _db.Database()).ToArray();

        await Task.WhenAll(databases.Select(d => Task.Run(d.Prepare)));

        Assert.Equal(SqliteSchema.Version, Scalar("SELECT COUNT(*) FROM retentionkit_schema")); // one row per version, each applied once
    }

    [Fact]
    public void Prepare_ASchemaNewerThanTheCode_FailsNamingBothVersions()
    {
        _db.Database().Prepare();
        Execute($"INSERT INTO retentionkit_schema (version, applied_at) VALUES ({SqliteSchema.Version + 1}, 'later')");

        var error = Assert.Throws<InvalidOperationException>(() => _db.Database().Prepare());

        Assert.Contains($"is at RetentionKit schema version {SqliteSchema.Version + 1}; this RetentionKit.Storage.Sqlite knows versions up to {SqliteSchema.Version}", error.Message, StringComparison.Ordinal);
        Assert.Contains(_db.File, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_AnotherApplicationsDatabase_FailsNamingItsTables()
    {
        Execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");

        var error = Assert.Throws<InvalidOperationException>(() => _db.Database().Prepare());

        Assert.Contains("is not a RetentionKit database: it holds the tables invoices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_WithoutAutomaticMigration_RefusesAnOldSchema_AndAcceptsTheScriptAppliedByHand()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _db.Database(o => o.AutoMigrate = false).Prepare());
        Assert.Contains($"is at RetentionKit schema version 0, not {SqliteSchema.Version}, and automatic migration is off", error.Message, StringComparison.Ordinal);

        Execute(SqliteSchema.Script());

        _db.Database(o => o.AutoMigrate = false).Prepare();
        Assert.Equal(SqliteSchema.Version, Scalar("SELECT MAX(version) FROM retentionkit_schema"));
    }

    [Theory]
    [InlineData(true, 2L)]
    [InlineData(false, 1L)]
    public async Task OpenAsync_EveryConnection_FirstAndPooled_CarriesTheStoresSettings(bool syncEveryCommit, long synchronous)
    {
        var database = _db.Database(o => (o.SyncEveryCommit, o.BusyTimeout) = (syncEveryCommit, TimeSpan.FromMilliseconds(1234)));

        for (var i = 0; i < 3; i++) // the second and third come from the pool
        {
            using var connection = await database.OpenAsync(default);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            Assert.Equal(synchronous, (long)command.ExecuteScalar()!);
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(1234L, (long)command.ExecuteScalar()!);
        }
    }

    [Fact]
    public void Script_FromTheCurrentVersion_IsEmpty_AndOutOfRangeIsRefused()
    {
        Assert.Equal(string.Empty, SqliteSchema.Script(SqliteSchema.Version));
        Assert.Contains("CREATE TABLE ledger_entries", SqliteSchema.Script(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("fromVersion", () => SqliteSchema.Script(-1));
        Assert.Throws<ArgumentOutOfRangeException>("fromVersion", () => SqliteSchema.Script(SqliteSchema.Version + 1));
    }

    [Fact]
    public void Open_AFileInAFolderThatDoesNotExist_FailsNamingTheStoreAndTheFile()
    {
        var missing = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = $"Data Source={_db.Folder}/no/such/folder/x.db" });

        var error = Assert.Throws<InvalidOperationException>(() => missing.Prepare());

        Assert.StartsWith($"The SQLite store could not open or migrate '{_db.Folder}/no/such/folder/x.db'", error.Message, StringComparison.Ordinal);
    }
}
