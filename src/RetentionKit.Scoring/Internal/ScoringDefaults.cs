using System.Collections.Generic;
using RetentionKit.Scoring.Signals;

namespace RetentionKit.Scoring;

/// <summary>The specification's defaults for the dictionary-valued options.</summary>
internal static class ScoringDefaults
{
    public static Dictionary<string, SignalOptions> Signals()
    {
        var signals = new Dictionary<string, SignalOptions>(OptionKeyComparer.Instance);
        foreach (var entry in BuiltInSignals.Catalogue)
        {
            signals[entry.Key.Name] = new SignalOptions { Weight = entry.Weight, Threshold = entry.Threshold, WindowDays = entry.WindowDays };
        }

        return signals;
    }

    public static Dictionary<string, RedFlagOptions> RedFlags() => new(OptionKeyComparer.Instance)
    {
        [RedFlagNames.CompetitorTrialAndAlternativeSearch] = new() { When = "CompetitorTrial & AlternativeSearches", Floor = 0.90 },
        [RedFlagNames.ContractReviewAndAlternativeSearch] = new() { When = "ContractReview & AlternativeSearches", Floor = 0.80 },
        [RedFlagNames.LowNpsAndReducedUsage] = new() { When = "Nps < 5 & ReducedUsage", Floor = 0.75 },
    };

    public static Dictionary<string, double> ComponentWeights() => new(OptionKeyComparer.Instance)
    {
        [ComponentNames.Engagement] = 40,
        [ComponentNames.Usage] = 30,
        [ComponentNames.Satisfaction] = 20,
        [ComponentNames.Value] = 10,
    };
}
