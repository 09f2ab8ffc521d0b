namespace RetentionKit.Scoring;

/// <summary>
/// The names of the four built-in retention-score components (S5), for configuration keys and code that names one:
/// <c>options.RetentionScore.ComponentWeights[ComponentNames.Usage]</c>. <c>new ComponentKey(ComponentNames.Usage)</c> is the typed key.
/// </summary>
public static class ComponentNames
{
    /// <summary>The built-in component <c>Engagement</c>.</summary>
    public const string Engagement = "Engagement";

    /// <summary>The built-in component <c>Usage</c>.</summary>
    public const string Usage = "Usage";

    /// <summary>The built-in component <c>Satisfaction</c>.</summary>
    public const string Satisfaction = "Satisfaction";

    /// <summary>The built-in component <c>Value</c>.</summary>
    public const string Value = "Value";
}
