using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>How an append ended.</summary>
public enum AppendStatus
{
    /// <summary>The key was recorded (and the entry, if any, appended).</summary>
    Appended = 0,

    /// <summary>The key was already recorded; nothing was written. <see cref="AppendResult.Existing"/> holds what it recorded.</summary>
    KeyExists = 1,

    /// <summary>The member's ledger is no longer at the expected version; nothing was written.</summary>
    VersionConflict = 2,
}

/// <summary>The answer of <see cref="ILoyaltyLedgerStore.AppendAsync"/>.</summary>
/// <param name="Status">How the append ended.</param>
/// <param name="Version">The member's version (last sequence number) after the call.</param>
/// <param name="Existing">With <see cref="AppendStatus.KeyExists"/>, the record already stored under the key.</param>
public readonly record struct AppendResult(AppendStatus Status, long Version, IdempotencyRecord? Existing);

/// <summary>One read of <see cref="ILoyaltyLedgerStore.ReadManyAsync"/>: the arguments of <see cref="ILoyaltyLedgerStore.ReadAsync"/>.</summary>
/// <param name="Member">The member.</param>
/// <param name="AfterSequence">The last sequence number the caller has; 0 for all.</param>
public readonly record struct LedgerRead(CustomerId Member, long AfterSequence);

/// <summary>One append of <see cref="ILoyaltyLedgerStore.AppendBatchAsync"/>: the arguments of <see cref="ILoyaltyLedgerStore.AppendAsync"/>.</summary>
/// <param name="Member">The member.</param>
/// <param name="ExpectedVersion">The version the caller decided on.</param>
/// <param name="Record">The key's record.</param>
/// <param name="Entry">The entry, or null for a remembered rejection.</param>
public readonly record struct LedgerAppend(CustomerId Member, long ExpectedVersion, IdempotencyRecord Record, LedgerEntry? Entry);

/// <summary>
/// Where the ledger keeps its entries and idempotency keys. An implementation must give, per member: entries with
/// dense sequence numbers from 1; a unique idempotency key; and an append that is atomic and conditional — the key is
/// checked first, then the version (LI-13). A database store maps this to a unique index on (member, key), a unique
/// index on (member, sequence) and one transaction per append. Every implementation should pass the contract tests
/// (LoyaltyLedgerStoreContract in the test suite).
/// </summary>
public interface ILoyaltyLedgerStore
{
    /// <summary>Finds what a key recorded.</summary>
    /// <param name="member">The member.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The record, or null when the key is new.</returns>
    ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default);

    /// <summary>Reads a member's entries after a sequence number, in order.</summary>
    /// <param name="member">The member.</param>
    /// <param name="afterSequence">The last sequence number the caller has; 0 for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries with a larger sequence number; empty when there are none.</returns>
    ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically records <paramref name="record"/> and appends <paramref name="entry"/> (null for a remembered
    /// rejection), provided the key is new and the member's ledger is at <paramref name="expectedVersion"/>.
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="expectedVersion">The version the caller decided on; the entry's sequence must be one more.</param>
    /// <param name="record">The key's record.</param>
    /// <param name="entry">The entry, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Appended, or why not.</returns>
    ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads several members' entries at once, each as <see cref="ReadAsync"/> would: what a batch of postings for
    /// members not loaded yet needs first. A database store answers on one connection (or in one round trip); the
    /// default reads them one by one.
    /// </summary>
    /// <param name="reads">The members and the sequence numbers they are read after.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One list of entries per read, in order.</returns>
    async ValueTask<IReadOnlyList<IReadOnlyList<LedgerEntry>>> ReadManyAsync(IReadOnlyList<LedgerRead> reads, CancellationToken cancellationToken = default)
    {
        System.ArgumentNullException.ThrowIfNull(reads);
        var results = new IReadOnlyList<LedgerEntry>[reads.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await ReadAsync(reads[i].Member, reads[i].AfterSequence, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Runs several appends, in order, each exactly as <see cref="AppendAsync"/> would (its own key check and version
    /// condition; one refused append does not refuse the others), and commits them together: a database store writes
    /// the batch in one transaction, which is what makes a day's postings for many members fast. After a crash either
    /// every append of the batch that was <see cref="AppendStatus.Appended"/> is there or none is. The default runs
    /// them one by one.
    /// </summary>
    /// <param name="appends">The appends; every one is checked (<see cref="LedgerStoreRules.RequireAppend"/>) before anything is written.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per append, in order.</returns>
    async ValueTask<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default)
    {
        LedgerStoreRules.RequireBatch(appends);
        var results = new AppendResult[appends.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (member, expected, record, entry) = appends[i];
            results[i] = await AppendAsync(member, expected, record, entry, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Lists the members who have at least one entry or key, for runs over the whole programme (expiry, analytics).</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The members, each once.</returns>
    IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default);
}
