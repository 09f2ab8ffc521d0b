using System;
using RetentionKit.Scoring.Sentiment;

namespace RetentionKit.Scoring.Tests.Sentiment;

public sealed class LexiconSentimentAnalyzerTests
{
    private readonly LexiconSentimentAnalyzer _analyzer = new();

    [Theory]
    [InlineData("Great product", 0.75)] // one positive word: 0.5 + 0.5 × 1 ÷ 2
    [InlineData("Terrible support", 0.25)] // one negative word
    [InlineData("great, fast and reliable", 0.875)] // three positive: 0.5 + 0.5 × 3 ÷ 4
    [InlineData("good but slow", 0.5)] // one of each: 0.5 + 0.5 × 0 ÷ 3
    [InlineData("Excelente servicio, muy fácil", 5d / 6d)] // Spanish, accent folded: 0.5 + 0.5 × 2 ÷ 3
    [InlineData("Es LENTO y caro", 1d / 6d)] // case folded
    public void Scores_by_the_documented_formula(string text, double expected) =>
        Assert.Equal(expected, _analyzer.Analyze(text)!.Value, 12);

    [Theory]
    [InlineData("not good", 0.25)] // a negation flips the next words
    [InlineData("no me gusta nada, no es bueno", 0.25)]
    [InlineData("never slow", 0.75)]
    [InlineData("not at all the worst", 0.75)] // "worst" is the third word after "not": still negated
    [InlineData("not one two three four bad", 0.25)] // four words later the negation has lapsed
    public void Negation_flips_words_up_to_three_after_it(string text, double expected) =>
        Assert.Equal(expected, _analyzer.Analyze(text)!.Value, 12);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the invoice for March")]
    [InlineData("no")]
    public void Text_without_a_lexicon_word_has_no_sentiment(string text) =>
        Assert.Null(_analyzer.Analyze(text));

    [Fact]
    public void Apostrophes_stay_inside_words() =>
        // "doesn't" is one word, the negation "doesnt", and "useless" is the third word after it; split at the
        // apostrophe, "doesn" would be no negation and the text would score 0.25.
        Assert.Equal(0.75, _analyzer.Analyze("it doesn't help, it's useless")!.Value, 12);

    [Fact]
    public void Null_text_is_rejected() =>
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => _analyzer.Analyze(null!)).ParamName);
}
