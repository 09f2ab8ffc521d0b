using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Hosting;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// The daily run's leases and results in SQLite: each lease is one conditional upsert, so that of two processes on
/// one file exactly one takes a free or expired partition; a result is recorded only by the lease holder.
/// </summary>
internal sealed class SqliteDailyRunStore(SqliteDatabase database) : IDailyRunStore
{
    public ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default)
    {
        DailyRunStoreRules.RequireLease(instance, now, until);
        return ChangesOneAsync(
            """
            INSERT INTO run_partitions (day, partitions, partition, instance, lease_until) VALUES ($day, $count, $index, $instance, $until)
            ON CONFLICT (day, partitions, partition) DO UPDATE SET instance = excluded.instance, lease_until = excluded.lease_until
            WHERE run_partitions.result IS NULL AND (run_partitions.instance = excluded.instance OR run_partitions.lease_until <= $now)
            """,
            runDate,
            partition,
            c =>
            {
                c.Parameters.AddWithValue("$instance", instance);
                c.Parameters.AddWithValue("$until", until.ToUnixTimeTicks());
                c.Parameters.AddWithValue("$now", now.ToUnixTimeTicks());
            },
            cancellationToken);
    }

    public ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        return ChangesOneAsync(
            "UPDATE run_partitions SET lease_until = $until WHERE day = $day AND partitions = $count AND partition = $index AND instance = $instance AND result IS NULL",
            runDate,
            partition,
            c =>
            {
                c.Parameters.AddWithValue("$instance", instance);
                c.Parameters.AddWithValue("$until", until.ToUnixTimeTicks());
            },
            cancellationToken);
    }

    public ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ChangesOneAsync(
            "UPDATE run_partitions SET result = $result WHERE day = $day AND partitions = $count AND partition = $index AND instance = $instance AND result IS NULL",
            result.Date,
            result.Partition,
            c =>
            {
                c.Parameters.AddWithValue("$instance", result.Instance);
                c.Parameters.AddWithValue("$result", RecordJson.Write(result));
            },
            cancellationToken);
    }

    public async ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT result FROM run_partitions WHERE day = $day AND partitions = $count AND result IS NOT NULL ORDER BY partition";
            command.Parameters.AddWithValue("$day", Days.Of(runDate));
            command.Parameters.AddWithValue("$count", partitions);
            var results = ImmutableArray.CreateBuilder<PartitionResult>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                results.Add(RecordJson.ReadPartitionResult(reader.GetString(0)));
            }

            return results.ToImmutable();
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM run_partitions WHERE day = $day";
            command.Parameters.AddWithValue("$day", Days.Of(runDate));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT MAX(day) FROM (SELECT day FROM run_partitions WHERE partitions = $count AND day <= $day AND result IS NOT NULL
                GROUP BY day HAVING COUNT(*) = $count)
                """;
            command.Parameters.AddWithValue("$day", Days.Of(onOrBefore));
            command.Parameters.AddWithValue("$count", partitions);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is long day ? Days.ToDate(day) : null;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    private async ValueTask<bool> ChangesOneAsync(string sql, LocalDate runDate, RunPartition partition, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$day", Days.Of(runDate));
            command.Parameters.AddWithValue("$count", partition.Count);
            command.Parameters.AddWithValue("$index", partition.Index);
            bind(command);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }
}
