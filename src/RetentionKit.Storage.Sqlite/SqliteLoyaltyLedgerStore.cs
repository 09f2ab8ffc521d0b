using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RetentionKit.Storage.Internal;
using RetentionKit.Loyalty.Ledger;
using static RetentionKit.Storage.Internal.LedgerColumns;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// The loyalty ledger's entries and idempotency keys in SQLite (LI-13, ST-1…ST-3). An append is one IMMEDIATE
/// transaction: it takes the database's write lock, finds the key (a key already used wins over everything), reads the
/// member's version, and writes the key, the entry and the new version together or not at all. Primary keys on
/// (member, key) and (member, sequence) make a duplicate impossible whatever the code does. Thread-safe; several
/// processes may share the file.
/// </summary>
internal sealed class SqliteLoyaltyLedgerStore(SqliteDatabase database) : ILoyaltyLedgerStore
{
    public async ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return FindKey(connection, null, member, key);
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos, expires_ticks, expires_nanos,
                       allocations, reverses, shortfall, reason, reference
                FROM ledger_entries WHERE member = $member AND sequence > $after ORDER BY sequence
                """;
            command.Parameters.AddWithValue("$member", member.Value);
            command.Parameters.AddWithValue("$after", afterSequence);
            var entries = new List<LedgerEntry>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                entries.Add(ReadEntry(reader, member));
            }

            return entries;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<IReadOnlyList<IReadOnlyList<LedgerEntry>>> ReadManyAsync(IReadOnlyList<LedgerRead> reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var from = Earliest(reads);
        if (reads.Count == 0)
        {
            return [];
        }

        // One statement for every member (each once, from the earliest point asked for), the members handed over as a
        // JSON array: one reader instead of one per member.

        var found = new Dictionary<string, List<LedgerEntry>>(from.Count, StringComparer.Ordinal);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT e.sequence, e.idempotency_key, e.kind, e.points, e.counterparty, e.at_ticks, e.at_nanos, e.expires_ticks, e.expires_nanos,
                       e.allocations, e.reverses, e.shortfall, e.reason, e.reference, e.member
                FROM json_each($members) AS m JOIN json_each($after) AS a ON a.key = m.key
                JOIN ledger_entries AS e ON e.member = m.value AND e.sequence > a.value
                ORDER BY e.member, e.sequence
                """;
            command.Parameters.AddWithValue("$members", JsonSerializer.Serialize(from.Keys, RecordJsonContext.Default.IEnumerableString));
            command.Parameters.AddWithValue("$after", JsonSerializer.Serialize(from.Values, RecordJsonContext.Default.IEnumerableInt64));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                var member = reader.GetString(14);
                if (!found.TryGetValue(member, out var entries))
                {
                    found[member] = entries = [];
                }

