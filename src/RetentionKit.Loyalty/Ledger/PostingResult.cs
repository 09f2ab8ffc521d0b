namespace RetentionKit.Loyalty.Ledger;

/// <summary>How a posting request ended. Business outcomes are results, not exceptions; rejections are remembered with their key (LI-4).</summary>
public enum PostingStatus
{
    /// <summary>The entry was written (or, on a retry with the same key, had been written).</summary>
    Posted = 0,

    /// <summary>The member does not have enough unexpired points; nothing was written (LI-2).</summary>
    InsufficientPoints = 1,

    /// <summary>A reversal named an entry the member's ledger does not have.</summary>
    EntryNotFound = 2,

    /// <summary>A reversal named an entry that cannot be reversed (an expiry or another reversal).</summary>
    NotReversible = 3,

    /// <summary>A reversal asked for more than what remains to be reversed of the entry (LI-9).</summary>
    ExceedsReversible = 4,
}

/// <summary>The outcome of a posting request.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Entry">The entry written (or written by the first request with the same key); null when rejected.</param>
/// <param name="Balance">The member's balance after the request (current at the time of the answer).</param>
/// <param name="Replayed">Whether the key had been seen before, so this is the first request's outcome and nothing was written now.</param>
public sealed record PostingResult(PostingStatus Status, LedgerEntry? Entry, long Balance, bool Replayed)
{
    /// <summary>Gets whether the posting stands (<see cref="PostingStatus.Posted"/>).</summary>
    public bool IsPosted => Status == PostingStatus.Posted;
}

/// <summary>What a store remembers of an idempotency key: the request's fingerprint and how it ended.</summary>
/// <param name="Key">The key, unique per member.</param>
/// <param name="Fingerprint">The request's payload, as text: the same key with another fingerprint is a conflict (LI-3).</param>
/// <param name="Status">How the request ended.</param>
/// <param name="Sequence">The entry it wrote; null for a rejection.</param>
public sealed record IdempotencyRecord(string Key, string Fingerprint, PostingStatus Status, long? Sequence);
