namespace RetentionKit.Scoring;

/// <summary>A red-flag rule (S3): a combination that, when it matches, sets a floor under the churn probability.</summary>
/// <remarks>
/// Red flags are separate from the weighted risk score: they do not change it, only the probability. Rules from
/// <see cref="ScoringOptions.RedFlags"/> are built in; implement this interface for a rule that options cannot express
/// and register it with <c>kit.AddScoring().AddRedFlag&lt;T&gt;()</c>. Implementations must be thread-safe and should
/// not allocate in <see cref="Matches"/>.
/// </remarks>
public interface IRedFlagRule
{
    /// <summary>Gets the rule's name, shown in explanations.</summary>
    string Name { get; }

    /// <summary>Gets the probability floor the rule sets when it matches, in [0, 1].</summary>
    double Floor { get; }

    /// <summary>Gets a plain-language description of the combination, for example "competitor trial and a search for alternatives".</summary>
    string Description { get; }

    /// <summary>Returns whether the rule matches one customer.</summary>
    /// <param name="arguments">The customer's measures and active signals.</param>
    /// <returns>True when the combination is present.</returns>
    bool Matches(RedFlagArguments arguments);
}
