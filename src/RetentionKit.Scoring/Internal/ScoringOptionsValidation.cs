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

    public static List<string> Problems(ScoringOptions? options, ScoringRegistrations registrations)
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
            || options.Sentiment is null || options.RetentionScore?.ComponentWeights is null || options.RetentionScore.DisabledComponents is null
            || options.History is null || options.Calibration?.Coefficients is null || options.Calibration.Means is null || options.Features is null)
        {
            problems.Add("the options must not hold null sections (CategoryWeights, Signals, RiskLevels, RedFlags, Sentiment, RetentionScore, History, Calibration, Features).");
            return problems;
        }

        // An engine of features only is valid without signals or components: it is what a calibration is fitted on.
        var hasModel = registrations.HasModel || options.Calibration.Enabled || registrations.Features.Count > 0 || options.Features.Count > 0;
        if (registrations.HasModel && options.Calibration.Enabled)
        {
            problems.Add("Calibration:Enabled is true and a churn model (IChurnModel) is registered; one model gives the probability: disable the calibration or remove the model.");
        }

        var signals = SignalProblems(options, registrations.Signals, hasModel, problems);
        RiskLevelProblems(options.RiskLevels, problems);
        RedFlagProblems(options, signals, registrations, problems);
        if (options.Sentiment.NegativeBelow > options.Sentiment.PositiveAbove)
        {
            problems.Add($"Sentiment.NegativeBelow ({Num(options.Sentiment.NegativeBelow)}) must not exceed Sentiment.PositiveAbove ({Num(options.Sentiment.PositiveAbove)}).");
        }

        var components = ComponentProblems(options, registrations.Components, hasModel, problems);
        var features = FeatureProblems(options, registrations, problems);
        if (options.Calibration.Enabled)
        {
            CalibrationProblems(options, signals, components, features, registrations.RedFlags, problems);
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
            if (options.UseBuiltInSignals && !custom.Contains(entry.Key) && options.Signals.TryGetValue(entry.Key.Name, out var signalOptions) && signalOptions is { Enabled: true })
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

    /// <summary>The components: built-ins not replaced, removed or switched off, then the host's.</summary>
    public static List<IRetentionScoreComponent> ResolveComponents(ScoringOptions options, IReadOnlyCollection<IRetentionScoreComponent> customComponents)
    {
        var custom = customComponents.Select(c => c.Key).ToHashSet();
        var disabled = options.RetentionScore.DisabledComponents.Where(d => d is not null).ToHashSet(OptionKeyComparer.Instance);
        var result = options.UseBuiltInComponents
            ? BuiltInComponents.All.Where(c => !custom.Contains(c.Key) && !disabled.Contains(c.Key.Name)).ToList()
            : [];
        result.AddRange(customComponents);
        return result;
    }

    /// <summary>The model features: those of the options by name, then the host's.</summary>
    public static List<ChurnFeature> ResolveFeatures(ScoringOptions options, IReadOnlyCollection<ChurnFeature> customFeatures)
    {
        var result = options.Features.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToFeature(p.Key)).ToList();
        result.AddRange(customFeatures);
        return result;
    }

    /// <summary>Whether a red flag of the options is used: enabled, and not a built-in one switched off with the rest.</summary>
    private static bool InUse(ScoringOptions options, string name, RedFlagOptions? flag) =>
        flag is { Enabled: true } && (options.UseBuiltInRedFlags || !RedFlagNames.All.Contains(name, OptionKeyComparer.Instance));

    public static List<IRedFlagRule> ResolveRedFlags(ScoringOptions options, IReadOnlyCollection<IRedFlagRule> customRedFlags)
    {
        var result = new List<IRedFlagRule>();
        foreach (var (name, flag) in options.RedFlags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (InUse(options, name, flag) && ConditionRedFlagRule.TryParse(name, flag!, new List<string>()) is { } rule)
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

    private static List<IChurnSignal> SignalProblems(ScoringOptions options, IReadOnlyCollection<IChurnSignal> customSignals, bool hasModel, List<string> problems)
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
            if (!hasModel)
            {
                problems.Add("Signals: at least one signal must be enabled, unless model features or a model (Calibration or a registered IChurnModel) give the churn probability.");
            }
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

        if (!(levels.MediumFromProbability < levels.HighFromProbability))
        {
            problems.Add($"RiskLevels.MediumFromProbability ({Num(levels.MediumFromProbability)}) must be below RiskLevels.HighFromProbability ({Num(levels.HighFromProbability)}).");
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

    private static void RedFlagProblems(ScoringOptions options, List<IChurnSignal> signals, ScoringRegistrations registrations, List<string> problems)
    {
        var customRedFlags = registrations.RedFlags;
        var enabledSignals = signals.Select(s => s.Key).ToHashSet();
        var measures = KnownMeasures(registrations.Signals, registrations.Components);
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

            if (!InUse(options, name, flag))
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
                problems.Add(options.UseBuiltInSignals || !RedFlagNames.All.Contains(name, OptionKeyComparer.Instance)
                    ? $"RedFlags:{name}:When names the signal '{signal}', which is not registered or not enabled."
                    : $"RedFlags:{name}:When names the built-in signal '{signal}', and UseBuiltInSignals is false: set UseBuiltInRedFlags to false as well.");
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

    private static List<IRetentionScoreComponent> ComponentProblems(ScoringOptions options, IReadOnlyCollection<IRetentionScoreComponent> customComponents, bool hasModel, List<string> problems)
    {
        var retention = options.RetentionScore;
        var resolved = ResolveComponents(options, customComponents);
        var builtIn = BuiltInComponents.All.Select(c => c.Key.Name).ToHashSet(OptionKeyComparer.Instance);
        var known = resolved.Select(c => c.Key.Name).Concat(builtIn).ToHashSet(OptionKeyComparer.Instance);
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

        for (var i = 0; i < retention.DisabledComponents.Count; i++)
        {
            if (retention.DisabledComponents[i] is not { } key || !builtIn.Contains(key))
            {
                problems.Add($"RetentionScore:DisabledComponents:{i} is '{retention.DisabledComponents[i]}', which is not a built-in component (Engagement, Usage, Satisfaction, Value).");
            }
        }

        foreach (var component in resolved.Where(c => !retention.ComponentWeights.ContainsKey(c.Key.Name)))
        {
            problems.Add($"RetentionScore:ComponentWeights:{component.Key} is missing: the component needs a weight.");
        }

        if (resolved.Count > 0 && !(resolved.Sum(c => retention.ComponentWeights.TryGetValue(c.Key.Name, out var w) && double.IsFinite(w) ? w : 0d) > 0d))
        {
            problems.Add("RetentionScore:ComponentWeights must not all be zero.");
        }
        else if (resolved.Count == 0 && !hasModel)
        {
            problems.Add("RetentionScore: at least one component must be in use, unless model features or a model (Calibration or a registered IChurnModel) give the churn probability.");
        }

        if (!(retention.LowFrom < retention.MediumFrom && retention.MediumFrom < retention.HighFrom))
        {
            problems.Add($"RetentionScore: the bands overlap: LowFrom ({Num(retention.LowFrom)}) < MediumFrom ({Num(retention.MediumFrom)}) < HighFrom ({Num(retention.HighFrom)}) must hold.");
        }

        return resolved;
    }

    private static List<ChurnFeature> FeatureProblems(ScoringOptions options, ScoringRegistrations registrations, List<string> problems)
    {
        var result = new List<ChurnFeature>();
        foreach (var (name, feature) in options.Features.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (feature is null)
            {
                problems.Add($"Features:{name} must not be null.");
                continue;
            }

            try
            {
                result.Add(feature.ToFeature(name));
            }
            catch (ArgumentException e)
            {
                var message = e.Message.Split('\n')[0];
                message = e.ParamName is { Length: > 0 } param ? message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal) : message;
                problems.Add($"Features:{name}: {message}");
            }
        }

        result.AddRange(registrations.Features);
        foreach (var duplicate in result.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Features: two features are named '{duplicate.Key}'.");
        }

        var declared = KnownMeasures(registrations.Signals, registrations.Components);
        foreach (var feature in result.Where(f => f.Kind != ChurnFeatureKind.Numeric && declared.Contains(f.Measure.Key)))
        {
            problems.Add($"Features:{feature.Name} is {feature.Kind.ToString().ToLowerInvariant()} and has the name of a measure that already exists; only a numeric feature may read an existing measure.");
        }

        return result;
    }

    private static void CalibrationProblems(ScoringOptions options, List<IChurnSignal> signals, List<IRetentionScoreComponent> components, List<ChurnFeature> features, IReadOnlyCollection<IRedFlagRule> customRedFlags, List<string> problems)
    {
        var calibration = options.Calibration;
        var redFlags = ResolveRedFlags(options, customRedFlags);
        var terms = signals.Select(s => ModelTerms.Signal(s.Key))
            .Concat(components.SelectMany(c => new[] { ModelTerms.Component(c.Key), ModelTerms.ComponentMissing(c.Key) }))
            .Concat(redFlags.Select(r => ModelTerms.RedFlag(r.Name)))
            .Concat(features.SelectMany(f => f.TermNames()))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (section, values) in new[] { ("Coefficients", calibration.Coefficients), ("Means", calibration.Means) })
        {
            foreach (var (term, value) in values)
            {
                if (!terms.Contains(term))
                {
                    problems.Add($"Calibration:{section}:{term} names no model term; terms are signal.{{key}}, component.{{key}}, component.{{key}}.missing, redflag.{{name}}, feature.{{name}}, feature.{{name}}={{level}} and feature.{{name}}.missing of what is in use.");
                }

                if (!double.IsFinite(value))
                {
                    problems.Add($"Calibration:{section}:{term} must be a finite number.");
                }
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
