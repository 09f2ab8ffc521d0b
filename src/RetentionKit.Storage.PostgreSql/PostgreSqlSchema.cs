using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// The SQL schema RetentionKit keeps its state in on PostgreSQL, as versioned scripts embedded in this assembly. The
/// store applies them at start-up under an advisory lock unless <see cref="PostgreSqlStoreOptions.AutoMigrate"/> is
/// off; a DBA who applies SQL by hand takes <see cref="Script"/>.
/// </summary>
public static partial class PostgreSqlSchema
{
    /// <summary>The schema version this assembly writes and reads.</summary>
    public const int Version = 3;

    /// <summary>The schema the objects live in unless configured otherwise.</summary>
    public const string DefaultSchema = "retentionkit";

    /// <summary>The table, inside the schema, that records which versions have been applied.</summary>
    public const string VersionTable = "schema_version";

    /// <summary>Gets the SQL that takes a schema from one version to <see cref="Version"/>, creating the schema when missing and recording each step in <see cref="VersionTable"/>.</summary>
    /// <param name="fromVersion">The version the schema is at; 0 for none.</param>
    /// <param name="schema">The schema's name.</param>
    /// <returns>The script; empty when the schema is already current.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is negative or newer than <see cref="Version"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static string Script(int fromVersion = 0, string schema = DefaultSchema)
    {
        RequireSchemaName(schema, nameof(schema));
        if (fromVersion < 0 || fromVersion > Version)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, $"fromVersion must be from 0 to {Version}, the versions this assembly knows.");
        }

        var script = new StringBuilder();
        if (fromVersion == 0)
        {
            script.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA IF NOT EXISTS {schema};\n\n");
            script.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {schema}.{VersionTable} (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());\n\n");
        }

        for (var version = fromVersion + 1; version <= Version; version++)
        {
            script.Append(Step(version).Replace("__schema__", schema, StringComparison.Ordinal)).Append('\n');
            script.Append(CultureInfo.InvariantCulture, $"INSERT INTO {schema}.{VersionTable} (version) VALUES ({version});\n\n");
        }

        return script.ToString();
    }

    /// <summary>
    /// Brings a database's RetentionKit schema to <see cref="Version"/> now, as the store does at start-up: a deployment
    /// step that migrates before the application starts.
    /// </summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema's name.</param>
    /// <param name="cancellationToken">Cancels the migration (nothing is half-applied: it runs in one transaction).</param>
    /// <returns>The version the schema was at before; <see cref="Version"/> when it was already current.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The database cannot be reached, refuses the login, holds a schema of another application or a newer version (the message names the store and the cause).</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema = DefaultSchema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        RequireSchemaName(schema, nameof(schema));
        return await new PostgreSqlDatabase(dataSource, ownsDataSource: false, schema, autoMigrate: true).PrepareAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static void RequireSchemaName(string? schema, string argument)
    {
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"The schema name '{schema}' must be a plain lower-case PostgreSQL identifier: a letter or underscore, then letters, digits or underscores, at most 63 characters.", argument);
        }
    }

    internal static bool IsValidSchemaName(string? schema) => schema is not null && SchemaName().IsMatch(schema);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

    private static string Step(int version)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"RetentionKit.Storage.PostgreSql.Scripts.v{version:000}.sql");
        using var stream = typeof(PostgreSqlSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The migration script {name} is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
