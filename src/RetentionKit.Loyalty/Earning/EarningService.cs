using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Earning;

/// <summary>How an event's earning ended.</summary>
public enum EarningStatus
{
    /// <summary>Points were posted for the event (or, on a replay, had been).</summary>
    Awarded = 0,

    /// <summary>The member already had as many awards of this kind that local day as the cap allows; nothing was written.</summary>
    CapReached = 1,

    /// <summary>No rule handles the event's kind, or the rule awards nothing for it.</summary>
    NotEarning = 2,
}

/// <summary>The outcome of an event.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Posting">The ledger posting, when points were awarded.</param>
public sealed record EarningResult(EarningStatus Status, PostingResult? Posting);

/// <summary>
/// Turns loyalty events into ledger postings through the earning rules (L1), exactly once per event: the event's id
/// (or, for a capped rule, a slot of the member's local day) is the posting's idempotency key, so a replayed event is
/// harmless, and a cap holds under replays and concurrency (LI-10).
/// </summary>
public sealed class EarningService
{
    private readonly LoyaltyLedger _ledger;
    private readonly FrozenDictionary<string, IEarningRule> _rules;

    /// <summary>Initializes a new instance of the <see cref="EarningService"/> class.</summary>
    /// <param name="ledger">The ledger to post to.</param>
    /// <param name="options">The options: the configured rules.</param>
    /// <param name="customRules">Rules of the host's own; one for a configured kind replaces it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two custom rules handle the same kind, or a configured rule has fewer than 1 point or a cap below 1.</exception>
    public EarningService(LoyaltyLedger ledger, LoyaltyOptions options, IEnumerable<IEarningRule> customRules)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(customRules);
        var problems = LoyaltyOptionsValidation.RuleProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", RetentionKit.Internal.OptionPaths.Qualify<LoyaltyOptions>("Loyalty", problems)), nameof(options));
        }

        var rules = options.EarningRules.ToDictionary(p => p.Key, p => (IEarningRule)new ConfiguredEarningRule(p.Key, p.Value.Points, p.Value.MaxPerDay), OptionKeyComparer.Instance);
        var custom = customRules.ToList();
        var duplicate = custom.GroupBy(r => r.Kind, OptionKeyComparer.Instance).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two earning rules handle '{duplicate.Key}' ({string.Join(", ", duplicate.Select(r => r.GetType().Name))}); a kind has one rule.", nameof(customRules));
        }

        foreach (var rule in custom)
        {
            rules[rule.Kind] = rule;
        }

        _ledger = ledger;
        _rules = rules.ToFrozenDictionary(OptionKeyComparer.Instance);
    }

    /// <summary>Gets the kinds that have a rule.</summary>
    public IEnumerable<string> Kinds => _rules.Keys;

    /// <summary>Applies the event's rule and posts what it earns, once.</summary>
    /// <param name="loyaltyEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loyaltyEvent"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A custom rule awarded fewer than 1 point or a cap below 1.</exception>
    public async ValueTask<EarningResult> EarnAsync(LoyaltyEvent loyaltyEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loyaltyEvent);
        if (!_rules.TryGetValue(loyaltyEvent.Kind, out var rule) || rule.Award(loyaltyEvent) is not { } award)
        {
            return new EarningResult(EarningStatus.NotEarning, null);
        }

        if (award.Points < 1 || award.MaxPerLocalDay < 1)
        {
            throw new InvalidOperationException($"The earning rule {rule.GetType().Name} for '{rule.Kind}' awarded {award.Points} points with a cap of {award.MaxPerLocalDay}; points and caps are at least 1.");
        }

        var (window, slots) = award.MaxPerLocalDay is { } cap
            ? (string.Create(CultureInfo.InvariantCulture, $"earn:{loyaltyEvent.Kind}:{loyaltyEvent.LocalDate:yyyy-MM-dd}"), cap)
            : ($"earn:{loyaltyEvent.Kind}:event:{loyaltyEvent.Id}", 1);
        var posting = await _ledger.EarnInWindowAsync(loyaltyEvent.Member, award.Points, window, slots, loyaltyEvent.Id, award.Reason, cancellationToken).ConfigureAwait(false);
        return posting is null ? new EarningResult(EarningStatus.CapReached, null) : new EarningResult(EarningStatus.Awarded, posting);
    }
}
