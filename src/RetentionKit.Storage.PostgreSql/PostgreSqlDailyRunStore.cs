using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using RetentionKit.Hosting;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// The daily run's leases and results in PostgreSQL: each lease is one conditional upsert (<c>INSERT … ON CONFLICT DO
/// UPDATE … WHERE</c>), atomic under concurrent instances, so exactly one takes a free or expired partition; a result is
/// recorded only by the lease holder.
/// </summary>
internal sealed class PostgreSqlDailyRunStore(PostgreSqlDatabase database) : IDailyRunStore
{
    private readonly string _acquire = $"""
        INSERT INTO {database.Schema}.run_partitions AS p (day, partitions, partition, instance, lease_until) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (day, partitions, partition) DO UPDATE SET instance = excluded.instance, lease_until = excluded.lease_until
        WHERE p.result IS NULL AND (p.instance = excluded.instance OR p.lease_until <= $6)
        """;

    private readonly string _renew = $"UPDATE {database.Schema}.run_partitions SET lease_until = $5 WHERE day = $1 AND partitions = $2 AND partition = $3 AND instance = $4 AND result IS NULL";
    private readonly string _complete = $"UPDATE {database.Schema}.run_partitions SET result = $5 WHERE day = $1 AND partitions = $2 AND partition = $3 AND instance = $4 AND result IS NULL";
    private readonly string _completed = $"SELECT result::text FROM {database.Schema}.run_partitions WHERE day = $1 AND partitions = $2 AND result IS NOT NULL ORDER BY partition";
    private readonly string _reset = $"DELETE FROM {database.Schema}.run_partitions WHERE day = $1";
    private readonly string _latest = $"""
        SELECT MAX(day) FROM (SELECT day FROM {database.Schema}.run_partitions WHERE partitions = $1 AND day <= $2 AND result IS NOT NULL
        GROUP BY day HAVING COUNT(*) = $1) AS complete
        """;

    public async ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default)
    {
        DailyRunStoreRules.RequireLease(instance, now, until);
        return await ChangesOneAsync(_acquire, runDate, partition, instance, new NpgsqlParameter<long> { TypedValue = until.ToUnixTimeTicks() }, new NpgsqlParameter<long> { TypedValue = now.ToUnixTimeTicks() }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        return await ChangesOneAsync(_renew, runDate, partition, instance, new NpgsqlParameter<long> { TypedValue = until.ToUnixTimeTicks() }, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = RecordJson.Write(result) };
        return await ChangesOneAsync(_complete, result.Date, result.Partition, result.Instance, json, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_completed, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(runDate)) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partitions });
        var results = ImmutableArray.CreateBuilder<PartitionResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(RecordJson.ReadPartitionResult(reader.GetString(0)));
        }

        return results.ToImmutable();
    }

    public async ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_reset, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(runDate)) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_latest, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partitions });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(onOrBefore)) });
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is int day ? Days.ToDate(day) : null;
    }

    private async ValueTask<bool> ChangesOneAsync(string sql, LocalDate runDate, RunPartition partition, string instance, NpgsqlParameter fifth, NpgsqlParameter? sixth, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(runDate)) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition.Count });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition.Index });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instance });
        command.Parameters.Add(fifth);
        if (sixth is not null)
        {
            command.Parameters.Add(sixth);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
