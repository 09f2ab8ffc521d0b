using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using RetentionKit.Scoring;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// Daily score records in PostgreSQL: one row per (customer, day) under the primary key; recording a day again
/// replaces it. A bulk write streams the records with binary COPY into a temporary table and upserts them in one
/// statement, in one transaction (a million records in a few seconds).
/// </summary>
internal sealed class PostgreSqlScoreHistoryStore(PostgreSqlDatabase database) : IScoreHistoryStore
{
    private const string Staging = "retentionkit_score_load";
    private readonly string _upsert = $"""
        INSERT INTO {database.Schema}.score_history (customer, day, observed_day, retention, band, risk, level, probability)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (customer, day) DO UPDATE SET observed_day = excluded.observed_day, retention = excluded.retention,
            band = excluded.band, risk = excluded.risk, level = excluded.level, probability = excluded.probability
        """;

    private readonly string _merge = $"""
        INSERT INTO {database.Schema}.score_history (customer, day, observed_day, retention, band, risk, level, probability)
        SELECT customer, day, observed_day, retention, band, risk, level, probability FROM {Staging}
        ON CONFLICT (customer, day) DO UPDATE SET observed_day = excluded.observed_day, retention = excluded.retention,
            band = excluded.band, risk = excluded.risk, level = excluded.level, probability = excluded.probability
        """;

    private readonly string _get = $"""
        SELECT day, observed_day, retention, band, risk, level, probability FROM {database.Schema}.score_history
        WHERE customer = $1 AND day BETWEEN $2 AND $3 ORDER BY day
        """;

    public async ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_upsert, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = record.Customer.Value });
        p.Add(new NpgsqlParameter<int> { TypedValue = Day(record.Date) });
        p.Add(new NpgsqlParameter<int> { TypedValue = Day(record.ObservedOn) });
        p.Add(Real(record.RetentionScore));
        p.Add(record.Band is { } band ? new NpgsqlParameter<short> { TypedValue = (short)band } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = DBNull.Value });
        p.Add(Real(record.RiskScore));
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)record.Level });
        p.Add(Real(record.ChurnProbability));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RecordManyAsync(IEnumerable<ScoreRecord> records, CancellationToken cancellationToken = default)
    {
        var list = ScoreHistoryRules.RequireRecords(records);
        if (list.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var staging = new NpgsqlCommand(
            $"""
            CREATE TEMPORARY TABLE IF NOT EXISTS {Staging} (customer text, day integer, observed_day integer, retention double precision,
                band smallint, risk double precision, level smallint, probability double precision) ON COMMIT DELETE ROWS
            """,
            connection,
            transaction))
        {
            await staging.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {Staging} (customer, day, observed_day, retention, band, risk, level, probability) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var r in Latest(list))
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(r.Customer.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Day(r.Date), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Day(r.ObservedOn), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteAsync(writer, r.RetentionScore, cancellationToken).ConfigureAwait(false);
                if (r.Band is { } band)
                {
                    await writer.WriteAsync((short)band, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }

                await WriteAsync(writer, r.RiskScore, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync((short)r.Level, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await WriteAsync(writer, r.ChurnProbability, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var merge = new NpgsqlCommand(_merge, connection, transaction))
        {
            merge.CommandTimeout = 0; // a million rows may take longer than a command's default 30 s on a slow server
            await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default)
    {
        ScoreColumns.RequireRange(customer, firstDate, lastDate);

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_get, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customer.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Day(firstDate) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Day(lastDate) });
        var records = new List<ScoreRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ScoreColumns.Read(reader, customer));
        }

        return records;
    }

    internal static int Day(LocalDate date) => checked((int)Days.Of(date));

    /// <summary>
    /// The records with, for a customer and date given more than once, only the last: one upsert statement may not
    /// touch a row twice, and deduplicating here spares the server a sort of the whole day.
    /// </summary>
    private static IEnumerable<ScoreRecord> Latest(IReadOnlyList<ScoreRecord> records)
    {
        var last = new Dictionary<(CustomerId, LocalDate), int>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            last[(records[i].Customer, records[i].Date)] = i;
        }

        if (last.Count == records.Count)
        {
            return records;
        }

        var kept = new List<ScoreRecord>(last.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (last[(records[i].Customer, records[i].Date)] == i)
            {
                kept.Add(records[i]);
            }
        }

        return kept;
    }

    internal static NpgsqlParameter Real(double? value) =>
        value is { } v ? new NpgsqlParameter<double> { TypedValue = v } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = DBNull.Value };

    private static async ValueTask WriteAsync(NpgsqlBinaryImporter writer, double? value, CancellationToken cancellationToken)
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Score overrides in PostgreSQL: one row per customer under the primary key; setting again replaces it.</summary>
internal sealed class PostgreSqlScoreOverrideStore(PostgreSqlDatabase database) : IScoreOverrideStore
{
    private readonly string _set = $"""
        INSERT INTO {database.Schema}.score_overrides (customer, retention, level, reason, author, valid_until_day)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (customer) DO UPDATE SET retention = excluded.retention, level = excluded.level, reason = excluded.reason,
            author = excluded.author, valid_until_day = excluded.valid_until_day
        """;

    public async ValueTask SetAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scoreOverride);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_set, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = scoreOverride.Customer.Value });
        p.Add(PostgreSqlScoreHistoryStore.Real(scoreOverride.RetentionScore?.Value));
        p.Add(scoreOverride.RiskLevel is { } level ? new NpgsqlParameter<short> { TypedValue = (short)level } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = DBNull.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = scoreOverride.Reason });
        p.Add(new NpgsqlParameter<string> { TypedValue = scoreOverride.Author });
        p.Add(new NpgsqlParameter<int> { TypedValue = PostgreSqlScoreHistoryStore.Day(scoreOverride.ValidUntil) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ScoreOverride?> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT retention, level, reason, author, valid_until_day FROM {database.Schema}.score_overrides WHERE customer = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customer.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ScoreOverride(
                customer,
                reader.IsDBNull(0) ? null : new Score(reader.GetDouble(0)),
                reader.IsDBNull(1) ? null : (RiskLevel)reader.GetInt16(1),
                reader.GetString(2),
                reader.GetString(3),
                Days.ToDate(reader.GetInt32(4)))
            : null;
    }

    public async ValueTask<bool> RemoveAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {database.Schema}.score_overrides WHERE customer = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customer.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
