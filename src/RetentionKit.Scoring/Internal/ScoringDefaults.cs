using System;
using System.Collections.Generic;
using RetentionKit.Scoring.Signals;

namespace RetentionKit.Scoring;

/// <summary>The specification's defaults for the dictionary-valued options.</summary>
internal static class ScoringDefaults
{
    public static Dictionary<string, SignalOptions> Signals()
    {
        var signals = new Dictionary<string, SignalOptions>(StringComparer.Ordinal);
        foreach (var entry in BuiltInSignals.Catalogue)
        {
            signals[entry.Key.Name] = new SignalOptions { Weight = entry.Weight, Threshold = entry.Threshold, WindowDays = entry.WindowDays };
        }

        return signals;
    }

    public static Dictionary<string, RedFlagOptions> RedFlags() => new(StringComparer.Ordinal)
    {
        ["CompetitorTrialAndAlternativeSearch"] = new() { When = "CompetitorTrial & AlternativeSearches", Floor = 0.90 },
        ["ContractReviewAndAlternativeSearch"] = new() { When = "ContractReview & AlternativeSearches", Floor = 0.80 },
        ["LowNpsAndReducedUsage"] = new() { When = "Nps < 5 & ReducedUsage", Floor = 0.75 },
    };

    public static Dictionary<string, double> ComponentWeights() => new(StringComparer.Ordinal)
    {
        ["Engagement"] = 40,
        ["Usage"] = 30,
        ["Satisfaction"] = 20,
        ["Value"] = 10,
    };
}
