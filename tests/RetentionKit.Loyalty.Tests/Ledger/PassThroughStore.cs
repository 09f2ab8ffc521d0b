using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>
/// An in-memory store seen only through <see cref="ILoyaltyLedgerStore"/>: the ledger cannot tell it from a database
/// store, so it takes its general path (its own cache of each member, optimistic appends conditional on the version)
/// instead of deciding under the in-memory store's lock. Tests run both paths.
/// </summary>
internal sealed class PassThroughStore(ILoyaltyLedgerStore inner) : ILoyaltyLedgerStore
{
    public PassThroughStore()
        : this(new InMemoryLoyaltyLedgerStore())
    {
    }

    public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) =>
        inner.FindKeyAsync(member, key, cancellationToken);

    public ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(member, afterSequence, cancellationToken);

    public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);

    public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => inner.MembersAsync(cancellationToken);
}
