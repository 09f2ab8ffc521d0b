using System;
using System.Collections.Generic;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>
/// The argument rules every <see cref="ILoyaltyLedgerStore"/> applies to an append before it touches its storage, with
/// the messages RetentionKit's own stores give — for a store of your own, so that it refuses the same calls the same way.
/// </summary>
public static class LedgerStoreRules
{
    /// <summary>Checks an append's arguments: the entry is the member's, follows the expected version and carries the record's key and sequence; a rejection names no sequence.</summary>
    /// <param name="member">The member.</param>
    /// <param name="expectedVersion">The version the caller decided on; not negative.</param>
    /// <param name="record">The key's record; its key is not null.</param>
    /// <param name="entry">The entry, or null for a remembered rejection.</param>
    /// <exception cref="ArgumentNullException">The record has no key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="ArgumentException">The entry does not fit the call, or a rejection names a sequence.</exception>
    public static void RequireAppend(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry)
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
    }

    /// <summary>Checks every append of a batch (<see cref="RequireAppend"/>) before any is written.</summary>
    /// <param name="appends">The appends.</param>
    /// <exception cref="ArgumentNullException"><paramref name="appends"/> is null.</exception>
    /// <exception cref="ArgumentException">An append breaks a rule of <see cref="RequireAppend"/> (the message gives its position).</exception>
    public static void RequireBatch(IReadOnlyList<LedgerAppend> appends)
    {
        ArgumentNullException.ThrowIfNull(appends);
        for (var i = 0; i < appends.Count; i++)
        {
            var (member, expected, record, entry) = appends[i];
            try
            {
                RequireAppend(member, expected, record, entry);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"appends[{i}]: {ex.Message} Nothing was written.", nameof(appends), ex);
            }
        }
    }
}
