using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// The SQL schema RetentionKit keeps its state in, as versioned scripts embedded in this assembly. The store applies
/// them itself unless <see cref="SqliteStoreOptions.AutoMigrate"/> is off; a DBA who applies SQL by hand takes
/// <see cref="Script"/>.
/// </summary>
public static class SqliteSchema
{
    /// <summary>The schema version this assembly writes and reads.</summary>
    public const int Version = 3;

    /// <summary>The table that records which versions have been applied.</summary>
    public const string VersionTable = "retentionkit_schema";

    /// <summary>Gets the SQL that takes a database from one schema version to <see cref="Version"/>, recording each step in <see cref="VersionTable"/>.</summary>
    /// <param name="fromVersion">The version the database is at; 0 for an empty database.</param>
    /// <returns>The script; empty when the database is already current.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is negative or newer than <see cref="Version"/>.</exception>
    public static string Script(int fromVersion = 0)
    {
        if (fromVersion < 0 || fromVersion > Version)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, $"fromVersion must be from 0 to {Version}, the versions this assembly knows.");
        }

        var script = new StringBuilder();
        if (fromVersion == 0)
        {
            script.Append(CreateVersionTable).Append(";\n\n");
        }

        for (var version = fromVersion + 1; version <= Version; version++)
        {
            script.Append(Step(version)).Append('\n');
            script.Append(CultureInfo.InvariantCulture, $"INSERT INTO {VersionTable} (version, applied_at) VALUES ({version}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));\n\n");
        }

        return script.ToString();
    }

    /// <summary>
    /// Brings a database to <see cref="Version"/> now, as the store would on first use: the tool's
    /// <c>retentionkit db migrate</c>, or a deployment step that migrates before the application starts.
    /// </summary>
    /// <param name="connectionString">The database, for example <c>Data Source=retentionkit.db</c>; the file is created if missing.</param>
    /// <returns>The version the database was at before; <see cref="Version"/> when it was already current.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is blank.</exception>
    /// <exception cref="InvalidOperationException">The database cannot be opened, belongs to another application or has a newer schema (the message names the file and the cause).</exception>
    public static int Migrate(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new SqliteDatabase(new SqliteStoreOptions { ConnectionString = connectionString }).Prepare();
    }

    internal const string CreateVersionTable =
        $"CREATE TABLE IF NOT EXISTS {VersionTable} (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)";

    internal static string Step(int version)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"RetentionKit.Storage.Sqlite.Scripts.v{version:000}.sql");
        using var stream = typeof(SqliteSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The migration script {name} is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
