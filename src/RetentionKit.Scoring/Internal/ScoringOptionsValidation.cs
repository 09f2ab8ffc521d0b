using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RetentionKit.Scoring.Components;
using RetentionKit.Scoring.RedFlags;
using RetentionKit.Internal;
using RetentionKit.Scoring.Signals;

namespace RetentionKit.Scoring.Internal;

/// <summary>Every rule of <see cref="ScoringOptions"/>, single-field and cross-field, with every problem listed.</summary>
internal static class ScoringOptionsValidation
{
    public const int MaxSignals = 64;
    public const int MaxRedFlags = 64;

    public static List<string> Problems(
        ScoringOptions? options,
        IReadOnlyCollection<IChurnSignal> customSignals,
        IReadOnlyCollection<IRetentionScoreComponent> customComponents,
        IReadOnlyCollection<IRedFlagRule> customRedFlags)
    {
        var problems = new List<string>();
        if (options is null)
        {
            problems.Add("the options must not be null.");
            return problems;
        }

        var single = new ScoringOptionsValidator().Validate(null, options);
        if (single.Failed)
        {
            problems.AddRange(single.Failures);
        }

        if (options.CategoryWeights is null || options.Signals is null || options.RiskLevels is null || options.RedFlags is null
            || options.Sentiment is null || options.RetentionScore?.ComponentWeights is null || options.History is null || options.Calibration?.Coefficients is null)
        {
            problems.Add("the options must not hold null sections (CategoryWeights, Signals, RiskLevels, RedFlags, Sentiment, RetentionScore, History, Calibration).");
            return problems;
        }

        var signals = SignalProblems(options, customSignals, problems);
        RiskLevelProblems(options.RiskLevels, problems);
        RedFlagProblems(options, signals, customRedFlags, customSignals, customComponents, problems);
        if (options.Sentiment.NegativeBelow > options.Sentiment.PositiveAbove)
        {
            problems.Add($"Sentiment.NegativeBelow ({Num(options.Sentiment.NegativeBelow)}) must not exceed Sentiment.PositiveAbove ({Num(options.Sentiment.PositiveAbove)}).");
        }

        var components = ComponentProblems(options.RetentionScore, customComponents, problems);
        if (options.Calibration.Enabled)
        {
            CalibrationProblems(options.Calibration, signals, components, problems);
        }

        return problems;
    }

    /// <summary>The signals the engine will use: built-ins not replaced, then the host's, without the disabled ones.</summary>
    public static List<IChurnSignal> ResolveSignals(ScoringOptions options, IReadOnlyCollection<IChurnSignal> customSignals)
    {
        var custom = customSignals.Select(s => s.Key).ToHashSet();
        var result = new List<IChurnSignal>();
        foreach (var entry in BuiltInSignals.Catalogue)
        {
            if (!custom.Contains(entry.Key) && options.Signals.TryGetValue(entry.Key.Name, out var signalOptions) && signalOptions is { Enabled: true })
            {
                result.Add(BuiltInSignals.Create(entry, signalOptions));
            }
        }

        foreach (var signal in customSignals)
        {
            if (options.Signals.TryGetValue(signal.Key.Name, out var signalOptions) && signalOptions is { Enabled: true })
            {
                result.Add(Configure(signal, signalOptions) is null ? signal.WithOptions(signalOptions) : signal); // a refusal is a reported problem
            }
        }

        return result;
    }

    /// <summary>What a host signal says about its options: null when it takes them, else the problem.</summary>
    private static string? Configure(IChurnSignal signal, SignalOptions options)
    {
        IChurnSignal? configured;
        try
        {
            configured = signal.WithOptions(options);
        }
        catch (ArgumentException e)
        {
            var message = e.Message.Split('\n')[0];
            if (e.ParamName is { Length: > 0 } name)
            {
                message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
                return $"Signals:{signal.Key}:{char.ToUpperInvariant(name[0])}{name[1..]}: {message}";
            }

            return $"Signals:{signal.Key}: {message}";
        }

        return configured is null || configured.Key != signal.Key
            ? $"Signals:{signal.Key}: WithOptions of {signal.GetType().Name} must return a signal with the key '{signal.Key}'."
            : null;
    }

