using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Options;

namespace RetentionKit.Segmentation;

/// <summary>Every rule of <see cref="SegmentationOptions"/>, each problem named by its configuration path.</summary>
internal static class SegmentationOptionsValidation
{
    public static List<string> Problems(SegmentationOptions options)
    {
        var problems = new List<string>();
        ThresholdProblems(options, problems);
        PersonaProblems(options.Personas, problems);
        IndustryProblems(options, problems);
        return RetentionKit.Internal.OptionPaths.Qualify<SegmentationOptions>("Segmentation", problems);
    }

    public static void ThrowIfInvalid(SegmentationOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SegmentationOptions), problems);
        }
    }

    private static void ThresholdProblems(SegmentationOptions options, List<string> problems)
    {
        if (options.ValueThresholds.Count == 0)
        {
            problems.Add("ValueThresholds: at least one currency must have thresholds.");
        }

        foreach (var (code, thresholds) in options.ValueThresholds.OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            var path = $"ValueThresholds:{code}";
            if (code.Length != 3 || !code.All(char.IsAsciiLetter))
            {
                problems.Add($"{path}: '{code}' is not a three-letter ISO 4217 currency code.");
            }

            if (thresholds is null)
            {
                problems.Add($"{path}: the thresholds must not be null.");
                continue;
            }

            if (thresholds.MediumFrom <= 0m)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:MediumFrom is {thresholds.MediumFrom}; it must be above 0."));
            }

            if (thresholds.HighAbove < thresholds.MediumFrom)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:HighAbove ({thresholds.HighAbove}) must not be below MediumFrom ({thresholds.MediumFrom})."));
            }
        }
    }

    private static void PersonaProblems(PersonaOptions personas, List<string> problems)
    {
        var cutOffs = new (string Name, double Value)[]
        {
            (nameof(PersonaOptions.PowerUsageFrom), personas.PowerUsageFrom),
            (nameof(PersonaOptions.PowerEngagementFrom), personas.PowerEngagementFrom),
            (nameof(PersonaOptions.StrugglingUsageBelow), personas.StrugglingUsageBelow),
            (nameof(PersonaOptions.StrugglingEngagementBelow), personas.StrugglingEngagementBelow),
        };
        var before = problems.Count;
        foreach (var (name, value) in cutOffs)
        {
            if (!(value >= 0d && value <= 100d))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Personas:{name} is {value}; it must be a score from 0 to 100."));
            }
        }

        if (problems.Count > before)
        {
            return; // the order of the cut-offs means nothing until each is a score
        }

        if (personas.StrugglingUsageBelow > personas.PowerUsageFrom)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Personas:StrugglingUsageBelow ({personas.StrugglingUsageBelow}) must not exceed PowerUsageFrom ({personas.PowerUsageFrom})."));
        }

        if (personas.StrugglingEngagementBelow > personas.PowerEngagementFrom)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Personas:StrugglingEngagementBelow ({personas.StrugglingEngagementBelow}) must not exceed PowerEngagementFrom ({personas.PowerEngagementFrom})."));
        }
    }

    private static void IndustryProblems(SegmentationOptions options, List<string> problems)
    {
        foreach (var (key, industry) in options.Industries.OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            var path = $"Industries:{key}";
            if (string.IsNullOrWhiteSpace(key) || key.Trim() != key)
            {
                problems.Add($"{path}: an industry key must be non-blank without surrounding spaces.");
            }

            if (string.Equals(key, IndustrySegmentation.Other, System.StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{path}: '{IndustrySegmentation.Other}' is reserved for customers of no configured industry.");
            }

            if (industry is null)
            {
                problems.Add($"{path}: the profile must not be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(industry.Name))
            {
                problems.Add($"{path}:Name must not be blank.");
            }

            if (industry.Content.Any(string.IsNullOrWhiteSpace) || industry.Integrations.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"{path}: Content and Integrations must not hold blank entries.");
            }
        }
    }
}
