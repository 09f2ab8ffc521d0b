using System.Collections.Generic;

namespace RetentionKit.Scoring.Internal;

/// <summary>What the host registered beside the options: its signals, components, red flags, features, and whether it has a model of its own.</summary>
internal sealed record ScoringRegistrations(
    IReadOnlyCollection<IChurnSignal> Signals,
    IReadOnlyCollection<IRetentionScoreComponent> Components,
    IReadOnlyCollection<IRedFlagRule> RedFlags,
    IReadOnlyCollection<ChurnFeature> Features,
    bool HasModel);
