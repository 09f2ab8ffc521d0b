using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
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

        lock (log.Gate)
        {
            return ValueTask.FromResult<IdempotencyRecord?>(log.TryGetRecord(key, out var record) ? record : null);
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

        lock (log.Gate)
        {
            if (afterSequence >= log.Count)
            {
                return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>([]);
            }

            // Slots below Count never move or change, so the view reads them without the lock.
            return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>(new EntryView(log.Entries, (int)afterSequence, log.Count));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The entry is not the member's, or its sequence or key do not match the call.</exception>
    public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireAppend(member, expectedVersion, record, entry);

        var log = _members.GetOrAdd(member, static m => new MemberLog(m));
        lock (log.Gate)
        {
            return ValueTask.FromResult(log.Append(expectedVersion, record, entry));
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

    /// <summary>
    /// Runs an action under the member's lock on the member's log (the ledger's in-memory path: it decides, appends
    /// and folds in one step, with no cache of its own and no race to lose).
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="create">Whether to create the member's log when there is none (postings); reads pass false.</param>
    /// <param name="argument">The action's argument.</param>
    /// <param name="action">The action; gets null for a member with no log when <paramref name="create"/> is false.</param>
    internal TResult WithMember<TArgument, TResult>(CustomerId member, bool create, TArgument argument, Func<MemberLog?, TArgument, TResult> action)
    {
        var log = create ? _members.GetOrAdd(member, static m => new MemberLog(m)) : _members.GetValueOrDefault(member);
        if (log is null)
        {
            return action(null, argument);
        }

        lock (log.Gate)
        {
            return action(log, argument);
        }
    }

    /// <summary>A member's entries (folded on demand) and idempotency keys; callers hold the store's lock on it.</summary>
    internal sealed class MemberLog : IKeySource
    {
        // A key's record: the index of its entry when the record says nothing the entry does not (a posting then keeps
        // no record; it is rebuilt when a retry asks), else the complement of its index in _records.
        private readonly KeyIndex _keys;
        private readonly List<IdempotencyRecord> _records = [];

        public MemberLog(CustomerId member)
        {
            Gate = new();
            Entries = new(member);
            _keys = new(this);
        }

        /// <summary>Gets the member's lock (a dedicated <see cref="Lock"/>, not the log's own monitor).</summary>
        public Lock Gate { get; }

        /// <summary>Gets the entries, and their fold as far as it was asked for.</summary>
        public MemberState Entries { get; }

        public int Count => Entries.Count;

        /// <summary>Gets the fold of every entry (folding what was appended since).</summary>
        /// <exception cref="InvalidOperationException">An entry breaks a ledger rule.</exception>
        public MemberState Folded()
        {
            Entries.CatchUp();
            return Entries;
        }

        public bool TryGetRecord(string key, out IdempotencyRecord record)
        {
            if (_keys.TryFind(key, out var kept, out _))
            {
                record = Record(kept);
                return true;
            }

            record = default;
            return false;
        }

        /// <summary>Records a key and appends its entry, if any, when the key is new and the log at the expected version (LI-13).</summary>
        public AppendResult Append(long expectedVersion, in IdempotencyRecord record, LedgerEntry? entry)
        {
            // The key first, then the version; one hash of the key either way.
            if (_keys.TryFind(record.Key, out var kept, out var position))
            {
                return new AppendResult(AppendStatus.KeyExists, Count, Record(kept));
            }

            if (Count != expectedVersion)
            {
                return new AppendResult(AppendStatus.VersionConflict, Count, null);
            }

            // What the key will resolve to must be there before the key is.
            kept = record.IsImpliedBy(entry) ? Count : ~_records.Count;
            if (kept < 0)
            {
                _records.Add(record);
            }

            if (entry is not null)
            {
                Entries.Append(entry);
            }

            _keys.Add(position, kept);

            return new AppendResult(AppendStatus.Appended, Count, null);
        }

        string IKeySource.KeyOf(int value) => value >= 0 ? Entries.KeyAt(value) : _records[~value].Key;

        public LedgerEntry EntryAt(long sequence) => Entries.EntryAt((int)(sequence - 1));

        private IdempotencyRecord Record(int kept)
        {
            if (kept < 0)
            {
                return _records[~kept];
            }

            var entry = Entries.EntryAt(kept);
            return new(entry.IdempotencyKey, RequestFingerprint.Of(entry), PostingStatus.Posted, entry.Sequence);
        }
    }

    /// <summary>A read: entries materialised one by one as they are asked for.</summary>
    private sealed class EntryView(MemberState entries, int from, int to) : IReadOnlyList<LedgerEntry>
    {
        public int Count => to - from;

        public LedgerEntry this[int index] =>
            index >= 0 && index < Count ? entries.EntryAt(from + index) : throw new ArgumentOutOfRangeException(nameof(index), index, $"The read holds {Count} entries.");

        public IEnumerator<LedgerEntry> GetEnumerator()
        {
            for (var i = from; i < to; i++)
            {
                yield return entries.EntryAt(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
