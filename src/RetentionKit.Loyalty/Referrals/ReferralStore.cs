using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>How adding a referrer ended.</summary>
public enum AddReferrerStatus
{
    /// <summary>Added.</summary>
    Added = 0,

    /// <summary>The customer already has a code; nothing was written.</summary>
    ReferrerExists = 1,

    /// <summary>Another referrer holds the code (RI-1); nothing was written.</summary>
    CodeTaken = 2,
}

/// <summary>
/// Where the referral programme keeps referrers and referrals. An implementation must give: one record per referrer
/// and a unique code (RI-1); one referral per referred customer (RI-5); updates conditional on the record's version.
/// A database store maps these to unique indexes on the referrer, the code and the referred customer, and to
/// <c>UPDATE … WHERE version = @expected</c>.
/// </summary>
public interface IReferralStore
{
    /// <summary>Adds a referrer with their code, unless the customer or the code is taken.</summary>
    /// <param name="account">The referrer, at version 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Added, or why not.</returns>
    ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default);

    /// <summary>Finds a referrer.</summary>
    /// <param name="referrer">The customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referrer, or null.</returns>
    ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default);

    /// <summary>Finds the referrer who holds a code.</summary>
    /// <param name="code">The code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referrer, or null.</returns>
    ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default);

    /// <summary>Replaces a referrer if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="account">The new record, one version up.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was written.</returns>
    ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Adds a referral unless its referred customer was already attributed.</summary>
    /// <param name="referral">The referral, at version 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was added.</returns>
    ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default);

    /// <summary>Finds the referral of a referred customer.</summary>
    /// <param name="referred">The referred customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referral, or null.</returns>
    ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default);

    /// <summary>Replaces a referral if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="referral">The new record, one version up.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was written.</returns>
    ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lists every referrer, for analytics.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The referrers.</returns>
    IAsyncEnumerable<ReferrerAccount> ReferrersAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every referral, for analytics.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The referrals.</returns>
    IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default);
}

/// <summary>The in-memory <see cref="IReferralStore"/>: thread-safe, for tests, demos and single-process hosts.</summary>
public sealed class InMemoryReferralStore : IReferralStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CustomerId, ReferrerAccount> _referrers = [];
    private readonly Dictionary<ReferralCode, CustomerId> _codes = [];
    private readonly Dictionary<CustomerId, Referral> _referrals = [];

    /// <inheritdoc/>
    public ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ReferralStoreRules.RequireFirstVersion(account.Version, nameof(account));
        lock (_gate)
        {
            if (_referrers.ContainsKey(account.Referrer))
            {
                return ValueTask.FromResult(AddReferrerStatus.ReferrerExists);
            }

            if (!_codes.TryAdd(account.Code, account.Referrer))
            {
                return ValueTask.FromResult(AddReferrerStatus.CodeTaken);
            }

            _referrers.Add(account.Referrer, account);
            return ValueTask.FromResult(AddReferrerStatus.Added);
        }
    }

    /// <inheritdoc/>
    public ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_referrers.GetValueOrDefault(referrer));
        }
    }

    /// <inheritdoc/>
    public ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_codes.TryGetValue(code, out var referrer) ? _referrers[referrer] : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ReferralStoreRules.RequireNextVersion(account.Version, expectedVersion, nameof(account));
        lock (_gate)
        {
            if (!_referrers.TryGetValue(account.Referrer, out var current) || current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            if (current.Code != account.Code)
            {
                throw new ArgumentException("A referrer's code never changes (RI-1).", nameof(account));
            }

            _referrers[account.Referrer] = account;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ReferralStoreRules.RequireFirstVersion(referral.Version, nameof(referral));
        lock (_gate)
        {
            return ValueTask.FromResult(_referrals.TryAdd(referral.Referred, referral));
        }
    }

    /// <inheritdoc/>
    public ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_referrals.GetValueOrDefault(referred));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ReferralStoreRules.RequireNextVersion(referral.Version, expectedVersion, nameof(referral));
        lock (_gate)
        {
            if (!_referrals.TryGetValue(referral.Referred, out var current) || current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            if (current.Referrer != referral.Referrer || current.Code != referral.Code)
            {
                throw new ArgumentException("A referral's referrer and code never change (RI-5).", nameof(referral));
            }

            _referrals[referral.Referred] = referral;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReferrerAccount> ReferrersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ReferrerAccount[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _referrers.Values];
        }

        foreach (var account in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return account;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Referral> ReferralsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Referral[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _referrals.Values];
        }

        foreach (var referral in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return referral;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
