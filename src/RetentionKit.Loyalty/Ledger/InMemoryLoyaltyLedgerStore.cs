using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>
/// The default <see cref="ILoyaltyLedgerStore"/>: everything in memory, one lock per member, gone when the process
/// ends. Thread-safe; every call completes synchronously.
/// </summary>
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
            return ValueTask.FromResult(log.Keys.TryGetValue(key, out var kept) ? Record(kept) : null);
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
            if (afterSequence >= log.Entries.Count)
            {
                return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>([]);
            }

            return ValueTask.FromResult<IReadOnlyList<LedgerEntry>>(log.Entries.GetRange((int)afterSequence, log.Entries.Count - (int)afterSequence));
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The entry is not the member's, or its sequence or key do not match the call.</exception>
    public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
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
            if (log.Keys.TryGetValue(record.Key, out var existing))
            {
                return ValueTask.FromResult(new AppendResult(AppendStatus.KeyExists, log.Entries.Count, Record(existing)));
            }

            if (log.Entries.Count != expectedVersion)
            {
                return ValueTask.FromResult(new AppendResult(AppendStatus.VersionConflict, log.Entries.Count, null));
            }

            log.Keys.Add(record.Key, record.IsImpliedBy(entry) ? entry! : record);
            if (entry is not null)
            {
                log.Entries.Add(entry);
            }

            return ValueTask.FromResult(new AppendResult(AppendStatus.Appended, log.Entries.Count, null));
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

    private static IdempotencyRecord Record(object kept) => kept as IdempotencyRecord ?? Rebuild((LedgerEntry)kept);

    private static IdempotencyRecord Rebuild(LedgerEntry entry) => new(entry.IdempotencyKey, RequestFingerprint.Of(entry), PostingStatus.Posted, entry.Sequence);

    private sealed class MemberLog
    {
        public List<LedgerEntry> Entries { get; } = [];

        // A key's record, or — when the record says nothing its entry does not — just the entry: a posting then keeps
        // one object instead of two, and the record is rebuilt only when a retry asks for it.
        public Dictionary<string, object> Keys { get; } = new(StringComparer.Ordinal);
    }
}
