namespace RetentionKit.Scoring;

/// <summary>How one signal contributed to a risk score (S7).</summary>
/// <param name="Key">The signal.</param>
/// <param name="Category">Its category.</param>
/// <param name="State">Whether it fired, stayed quiet or lacked its input.</param>
/// <param name="Value">The raw value compared with the threshold; null when missing.</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="Weight">The points the signal carries for this customer after normalisation within its category (0 when missing): what it adds when active.</param>
/// <param name="Contribution">The points it added to the risk score: <paramref name="Weight"/> when active, else 0.</param>
/// <param name="Action">The immediate action when it fires.</param>
/// <param name="Reason">The reading in plain language.</param>
public sealed record SignalExplanation(
    SignalKey Key,
    SignalCategory Category,
    SignalState State,
    double? Value,
    double Threshold,
    double Weight,
    double Contribution,
    SignalAction Action,
    string Reason);

/// <summary>How one component contributed to a retention score (S7).</summary>
/// <param name="Key">The component.</param>
/// <param name="Value">Its value, 0–100; null when missing.</param>
/// <param name="Weight">Its share of the score for this customer after missing components' weight was shared out, in [0, 1].</param>
/// <param name="Contribution">The points it added: <paramref name="Value"/> × <paramref name="Weight"/>.</param>
/// <param name="IsPartial">Whether some of its inputs were missing.</param>
/// <param name="Reason">The inputs and how each scored, in plain language.</param>
public sealed record ComponentExplanation(
    ComponentKey Key,
    double? Value,
    double Weight,
    double Contribution,
    bool IsPartial,
    string Reason);

/// <summary>A red flag that matched (S3).</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Floor">The probability floor it set.</param>
/// <param name="Description">The combination, in plain language.</param>
public sealed record RedFlagMatch(string Name, double Floor, string Description);
