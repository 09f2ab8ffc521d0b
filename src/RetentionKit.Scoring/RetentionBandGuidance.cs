using System;

namespace RetentionKit.Scoring;

/// <summary>What to do for customers in a retention band (S5): the action, how to talk to them, what to reward with, and the objective.</summary>
/// <param name="Band">The band.</param>
/// <param name="Action">The kind of campaign.</param>
/// <param name="Communication">The tone and content of communication.</param>
/// <param name="Rewards">What to offer.</param>
/// <param name="Objective">What the band's programme aims at.</param>
public sealed record RetentionBandGuidance(RetentionBand Band, string Action, string Communication, string Rewards, string Objective)
{
    /// <summary>Gets the guidance of the specification for a band.</summary>
    /// <param name="band">The band.</param>
    /// <returns>The guidance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="band"/> is not a defined band.</exception>
    public static RetentionBandGuidance For(RetentionBand band) => band switch
    {
        RetentionBand.High => High,
        RetentionBand.Medium => Medium,
        RetentionBand.Low => Low,
        RetentionBand.AtRisk => AtRisk,
        _ => throw new ArgumentOutOfRangeException(nameof(band), band, "band must be a defined RetentionBand."),
    };

    private static readonly RetentionBandGuidance High = new(RetentionBand.High, "Upsell opportunities", "Success stories", "Premium features", "Growth and advocacy");
    private static readonly RetentionBandGuidance Medium = new(RetentionBand.Medium, "Engagement campaigns", "Value reinforcement", "Standard features", "Improvement");
    private static readonly RetentionBandGuidance Low = new(RetentionBand.Low, "Re-engagement campaigns", "Problem solving", "Support and training", "Recovery");
    private static readonly RetentionBandGuidance AtRisk = new(RetentionBand.AtRisk, "Retention campaigns", "Personal outreach", "Special offers", "Prevention");
}
