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
/// <param name="Balance">The member's balance after the request (current at the time of the answer; points past their expiry left out).</param>
/// <param name="Replayed">Whether the key had been seen before, so this is the first request's outcome and nothing was written now.</param>
public sealed record PostingResult(PostingStatus Status, LedgerEntry? Entry, long Balance, bool Replayed)
{
    /// <summary>Gets whether the posting stands (<see cref="PostingStatus.Posted"/>).</summary>
    public bool IsPosted => Status == PostingStatus.Posted;
}

/// <summary>What a store remembers of an idempotency key: the request's fingerprint and how it ended. A value: a posting allocates none.</summary>
/// <param name="Key">The key, unique per member.</param>
/// <param name="Fingerprint">The request's payload: the same key with another fingerprint is a conflict (LI-3).</param>
/// <param name="Status">How the request ended.</param>
/// <param name="Sequence">The entry it wrote; null for a rejection.</param>
public readonly record struct IdempotencyRecord(string Key, RequestFingerprint Fingerprint, PostingStatus Status, long? Sequence)
{
    /// <summary>
    /// Gets whether the record says nothing its entry does not: a posted earn, redemption, adjustment or expiry whose
    /// fingerprint is the entry's own (<see cref="RequestFingerprint.Of"/>). A store may then keep only the entry and
    /// rebuild the record on demand, as the in-memory store does.
    /// </summary>
    /// <param name="entry">The entry appended with the record.</param>
    /// <returns>Whether the record can be rebuilt from <paramref name="entry"/>.</returns>
    public bool IsImpliedBy(LedgerEntry? entry) =>
        entry is not null && Status == PostingStatus.Posted && Sequence == entry.Sequence && entry.Kind != PostingKind.Reverse
        && string.Equals(Key, entry.IdempotencyKey, System.StringComparison.Ordinal) && Fingerprint == RequestFingerprint.Of(entry);
}

/// <summary>
/// A posting request's payload, compared field by field (strings ordinally) to tell a retry from a conflicting reuse
/// of its key (LI-3). Allocation-free; <see cref="ToString"/> gives the text a database store may keep.
/// </summary>
/// <param name="Kind">The kind requested.</param>
/// <param name="Points">The points requested, signed as posted (0 for "reverse all that is left").</param>
/// <param name="Reverses">The entry a reversal names; null otherwise.</param>
/// <param name="Reason">The reason given.</param>
/// <param name="Reference">The reference given, if any.</param>
public readonly record struct RequestFingerprint(PostingKind Kind, long Points, long? Reverses, string Reason, string? Reference)
{
    /// <summary>Gets the fingerprint a request for this entry carried; meaningful for every kind but reversals (whose request may have said "all").</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The fingerprint.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public static RequestFingerprint Of(LedgerEntry entry)
    {
        System.ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Kind, entry.Points, entry.Reverses, entry.Reason, entry.Reference);
    }

    /// <summary>Gets the fingerprint as text, e.g. <c>Earn|10||daily use|</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Kind}|{Points}|{Reverses}|{Reason}|{Reference}");
}
