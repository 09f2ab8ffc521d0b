using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>A lot: the points one credit opened, what remains of them, and when they expire.</summary>
/// <param name="Id">The lot's id: the sequence number of the entry that opened it.</param>
/// <param name="Original">The points it opened with.</param>
/// <param name="Remaining">What remains (0 to <paramref name="Original"/>).</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="ExpiresAt">When what remains expires; null for never.</param>
public readonly record struct Lot(long Id, long Original, long Remaining, Instant OpenedAt, Instant? ExpiresAt);

/// <summary>A member's points at one moment, folded from the ledger.</summary>
/// <param name="Member">The member.</param>
/// <param name="Version">The last sequence number folded in (0 for a member with no entries).</param>
/// <param name="Balance">The points the member holds at the account's instant: the sum of their postings (LI-1) less what remains of lots past their expiry then, whether or not the expiry posting has been written (LI-8); never negative.</param>
/// <param name="QualifyingPoints">Points earned, less earns reversed: the basis for lifetime tiers (adjustments, redemptions and expiry do not change it; LI-11).</param>
/// <param name="Lots">The lots with points remaining and not past their expiry, earliest expiry first (the order debits consume them).</param>
public sealed record LoyaltyAccount(CustomerId Member, long Version, long Balance, long QualifyingPoints, ImmutableArray<Lot> Lots);
