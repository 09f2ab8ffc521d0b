using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Rewards;

/// <summary>One reward of the redemption catalogue (L2).</summary>
public sealed class RewardOptions
{
    /// <summary>Gets or sets the reward's display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets its price in points, at least 1.</summary>
    public long Points { get; set; }

    internal static Dictionary<string, RewardOptions> Defaults() => new(OptionKeyComparer.Instance)
    {
        [RewardKeys.PremiumFeature] = new() { Name = "Premium feature", Points = 500 },
        [RewardKeys.TrainingSession] = new() { Name = "Training session", Points = 300 },
        [RewardKeys.PrioritySupport] = new() { Name = "Priority support", Points = 200 },
        [RewardKeys.BetaAccess] = new() { Name = "Beta access", Points = 1_000 },
        [RewardKeys.CustomFeature] = new() { Name = "Custom feature", Points = 2_000 },
    };
}

/// <summary>A reward granted to a member: what the host delivers.</summary>
/// <param name="Member">The member.</param>
/// <param name="Reward">The reward's key in the catalogue.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Points">What it cost.</param>
/// <param name="Entry">The redemption's ledger entry (the grant's id).</param>
/// <param name="At">When it was granted.</param>
public sealed record RewardGrant(CustomerId Member, string Reward, string Name, long Points, long Entry, Instant At);

/// <summary>How a redemption ended.</summary>
public enum RedemptionStatus
{
    /// <summary>The points were taken and the reward granted (or, on a retry with the same key, had been).</summary>
    Granted = 0,

    /// <summary>The member has too few unexpired points; nothing was written.</summary>
    InsufficientPoints = 1,

    /// <summary>The catalogue has no such reward; nothing was written.</summary>
    RewardNotFound = 2,
}

/// <summary>The outcome of a redemption.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Grant">The grant, when granted.</param>
/// <param name="Posting">The ledger's answer; null when the reward was not found.</param>
public sealed record RedemptionResult(RedemptionStatus Status, RewardGrant? Grant, PostingResult? Posting);

/// <summary>The redemption catalogue (L2): redeeming a reward posts a redemption and records a grant.</summary>
public sealed class RewardCatalog
{
    /// <summary>The prefix of a redemption entry's reference: <c>reward:</c> and the reward's key.</summary>
    public const string ReferencePrefix = "reward:";

    private readonly LoyaltyLedger _ledger;
    private readonly FrozenDictionary<string, (string Name, long Points)> _rewards;

    /// <summary>Initializes a new instance of the <see cref="RewardCatalog"/> class.</summary>
    /// <param name="ledger">The ledger to post to.</param>
    /// <param name="options">The options: the catalogue; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A reward has a blank name or fewer than 1 point.</exception>
    public RewardCatalog(LoyaltyLedger ledger, LoyaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        var problems = LoyaltyOptionsValidation.RewardProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", RetentionKit.Internal.OptionPaths.Qualify<LoyaltyOptions>("Loyalty", problems)), nameof(options));
        }

        _ledger = ledger;
        _rewards = options.Rewards.ToFrozenDictionary(p => p.Key, p => (p.Value.Name, p.Value.Points), OptionKeyComparer.Instance);
    }

    /// <summary>Gets the rewards by key, with their names and prices.</summary>
    public IReadOnlyDictionary<string, (string Name, long Points)> Rewards => _rewards;

    /// <summary>Redeems a reward: posts its price (earliest-expiring points first) and grants it, once per key.</summary>
    /// <param name="member">The member.</param>
    /// <param name="reward">The reward's key.</param>
    /// <param name="idempotencyKey">The key, unique per member (the order's id, say).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for another request.</exception>
    public async ValueTask<RedemptionResult> RedeemAsync(CustomerId member, string reward, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reward);
        if (!_rewards.TryGetValue(reward, out var item))
        {
            return new RedemptionResult(RedemptionStatus.RewardNotFound, null, null);
        }

        var posting = await _ledger.RedeemAsync(member, item.Points, idempotencyKey, item.Name, ReferencePrefix + reward, cancellationToken).ConfigureAwait(false);
        return posting.Entry is { } entry
            ? new RedemptionResult(RedemptionStatus.Granted, new RewardGrant(member, reward, item.Name, item.Points, entry.Sequence, entry.At), posting)
            : new RedemptionResult(RedemptionStatus.InsufficientPoints, null, posting);
    }

    /// <summary>Gets the member's grants that stand: redemptions of catalogue rewards not fully reversed.</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The grants, oldest first.</returns>
    public async ValueTask<ImmutableArray<RewardGrant>> GrantsAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        var history = await _ledger.GetHistoryAsync(member, cancellationToken).ConfigureAwait(false);
        var reversed = history.Where(e => e.Reverses is not null).GroupBy(e => e.Reverses!.Value).ToDictionary(g => g.Key, g => g.Sum(e => e.Points));
        return [.. history
            .Where(e => e.Kind == PostingKind.Redeem && e.Reference is { } r && r.StartsWith(ReferencePrefix, StringComparison.Ordinal) && reversed.GetValueOrDefault(e.Sequence) < -e.Points)
            .Select(e => new RewardGrant(member, e.Reference![ReferencePrefix.Length..], e.Reason, -e.Points, e.Sequence, e.At))];
    }
}
