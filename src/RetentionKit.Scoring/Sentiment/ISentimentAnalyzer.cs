namespace RetentionKit.Scoring;

/// <summary>Scores the sentiment of a customer's text on the 0–1 scale (0 most negative, 0.5 neutral, 1 most positive).</summary>
/// <remarks>
/// The built-in default is a small lexicon analyser for English and Spanish; a host with a better model (a cloud
/// service, an ML model) registers its own with <c>services.AddSingleton&lt;ISentimentAnalyzer, MyAnalyzer&gt;()</c>.
/// Implementations must be thread-safe.
/// </remarks>
public interface ISentimentAnalyzer
{
    /// <summary>Scores one text.</summary>
    /// <param name="text">The text, in any language the analyser knows.</param>
    /// <returns>The sentiment in [0, 1], or null when the text carries no sentiment the analyser can read.</returns>
    double? Analyze(string text);
}
