using System.Collections.Generic;

namespace RetentionKit.Loyalty.Earning;

/// <summary>What an event earns: points, and how many such awards a member may get per local day.</summary>
/// <param name="Points">The points, at least 1.</param>
/// <param name="MaxPerLocalDay">The cap per local day in the member's zone (1 = once a day); null for no cap.</param>
/// <param name="Reason">The reason written on the ledger entry.</param>
public readonly record struct EarningAward(long Points, int? MaxPerLocalDay, string Reason);

/// <summary>
/// An earning rule (L1): decides what an event of its kind earns. Implement it for a rule of your own and register it
/// with <c>AddEarningRule&lt;T&gt;()</c>; a rule of yours for a built-in kind replaces the built-in one.
/// </summary>
public interface IEarningRule
{
    /// <summary>Gets the kind of event the rule handles.</summary>
    string Kind { get; }

    /// <summary>Decides what an event earns.</summary>
    /// <param name="loyaltyEvent">The event, of the rule's kind.</param>
    /// <returns>The award, or null when the event earns nothing.</returns>
    EarningAward? Award(LoyaltyEvent loyaltyEvent);
}

/// <summary>One configured earning rule: points per event and an optional cap per local day.</summary>
public sealed class EarningRuleOptions
{
    /// <summary>Gets or sets the points per event, at least 1.</summary>
    public long Points { get; set; }

    /// <summary>Gets or sets how many events a member is paid for per local day; null for no cap (1 = once a day).</summary>
    public int? MaxPerDay { get; set; }

    internal static Dictionary<string, EarningRuleOptions> Defaults() => new(OptionKeyComparer.Instance)
    {
        [LoyaltyEventKinds.DailyUse] = new() { Points = 10, MaxPerDay = 1 },
        [LoyaltyEventKinds.FeatureUsed] = new() { Points = 5 },
        [LoyaltyEventKinds.Referral] = new() { Points = 100 },
        [LoyaltyEventKinds.Feedback] = new() { Points = 25 },
        [LoyaltyEventKinds.SocialShare] = new() { Points = 15 },
    };
}

/// <summary>A rule from the options.</summary>
internal sealed class ConfiguredEarningRule(string kind, long points, int? maxPerDay) : IEarningRule
{
    public string Kind { get; } = kind;

    public EarningAward? Award(LoyaltyEvent loyaltyEvent) => new EarningAward(points, maxPerDay, Kind);
}
