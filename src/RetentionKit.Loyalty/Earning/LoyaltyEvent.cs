using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Loyalty.Earning;

/// <summary>The kinds of event the built-in earning rules know (L1).</summary>
public static class LoyaltyEventKinds
{
    /// <summary>The member used the product on a day: +10, once per local day.</summary>
    public const string DailyUse = "daily-use";

    /// <summary>The member used a feature: +5 each.</summary>
    public const string FeatureUsed = "feature-used";

    /// <summary>A customer the member referred qualified: +100.</summary>
    public const string Referral = "referral";

    /// <summary>The member gave feedback: +25.</summary>
    public const string Feedback = "feedback";

    /// <summary>The member shared the product on social media: +15.</summary>
    public const string SocialShare = "social-share";
}

/// <summary>Something a member did that may earn points. Its <see cref="Id"/> makes a replayed event harmless.</summary>
/// <remarks>
/// Besides what happened and when, an event may carry a payload for rules that earn by size — an
/// <see cref="Amount"/> spent (points per dollar), a <see cref="Quantity"/> (points per seat or unit) and
/// <see cref="Attributes"/> (the plan, the channel). The built-in rules ignore the payload; a host's
/// <see cref="IEarningRule"/> reads it:
/// <code>
/// var purchase = new LoyaltyEvent("order-81", member, "purchase", at, zone) { Amount = Money.Usd(42.50m) };
/// </code>
/// </remarks>
public sealed record LoyaltyEvent
{
    /// <summary>The longest event id accepted.</summary>
    public const int MaxIdLength = 100;

    /// <summary>Initializes a new instance of the <see cref="LoyaltyEvent"/> class.</summary>
    /// <param name="id">The event's own id, unique per member (the host's event or message id).</param>
    /// <param name="member">The member.</param>
    /// <param name="kind">The kind, e.g. <see cref="LoyaltyEventKinds.DailyUse"/>.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="zone">The member's time zone: "once a day" means once per local day there (LI-10).</param>
    /// <exception cref="ArgumentException">The id or kind is blank or too long, or the member is default.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is null.</exception>
    public LoyaltyEvent(string id, CustomerId member, string kind, Instant at, DateTimeZone zone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(zone);
        if (id.Length > MaxIdLength || kind.Length > 50)
        {
            throw new ArgumentException($"An event id has at most {MaxIdLength} characters and a kind at most 50.", id.Length > MaxIdLength ? nameof(id) : nameof(kind));
        }

        if (member.IsDefault)
        {
            throw new ArgumentException("The member must be a real customer id, not default.", nameof(member));
        }

        Id = id;
        Member = member;
        Kind = kind;
        At = at;
        Zone = zone;
    }

    /// <summary>Gets the event's id.</summary>
    public string Id { get; }

    /// <summary>Gets the member.</summary>
    public CustomerId Member { get; }

    /// <summary>Gets the kind.</summary>
    public string Kind { get; }

    /// <summary>Gets when it happened.</summary>
    public Instant At { get; }

    /// <summary>Gets the member's time zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the member's local date of the event.</summary>
    public LocalDate LocalDate => At.InZone(Zone).Date;

    /// <summary>Gets the amount the event is about (an order's total, a payment), or null.</summary>
    /// <value>Not negative (a refund is a reversal on the ledger, not an event). The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative.</exception>
    public Money? Amount
    {
        get;
        init => field = value is { IsNegative: true } negative
            ? throw new ArgumentOutOfRangeException(nameof(Amount), negative, "Amount must not be negative; a refund reverses the points it earned.")
            : value;
    }

    /// <summary>Gets how many units the event is about (seats added, reports exported), or null.</summary>
    /// <value>Not negative. The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The quantity is negative.</exception>
    public decimal? Quantity
    {
        get;
        init => field = value < 0m
            ? throw new ArgumentOutOfRangeException(nameof(Quantity), value, "Quantity must not be negative.")
            : value;
    }

    /// <summary>Gets the event's other facts, by name (ordinal): the plan, the feature, the channel.</summary>
    /// <value>Names not blank, values not null; copied on set. The default value is empty.</value>
    /// <exception cref="ArgumentException">A name is blank or a value is null.</exception>
    public IReadOnlyDictionary<string, string> Attributes
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Attributes));
            var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (name, text) in value)
            {
                if (string.IsNullOrWhiteSpace(name) || text is null)
                {
                    throw new ArgumentException($"Attributes has the entry '{name}' = {(text is null ? "null" : $"'{text}'")}; names are not blank and values not null.", nameof(Attributes));
                }

                builder[name] = text;
            }

            field = builder.ToImmutable();
        }
    } = ImmutableDictionary<string, string>.Empty;
}
