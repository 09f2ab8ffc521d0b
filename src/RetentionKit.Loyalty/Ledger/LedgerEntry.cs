using System;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>Points taken from, or given back to, one lot by an entry.</summary>
/// <param name="Lot">The lot: the sequence number of the entry that opened it.</param>
/// <param name="Points">How many points, always positive.</param>
public readonly record struct LotAllocation(long Lot, long Points);

/// <summary>
/// One immutable line of a member's ledger. <see cref="Points"/> is the change to the member's balance (positive
/// credits, negative debits); the <see cref="Counterparty"/> system account takes the opposite, so every entry sums to
/// zero. Entries are never changed: corrections are new <see cref="PostingKind.Reverse"/> entries that reference the
/// original (LI-6). Two entries are equal when every field is, the allocations compared item by item (so an entry read
/// back from a database equals the one appended).
/// </summary>
public sealed record LedgerEntry
{
    /// <summary>Gets the member.</summary>
    public required CustomerId Member { get; init; }

    /// <summary>Gets the entry's position in the member's ledger: 1, 2, 3 … without gaps.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the idempotency key the entry was posted with, unique per member.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets what the entry does.</summary>
    public required PostingKind Kind { get; init; }

    /// <summary>Gets the change to the member's balance: positive for credits, negative for debits; never zero.</summary>
    public required long Points { get; init; }

    /// <summary>Gets the system account on the other side of the entry.</summary>
    public required SystemAccount Counterparty { get; init; }

    /// <summary>Gets when the entry was posted.</summary>
    public required Instant At { get; init; }

    /// <summary>Gets when the lot this entry opens expires; null when it never does or the entry opens no lot.</summary>
    public Instant? ExpiresAt { get; init; }

    /// <summary>Gets whether the entry opens a lot (earns and positive adjustments do; the lot's id is <see cref="Sequence"/>).</summary>
    public bool OpensLot => Kind is PostingKind.Earn || (Kind is PostingKind.Adjust && Points > 0);

    /// <summary>Gets the lots a debit consumed, or the lots a reversal gave points back to, earliest expiry first.</summary>
    public ImmutableArray<LotAllocation> Allocations { get; init; } = [];

    /// <summary>Gets the entry a reversal undoes; null for other kinds.</summary>
    public long? Reverses { get; init; }

    /// <summary>Gets, for the reversal of an earn, the points that could not be clawed back because the member no longer had them (written off; LI-9).</summary>
    public long Shortfall { get; init; }

    /// <summary>Gets why the entry was posted (the rule, the reward, the person's reason).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Gets what the entry refers to outside the ledger: the event id that earned it, the reward redeemed, …</summary>
    public string? Reference { get; init; }

    /// <summary>Gets the counterparty's side of the entry: the opposite of <see cref="Points"/>.</summary>
    public long CounterpartyPoints => checked(-Points);

    /// <summary>Returns whether every field of the two entries is equal, the allocations item by item.</summary>
    /// <param name="other">The other entry.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(LedgerEntry? other) =>
        other is not null
        && Member == other.Member && Sequence == other.Sequence && Kind == other.Kind && Points == other.Points
        && Counterparty == other.Counterparty && At == other.At && ExpiresAt == other.ExpiresAt && Reverses == other.Reverses
        && Shortfall == other.Shortfall
        && string.Equals(IdempotencyKey, other.IdempotencyKey, System.StringComparison.Ordinal)
        && string.Equals(Reason, other.Reason, System.StringComparison.Ordinal)
        && string.Equals(Reference, other.Reference, System.StringComparison.Ordinal)
        && Allocations.AsSpan().SequenceEqual(other.Allocations.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => System.HashCode.Combine(Member, Sequence, IdempotencyKey, Kind, Points, At);
}
