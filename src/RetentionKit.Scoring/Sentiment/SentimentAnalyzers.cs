namespace RetentionKit.Scoring;

/// <summary>The built-in sentiment analysers, for code that analyses text outside an engine (feedback, for example).</summary>
public static class SentimentAnalyzers
{
    /// <summary>Gets the built-in analyser: a small English and Spanish lexicon with negation (thread-safe); null for text without a lexicon word.</summary>
    public static ISentimentAnalyzer Lexicon { get; } = new Sentiment.LexiconSentimentAnalyzer();
}