    /// <summary>The components: built-ins not replaced, then the host's.</summary>
    public static List<IRetentionScoreComponent> ResolveComponents(IReadOnlyCollection<IRetentionScoreComponent> customComponents)
    {
        var custom = customComponents.Select(c => c.Key).ToHashSet();
        var result = BuiltInComponents.All.Where(c => !custom.Contains(c.Key)).ToList();
        result.AddRange(customComponents);
        return result;
    }

    public static List<IRedFlagRule> ResolveRedFlags(ScoringOptions options, IReadOnlyCollection<IRedFlagRule> customRedFlags)
    {
        var result = new List<IRedFlagRule>();
        foreach (var (name, flag) in options.RedFlags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (flag is { Enabled: true } && ConditionRedFlagRule.TryParse(name, flag, new List<string>()) is { } rule)
            {
                result.Add(rule);
            }
        }

        result.AddRange(customRedFlags);
        return result;
    }

    /// <summary>
    /// The range a built-in signal's threshold must lie in, by what its measure is: a share (0–1), a 0–10 answer; null
    /// for counts and days, which the option's own range (0 or more) covers. A share threshold of 5 used to be accepted
    /// and made a healthy customer's share "below" it (issue 21).
    /// </summary>
    private static (double Low, double High, string Measure)? ThresholdRange(string key) => key switch
    {
        SignalNames.LowEmailEngagement or SignalNames.ReducedUsage or SignalNames.LowLoginFrequency => (0d, 1d, "a share (0 to 1)"),
        SignalNames.NegativeComments => (0d, 1d, "a sentiment on a 0-1 scale"),
        SignalNames.NegativeFeedback => (0d, 10d, "an NPS answer (0 to 10)"),
        SignalNames.LowSurveySatisfaction => (1d, 10d, "a satisfaction answer (1 to 10)"),
        _ => null,
    };

    private static List<IChurnSignal> SignalProblems(ScoringOptions options, IReadOnlyCollection<IChurnSignal> customSignals, List<string> problems)
    {
        var known = BuiltInSignals.Catalogue.Select(e => e.Key.Name).Concat(customSignals.Select(s => s.Key.Name)).ToHashSet(OptionKeyComparer.Instance);
        foreach (var duplicate in customSignals.GroupBy(s => s.Key).Where(g => g.Count() > 1))
        {
            problems.Add($"Signals: two registered signals have the key '{duplicate.Key}'.");
        }

        foreach (var (key, signal) in options.Signals)
        {
            if (!known.Contains(key))
            {
                problems.Add($"Signals:{key} names no registered signal (built-in keys: {string.Join(", ", BuiltInSignals.Catalogue.Select(e => e.Key.Name))}).");
            }

            if (signal is null)
            {
                problems.Add($"Signals:{key} must not be null.");
                continue;
            }

            var result = new SignalOptionsValidator().Validate(null, signal);
            if (result.Failed)
            {
                problems.AddRange(result.Failures.Select(f => OptionPaths.Nested($"Signals:{key}", f)));
            }
            else if (customSignals.FirstOrDefault(c => OptionKeyComparer.Instance.Equals(c.Key.Name, key)) is { } custom)
            {
                if (Configure(custom, signal) is { } problem)
                {
                    problems.Add(problem);
                }
            }
            else if (ThresholdRange(key) is var (low, high, measure) && (signal.Threshold < low || signal.Threshold > high))
            {
                problems.Add($"Signals:{key}:Threshold is {Num(signal.Threshold)}; the signal measures {measure}, so its threshold must be from {Num(low)} to {Num(high)}.");
            }
        }

        foreach (var signal in customSignals)
        {
            if (signal.Key.IsDefault)
            {
                problems.Add($"Signals: a registered signal ({signal.GetType().Name}) has the default key.");
            }
            else if (!options.Signals.ContainsKey(signal.Key.Name))
            {
                problems.Add($"Signals:{signal.Key} is missing: the registered signal {signal.GetType().Name} needs an entry with its weight.");
            }
        }

        var weights = options.CategoryWeights;
        if (!(weights.Behavioural + weights.Sentiment + weights.Competitive > 0))
        {
            problems.Add("CategoryWeights must not all be zero.");
        }

        var resolved = ResolveSignals(options, customSignals.Where(s => !s.Key.IsDefault).ToList());
        if (resolved.Count > MaxSignals)
        {
            problems.Add($"Signals: at most {MaxSignals} signals can be enabled; {resolved.Count} are.");
        }

        if (resolved.Count == 0)
        {
            problems.Add("Signals: at least one signal must be enabled.");
        }
        else if (!(resolved.Sum(s => Usable(options.Signals[s.Key.Name].Weight)) > 0))
        {
            problems.Add("Signals: the enabled signals' weights must not all be zero.");
        }

        foreach (var category in Enum.GetValues<SignalCategory>())
        {
            var inCategory = resolved.Where(s => s.Category == category).ToList();
            if (weights.Of(category) > 0 && inCategory.Count > 0 && !(inCategory.Sum(s => Usable(options.Signals[s.Key.Name].Weight)) > 0))
            {
                problems.Add($"CategoryWeights.{category} is {Num(weights.Of(category))} but the weights of its enabled signals are all zero.");
            }
        }

        return resolved;
    }

