using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Badges;

/// <summary>The onboarding milestones of the documents' timeline that the built-in badges celebrate.</summary>
public static class OnboardingMilestones
{
    /// <summary>Day 1: the interactive tutorial completed ("90 %+ completa tutorial").</summary>
    public const string TutorialCompleted = "tutorial-completed";

    /// <summary>Day 3: the first result achieved ("primer éxito + celebración").</summary>
    public const string FirstSuccess = "first-success";

    /// <summary>Day 14: two or more features used ("2+ features usadas").</summary>
    public const string TwoFeaturesUsed = "two-features-used";

    /// <summary>The quick win: the first report ("primer reporte en 24h").</summary>
    public const string FirstReport = "first-report";
}

/// <summary>One badge: the milestone that earns it and the points that come with it.</summary>
public sealed class BadgeOptions
{
    /// <summary>Gets or sets the milestone that earns the badge (see <see cref="OnboardingMilestones"/>, or a host's own).</summary>
    public string Milestone { get; set; } = "";

    /// <summary>Gets or sets the loyalty points posted when the badge is awarded; 0 for a badge alone.</summary>
    public long Points { get; set; }
}

/// <summary>A badge a member holds.</summary>
/// <param name="Member">The member.</param>
/// <param name="Badge">The badge's id.</param>
/// <param name="AwardedAt">When it was awarded (the milestone's instant).</param>
/// <param name="Points">The points posted with it; 0 for none.</param>
public sealed record BadgeAward(CustomerId Member, string Badge, Instant AwardedAt, long Points);

/// <summary>Keeps the badges members hold: one award per member and badge, whatever is replayed.</summary>
public interface IBadgeStore
{
    /// <summary>Records an award unless the member already holds the badge.</summary>
    /// <param name="award">The award.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was recorded now; false when the member already held the badge (the first award stands).</returns>
    ValueTask<bool> TryAwardAsync(BadgeAward award, CancellationToken cancellationToken = default);

    /// <summary>Returns a member's badges, in the order they were awarded (then by id).</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The awards.</returns>
    ValueTask<IReadOnlyList<BadgeAward>> GetAsync(CustomerId member, CancellationToken cancellationToken = default);
}

/// <summary>The in-memory badge store, for tests and hosts that keep badges elsewhere.</summary>
public sealed class InMemoryBadgeStore : IBadgeStore
{
    private readonly ConcurrentDictionary<(CustomerId, string), BadgeAward> _awards = new();

    /// <inheritdoc />
    public ValueTask<bool> TryAwardAsync(BadgeAward award, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(award);
        return ValueTask.FromResult(_awards.TryAdd((award.Member, award.Badge), award));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BadgeAward>> GetAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<BadgeAward> held = [.. _awards.Values.Where(a => a.Member == member).OrderBy(a => a.AwardedAt).ThenBy(a => a.Badge, StringComparer.Ordinal)];
        return ValueTask.FromResult(held);
    }
}

/// <summary>
/// Awards badges for milestones, once per member and badge (issue 24, the documents' "logros y badges"): the badge's
/// points are posted first under the idempotency key <c>badge:{id}</c>, then the award is recorded; a replay of the
/// milestone, or a retry after a crash between the two, posts nothing twice and records nothing twice.
/// </summary>
public sealed class BadgeService
{
    private readonly IBadgeStore _store;
    private readonly LoyaltyLedger _ledger;
    private readonly ImmutableArray<(string Id, string Milestone, long Points)> _badges;

    /// <summary>Initializes a new instance of the <see cref="BadgeService"/> class.</summary>
    /// <param name="store">Where awards are kept.</param>
    /// <param name="ledger">The ledger the badges' points are posted to.</param>
    /// <param name="badges">The badges by id (<see cref="LoyaltyOptions.Badges"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A badge has a blank id or milestone, or negative points.</exception>
    public BadgeService(IBadgeStore store, LoyaltyLedger ledger, IDictionary<string, BadgeOptions> badges)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(badges);
        if (Problems(badges).FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(badges));
        }

        _store = store;
        _ledger = ledger;
        _badges = [.. badges.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Value.Milestone, b.Value.Points))];
    }

    /// <summary>The built-in badges: one per onboarding milestone, without points.</summary>
    /// <returns>A new dictionary the caller may change.</returns>
    public static IDictionary<string, BadgeOptions> BuiltIn() => new Dictionary<string, BadgeOptions>(OptionKeyComparer.Instance)
    {
        ["tutorial"] = new() { Milestone = OnboardingMilestones.TutorialCompleted },
        ["first-success"] = new() { Milestone = OnboardingMilestones.FirstSuccess },
        ["explorer"] = new() { Milestone = OnboardingMilestones.TwoFeaturesUsed },
        ["first-report"] = new() { Milestone = OnboardingMilestones.FirstReport },
    };

    /// <summary>Awards every badge a milestone earns that the member does not hold yet.</summary>
    /// <param name="member">The member.</param>
    /// <param name="milestone">The milestone reached.</param>
    /// <param name="at">When it was reached.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The badges awarded now; empty when the milestone earns none or they were held already.</returns>
    /// <exception cref="ArgumentException"><paramref name="milestone"/> is blank or the member is default.</exception>
    public async ValueTask<ImmutableArray<BadgeAward>> RecordAsync(CustomerId member, string milestone, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(milestone);
        if (member.IsDefault)
        {
            throw new ArgumentException("The member must be a real customer id, not default.", nameof(member));
        }

        var awarded = ImmutableArray.CreateBuilder<BadgeAward>();
        foreach (var (id, badgeMilestone, points) in _badges)
        {
            if (!OptionKeyComparer.Instance.Equals(badgeMilestone, milestone))
            {
                continue;
            }

            if (points > 0)
            {
                // Idempotent on the key: a replay returns the first posting and writes nothing.
                await _ledger.EarnAsync(member, points, "badge:" + id, "badge " + id, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var award = new BadgeAward(member, id, at, points);
            if (await _store.TryAwardAsync(award, cancellationToken).ConfigureAwait(false))
            {
                awarded.Add(award);
            }
        }

        return awarded.ToImmutable();
    }

    /// <summary>Every rule a set of badges breaks, as "Badges:{id} …" lines.</summary>
    internal static IEnumerable<string> Problems(IDictionary<string, BadgeOptions>? badges)
    {
        if (badges is null)
        {
            yield return "Badges must not be null.";
            yield break;
        }

        foreach (var (id, badge) in badges)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 50)
            {
                yield return "Badges must not have a blank id or one longer than 50 characters.";
            }
            else if (badge is null || string.IsNullOrWhiteSpace(badge.Milestone))
            {
                yield return $"Badges:{id}:Milestone must name the milestone that earns the badge.";
            }
            else if (badge.Points < 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"Badges:{id}:Points must not be negative (was {badge.Points}).");
            }
        }
    }
}
