using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RetentionKit.Playbooks;

/// <summary>Finds the topics of a feedback text. Replace it to use a trained model or an external service.</summary>
/// <remarks>Implementations must be thread-safe and deterministic for a given text.</remarks>
public interface ITopicClassifier
{
    /// <summary>Returns the keys of the topics the text is about, the main one first; empty when none.</summary>
    /// <param name="text">The feedback's text.</param>
    /// <returns>Topic keys of <see cref="FeedbackOptions.Topics"/> (a host's classifier may return its own keys, then routed to <see cref="FeedbackOptions.DefaultTeam"/>).</returns>
    IReadOnlyList<string> Classify(string text);
}

/// <summary>
/// The built-in classifier: a topic matches when one of its phrases occurs in the text as whole words, ignoring case
/// and accents; topics are ordered by how many of their phrases occur, then by their order in the taxonomy.
/// </summary>
internal sealed class PhraseTopicClassifier : ITopicClassifier
{
    private readonly (string Key, string[][] Phrases)[] _topics;

    public PhraseTopicClassifier(FeedbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _topics = [.. options.Topics.Select(t => (t.Key, t.Value.Phrases.Select(Words).Where(w => w.Length > 0).ToArray()))];
    }

    public IReadOnlyList<string> Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        var hits = new List<(string Key, int Count, int Order)>();
        for (var t = 0; t < _topics.Length; t++)
        {
            var count = _topics[t].Phrases.Count(phrase => Occurs(words, phrase));
            if (count > 0)
            {
                hits.Add((_topics[t].Key, count, t));
            }
        }

        return [.. hits.OrderByDescending(h => h.Count).ThenBy(h => h.Order).Select(h => h.Key)];
    }

    /// <summary>The text's words: lower case, accents removed, split at anything that is not a letter or digit (a trailing <c>*</c> kept).</summary>
    internal static string[] Words(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            plain.Append(char.IsLetterOrDigit(c) || c == '*' ? char.ToLowerInvariant(c) : ' ');
        }

        return plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool Occurs(string[] words, string[] phrase)
    {
        for (var start = 0; start + phrase.Length <= words.Length; start++)
        {
            var all = true;
            for (var k = 0; k < phrase.Length && all; k++)
            {
                var pattern = phrase[k];
                all = pattern.EndsWith('*')
                    ? words[start + k].StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                    : words[start + k] == pattern;
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
