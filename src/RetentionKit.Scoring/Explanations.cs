using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring;

/// <summary>How one signal contributed to a risk score (S7).</summary>
/// <remarks>
/// The numbers are computed when the customer is scored; <see cref="Reason"/> is rendered from them the first time it
/// is read (prose costs more than the arithmetic, and a batch of dashboards rarely reads every reason).
/// </remarks>
public sealed class SignalExplanation
{
    private readonly ExplanationSource _source;
    private readonly int _index;
    private readonly SignalReading _reading;

    internal SignalExplanation(ExplanationSource source, int index, SignalReading reading, double weight)
    {
        _source = source;
        _index = index;
        _reading = reading;
        var signal = source.Engine.Signals[index];
        Key = signal.Key;
        Category = signal.Category;
        Action = signal.Action;
        Weight = weight;
        Contribution = reading.IsActive ? weight : 0d;
    }

    /// <summary>Gets the signal.</summary>
    public SignalKey Key { get; }

    /// <summary>Gets its category.</summary>
    public SignalCategory Category { get; }

    /// <summary>Gets whether it fired, stayed quiet or lacked its input.</summary>
    public SignalState State => _reading.State;

    /// <summary>Gets the raw value compared with the threshold; null when missing.</summary>
    public double? Value => _reading.State == SignalState.Missing ? null : _reading.Value;

    /// <summary>Gets the threshold.</summary>
    public double Threshold => _reading.Threshold;

    /// <summary>Gets the points the signal carries for this customer after normalisation within its category (0 when missing): what it adds when active.</summary>
    public double Weight { get; }

    /// <summary>Gets the points it added to the risk score: <see cref="Weight"/> when active, else 0.</summary>
    public double Contribution { get; }

    /// <summary>Gets the immediate action when it fires.</summary>
    public SignalAction Action { get; }

    /// <summary>Gets the reading in plain language, e.g. "opened 3 of 12 e-mails in the last 14 days (25%); fires below 50%".</summary>
    public string Reason => _source.DescribeSignal(_index, _reading);
}

/// <summary>How one component contributed to a retention score (S7).</summary>
/// <remarks><see cref="Reason"/> is rendered the first time it is read, as for <see cref="SignalExplanation"/>.</remarks>
public sealed class ComponentExplanation
{
    private readonly ExplanationSource _source;
    private readonly int _index;
    private readonly ComponentReading _reading;

    internal ComponentExplanation(ExplanationSource source, int index, ComponentReading reading, double weight)
    {
        _source = source;
        _index = index;
        _reading = reading;
        Key = source.Engine.Components[index].Key;
        Weight = weight;
        Contribution = reading.IsMissing ? 0d : reading.Value * weight;
    }

    /// <summary>Gets the component.</summary>
    public ComponentKey Key { get; }

    /// <summary>Gets its value, 0–100; null when missing.</summary>
    public double? Value => _reading.IsMissing ? null : _reading.Value;

    /// <summary>Gets its share of the score for this customer after missing components' weight was shared out, in [0, 1].</summary>
    public double Weight { get; }

    /// <summary>Gets the points it added: <see cref="Value"/> × <see cref="Weight"/>.</summary>
    public double Contribution { get; }

    /// <summary>Gets whether some of its inputs were missing.</summary>
    public bool IsPartial => _reading.IsPartial;

    /// <summary>Gets the inputs and how each scored, in plain language.</summary>
    public string Reason => _source.DescribeComponent(_index, _reading);
}

/// <summary>A red flag that matched (S3).</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Floor">The probability floor it set.</param>
/// <param name="Description">The combination, in plain language.</param>
public sealed record RedFlagMatch(string Name, double Floor, string Description);
