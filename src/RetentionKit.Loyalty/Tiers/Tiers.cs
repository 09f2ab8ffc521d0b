using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tiers;

/// <summary>Which points count towards a tier (L3). Spendable balance never does (LI-11).</summary>
public enum TierBasis
{
    /// <summary>Every point ever earned, less earns reversed.</summary>
    LifetimeEarned = 0,

    /// <summary>Points earned in the last <see cref="LoyaltyOptions.TierWindowDays"/> days, less earns reversed.</summary>
    RollingWindow = 1,
}

/// <summary>What happens when a member's basis falls below their tier.</summary>
public enum TierDowngrade
{
    /// <summary>The tier follows the basis at once.</summary>
    Immediate = 0,

    /// <summary>A tier once reached is kept.</summary>
    Never = 1,

    /// <summary>The member keeps the best tier they held in the last <see cref="LoyaltyOptions.TierGraceDays"/> days.</summary>
    AfterGracePeriod = 2,
}

/// <summary>One tier in the options.</summary>
public sealed class TierOptions
{
    /// <summary>Gets or sets the tier's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the lowest basis of the tier (the first tier starts at 0).</summary>
    public long From { get; set; }

    /// <summary>Gets the tier's benefits.</summary>
    public List<string> Benefits { get; } = [];

    /// <summary>Gets whether this is one of the built-in tiers (which a tier list of your own replaces).</summary>
    internal bool IsBuiltIn { get; private init; }

    /// <summary>
    /// The tiers in force: the ones configured (in configuration or code), replacing the built-in ones; the built-in
    /// ones when none was. Configuration binding appends to a list, so a configured list used to follow the defaults
    /// and fail start-up (issue 21).
    /// </summary>
    internal static List<TierOptions> InForce(List<TierOptions> tiers) =>
        tiers.Exists(t => t is not null && !t.IsBuiltIn) ? tiers.FindAll(t => t is null || !t.IsBuiltIn) : tiers;

    internal static List<TierOptions> Defaults() =>
    [
        Make("Bronze", 0, "standard support", "basic discounts"),
        Make("Silver", 1_000, "priority support", "premium features"),
        Make("Gold", 5_000, "dedicated account manager", "custom features"),
        Make("Platinum", 10_000, "white-glove service", "custom development"),
    ];

    private static TierOptions Make(string name, long from, params string[] benefits)
    {
        var tier = new TierOptions { Name = name, From = from, IsBuiltIn = true };
        tier.Benefits.AddRange(benefits);
        return tier;
    }
}

/// <summary>A tier (L3): its name, the basis it starts at, and its benefits.</summary>
/// <param name="Name">The name.</param>
/// <param name="From">The lowest basis of the tier.</param>
/// <param name="Benefits">The benefits.</param>
/// <param name="Rank">0 for the first tier, 1 for the next, …</param>
public sealed record Tier(string Name, long From, ImmutableArray<string> Benefits, int Rank);

/// <summary>A member's tier at an instant.</summary>
/// <param name="Member">The member.</param>
/// <param name="At">The instant.</param>
/// <param name="Basis">The qualifying points then, by the configured basis.</param>
/// <param name="Tier">The tier held, after the downgrade policy.</param>
/// <param name="Next">The next tier up; null at the top.</param>
/// <param name="PointsToNext">The basis still needed for <paramref name="Next"/>; null at the top.</param>
public sealed record TierStatus(CustomerId Member, Instant At, long Basis, Tier Tier, Tier? Next, long? PointsToNext);

/// <summary>A change of tier.</summary>
/// <param name="Member">The member.</param>
/// <param name="At">When it took effect.</param>
/// <param name="From">The tier before.</param>
/// <param name="To">The tier after.</param>
public sealed record TierChange(CustomerId Member, Instant At, Tier From, Tier To)
{
    /// <summary>Gets whether the member moved up.</summary>
    public bool IsUpgrade => To.Rank > From.Rank;
}

/// <summary>
/// Tiers (L3): a member's tier follows qualifying points — lifetime earned or a rolling window, never the spendable
/// balance — under the configured downgrade policy. Tiers and their changes are computed from the ledger's history,
/// so they need no state of their own and are the same on every replay.
/// </summary>
public sealed class TierService
{
    private readonly LoyaltyLedger _ledger;
    private readonly IClock _clock;
    private readonly ImmutableArray<Tier> _tiers;
    private readonly TierBasis _basis;
    private readonly Duration _window;
    private readonly TierDowngrade _downgrade;
    private readonly Duration _grace;

    /// <summary>Initializes a new instance of the <see cref="TierService"/> class.</summary>
    /// <param name="ledger">The ledger whose history is read.</param>
    /// <param name="clock">The clock for "now".</param>
    /// <param name="options">The options; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tiers break a rule (the message lists every problem).</exception>
    public TierService(LoyaltyLedger ledger, IClock clock, LoyaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        var problems = LoyaltyOptionsValidation.TierProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", RetentionKit.Internal.OptionPaths.Qualify<LoyaltyOptions>("Loyalty", problems)), nameof(options));
        }