                entries.Add(ReadEntry(reader, new CustomerId(member)));
            }
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }

        return Slice(reads, from, found);
    }

    public async ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireAppend(member, expectedVersion, record, entry);
        var results = await AppendAllAsync([new LedgerAppend(member, expectedVersion, record, entry)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public async ValueTask<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireBatch(appends);
        return appends.Count == 0 ? [] : await AppendAllAsync(appends, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every append in one IMMEDIATE transaction, each with its own key check and version condition, on commands prepared once.</summary>
    private async ValueTask<AppendResult[]> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, now
            using var commands = new AppendCommands(connection, transaction);
            var results = new AppendResult[appends.Count];
            for (var i = 0; i < results.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = commands.Append(appends[i]);
            }

            transaction.Commit();
            return results;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async IAsyncEnumerable<CustomerId> MembersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT member FROM ledger_members ORDER BY member";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CustomerId(reader.GetString(0));
        }
    }

    private static IdempotencyRecord? FindKey(SqliteConnection connection, SqliteTransaction? transaction, CustomerId member, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = FindKeySql;
        command.Parameters.AddWithValue("$member", member.Value);
        command.Parameters.AddWithValue("$key", key);
        return ReadKey(command, key);
    }

    private const string FindKeySql = "SELECT kind, points, reverses, reason, reference, status, sequence FROM ledger_keys WHERE member = $member AND idempotency_key = $key";

    private static IdempotencyRecord? ReadKey(SqliteCommand command, string key)
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var fingerprint = new RequestFingerprint(
            (PostingKind)reader.GetInt32(0),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4));
        return new IdempotencyRecord(key, fingerprint, (PostingStatus)reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetInt64(6));
    }

    /// <summary>The four statements of an append, prepared once per transaction and re-bound per append.</summary>
    private sealed class AppendCommands : IDisposable
    {
        private readonly SqliteCommand _version;
        private readonly SqliteCommand _key;
        private readonly SqliteCommand _advance;
        private readonly SqliteCommand _newMember;
        private readonly SqliteCommand _restore;
        private readonly SqliteCommand _record;
        private readonly SqliteCommand _entry;

        public AppendCommands(SqliteConnection connection, SqliteTransaction transaction)
        {
            _version = Command(connection, transaction, "SELECT version FROM ledger_members WHERE member = $member", "$member");
            _key = Command(connection, transaction, FindKeySql, "$member", "$key");
            _advance = Command(connection, transaction, "UPDATE ledger_members SET version = $next WHERE member = $member AND version = $expected", "$member", "$expected", "$next");
            _newMember = Command(connection, transaction, "INSERT INTO ledger_members (member, version) VALUES ($member, $next) ON CONFLICT (member) DO NOTHING", "$member", "$next");
            _restore = Command(connection, transaction, "UPDATE ledger_members SET version = $expected WHERE member = $member", "$member", "$expected");
            _record = Command(
                connection,
                transaction,
                """
                INSERT INTO ledger_keys (member, idempotency_key, kind, points, reverses, reason, reference, status, sequence)
                VALUES ($member, $key, $kind, $points, $reverses, $reason, $reference, $status, $sequence)
                ON CONFLICT (member, idempotency_key) DO NOTHING
                """,
                "$member", "$key", "$kind", "$points", "$reverses", "$reason", "$reference", "$status", "$sequence");
            _entry = Command(
                connection,
                transaction,
                """
                INSERT INTO ledger_entries (member, sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos,
                    expires_ticks, expires_nanos, allocations, reverses, shortfall, reason, reference)
                VALUES ($member, $sequence, $key, $kind, $points, $counterparty, $atTicks, $atNanos,
                    $expiresTicks, $expiresNanos, $allocations, $reverses, $shortfall, $reason, $reference)
                """,
                "$member", "$sequence", "$key", "$kind", "$points", "$counterparty", "$atTicks", "$atNanos",
                "$expiresTicks", "$expiresNanos", "$allocations", "$reverses", "$shortfall", "$reason", "$reference");
        }

        /// <summary>
        /// One append inside the open (write-locked) transaction, decided as <see cref="ILoyaltyLedgerStore.AppendAsync"/>
        /// says — a key already used wins, then the version — in three statements on the common path: advance the
        /// version if it is the expected one, record the key unless it exists, write the entry. A used key undoes the
        /// advance; a version that is not the expected one writes nothing.
        /// </summary>
        public AppendResult Append(in LedgerAppend append)
        {
            var (member, expectedVersion, record, entry) = append;
            var next = entry is null ? expectedVersion : expectedVersion + 1;
            _advance.Parameters[0].Value = member.Value;
            _advance.Parameters[1].Value = expectedVersion;
            _advance.Parameters[2].Value = next;
            var advanced = _advance.ExecuteNonQuery() == 1;
            if (!advanced && expectedVersion == 0)
            {
                _newMember.Parameters[0].Value = member.Value;
                _newMember.Parameters[1].Value = next;
                advanced = _newMember.ExecuteNonQuery() == 1;
            }

            if (!advanced)
            {
                var version = CurrentVersion(member);
                return FindKey(member, record.Key) is { } used
                    ? new AppendResult(AppendStatus.KeyExists, version, used)
                    : new AppendResult(AppendStatus.VersionConflict, version, null);
            }

            var fingerprint = record.Fingerprint;
            var p = _record.Parameters;
            p[0].Value = member.Value;
            p[1].Value = record.Key;
            p[2].Value = (int)fingerprint.Kind;
            p[3].Value = fingerprint.Points;
            p[4].Value = (object?)fingerprint.Reverses ?? DBNull.Value;
            p[5].Value = fingerprint.Reason ?? string.Empty;
            p[6].Value = (object?)fingerprint.Reference ?? DBNull.Value;
            p[7].Value = (int)record.Status;
            p[8].Value = (object?)record.Sequence ?? DBNull.Value;
            if (_record.ExecuteNonQuery() == 0)
            {
                _restore.Parameters[0].Value = member.Value;
                _restore.Parameters[1].Value = expectedVersion;
                _restore.ExecuteNonQuery();
                return new AppendResult(AppendStatus.KeyExists, expectedVersion, FindKey(member, record.Key));
            }

            if (entry is not null)
            {
                Insert(entry);
            }

            return new AppendResult(AppendStatus.Appended, next, null);
        }

        private long CurrentVersion(CustomerId member)
        {
            _version.Parameters[0].Value = member.Value;
            return _version.ExecuteScalar() is long v ? v : 0;
        }

        private IdempotencyRecord? FindKey(CustomerId member, string key)
        {
            _key.Parameters[0].Value = member.Value;
            _key.Parameters[1].Value = key;
            return ReadKey(_key, key);
        }

        public void Dispose()
        {
            _version.Dispose();
            _key.Dispose();
            _advance.Dispose();
            _newMember.Dispose();
            _restore.Dispose();
            _record.Dispose();
            _entry.Dispose();
        }

        private void Insert(LedgerEntry entry)
        {
            var p = _entry.Parameters;
            var (atTicks, atNanos) = Split(entry.At);
            p[0].Value = entry.Member.Value;
            p[1].Value = entry.Sequence;
            p[2].Value = entry.IdempotencyKey;
            p[3].Value = (int)entry.Kind;
            p[4].Value = entry.Points;
            p[5].Value = (int)entry.Counterparty;
            p[6].Value = atTicks;
            p[7].Value = atNanos;
            if (entry.ExpiresAt is { } expires)
            {
                var (ticks, nanos) = Split(expires);
                p[8].Value = ticks;
                p[9].Value = nanos;
            }
            else
            {
                p[8].Value = DBNull.Value;
                p[9].Value = DBNull.Value;
            }

            p[10].Value = entry.Allocations.IsDefaultOrEmpty ? DBNull.Value : EncodeAllocations(entry.Allocations);
            p[11].Value = (object?)entry.Reverses ?? DBNull.Value;
            p[12].Value = entry.Shortfall;
            p[13].Value = entry.Reason;
            p[14].Value = (object?)entry.Reference ?? DBNull.Value;
            _entry.ExecuteNonQuery();
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            return command;
        }
    }
}
