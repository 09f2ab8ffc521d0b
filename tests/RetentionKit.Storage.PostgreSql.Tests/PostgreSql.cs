using System;
using System.Threading;
using Npgsql;
using RetentionKit.Testing;

namespace RetentionKit.Storage.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests share: the one <see cref="TemporaryPostgreSqlServer.ConnectionStringVariable"/>
/// names, else a throwaway cluster started on first use and removed when the test process ends. Every test works in a
/// schema of its own, so tests run in parallel on one server.
/// </summary>
internal static class PostgreSql
{
    private static readonly Lazy<(string ConnectionString, TemporaryPostgreSqlServer? Server)> Shared = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<NpgsqlDataSource> SharedSource = new(() => NpgsqlDataSource.Create(ConnectionString));
    private static int _schemas;

    /// <summary>Why the PostgreSQL tests skip on this machine, or null when they can run.</summary>
    public static readonly string? Unavailable =
        Environment.GetEnvironmentVariable(TemporaryPostgreSqlServer.ConnectionStringVariable) is { Length: > 0 } || TemporaryPostgreSqlServer.FindBinaries() is not null
            ? null
            : $"PostgreSQL is not installed: {TemporaryPostgreSqlServer.InstallCommand} (or set {TemporaryPostgreSqlServer.ConnectionStringVariable} to a connection string)";

    /// <summary>Gets a connection string of the shared server.</summary>
    public static string ConnectionString => Shared.Value.ConnectionString;

    /// <summary>Gets a data source on the shared server.</summary>
    public static NpgsqlDataSource DataSource => SharedSource.Value;

    /// <summary>A schema name no other test uses, at most 40 characters (a short process id makes it shorter).</summary>
    public static string NewSchema()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid():N}";
        return name.Length > 40 ? name[..40] : name;
    }

    /// <summary>A database object on a new schema of the shared server.</summary>
    public static PostgreSqlDatabase Database(string? schema = null, bool autoMigrate = true) => new(DataSource, ownsDataSource: false, schema ?? NewSchema(), autoMigrate);

    private static (string, TemporaryPostgreSqlServer?) StartShared()
    {
        if (Environment.GetEnvironmentVariable(TemporaryPostgreSqlServer.ConnectionStringVariable) is { Length: > 0 } given)
        {
            return (given, null);
        }

        var server = TemporaryPostgreSqlServer.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return (server.ConnectionString, server);
    }
}

/// <summary>A test that needs a PostgreSQL server: skipped, with the install command as the reason, on a machine without one.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute(bool needsServerBinaries = false)
    {
        Skip = needsServerBinaries && TemporaryPostgreSqlServer.FindBinaries() is null
            ? $"This test stops and starts a server of its own; PostgreSQL's binaries are not installed: {TemporaryPostgreSqlServer.InstallCommand}"
            : PostgreSql.Unavailable;
    }
}
