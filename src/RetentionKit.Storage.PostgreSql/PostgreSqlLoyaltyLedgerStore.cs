using System;
using System.Collections.Generic;
using System.Linq;
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
    private readonly string _schema = database.Schema;
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
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_read, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = member.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadEntry(reader, member));
        }

        return entries;
    }

    /// <summary>Every read in one statement (the members and sequence numbers as arrays): one round trip, one plan.</summary>
    public async ValueTask<IReadOnlyList<IReadOnlyList<LedgerEntry>>> ReadManyAsync(IReadOnlyList<LedgerRead> reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var from = Earliest(reads);
        if (reads.Count == 0)
        {
            return [];
        }

        var found = new Dictionary<string, List<LedgerEntry>>(reads.Count, StringComparer.Ordinal);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT e.sequence, e.idempotency_key, e.kind, e.points, e.counterparty, e.at_ticks, e.at_nanos, e.expires_ticks, e.expires_nanos,
                       e.allocations, e.reverses, e.shortfall, e.reason, e.reference, e.member
                FROM {_schema}.ledger_entries e JOIN unnest($1::text[], $2::bigint[]) AS r(member, after)
                  ON e.member = r.member AND e.sequence > r.after
                ORDER BY e.member, e.sequence
                """,
                connection);
            // Each member once, from the earliest point asked for; the slices are cut below.
            command.Parameters.Add(Array(from.Keys.ToArray()));
            command.Parameters.Add(Array(from.Values.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var member = reader.GetString(14);
                if (!found.TryGetValue(member, out var entries))
                {
                    found[member] = entries = [];
                }

                entries.Add(ReadEntry(reader, new CustomerId(member)));
            }
        }

        // A member read twice with different starting points gets each its own slice.
        return Slice(reads, from, found);
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

    /// <summary>
    /// Every append in one transaction, set-based: the members' rows are created if missing and locked (in one order,
    /// so two batches never deadlock) and their versions and the keys already used read in one round trip; each append
    /// is decided in order exactly as <c>ledger_append</c> decides it; the keys, entries and versions are written with
    /// three array statements in a second round trip; then the commit.
    /// </summary>
    private async Task<AppendResult[]> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken)
    {
        var members = appends.Select(a => a.Member.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var versions = new Dictionary<string, long>(members.Length, StringComparer.Ordinal);
        var keys = new Dictionary<(string Member, string Key), IdempotencyRecord>();
        await using (var read = new NpgsqlBatch(connection, transaction))
        {
            read.BatchCommands.Add(Command($"INSERT INTO {_schema}.ledger_members (member, version) SELECT m, 0 FROM unnest($1::text[]) AS m ON CONFLICT (member) DO NOTHING", Array(members)));
            read.BatchCommands.Add(Command($"SELECT member, version FROM {_schema}.ledger_members WHERE member = ANY($1) ORDER BY member FOR UPDATE", Array(members)));
            read.BatchCommands.Add(Command(
                $"""
                SELECT k.member, k.idempotency_key, k.kind, k.points, k.reverses, k.reason, k.reference, k.status, k.sequence
                FROM {_schema}.ledger_keys k JOIN unnest($1::text[], $2::text[]) AS a(member, idempotency_key)
                  ON k.member = a.member AND k.idempotency_key = a.idempotency_key
                """,
                Array(appends.Select(a => a.Member.Value).ToArray()),
                Array(appends.Select(a => a.Record.Key).ToArray())));
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            // The reader starts on the first statement that returns rows: the INSERT returns none.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions[reader.GetString(0)] = reader.GetInt64(1);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(1);
                keys[(reader.GetString(0), key)] = new IdempotencyRecord(key, Fingerprint(reader, 2), (PostingStatus)reader.GetInt16(7), reader.IsDBNull(8) ? null : reader.GetInt64(8));
            }
        }

        var results = new AppendResult[appends.Count];
        var newKeys = new List<(string Member, IdempotencyRecord Record)>();
        var newEntries = new List<LedgerEntry>();
        var moved = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            var (member, expected, record, entry) = appends[i];
            var version = versions[member.Value];
            if (keys.TryGetValue((member.Value, record.Key), out var existing))
            {
                results[i] = new AppendResult(AppendStatus.KeyExists, version, existing);
            }
            else if (version != expected)
            {
                results[i] = new AppendResult(AppendStatus.VersionConflict, version, null);
            }
            else
            {
                keys[(member.Value, record.Key)] = record;
                newKeys.Add((member.Value, record));
                if (entry is not null)
                {
                    versions[member.Value] = ++version;
                    newEntries.Add(entry);
                    moved.Add(member.Value);
                }

                results[i] = new AppendResult(AppendStatus.Appended, version, null);
            }
        }

        if (newKeys.Count > 0)
        {
            await using var write = new NpgsqlBatch(connection, transaction);
            write.BatchCommands.Add(Command(
                $"""
                INSERT INTO {_schema}.ledger_keys (member, idempotency_key, kind, points, reverses, reason, reference, status, sequence)
                SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::smallint[], $9::bigint[])
                """,
                Array(newKeys.Select(k => k.Member).ToArray()),
                Array(newKeys.Select(k => k.Record.Key).ToArray()),
                Array(newKeys.Select(k => (short)k.Record.Fingerprint.Kind).ToArray()),
                Array(newKeys.Select(k => k.Record.Fingerprint.Points).ToArray()),
                Array(newKeys.Select(k => k.Record.Fingerprint.Reverses).ToArray()),
                Array(newKeys.Select(k => k.Record.Fingerprint.Reason ?? string.Empty).ToArray()),
                Array(newKeys.Select(k => k.Record.Fingerprint.Reference).ToArray()),
                Array(newKeys.Select(k => (short)k.Record.Status).ToArray()),
                Array(newKeys.Select(k => k.Record.Sequence).ToArray())));
            if (newEntries.Count > 0)
            {
                var at = newEntries.Select(e => Split(e.At)).ToArray();
                var expires = newEntries.Select(e => e.ExpiresAt is { } x ? Split(x) : ((long, int)?)null).ToArray();
                write.BatchCommands.Add(Command(
                    $"""
                    INSERT INTO {_schema}.ledger_entries (member, sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos,
                        expires_ticks, expires_nanos, allocations, reverses, shortfall, reason, reference)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::smallint[], $5::bigint[], $6::smallint[], $7::bigint[], $8::smallint[],
                        $9::bigint[], $10::smallint[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], $15::text[])
                    """,
                    Array(newEntries.Select(e => e.Member.Value).ToArray()),
                    Array(newEntries.Select(e => e.Sequence).ToArray()),
                    Array(newEntries.Select(e => e.IdempotencyKey).ToArray()),
                    Array(newEntries.Select(e => (short)e.Kind).ToArray()),
                    Array(newEntries.Select(e => e.Points).ToArray()),
                    Array(newEntries.Select(e => (short)e.Counterparty).ToArray()),
                    Array(at.Select(a => a.Ticks).ToArray()),
                    Array(at.Select(a => (short)a.Nanos).ToArray()),
                    Array(expires.Select(x => x?.Item1).ToArray()),
                    Array(expires.Select(x => x is { } v ? (short?)v.Item2 : null).ToArray()),
                    Array(newEntries.Select(e => e.Allocations.IsDefaultOrEmpty ? null : EncodeAllocations(e.Allocations)).ToArray()),
                    Array(newEntries.Select(e => e.Reverses).ToArray()),
                    Array(newEntries.Select(e => e.Shortfall).ToArray()),
                    Array(newEntries.Select(e => e.Reason).ToArray()),
                    Array(newEntries.Select(e => e.Reference).ToArray())));
                write.BatchCommands.Add(Command(
                    $"UPDATE {_schema}.ledger_members AS m SET version = u.version FROM unnest($1::text[], $2::bigint[]) AS u(member, version) WHERE m.member = u.member",
                    Array(moved.ToArray()),
                    Array(moved.Select(m => versions[m]).ToArray())));
            }

            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T[]> Array<T>(T[] values) => new() { TypedValue = values };

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
