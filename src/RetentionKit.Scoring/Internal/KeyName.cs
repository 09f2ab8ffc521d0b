using System;
using System.Runtime.CompilerServices;

namespace RetentionKit.Scoring.Internal;

internal static class KeyName
{
    public const int MaxLength = 64;

    public static string Check(string? name, [CallerArgumentExpression(nameof(name))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0 || name.Length > MaxLength)
        {
            throw new ArgumentException($"{paramName} must have 1 to {MaxLength} characters; it has {name.Length}.", paramName);
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ArgumentException($"{paramName} must hold only ASCII letters, digits, '-', '_' or '.'; '{name}' holds '{c}'.", paramName);
            }
        }

        return name;
    }
}
