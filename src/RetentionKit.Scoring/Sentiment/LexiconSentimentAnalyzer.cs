using System;
using System.Collections.Frozen;
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

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PositiveWords = Positive.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NegativeWords = Negative.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NegationWords = Negations.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The longest word looked up; a longer one is in no list (it still counts as a word after a negation).</summary>
    private const int LongestWord = 32;

    public double? Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Plain ASCII (most comments) is folded as it is read, a letter at a time into a word on the stack; other text
        // is folded whole first (case and accents). Words are the runs of letters; an apostrophe joins ("don't" is
        // "dont"), anything else ends a word.
        var folded = System.Text.Ascii.IsValid(text) ? text : Fold(text);
        Span<char> word = stackalloc char[LongestWord];
        var length = 0;
        var tally = new Tally();
        foreach (var c in folded)
        {
            if (char.IsLetter(c))
            {
                if (length < LongestWord)
                {
                    word[length] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
                }

                length++;
            }
            else if (c != '\'' && length > 0)
            {
                tally.Add(word, length);
                length = 0;
            }
        }

        if (length > 0)
        {
            tally.Add(word, length);
        }

        if (tally.Positive + tally.Negative == 0)
        {
            return null;
        }

        return 0.5 + (0.5 * (tally.Positive - tally.Negative) / (tally.Positive + tally.Negative + 1d));
    }

    /// <summary>The words counted so far, and how far back the last negation was.</summary>
    private struct Tally()
    {
        public int Positive;
        public int Negative;
        private int _sinceNegation = int.MaxValue;

        public void Add(ReadOnlySpan<char> buffer, int length)
        {
            // A word longer than the buffer matches nothing (no list holds one that long).
            var word = length <= buffer.Length ? buffer[..length] : [];
            var negated = _sinceNegation <= 3;
            if (!word.IsEmpty && NegationWords.Contains(word))
            {
                _sinceNegation = 0;
                return;
            }

            if (_sinceNegation != int.MaxValue)
            {
                _sinceNegation++;
            }

            var polarity = word.IsEmpty ? 0 : PositiveWords.Contains(word) ? 1 : NegativeWords.Contains(word) ? -1 : 0;
            if (negated)
            {
                polarity = -polarity;
            }

            if (polarity > 0)
            {
                Positive++;
            }
            else if (polarity < 0)
            {
                Negative++;
            }
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

    private static FrozenSet<string> Words(string words)
    {
        var list = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Array.TrueForAll(list, w => w.Length <= LongestWord)
            ? list.ToFrozenSet(StringComparer.Ordinal)
            : throw new InvalidOperationException($"A lexicon word is longer than {LongestWord} letters, the longest the analyser looks up.");
    }
}