        _ledger = ledger;
        _clock = clock;
        _tiers = [.. TierOptions.InForce(options.Tiers).Select((t, i) => new Tier(t.Name, t.From, [.. t.Benefits], i))];
        _basis = options.TierBasis;
        _window = Duration.FromDays(options.TierWindowDays);
        _downgrade = options.TierDowngrade;
        _grace = Duration.FromDays(options.TierGraceDays);
    }

    /// <summary>Gets the tiers, lowest first.</summary>
    public ImmutableArray<Tier> Tiers => _tiers;

    /// <summary>Gets the tier of a basis: the highest whose start it reaches. More basis never gives a lower tier.</summary>
    /// <param name="basis">The qualifying points.</param>
    /// <returns>The tier.</returns>
    public Tier TierFor(long basis)
    {
        var tier = _tiers[0];
        foreach (var candidate in _tiers)
        {
            if (basis >= candidate.From)
            {
                tier = candidate;
            }
        }

        return tier;
    }

    /// <summary>Gets the member's tier now.</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    public ValueTask<TierStatus> GetStatusAsync(CustomerId member, CancellationToken cancellationToken = default) =>
        GetStatusAsync(member, _clock.GetCurrentInstant(), cancellationToken);

    /// <summary>Gets the member's tier at an instant.</summary>
    /// <param name="member">The member.</param>
    /// <param name="at">The instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    public async ValueTask<TierStatus> GetStatusAsync(CustomerId member, Instant at, CancellationToken cancellationToken = default)
    {
        return GetStatus(member, await _ledger.GetHistoryAsync(member, cancellationToken).ConfigureAwait(false), at);
    }

    /// <summary>
    /// Gets the member's tier at an instant from their history as already read (<see cref="LoyaltyLedger.GetHistoryAsync"/>),
    /// for a caller that reads it anyway: the same status as <see cref="GetStatusAsync(CustomerId, Instant, CancellationToken)"/>
    /// without a second read.
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="history">Every entry of the member, in order.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentException">An entry is not the member's.</exception>
    public TierStatus GetStatus(CustomerId member, IReadOnlyList<LedgerEntry> history, Instant at)
    {
        ArgumentNullException.ThrowIfNull(history);
        var read = new History(history);
        foreach (var e in read.Entries)
        {
            if (e.Member != member)
            {
                throw new ArgumentException($"The history holds an entry of {e.Member}, not of {member}.", nameof(history));
            }
        }

        var basis = Basis(read, at);
        var tier = Held(read, at);
        var next = tier.Rank + 1 < _tiers.Length ? _tiers[tier.Rank + 1] : null;
        return new TierStatus(member, at, basis, tier, next, next is null ? null : Math.Max(0, next.From - basis));
    }

    /// <summary>Gets every change of the member's tier up to now, in order.</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changes.</returns>
    public async ValueTask<ImmutableArray<TierChange>> GetChangesAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        var history = new History(await _ledger.GetHistoryAsync(member, cancellationToken).ConfigureAwait(false));
        var now = _clock.GetCurrentInstant();

        // The held tier can only change when an entry is posted, when an earn leaves the window, or when a grace period
        // ends after either: evaluate at each of those moments.
        var moments = new SortedSet<Instant>();
        foreach (var e in history.Entries)
        {
            foreach (var t in (ReadOnlySpan<Instant>)[e.At, e.At + _window, e.At + _grace, e.At + _window + _grace])
            {
                if (t <= now)
                {
                    moments.Add(t);
                }
            }
        }

        var changes = ImmutableArray.CreateBuilder<TierChange>();
        var current = _tiers[0];
        foreach (var moment in moments)
        {
            var held = Held(history, moment);
            if (held != current)
            {
                changes.Add(new TierChange(member, moment, current, held));
                current = held;
            }
        }

        return changes.ToImmutable();
    }

    private Tier Held(History history, Instant at)
    {
        var tier = TierFor(Basis(history, at));
        if (_downgrade == TierDowngrade.Immediate)
        {
            return tier;
        }

        // The basis is highest just after an earn, so the best tier over a period is reached at its start or at an earn in it.
        var from = _downgrade == TierDowngrade.Never ? Instant.MinValue : at - _grace;
        tier = TierFor(Basis(history, from));
        foreach (var e in history.Entries)
        {
            if (e.Kind == PostingKind.Earn && e.At > from && e.At <= at)
            {
                var candidate = TierFor(Basis(history, e.At));
                tier = candidate.Rank > tier.Rank ? candidate : tier;
            }
        }

        return tier;
    }

    private long Basis(History history, Instant at)
    {
        if (at == Instant.MinValue)
        {
            return 0;
        }

        // What each counted earn still counts, by position (a member's entry n sits at position n - 1); an earn outside
        // the basis, and every entry that is not an earn, holds NotCounted, so a reversal of it changes nothing.
        var entries = history.Entries;
        var counted = history.Scratch;
        Array.Fill(counted, NotCounted);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            if (e.At > at)
            {
                break;
            }

            if (e.Kind == PostingKind.Earn && (_basis == TierBasis.LifetimeEarned || e.At > at - _window))
            {
                counted[i] = e.Points;
            }
            else if (e.Kind == PostingKind.Reverse && e.Reverses is { } reversed && reversed >= 1 && reversed <= counted.Length && counted[(int)(reversed - 1)] != NotCounted)
            {
                counted[(int)(reversed - 1)] -= -e.Points + e.Shortfall;
            }
        }

        long sum = 0;
        foreach (var points in counted)
        {
            sum += points == NotCounted ? 0 : points;
        }

        return sum;
    }

    private const long NotCounted = long.MinValue;

    /// <summary>A member's history read once (the store may hand out a new object per entry read) with room for a basis.</summary>
    private readonly struct History(IReadOnlyList<LedgerEntry> entries)
    {
        public LedgerEntry[] Entries { get; } = [.. entries];

        public long[] Scratch { get; } = new long[entries.Count];
    }
}
