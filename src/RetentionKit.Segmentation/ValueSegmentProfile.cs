using System;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>
/// What a value segment typically looks like and how to serve it (G1): typical monthly ARPU (in the thresholds'
/// currency), annual retention, annual expansion and NPS; the service strategy with its resources; and the objective.
/// </summary>
public sealed record ValueSegmentProfile
{
    /// <summary>Gets the segment.</summary>
    public required ValueSegment Segment { get; init; }

    /// <summary>Gets the typical monthly revenue per account.</summary>
    public required TypicalRange MonthlyArpu { get; init; }

    /// <summary>Gets the typical annual retention, as a fraction (0.95 = 95 %).</summary>
    public required TypicalRange AnnualRetention { get; init; }

    /// <summary>Gets the typical annual expansion, as a fraction.</summary>
    public required TypicalRange Expansion { get; init; }

    /// <summary>Gets the typical Net Promoter Score (−100 to 100).</summary>
    public required TypicalRange Nps { get; init; }

    /// <summary>Gets the service strategy's name, e.g. "white-glove".</summary>
    public required string Strategy { get; init; }

    /// <summary>Gets the resources the strategy puts behind the segment.</summary>
    public required ImmutableArray<string> Resources { get; init; }

    /// <summary>Gets the segment's objective in words, e.g. "move to high".</summary>
    public required string Objective { get; init; }

    /// <summary>Gets the segment a customer should reach (the same segment when the objective is to stay and grow).</summary>
    public required ValueSegment TargetSegment { get; init; }

    /// <summary>Gets the objective's annual retention, as a fraction, when it has one (high: 98 %).</summary>
    public double? TargetRetention { get; init; }

    /// <summary>Gets the objective's annual expansion, as a fraction, when it has one (high: 40 %).</summary>
    public double? TargetExpansion { get; init; }

    /// <summary>Gets the built-in profile of a segment, with the figures of G1.</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>Its profile.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segment"/> is not a defined segment.</exception>
    public static ValueSegmentProfile For(ValueSegment segment) => segment switch
    {
        ValueSegment.High => High,
        ValueSegment.Medium => Medium,
        ValueSegment.Low => Low,
        _ => throw new ArgumentOutOfRangeException(nameof(segment), segment, "Not a value segment."),
    };

    private static readonly ValueSegmentProfile High = new()
    {
        Segment = ValueSegment.High,
        MonthlyArpu = new(500, null),
        AnnualRetention = new(0.95, null),
        Expansion = new(0.30, null),
        Nps = new(70, null),
        Strategy = "white-glove",
        Resources =
        [
            "dedicated account manager",
            "24/7 support answered within 1 hour",
            "early access to beta features",
            "custom development",
            "quarterly strategy reviews",
        ],
        Objective = "keep retention at 98 % or more and grow expansion to 40 % or more",
        TargetSegment = ValueSegment.High,
        TargetRetention = 0.98,
        TargetExpansion = 0.40,
    };

    private static readonly ValueSegmentProfile Medium = new()
    {
        Segment = ValueSegment.Medium,
        MonthlyArpu = new(100, 500),
        AnnualRetention = new(0.85, 0.95),
        Expansion = new(0.15, 0.30),
        Nps = new(50, 70),
        Strategy = "proactive support",
        Resources =
        [
            "priority support answered within 4 hours",
            "monthly one-to-one training",
            "a customer success manager",
            "best-practice guides",
            "premium community",
        ],
        Objective = "move to the high segment",
        TargetSegment = ValueSegment.High,
    };

    private static readonly ValueSegmentProfile Low = new()
    {
        Segment = ValueSegment.Low,
        MonthlyArpu = new(null, 100),
        AnnualRetention = new(0.70, 0.85),
        Expansion = new(null, 0.15),
        Nps = new(null, 50),
        Strategy = "value realisation",
        Resources =
        [
            "self-service and automation",
            "educational content",
            "weekly tips",
            "community",
            "upgrade offers",
        ],
        Objective = "move to the medium segment",
        TargetSegment = ValueSegment.Medium,
    };
}
