using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics;

/// <summary>The options of RetentionKit.Metrics, bound from configuration (for example the section <c>RetentionKit:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>Gets or sets the edge-case policies of MRR movements and cohorts.</summary>
    [ValidateObjectMembers]
    public SubscriptionAnalysisOptions Subscriptions { get; set; } = new();

    /// <summary>Gets or sets the KPI scorecard's targets.</summary>
    [ValidateObjectMembers]
    public KpiTargetOptions Targets { get; set; } = new();
}

/// <summary>Single-field rules (DataAnnotations), source-generated.</summary>
[OptionsValidator]
internal sealed partial class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
}

/// <summary>Single-field rules of the targets alone, source-generated.</summary>
[OptionsValidator]
internal sealed partial class KpiTargetOptionsValidator : IValidateOptions<KpiTargetOptions>
{
}

/// <summary>Cross-field rules: each target band's bottom must not exceed its top.</summary>
internal sealed class MetricsOptionsCrossFieldValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var problems = MetricsOptionsValidation.BandProblems(options.Targets);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<MetricsOptions>("Metrics", problems));
    }
}

internal static class MetricsOptionsValidation
{
    public static List<string> Problems(KpiTargetOptions targets)
    {
        var problems = new List<string>();
        var single = new KpiTargetOptionsValidator().Validate(null, targets);
        if (single.Failed)
        {
            problems.AddRange(single.Failures.Select(f => RetentionKit.Internal.OptionPaths.Nested("Targets", f)));
        }

        problems.AddRange(BandProblems(targets));
        return problems;
    }

    public static List<string> BandProblems(KpiTargetOptions? targets)
    {
        var problems = new List<string>();
        if (targets is null)
        {
            problems.Add("Targets must not be null.");
            return problems;
        }

        if (targets.UpsellConversionMin > targets.UpsellConversionMax)
        {
            problems.Add($"Targets.UpsellConversionMin ({targets.UpsellConversionMin}) must not exceed Targets.UpsellConversionMax ({targets.UpsellConversionMax}).");
        }

        if (targets.CrossSellConversionMin > targets.CrossSellConversionMax)
        {
            problems.Add($"Targets.CrossSellConversionMin ({targets.CrossSellConversionMin}) must not exceed Targets.CrossSellConversionMax ({targets.CrossSellConversionMax}).");
        }

        return problems;
    }
}
