using System;
using Orleans;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Orleans;

/// <summary>The result of a posting through a <see cref="ICustomerGrain"/>, as it crosses the cluster.</summary>
/// <param name="Status">The posting's status (<see cref="PostingStatus"/>'s name): posted, or why not.</param>
/// <param name="Entry">The entry's sequence number; null when nothing was posted.</param>
/// <param name="Balance">The balance after it.</param>
/// <param name="Replayed">Whether the idempotency key had been used: the first result, returned again.</param>
[GenerateSerializer]
[Immutable]
public sealed record LedgerPosting([property: Id(0)] string Status, [property: Id(1)] long? Entry, [property: Id(2)] long Balance, [property: Id(3)] bool Replayed)
{
    internal static LedgerPosting From(PostingResult result) => new(result.Status.ToString(), result.Entry?.Sequence, result.Balance, result.Replayed);
}

/// <summary>One entry of a customer's ledger, as it crosses the cluster.</summary>
/// <param name="Sequence">The entry's position: 1, 2, 3 … without gaps.</param>
/// <param name="IdempotencyKey">The key it was posted with.</param>
/// <param name="Kind">What it does (<see cref="PostingKind"/>'s name).</param>
/// <param name="Points">The points, signed for the member.</param>
/// <param name="At">When it was posted.</param>
/// <param name="ExpiresAt">When an earned lot expires; null otherwise.</param>
/// <param name="Reverses">The entry it reverses; null otherwise.</param>
/// <param name="Reason">Why.</param>
[GenerateSerializer]
[Immutable]
public sealed record LedgerLine(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Kind,
    [property: Id(3)] long Points,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] long? Reverses,
    [property: Id(7)] string Reason)
{
    /// <summary>The line of a ledger entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The line.</returns>
    public static LedgerLine From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Sequence, entry.IdempotencyKey, entry.Kind.ToString(), entry.Points, entry.At.ToDateTimeOffset(), entry.ExpiresAt?.ToDateTimeOffset(), entry.Reverses, entry.Reason);
    }
}

/// <summary>The outcome of a referral attribution through a <see cref="ICustomerGrain"/>.</summary>
/// <param name="Outcome">The outcome (<see cref="Loyalty.Referrals.ReferralOutcome"/>'s name): attributed, held for review, or why not.</param>
/// <param name="Referrer">The referrer the customer is attributed to; null when none.</param>
/// <param name="Changed">Whether this call changed the referral store.</param>
/// <param name="Reason">Why, in words.</param>
[GenerateSerializer]
[Immutable]
public sealed record ReferralAttribution([property: Id(0)] string Outcome, [property: Id(1)] string? Referrer, [property: Id(2)] bool Changed, [property: Id(3)] string Reason)
{
    internal static ReferralAttribution From(Loyalty.Referrals.ReferralResult result) =>
        new(result.Outcome.ToString(), result.Referral?.Referrer.Value, result.Changed, result.Reason);
}