    private static void RiskLevelProblems(RiskLevelOptions levels, List<string> problems)
    {
        if (levels.Low is null || levels.Medium is null || levels.High is null)
        {
            problems.Add("RiskLevels.Low, Medium and High must not be null.");
            return;
        }

        if (levels.MediumAtActiveSignals >= levels.HighAtActiveSignals)
        {
            problems.Add($"RiskLevels.MediumAtActiveSignals ({levels.MediumAtActiveSignals}) must be below RiskLevels.HighAtActiveSignals ({levels.HighAtActiveSignals}).");
        }

        foreach (var (name, band) in new[] { ("Low", levels.Low), ("Medium", levels.Medium), ("High", levels.High) })
        {
            if (band.Minimum > band.Maximum)
            {
                problems.Add($"RiskLevels.{name}.Minimum ({Num(band.Minimum)}) must not exceed RiskLevels.{name}.Maximum ({Num(band.Maximum)}).");
            }
        }

        if (levels.Low.Maximum > levels.Medium.Minimum)
        {
            problems.Add($"RiskLevels.Low ({Num(levels.Low.Minimum)}–{Num(levels.Low.Maximum)}) overlaps RiskLevels.Medium ({Num(levels.Medium.Minimum)}–{Num(levels.Medium.Maximum)}): Low.Maximum must not exceed Medium.Minimum.");
        }

        if (levels.Medium.Maximum > levels.High.Minimum)
        {
            problems.Add($"RiskLevels.Medium ({Num(levels.Medium.Minimum)}–{Num(levels.Medium.Maximum)}) overlaps RiskLevels.High ({Num(levels.High.Minimum)}–{Num(levels.High.Maximum)}): Medium.Maximum must not exceed High.Minimum.");
        }
    }

    private static void RedFlagProblems(
        ScoringOptions options,
        List<IChurnSignal> signals,
        IReadOnlyCollection<IRedFlagRule> customRedFlags,
        IReadOnlyCollection<IChurnSignal> customSignals,
        IReadOnlyCollection<IRetentionScoreComponent> customComponents,
        List<string> problems)
    {
        var enabledSignals = signals.Select(s => s.Key).ToHashSet();
        var measures = KnownMeasures(customSignals, customComponents);
        var count = customRedFlags.Count;
        foreach (var (name, flag) in options.RedFlags)
        {
            if (flag is null)
            {
                problems.Add($"RedFlags:{name} must not be null.");
                continue;
            }

            var single = new RedFlagOptionsValidator().Validate(null, flag);
            if (single.Failed)
            {
                problems.AddRange(single.Failures.Select(f => OptionPaths.Nested($"RedFlags:{name}", f)));
            }

            if (!flag.Enabled)
            {
                continue;
            }

            count++;
            if (ConditionRedFlagRule.TryParse(name, flag, problems) is not { } rule)
            {
                continue;
            }

            foreach (var signal in rule.Signals.Where(s => !enabledSignals.Contains(s)))
            {
                problems.Add($"RedFlags:{name}:When names the signal '{signal}', which is not registered or not enabled.");
            }

            foreach (var (measure, _) in rule.MeasuresBelow.Where(m => !measures.Contains(m.Measure)))
            {
                problems.Add($"RedFlags:{name}:When names the measure '{measure}', which no registered signal or component declares.");
            }
        }

        foreach (var rule in customRedFlags)
        {
            if (!(rule.Floor is >= 0d and <= 1d))
            {
                problems.Add($"RedFlags:{rule.Name}:Floor is {Num(rule.Floor)} (a registered rule); a floor must be between 0 and 1.");
            }
        }

        if (count > MaxRedFlags)
        {
            problems.Add($"RedFlags: at most {MaxRedFlags} red flags can be enabled; {count} are.");
        }
    }

