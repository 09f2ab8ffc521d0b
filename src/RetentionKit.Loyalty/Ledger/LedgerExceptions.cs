using System;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>The same idempotency key came with a different request (LI-3). Nothing was written.</summary>
public sealed class IdempotencyConflictException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="IdempotencyConflictException"/> class.</summary>
    /// <param name="member">The member.</param>
    /// <param name="key">The key used twice.</param>
    /// <param name="first">The first request's fingerprint.</param>
    /// <param name="second">This request's fingerprint.</param>
    public IdempotencyConflictException(CustomerId member, string key, RequestFingerprint first, RequestFingerprint second)
        : base($"Idempotency key '{key}' of member {member} was first used for [{first}] and now for [{second}]; a key must always carry the same request.")
    {
        Member = member;
        Key = key;
    }

    /// <summary>Gets the member.</summary>
    public CustomerId Member { get; }

    /// <summary>Gets the key.</summary>
    public string Key { get; }
}

/// <summary>The store kept changing under the request (other writers appended each time it tried). Nothing was written by this request.</summary>
public sealed class LedgerConcurrencyException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="LedgerConcurrencyException"/> class.</summary>
    /// <param name="member">The member.</param>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="attempts">How many times it tried.</param>
    public LedgerConcurrencyException(CustomerId member, string key, int attempts)
        : base($"Posting '{key}' for member {member} lost the race to other writers {attempts} times; nothing was written. Retry with the same key.")
    {
        Member = member;
        Key = key;
    }

    /// <summary>Gets the member.</summary>
    public CustomerId Member { get; }

    /// <summary>Gets the key.</summary>
    public string Key { get; }
}
