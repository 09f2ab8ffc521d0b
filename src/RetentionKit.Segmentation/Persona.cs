using System;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>A behaviour persona from usage and engagement (G3).</summary>
public enum Persona
{
    /// <summary>Low use and low engagement: needs extra support and training; the goal is re-engagement.</summary>
    Struggling = 0,

    /// <summary>Basic use, medium engagement: tips and value-focused education; the goal is more usage.</summary>
    Casual = 1,

    /// <summary>Heavy use and high engagement: advanced features, beta access; the goal is advocacy and referrals.</summary>
    Power = 2,
}

/// <summary>How to talk to a persona and what to aim for (G3).</summary>
/// <param name="Persona">The persona.</param>
/// <param name="Content">What to offer them.</param>
/// <param name="CommunicationStyle">How to write to them.</param>
/// <param name="Goal">What the communication aims for.</param>
public sealed record PersonaProfile(Persona Persona, ImmutableArray<string> Content, string CommunicationStyle, string Goal)
{
    /// <summary>Gets what marks the persona out (the documents' "Características").</summary>
    public string Characteristics { get; init; } = "";

    /// <summary>Gets the built-in profile of a persona.</summary>
    /// <param name="persona">The persona.</param>
    /// <returns>Its profile.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="persona"/> is not a defined persona.</exception>
    public static PersonaProfile For(Persona persona) => persona switch
    {
        Persona.Power => new(persona, ["advanced features", "beta access", "technical deep dives"], "technical and frequent updates", "advocacy and referrals") { Characteristics = "intensive use, high engagement" },
        Persona.Casual => new(persona, ["tips and tricks", "best practices", "educational content"], "value-focused, educational", "more usage") { Characteristics = "basic use, medium engagement" },
        Persona.Struggling => new(persona, ["extra support", "training"], "motivational, with success stories", "re-engagement") { Characteristics = "low use, low engagement" },
        _ => throw new ArgumentOutOfRangeException(nameof(persona), persona, "Not a persona."),
    };
}

/// <summary>
/// The persona cut-offs, on usage and engagement scores of 0–100. A customer is a power user when both scores reach
/// the power cut-offs, struggling when both are below the struggling cut-offs, and casual otherwise — so a heavy user
/// who has stopped engaging is casual, not power, and one weak score alone does not make a customer struggling.
/// </summary>
public sealed class PersonaOptions
{
    /// <summary>Gets or sets the lowest usage score of a power user. Default 70.</summary>
    public double PowerUsageFrom { get; set; } = 70;

    /// <summary>Gets or sets the lowest engagement score of a power user. Default 70.</summary>
    public double PowerEngagementFrom { get; set; } = 70;

    /// <summary>Gets or sets the usage score below which (with engagement also below its cut-off) a customer is struggling. Default 30.</summary>
    public double StrugglingUsageBelow { get; set; } = 30;

    /// <summary>Gets or sets the engagement score below which (with usage also below its cut-off) a customer is struggling. Default 30.</summary>
    public double StrugglingEngagementBelow { get; set; } = 30;
}

/// <summary>Assigns behaviour personas (G3) from usage and engagement scores with the configured cut-offs.</summary>
/// <remarks>Immutable and thread-safe; the cut-offs are copied when it is built.</remarks>
public sealed class PersonaClassifier
{
    private readonly double _powerUsage;
    private readonly double _powerEngagement;
    private readonly double _strugglingUsage;
    private readonly double _strugglingEngagement;

    /// <summary>Initializes a new instance of the <see cref="PersonaClassifier"/> class.</summary>
    /// <param name="options">The segmentation options; their persona cut-offs are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public PersonaClassifier(SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SegmentationOptionsValidation.ThrowIfInvalid(options);
        _powerUsage = options.Personas.PowerUsageFrom;
        _powerEngagement = options.Personas.PowerEngagementFrom;
        _strugglingUsage = options.Personas.StrugglingUsageBelow;
        _strugglingEngagement = options.Personas.StrugglingEngagementBelow;
    }

    /// <summary>Gets the persona of a customer.</summary>
    /// <param name="usage">The usage score, 0–100, or NaN when unknown.</param>
    /// <param name="engagement">The engagement score, 0–100, or NaN when unknown.</param>
    /// <returns>Power when both reach the power cut-offs, struggling when both are below the struggling cut-offs, casual otherwise; null when either score is unknown.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A score is neither NaN nor within 0–100.</exception>
    public Persona? Classify(double usage, double engagement)
    {
        CheckScore(usage, nameof(usage));
        CheckScore(engagement, nameof(engagement));
        return Classify(usage, engagement, this);
    }

    internal static void CheckScore(double score, string name)
    {
        if (!double.IsNaN(score) && !(score >= 0d && score <= 100d))
        {
            throw new ArgumentOutOfRangeException(name, score, $"{name} must be a score from 0 to 100, or NaN when unknown.");
        }
    }

    internal static Persona? Classify(double usage, double engagement, PersonaClassifier c)
    {
        if (double.IsNaN(usage) || double.IsNaN(engagement))
        {
            return null;
        }

        if (usage >= c._powerUsage && engagement >= c._powerEngagement)
        {
            return Persona.Power;
        }

        return usage < c._strugglingUsage && engagement < c._strugglingEngagement ? Persona.Struggling : Persona.Casual;
    }
}
