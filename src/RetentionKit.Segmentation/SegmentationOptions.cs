using System;
using System.Collections.Generic;

namespace RetentionKit.Segmentation;

/// <summary>Options of RetentionKit.Segmentation, bound from <c>RetentionKit:Segmentation</c>; validated at start-up.</summary>
public sealed class SegmentationOptions
{
    /// <summary>
    /// Gets the value-segment CLV thresholds per ISO 4217 currency code (case-insensitive). Default: USD 1,000 and 10,000 (G1).
    /// A CLV in a currency without thresholds is rejected rather than converted.
    /// </summary>
    public Dictionary<string, ValueThresholds> ValueThresholds { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = new ValueThresholds(),
    };

    /// <summary>Gets the persona cut-offs (G3).</summary>
    public PersonaOptions Personas { get; } = new();

    /// <summary>
    /// Gets the industry profiles by key (case-insensitive; G4). Built in: technology, marketing and sales; a host adds its
    /// own keys here or in configuration. The key <c>other</c> is reserved for customers of no configured industry.
    /// </summary>
    public Dictionary<string, IndustryProfileOptions> Industries { get; } = IndustryProfile.BuiltIn();
}
