using System;
using System.Collections.Immutable;

namespace RetentionKit.Scoring;

/// <summary>
/// A churn model of the host's own (for example one trained with ML.NET): given a customer's signals, components, red
/// flags, features and measures, it returns the churn probability as log-odds and explains it feature by feature.
/// The engine then uses that probability everywhere — levels, lists, explanations, playbook triggers — as it does a
/// fitted <see cref="ChurnCalibration"/>.
/// </summary>
/// <remarks>
/// <para>Register it with <c>kit.AddChurnModel(model)</c> or pass it to <see cref="ScoringEngine.WithModel"/>.
/// Implementations must be thread-safe and should not allocate in <see cref="Predict"/>: the batch path calls it once
/// per customer.</para>
/// <para>The contributions are in log-odds, measured from <see cref="BaselineLogOdds"/> (the model's reference
/// customer, for example the training average), and must add up: baseline + Σ contributions = the returned log-odds,
/// within 1e-9. A model that cannot attribute its prediction may put the whole difference on one feature named for
/// the model. The engine checks the sum and a finite result, and throws <see cref="InvalidOperationException"/>
/// naming the model otherwise.</para>
/// </remarks>
public interface IChurnModel
{
    /// <summary>Gets the model's name, shown in explanations and reports.</summary>
    string Name { get; }

    /// <summary>Gets the names of the features the model attributes its predictions to, in the order of <see cref="Predict"/>'s contributions.</summary>
    ImmutableArray<string> Features { get; }

    /// <summary>Gets the log-odds of the reference customer, from which contributions are measured.</summary>
    double BaselineLogOdds { get; }

    /// <summary>Predicts one customer's churn log-odds and attributes it to the features.</summary>
    /// <param name="input">What the engine knows about the customer.</param>
    /// <param name="contributions">Where to write each feature's contribution in log-odds; as long as <see cref="Features"/>.</param>
    /// <returns>The churn log-odds (finite): the probability is 1 ÷ (1 + e^−result).</returns>
    double Predict(ChurnModelInput input, Span<double> contributions);
}

/// <summary>What the engine knows about one customer when a model predicts: measures, signals, components and red flags.</summary>
public readonly ref struct ChurnModelInput
{
    private readonly ScoringEngine _engine;
    private readonly ReadOnlySpan<double> _components;

    internal ChurnModelInput(ScoringEngine engine, ScoringRow row, ulong activeSignals, ulong redFlags, ReadOnlySpan<double> components)
    {
        _engine = engine;
        Measures = row;
        ActiveSignals = activeSignals;
        RedFlags = redFlags;
        _components = components;
    }

    /// <summary>Gets the customer's measures, features' measures included (a missing value reads as NaN).</summary>
    public ScoringRow Measures { get; }

    /// <summary>Gets the active signals as bits: bit i is <see cref="ScoringEngine.Signals"/>[i].</summary>
    public ulong ActiveSignals { get; }

    /// <summary>Gets the matched red flags as bits: bit i is <see cref="ScoringEngine.RedFlags"/>[i].</summary>
    public ulong RedFlags { get; }

    /// <summary>Returns whether a signal fired.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>True when the engine has the signal and it is active.</returns>
    public bool IsActive(SignalKey signal) => _engine.SignalIndex(signal) is var i and >= 0 && (ActiveSignals & (1UL << i)) != 0;

    /// <summary>Returns a component's value, 0–100.</summary>
    /// <param name="component">The component.</param>
    /// <returns>The value, or null when it is missing or the engine does not have it.</returns>
    public double? Component(ComponentKey component)
    {
        var index = _engine.ComponentIndex(component);
        return index < 0 || double.IsNaN(_components[index]) ? null : _components[index];
    }

    /// <summary>Returns a feature's value: the number, 0 or 1, or the level's code.</summary>
    /// <param name="feature">The feature.</param>
    /// <returns>The value, or null when missing.</returns>
    /// <exception cref="ArgumentException">The engine does not have the feature's measure.</exception>
    public double? Feature(ChurnFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return Measures.Get(feature.Measure.Key);
    }
}
