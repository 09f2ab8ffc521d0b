using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Internal;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>
/// The default <see cref="ILoyaltyLedgerStore"/>: everything in memory, one lock per member, gone when the process
/// ends. Thread-safe; every call completes synchronously.
/// </summary>
/// <remarks>
/// Entries are kept as values in one array per member and handed out as <see cref="LedgerEntry"/> objects when read,
/// so a posting leaves no object of its own behind for the garbage collector.
/// </remarks>
public sealed class InMemoryLoyaltyLedgerStore : ILoyaltyLedgerStore
{
    private readonly ConcurrentDictionary<CustomerId, MemberLog> _members = new();

    /// <inheritdoc/>
    public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_members.TryGetValue(member, out var log))
        {
            return ValueTask.FromResult<IdempotencyRecord?>(null);
        }

        lock (log)
        {
            return ValueTask.FromResult<IdempotencyRecord?>(log.Keys.TryGetValue(key, out var kept) ? log.Record(member, kept) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        if (!_members.TryGetValue(member, out var log))
        {
            return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>([]);
        }

        lock (log)
        {
            if (afterSequence >= log.Count)
            {
                return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>([]);
            }

            // Slots below Count never move or change, so the view reads them without the lock.
            return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>(new EntryView(member, log.Entries, (int)afterSequence, log.Count));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The entry is not the member's, or its sequence or key do not match the call.</exception>
    public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record.Key, nameof(record));
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (entry is not null)
        {
            if (entry.Member != member || entry.Sequence != expectedVersion + 1 || !string.Equals(entry.IdempotencyKey, record.Key, StringComparison.Ordinal) || record.Sequence != entry.Sequence)
            {
                throw new ArgumentException($"The entry (member {entry.Member}, sequence {entry.Sequence}, key '{entry.IdempotencyKey}') must belong to member {member}, follow version {expectedVersion} and carry the record's key '{record.Key}' and sequence.", nameof(entry));
            }
        }
        else if (record.Sequence is not null)
        {
            throw new ArgumentException("A record without an entry (a rejection) must not name a sequence.", nameof(record));
        }

        var log = _members.GetOrAdd(member, static _ => new MemberLog());
        lock (log)
        {
            // The key first, then the version (LI-13); one hash of the key either way.
            ref var kept = ref CollectionsMarshal.GetValueRefOrAddDefault(log.Keys, record.Key, out var exists);
            if (exists)
            {
                return ValueTask.FromResult(new AppendResult(AppendStatus.KeyExists, log.Count, log.Record(member, kept)));
            }

            if (log.Count != expectedVersion)
            {
                log.Keys.Remove(record.Key);
                return ValueTask.FromResult(new AppendResult(AppendStatus.VersionConflict, log.Count, null));
            }

            kept = record.IsImpliedBy(entry) ? log.Count : ~log.Records.Count;
            if (kept < 0)
            {
                log.Records.Add(record);
            }

            if (entry is not null)
            {
                log.Add(entry);
            }

            return ValueTask.FromResult(new AppendResult(AppendStatus.Appended, log.Count, null));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<CustomerId> MembersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var member in _members.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return member;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed class MemberLog
    {
        public ValueLog<StoredEntry> Entries { get; } = new();

        public int Count => Entries.Count;

        // A key's record: the index of its entry when the record says nothing the entry does not (a posting then keeps
        // no record; it is rebuilt when a retry asks), else the complement of its index in Records.
        public Dictionary<string, int> Keys { get; } = new(StringComparer.Ordinal);

        public List<IdempotencyRecord> Records { get; } = [];

        public void Add(LedgerEntry entry) => Entries.Add(new StoredEntry(entry));

        public IdempotencyRecord Record(CustomerId member, int kept)
        {
            if (kept < 0)
            {
                return Records[~kept];
            }

            var entry = Entries[kept].ToEntry(member, kept + 1);
            return new(entry.IdempotencyKey, RequestFingerprint.Of(entry), PostingStatus.Posted, entry.Sequence);
        }
    }

    /// <summary>An entry as a value: everything but the member and the sequence, which its place gives.</summary>
    private readonly struct StoredEntry(LedgerEntry entry)
    {
        private readonly string _key = entry.IdempotencyKey;
        private readonly PostingKind _kind = entry.Kind;
        private readonly SystemAccount _counterparty = entry.Counterparty;
        private readonly long _points = entry.Points;
        private readonly Instant _at = entry.At;
        private readonly Instant? _expiresAt = entry.ExpiresAt;
        private readonly ImmutableArray<LotAllocation> _allocations = entry.Allocations;
        private readonly long? _reverses = entry.Reverses;
        private readonly long _shortfall = entry.Shortfall;
        private readonly string _reason = entry.Reason;
        private readonly string? _reference = entry.Reference;

        public LedgerEntry ToEntry(CustomerId member, long sequence) => new()
        {
            Member = member,
            Sequence = sequence,
            IdempotencyKey = _key,
            Kind = _kind,
            Points = _points,
            Counterparty = _counterparty,
            At = _at,
            ExpiresAt = _expiresAt,
            Allocations = _allocations,
            Reverses = _reverses,
            Shortfall = _shortfall,
            Reason = _reason,
            Reference = _reference,
        };
    }

    /// <summary>A read: entries materialised one by one as they are asked for.</summary>
    private sealed class EntryView(CustomerId member, ValueLog<StoredEntry> entries, int from, int to) : IReadOnlyList<LedgerEntry>
    {
        public int Count => to - from;

        public LedgerEntry this[int index] =>
            index >= 0 && index < Count ? entries[from + index].ToEntry(member, from + index + 1) : throw new ArgumentOutOfRangeException(nameof(index), index, $"The read holds {Count} entries.");

        public IEnumerator<LedgerEntry> GetEnumerator()
        {
            for (var i = from; i < to; i++)
            {
                yield return entries[i].ToEntry(member, i + 1);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
