using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RetentionKit.Scoring.Sentiment;

/// <summary>
/// The default sentiment analyser: a small English and Spanish lexicon with negation. Each positive word counts +1 and
/// each negative word −1 (flipped when one of the three words before it is a negation such as "not" or "no"); the score
/// is 0.5 + 0.5 × (positive − negative) ÷ (positive + negative + 1), so one clear word gives 0.75 or 0.25 and more words
/// move it towards 1 or 0. Text without a lexicon word has no sentiment (null). Accents and case are ignored.
/// </summary>
internal sealed class LexiconSentimentAnalyzer : ISentimentAnalyzer
{
    private static readonly FrozenSet<string> Positive = Words(
        "good great excellent love loved awesome amazing helpful easy fast happy satisfied useful recommend perfect " +
        "fantastic reliable intuitive thanks thank wonderful valuable smooth impressed best " +
        "bueno buena buenos buenas excelente genial encanta encanto facil rapido rapida contento contenta satisfecho " +
        "satisfecha util recomiendo recomendable perfecto perfecta fantastico fiable intuitivo gracias maravilloso " +
        "valioso mejor impresionado");

    private static readonly FrozenSet<string> Negative = Words(
        "bad poor terrible awful hate slow broken bug bugs buggy expensive difficult hard useless disappointed " +
        "disappointing frustrated frustrating annoying confusing worst cancel cancelling problem problems issue issues " +
        "crash crashes unreliable missing " +
        "malo mala malos malas terrible horrible odio lento lenta roto error errores fallo fallos caro cara dificil " +
        "inutil decepcionado decepcionante frustrado frustrante molesto confuso peor cancelar problema problemas " +
        "queja quejas cuelga falta");

    private static readonly FrozenSet<string> Negations = Words("not no never nothing dont doesnt isnt wasnt cant nunca nada tampoco ni sin");

    public double? Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var positive = 0;
        var negative = 0;
        var sinceNegation = int.MaxValue;
        foreach (var word in Tokens(text))
        {
            var negated = sinceNegation <= 3;
            if (Negations.Contains(word))
            {
                sinceNegation = 0;
                continue;
            }

            if (sinceNegation != int.MaxValue)
            {
                sinceNegation++;
            }

            var polarity = Positive.Contains(word) ? 1 : Negative.Contains(word) ? -1 : 0;
            if (negated)
            {
                polarity = -polarity;
            }

            if (polarity > 0)
            {
                positive++;
            }
            else if (polarity < 0)
            {
                negative++;
            }
        }

        if (positive + negative == 0)
        {
            return null;
        }

        return 0.5 + (0.5 * (positive - negative) / (positive + negative + 1d));
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        foreach (var c in Fold(text))
        {
            if (char.IsLetter(c))
            {
                word.Append(c);
            }
            else if (c != '\'' && word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>Lower case without diacritics ("Fácil" → "facil"), so that the lexicon needs one spelling.</summary>
    private static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString();
    }

    private static FrozenSet<string> Words(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
