using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using RetentionKit.Loyalty.Ledger;
using static RetentionKit.Storage.Internal.LedgerColumns;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// The loyalty ledger's entries and idempotency keys in PostgreSQL (LI-13, ST-1…ST-3). An append is one call of the
/// schema's <c>ledger_append</c> function, one round trip: it locks the member's row (appends to one member queue there,
/// across every instance), finds the key (a key already used wins over everything), checks the version, and writes the
/// key, the entry and the new version in one transaction. A batch is one transaction and one round trip for all its
/// appends. Primary keys on (member, key) and (member, sequence) make a duplicate impossible whatever the code does.
/// </summary>
internal sealed class PostgreSqlLoyaltyLedgerStore(PostgreSqlDatabase database) : ILoyaltyLedgerStore
{
    private const int BatchAttempts = 5;
    private readonly string _append = $"SELECT * FROM {database.Schema}.ledger_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)";
    private readonly string _findKey = $"SELECT kind, points, reverses, reason, reference, status, sequence FROM {database.Schema}.ledger_keys WHERE member = $1 AND idempotency_key = $2";
    private readonly string _read = $"""
        SELECT sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos, expires_ticks, expires_nanos,
               allocations, reverses, shortfall, reason, reference
        FROM {database.Schema}.ledger_entries WHERE member = $1 AND sequence > $2 ORDER BY sequence
        """;

    public async ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_findKey, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = member.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new IdempotencyRecord(key, Fingerprint(reader, 0), (PostingStatus)reader.GetInt16(5), reader.IsDBNull(6) ? null : reader.GetInt64(6))
            : null;
    }

    public async ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        return (await ReadManyAsync([new LedgerRead(member, afterSequence)], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>Every read in one batch of statements: one round trip.</summary>
    public async ValueTask<IReadOnlyList<IReadOnlyList<LedgerEntry>>> ReadManyAsync(IReadOnlyList<LedgerRead> reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        foreach (var read in reads)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(read.AfterSequence, nameof(reads));
        }

        if (reads.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (member, after) in reads)
        {
            var command = new NpgsqlBatchCommand(_read);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = member.Value });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
            batch.BatchCommands.Add(command);
        }

        var results = new IReadOnlyList<LedgerEntry>[reads.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < results.Length; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            var member = reads[i].Member;
            var entries = new List<LedgerEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new LedgerEntry
                {
                    Member = member,
                    Sequence = reader.GetInt64(0),
                    IdempotencyKey = reader.GetString(1),
                    Kind = (PostingKind)reader.GetInt16(2),
                    Points = reader.GetInt64(3),
                    Counterparty = (SystemAccount)reader.GetInt16(4),
                    At = Join(reader.GetInt64(5), reader.GetInt16(6)),
                    ExpiresAt = reader.IsDBNull(7) ? null : Join(reader.GetInt64(7), reader.GetInt16(8)),
                    Allocations = reader.IsDBNull(9) ? [] : DecodeAllocations(reader.GetString(9)),
                    Reverses = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    Shortfall = reader.GetInt64(11),
                    Reason = reader.GetString(12),
                    Reference = reader.IsDBNull(13) ? null : reader.GetString(13),
                });
            }

            results[i] = entries;
        }

        return results;
    }

    public async ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireAppend(member, expectedVersion, record, entry);
        var append = new LedgerAppend(member, expectedVersion, record, entry);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_append, connection);
        Bind(command.Parameters, append);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadResultAsync(reader, record.Key, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireBatch(appends);
        if (appends.Count == 0)
        {
            return [];
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendAllAsync(appends, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is "40P01" or "40001" && attempt < BatchAttempts)
            {
                // A deadlock with another batch that locks the same members in another order: the server rolled this
                // transaction back whole, so running it again is safe.
            }
        }
    }

    public async IAsyncEnumerable<CustomerId> MembersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT DISTINCT member FROM {database.Schema}.ledger_keys ORDER BY member", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new CustomerId(reader.GetString(0));
        }
    }

    /// <summary>Every append in one transaction, sent as one batch of function calls (one round trip), then committed.</summary>
    private async Task<AppendResult[]> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var append in appends)
        {
            var command = new NpgsqlBatchCommand(_append);
            Bind(command.Parameters, append);
            batch.BatchCommands.Add(command);
        }

        var results = new AppendResult[appends.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < results.Length; i++)
            {
                if (i > 0)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                results[i] = await ReadResultAsync(reader, appends[i].Record.Key, cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static async ValueTask<AppendResult> ReadResultAsync(NpgsqlDataReader reader, string key, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("ledger_append returned no row.");
        }

        var outcome = reader.GetInt16(0);
        var version = reader.GetInt64(1);
        return outcome switch
        {
            0 => new AppendResult(AppendStatus.Appended, version, null),
            1 => new AppendResult(AppendStatus.KeyExists, version, new IdempotencyRecord(key, Fingerprint(reader, 2), (PostingStatus)reader.GetInt16(7), reader.IsDBNull(8) ? null : reader.GetInt64(8))),
            _ => new AppendResult(AppendStatus.VersionConflict, version, null),
        };
    }

    private static RequestFingerprint Fingerprint(NpgsqlDataReader reader, int first) => new(
        (PostingKind)reader.GetInt16(first),
        reader.GetInt64(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetInt64(first + 2),
        reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4));

    private static void Bind(NpgsqlParameterCollection p, in LedgerAppend append)
    {
        var (member, expectedVersion, record, entry) = append;
        var fingerprint = record.Fingerprint;
        p.Add(new NpgsqlParameter<string> { TypedValue = member.Value });
        p.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
        p.Add(new NpgsqlParameter<string> { TypedValue = record.Key });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)fingerprint.Kind });
        p.Add(new NpgsqlParameter<long> { TypedValue = fingerprint.Points });
        p.Add(Nullable(fingerprint.Reverses));
        p.Add(new NpgsqlParameter<string> { TypedValue = fingerprint.Reason ?? string.Empty });
        p.Add(Text(fingerprint.Reference));
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)record.Status });
        p.Add(Nullable(record.Sequence));
        p.Add(new NpgsqlParameter<bool> { TypedValue = entry is not null });
        var (atTicks, atNanos) = entry is null ? (0, 0) : Split(entry.At);
        (long Ticks, int Nanos)? expires = entry?.ExpiresAt is { } e ? Split(e) : null;
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)(entry?.Kind ?? 0) });
        p.Add(new NpgsqlParameter<long> { TypedValue = entry?.Points ?? 0 });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)(entry?.Counterparty ?? 0) });
        p.Add(new NpgsqlParameter<long> { TypedValue = atTicks });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)atNanos });
        p.Add(Nullable(expires?.Ticks));
        p.Add(expires is { } x ? new NpgsqlParameter<short> { TypedValue = (short)x.Nanos } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = DBNull.Value });
        p.Add(Text(entry is null || entry.Allocations.IsDefaultOrEmpty ? null : EncodeAllocations(entry.Allocations)));
        p.Add(Nullable(entry?.Reverses));
        p.Add(new NpgsqlParameter<long> { TypedValue = entry?.Shortfall ?? 0 });
        p.Add(new NpgsqlParameter<string> { TypedValue = entry?.Reason ?? string.Empty });
        p.Add(Text(entry?.Reference));
    }

    private static NpgsqlParameter Nullable(long? value) =>
        value is { } v ? new NpgsqlParameter<long> { TypedValue = v } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = DBNull.Value };

    private static NpgsqlParameter Text(string? value) =>
        value is not null ? new NpgsqlParameter<string> { TypedValue = value } : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value };
}
