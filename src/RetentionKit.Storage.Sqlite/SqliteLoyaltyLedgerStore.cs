using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

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
                entries.Add(new LedgerEntry
                {
                    Member = member,
                    Sequence = reader.GetInt64(0),
                    IdempotencyKey = reader.GetString(1),
                    Kind = (PostingKind)reader.GetInt32(2),
                    Points = reader.GetInt64(3),
                    Counterparty = (SystemAccount)reader.GetInt32(4),
                    At = Join(reader.GetInt64(5), reader.GetInt32(6)),
                    ExpiresAt = reader.IsDBNull(7) ? null : Join(reader.GetInt64(7), reader.GetInt32(8)),
                    Allocations = reader.IsDBNull(9) ? [] : DecodeAllocations(reader.GetString(9)),
                    Reverses = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    Shortfall = reader.GetInt64(11),
                    Reason = reader.GetString(12),
                    Reference = reader.IsDBNull(13) ? null : reader.GetString(13),
                });
            }

            return entries;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireAppend(member, expectedVersion, record, entry);

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, now
            var version = Version(connection, transaction, member);
            if (FindKey(connection, transaction, member, record.Key) is { } existing)
            {
                return new AppendResult(AppendStatus.KeyExists, version, existing);
            }

            if (version != expectedVersion)
            {
                return new AppendResult(AppendStatus.VersionConflict, version, null);
            }

            var next = entry is null ? version : version + 1;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO ledger_keys (member, idempotency_key, kind, points, reverses, reason, reference, status, sequence)
                    VALUES ($member, $key, $kind, $points, $reverses, $reason, $reference, $status, $sequence);
                    INSERT INTO ledger_members (member, version) VALUES ($member, $version)
                    ON CONFLICT (member) DO UPDATE SET version = excluded.version;
                    """;
                var fingerprint = record.Fingerprint;
                command.Parameters.AddWithValue("$member", member.Value);
                command.Parameters.AddWithValue("$key", record.Key);
                command.Parameters.AddWithValue("$kind", (int)fingerprint.Kind);
                command.Parameters.AddWithValue("$points", fingerprint.Points);
                command.Parameters.AddWithValue("$reverses", (object?)fingerprint.Reverses ?? DBNull.Value);
                command.Parameters.AddWithValue("$reason", fingerprint.Reason ?? string.Empty);
                command.Parameters.AddWithValue("$reference", (object?)fingerprint.Reference ?? DBNull.Value);
                command.Parameters.AddWithValue("$status", (int)record.Status);
                command.Parameters.AddWithValue("$sequence", (object?)record.Sequence ?? DBNull.Value);
                command.Parameters.AddWithValue("$version", next);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (entry is not null)
            {
                Insert(connection, transaction, entry);
            }

            transaction.Commit();
            return new AppendResult(AppendStatus.Appended, next, null);
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

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, LedgerEntry entry)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ledger_entries (member, sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos,
                expires_ticks, expires_nanos, allocations, reverses, shortfall, reason, reference)
            VALUES ($member, $sequence, $key, $kind, $points, $counterparty, $atTicks, $atNanos,
                $expiresTicks, $expiresNanos, $allocations, $reverses, $shortfall, $reason, $reference)
            """;
        var (atTicks, atNanos) = Split(entry.At);
        command.Parameters.AddWithValue("$member", entry.Member.Value);
        command.Parameters.AddWithValue("$sequence", entry.Sequence);
        command.Parameters.AddWithValue("$key", entry.IdempotencyKey);
        command.Parameters.AddWithValue("$kind", (int)entry.Kind);
        command.Parameters.AddWithValue("$points", entry.Points);
        command.Parameters.AddWithValue("$counterparty", (int)entry.Counterparty);
        command.Parameters.AddWithValue("$atTicks", atTicks);
        command.Parameters.AddWithValue("$atNanos", atNanos);
        if (entry.ExpiresAt is { } expires)
        {
            var (ticks, nanos) = Split(expires);
            command.Parameters.AddWithValue("$expiresTicks", ticks);
            command.Parameters.AddWithValue("$expiresNanos", nanos);
        }
        else
        {
            command.Parameters.AddWithValue("$expiresTicks", DBNull.Value);
            command.Parameters.AddWithValue("$expiresNanos", DBNull.Value);
        }

        command.Parameters.AddWithValue("$allocations", entry.Allocations.IsDefaultOrEmpty ? DBNull.Value : EncodeAllocations(entry.Allocations));
        command.Parameters.AddWithValue("$reverses", (object?)entry.Reverses ?? DBNull.Value);
        command.Parameters.AddWithValue("$shortfall", entry.Shortfall);
        command.Parameters.AddWithValue("$reason", entry.Reason);
        command.Parameters.AddWithValue("$reference", (object?)entry.Reference ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private static IdempotencyRecord? FindKey(SqliteConnection connection, SqliteTransaction? transaction, CustomerId member, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT kind, points, reverses, reason, reference, status, sequence FROM ledger_keys WHERE member = $member AND idempotency_key = $key";
        command.Parameters.AddWithValue("$member", member.Value);
        command.Parameters.AddWithValue("$key", key);
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

    private static long Version(SqliteConnection connection, SqliteTransaction transaction, CustomerId member)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM ledger_members WHERE member = $member";
        command.Parameters.AddWithValue("$member", member.Value);
        return command.ExecuteScalar() is long version ? version : 0;
    }

    // Ticks round towards the start of time, so the nanoseconds left over are 0 to 99 (the same split as the in-memory rows).
    private static (long Ticks, int Nanos) Split(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        return (ticks, (instant - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds);
    }

    private static Instant Join(long ticks, int nanos) => Instant.FromUnixTimeTicks(ticks) + Duration.FromNanoseconds(nanos);

    private static string EncodeAllocations(ImmutableArray<LotAllocation> allocations)
    {
        var text = new StringBuilder();
        foreach (var a in allocations)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{a.Lot}:{a.Points}");
        }

        return text.ToString();
    }

    private static ImmutableArray<LotAllocation> DecodeAllocations(string text)
    {
        var parts = text.Split(',');
        var builder = ImmutableArray.CreateBuilder<LotAllocation>(parts.Length);
        foreach (var part in parts)
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            builder.Add(new LotAllocation(
                long.Parse(part.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                long.Parse(part.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
        }

        return builder.MoveToImmutable();
    }
}
