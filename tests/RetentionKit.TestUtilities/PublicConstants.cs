using System;
using System.Linq;
using System.Reflection;

namespace RetentionKit.TestUtilities;

/// <summary>Reads the public string constants of a static class, for tests that hold them equal to the built-ins they name.</summary>
public static class PublicConstants
{
    /// <summary>Gets every public const string of <paramref name="type"/> as (field name, value), ordered by value.</summary>
    /// <param name="type">The class.</param>
    /// <returns>The constants.</returns>
    public static (string Name, string Value)[] Of(Type type) =>
    [
        .. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .OrderBy(c => c.Item2, StringComparer.Ordinal),
    ];

    /// <summary>Gets the values of every public const string of <paramref name="type"/>, ordered.</summary>
    /// <param name="type">The class.</param>
    /// <returns>The values.</returns>
    public static string[] Values(Type type) => [.. Of(type).Select(c => c.Value)];
}
