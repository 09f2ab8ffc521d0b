using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL database and the schema RetentionKit lives in: hands out connections and brings the schema to
/// <see cref="PostgreSqlSchema.Version"/> once, in one transaction under a transaction-scoped advisory lock, so that
/// instances starting together never both migrate. Start-up failures become one clear exception naming the store and
/// the cause. Thread-safe.
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable, IDisposable
{
    private static readonly HashSet<string> OwnTables = new(StringComparer.Ordinal)
    {
        PostgreSqlSchema.VersionTable, "ledger_members", "ledger_entries", "ledger_keys", "referrers", "referrals", "enrolments", "score_history", "score_overrides", "run_partitions",
    };

    private readonly bool _ownsDataSource;
    private readonly bool _autoMigrate;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public PostgreSqlDatabase(NpgsqlDataSource dataSource, bool ownsDataSource, string schema, bool autoMigrate)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PostgreSqlSchema.RequireSchemaName(schema, nameof(schema));
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        Schema = schema;
        _autoMigrate = autoMigrate;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Describe = string.Create(CultureInfo.InvariantCulture, $"database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}, schema '{schema}'");
    }

    /// <summary>Gets the data source connections come from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Gets the schema the objects live in (a checked plain identifier, safe to put into SQL).</summary>
    public string Schema { get; }

    /// <summary>Gets how messages name this store: database, host and port, schema.</summary>
    public string Describe { get; }

    /// <summary>Opens a connection to a database whose schema is current.</summary>
    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the missing migrations (or, with automatic migration off, checks that none is missing); once per instance.</summary>
    /// <returns>The schema version the database was at before (the current version when nothing was applied).</returns>
    public async Task<int> PrepareAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return PostgreSqlSchema.Version;
            }

            var before = await MigrateAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
            return before;
        }
        catch (PostgresException ex) when (ex.SqlState is "28P01" or "28000")
        {
            throw new InvalidOperationException($"The PostgreSQL store ({Describe}) could not start: the server refused the login of user '{new NpgsqlConnectionStringBuilder(DataSource.ConnectionString).Username}' ({ex.SqlState}: {ex.MessageText}). Check the user name and password in the connection string.", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is "3D000")
        {
            throw new InvalidOperationException($"The PostgreSQL store ({Describe}) could not start: the database does not exist ({ex.MessageText}). Create it, or point the connection string at another one.", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is "42501")
        {
            throw new InvalidOperationException($"The PostgreSQL store ({Describe}) could not start: the user may not create or change the schema ({ex.MessageText}). Grant CREATE on the database, or have a DBA apply PostgreSqlSchema.Script() and set AutoMigrate to false.", ex);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            var cause = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            throw new InvalidOperationException($"The PostgreSQL store ({Describe}) could not start: the server cannot be reached ({cause}). Check the host and port, and that the server is running.", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether a failure is worth retrying the same call for: the server went away or restarted, a deadlock or serialization failure was resolved against this call.</summary>
    public static bool IsTransient(NpgsqlException exception) =>
        exception.IsTransient || exception is PostgresException { SqlState: "40P01" or "40001" or "57P01" or "57P02" or "57P03" };

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }

        _gate.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "retentionkit:migrate:" + Schema });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > PostgreSqlSchema.Version)
        {
            throw new InvalidOperationException($"The PostgreSQL store ({Describe}) is at RetentionKit schema version {current}; this RetentionKit.Storage.PostgreSql knows versions up to {PostgreSqlSchema.Version}. Upgrade the package (a newer version of the application has migrated this database), or point the store at another schema.");
        }

        if (current < PostgreSqlSchema.Version)
        {
            if (!_autoMigrate)
            {
                throw new InvalidOperationException($"The PostgreSQL store ({Describe}) is at RetentionKit schema version {current}, not {PostgreSqlSchema.Version}, and automatic migration is off (RetentionKit:Storage:PostgreSql:AutoMigrate). Apply PostgreSqlSchema.Script({current}, \"{Schema}\").");
            }

            await using var migrate = new NpgsqlCommand(PostgreSqlSchema.Script(current, Schema), connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    private async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Schema });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains(PostgreSqlSchema.VersionTable))
        {
            if (tables.Count > 0)
            {
                var foreign = tables.FindAll(t => !OwnTables.Contains(t));
                throw new InvalidOperationException($"The PostgreSQL store ({Describe}) found a schema that is not RetentionKit's: it holds the tables {string.Join(", ", foreign.Count > 0 ? foreign : tables)} and no {PostgreSqlSchema.VersionTable} table. Configure another schema (RetentionKit:Storage:PostgreSql:Schema).");
            }

            return 0;
        }

        await using var version = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {Schema}.{PostgreSqlSchema.VersionTable}", connection, transaction);
        return Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
