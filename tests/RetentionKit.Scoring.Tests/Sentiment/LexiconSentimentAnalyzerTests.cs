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

    // The analyser reads words off the text without building strings; this oracle is the plain reading of the rules
    // (fold case and accents, split into words at anything but a letter or an apostrophe, look each word up). Texts mix
    // lexicon words, negations, capitals, accents, apostrophes, punctuation and over-long words.
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool Analyze_EqualsThePlainReadingOfTheRules(FsCheck.NonNegativeInt seed)
    {
        var random = new Random(seed.Get);
        string[] pieces = ["good", "GREAT", "Fácil", "fácil", "rápido", "not", "don't", "doesn't", "nunca", "bad", "LENTO", "caro", "the", "invoice",
            "é", "ñ", "Ü", ",", ".", " ", "  ", "'", "!", "-", "\t", "x", new string('a', 40), "Excelente", "problema", "n'", "nada", "ünïcödé", "\u00A0", "1", "ǅ"];
        var parts = new string[random.Next(0, 14)];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? string.Empty : " ");
        }

        var text = string.Concat(parts);
        return Equals(Oracle(text), _analyzer.Analyze(text));
    }

    private static double? Oracle(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD);
        var folded = new System.Text.StringBuilder();
        foreach (var c in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        var words = new System.Collections.Generic.List<string>();
        var word = new System.Text.StringBuilder();
        foreach (var c in folded.ToString())
        {
            if (char.IsLetter(c))
            {
                word.Append(c);
            }
            else if (c != '\'' && word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        string[] positive = ["good", "great", "facil", "rapido", "excelente"];
        string[] negative = ["bad", "lento", "caro", "problema"];
        string[] negations = ["not", "dont", "doesnt", "nunca", "nada"];
        var (plus, minus, since) = (0, 0, int.MaxValue);
        foreach (var w in words)
        {
            var negated = since <= 3;
            if (Array.IndexOf(negations, w) >= 0)
            {
                since = 0;
                continue;
            }

            since = since == int.MaxValue ? since : since + 1;
            var polarity = Array.IndexOf(positive, w) >= 0 ? 1 : Array.IndexOf(negative, w) >= 0 ? -1 : 0;
            polarity = negated ? -polarity : polarity;
            (plus, minus) = polarity > 0 ? (plus + 1, minus) : polarity < 0 ? (plus, minus + 1) : (plus, minus);
        }

        return plus + minus == 0 ? null : 0.5 + (0.5 * (plus - minus) / (plus + minus + 1d));
    }
}
