using System;
using System.Collections.Generic;

namespace RetentionKit;

/// <summary>
/// How RetentionKit matches the keys of its option collections (rewards, earning rules, signals, red flags, playbooks):
/// without regard to case, and ignoring <c>-</c> and <c>_</c>, so that what a container platform writes —
/// <c>RETENTIONKIT__LOYALTY__REWARDS__PREMIUMFEATURE__POINTS</c> — names the reward <c>premium-feature</c> instead of
/// adding a second one.
/// </summary>
public sealed class OptionKeyComparer : IEqualityComparer<string>, IComparer<string>
{
    private OptionKeyComparer()
    {
    }

    /// <summary>Gets the comparer.</summary>
    public static OptionKeyComparer Instance { get; } = new();

    /// <inheritdoc/>
    public bool Equals(string? x, string? y) => Compare(x, y) == 0;

    /// <inheritdoc/>
    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = default(HashCode);
        foreach (var c in obj)
        {
            if (c is not ('-' or '_'))
            {
                hash.Add(char.ToUpperInvariant(c));
            }
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        int i = 0, j = 0;
        while (true)
        {
            while (i < x.Length && x[i] is '-' or '_')
            {
                i++;
            }

            while (j < y.Length && y[j] is '-' or '_')
            {
                j++;
            }

            if (i == x.Length || j == y.Length)
            {
                return i == x.Length ? (j == y.Length ? 0 : -1) : 1; // the separators after the last letter were skipped
            }

            var d = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
            if (d != 0)
            {
                return d;
            }

            i++;
            j++;
        }
    }
}