    private static List<IRetentionScoreComponent> ComponentProblems(RetentionScoreOptions retention, IReadOnlyCollection<IRetentionScoreComponent> customComponents, List<string> problems)
    {
        var resolved = ResolveComponents(customComponents);
        var known = resolved.Select(c => c.Key.Name).Concat(BuiltInComponents.All.Select(c => c.Key.Name)).ToHashSet(OptionKeyComparer.Instance);
        foreach (var (key, weight) in retention.ComponentWeights)
        {
            if (!known.Contains(key))
            {
                problems.Add($"RetentionScore:ComponentWeights:{key} names no registered component (built-in keys: Engagement, Usage, Satisfaction, Value).");
            }

            if (!double.IsFinite(weight) || weight < 0d)
            {
                problems.Add($"RetentionScore:ComponentWeights:{key} is {Num(weight)}; a weight must be a finite number, zero or more.");
            }
        }

        foreach (var component in resolved.Where(c => !retention.ComponentWeights.ContainsKey(c.Key.Name)))
        {
            problems.Add($"RetentionScore:ComponentWeights:{component.Key} is missing: the component needs a weight.");
        }

        if (!(resolved.Sum(c => retention.ComponentWeights.TryGetValue(c.Key.Name, out var w) && double.IsFinite(w) ? w : 0d) > 0d))
        {
            problems.Add("RetentionScore:ComponentWeights must not all be zero.");
        }

        if (!(retention.LowFrom < retention.MediumFrom && retention.MediumFrom < retention.HighFrom))
        {
            problems.Add($"RetentionScore: the bands overlap: LowFrom ({Num(retention.LowFrom)}) < MediumFrom ({Num(retention.MediumFrom)}) < HighFrom ({Num(retention.HighFrom)}) must hold.");
        }

        return resolved;
    }

    private static void CalibrationProblems(CalibrationOptions calibration, List<IChurnSignal> signals, List<IRetentionScoreComponent> components, List<string> problems)
    {
        var features = CalibrationFeatures.Names(signals, components).ToHashSet(StringComparer.Ordinal);
        foreach (var (feature, coefficient) in calibration.Coefficients)
        {
            if (!features.Contains(feature))
            {
                problems.Add($"Calibration:Coefficients:{feature} names no feature; features are signal.{{key}}, component.{{key}} and component.{{key}}.missing of the registered signals and components.");
            }

            if (!double.IsFinite(coefficient))
            {
                problems.Add($"Calibration:Coefficients:{feature} must be a finite number.");
            }
        }
    }

    public static HashSet<MeasureKey> KnownMeasures(IReadOnlyCollection<IChurnSignal> customSignals, IReadOnlyCollection<IRetentionScoreComponent> customComponents) =>
        Measures.BuiltIn.Select(d => d.Key)
            .Concat(customSignals.SelectMany(s => s.AdditionalMeasures ?? []).Select(d => d.Key))
            .Concat(customComponents.SelectMany(c => c.AdditionalMeasures ?? []).Select(d => d.Key))
            .ToHashSet();

    /// <summary>A weight as it counts towards "not all zero": a NaN or negative weight is reported on its own and counts as zero here.</summary>
    private static double Usable(double weight) => double.IsFinite(weight) && weight > 0d ? weight : 0d;

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
