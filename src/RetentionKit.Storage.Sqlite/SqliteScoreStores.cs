using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Scoring;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.Sqlite;

/// <summary>Daily score records in SQLite: one row per (customer, date) under the primary key; recording a date again replaces it.</summary>
internal sealed class SqliteScoreHistoryStore(SqliteDatabase database) : IScoreHistoryStore
{
    public ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync([record], cancellationToken);
    }

    public ValueTask RecordManyAsync(IEnumerable<ScoreRecord> records, CancellationToken cancellationToken = default) =>
        WriteAsync(ScoreHistoryRules.RequireRecords(records), cancellationToken);

    /// <summary>Upserts the records in one transaction on one prepared statement (a million rows in a few seconds).</summary>
    private async ValueTask WriteAsync(IReadOnlyList<ScoreRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO score_history (customer, day, observed_day, retention, band, risk, level, probability)
                VALUES ($customer, $day, $observed, $retention, $band, $risk, $level, $probability)
                ON CONFLICT (customer, day) DO UPDATE SET observed_day = excluded.observed_day, retention = excluded.retention,
                    band = excluded.band, risk = excluded.risk, level = excluded.level, probability = excluded.probability
                """;
            foreach (var name in (ReadOnlySpan<string>)["$customer", "$day", "$observed", "$retention", "$band", "$risk", "$level", "$probability"])
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            var p = command.Parameters;
            foreach (var record in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                p[0].Value = record.Customer.Value;
                p[1].Value = Days.Of(record.Date);
                p[2].Value = Days.Of(record.ObservedOn);
                p[3].Value = (object?)record.RetentionScore ?? DBNull.Value;
                p[4].Value = record.Band is { } band ? (int)band : DBNull.Value;
                p[5].Value = (object?)record.RiskScore ?? DBNull.Value;
                p[6].Value = (int)record.Level;
                p[7].Value = (object?)record.ChurnProbability ?? DBNull.Value;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default)
    {
        ScoreColumns.RequireRange(customer, firstDate, lastDate);

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT day, observed_day, retention, band, risk, level, probability FROM score_history
                WHERE customer = $customer AND day BETWEEN $first AND $last ORDER BY day
                """;
            command.Parameters.AddWithValue("$customer", customer.Value);
            command.Parameters.AddWithValue("$first", Days.Of(firstDate));
            command.Parameters.AddWithValue("$last", Days.Of(lastDate));
            var records = new List<ScoreRecord>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                records.Add(ScoreColumns.Read(reader, customer));
            }

            return records;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }
}

/// <summary>Score overrides in SQLite: one row per customer under the primary key; setting again replaces it.</summary>
internal sealed class SqliteScoreOverrideStore(SqliteDatabase database) : IScoreOverrideStore
{
    public async ValueTask SetAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scoreOverride);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO score_overrides (customer, retention, level, reason, author, valid_until_day)
                VALUES ($customer, $retention, $level, $reason, $author, $until)
                ON CONFLICT (customer) DO UPDATE SET retention = excluded.retention, level = excluded.level, reason = excluded.reason,
                    author = excluded.author, valid_until_day = excluded.valid_until_day
                """;
            command.Parameters.AddWithValue("$customer", scoreOverride.Customer.Value);
            command.Parameters.AddWithValue("$retention", scoreOverride.RetentionScore is { } score ? score.Value : DBNull.Value);
            command.Parameters.AddWithValue("$level", scoreOverride.RiskLevel is { } level ? (int)level : DBNull.Value);
            command.Parameters.AddWithValue("$reason", scoreOverride.Reason);
            command.Parameters.AddWithValue("$author", scoreOverride.Author);
            command.Parameters.AddWithValue("$until", Days.Of(scoreOverride.ValidUntil));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<ScoreOverride?> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT retention, level, reason, author, valid_until_day FROM score_overrides WHERE customer = $customer";
            command.Parameters.AddWithValue("$customer", customer.Value);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return reader.Read()
                ? new ScoreOverride(
                    customer,
                    reader.IsDBNull(0) ? null : new Score(reader.GetDouble(0)),
                    reader.IsDBNull(1) ? null : (RiskLevel)reader.GetInt32(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    Days.ToDate(reader.GetInt64(4)))
                : null;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<bool> RemoveAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM score_overrides WHERE customer = $customer";
            command.Parameters.AddWithValue("$customer", customer.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }
}
