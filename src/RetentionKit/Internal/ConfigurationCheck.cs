using System;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace RetentionKit.Internal;

/// <summary>
/// Walks the <c>RetentionKit</c> configuration section against the options types it binds to, as the binder would, and
/// lists every key that binds to nothing (a typo such as <c>Reprot</c>, or <c>Loyalty:Tiers:0:Nmae</c>) and every value
/// that cannot be converted to its property's type — so that start-up reports them all at once instead of ignoring
/// the first and throwing on the second.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The problems of a section bound to <paramref name="sections"/> (name → options type), in key order.</summary>
    public static List<string> Problems(IConfiguration root, string rootPath, IReadOnlyDictionary<string, Type> sections)
    {
        var problems = new List<string>();
        foreach (var child in root.GetChildren())
        {
            var path = rootPath + ":" + child.Key;
            var known = sections.FirstOrDefault(s => string.Equals(s.Key, child.Key, StringComparison.OrdinalIgnoreCase));
            if (known.Key is null)
            {
                problems.Add($"{path} is not a RetentionKit section{Suggest(child.Key, sections.Keys)} (sections: {string.Join(", ", sections.Keys)}).");
            }
            else
            {
                Value(child, known.Value, path, problems);
            }
        }

        return problems;
    }

    /// <summary>Checks a section against a type: a value for a simple type, keys for an object, indices for a list.</summary>
    private static void Value(IConfigurationSection section, Type type, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var children = section.GetChildren().ToList();
        if (IsSimple(type))
        {
            if (children.Count > 0)
            {
                problems.Add($"{path} is a value ({Friendly(type)}), not a section: remove its keys {string.Join(", ", children.Select(c => c.Key))}.");
            }
            else if (section.Value is { Length: > 0 } text && !Converts(text, type))
            {
                problems.Add($"{path} is '{text}', which is not {Friendly(type)}.");
            }

            return;
        }

        if (children.Count == 0)
        {
            if (section.Value is { Length: > 0 } text)
            {
                problems.Add($"{path} is '{text}', but it is a section: give its keys instead of a value.");
            }

            return;
        }

        if (DictionaryValue(type) is { } valueType)
        {
            foreach (var child in children)
            {
                Value(child, valueType, $"{path}:{child.Key}", problems);
            }
        }
        else if (ListElement(type) is { } element)
        {
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{path}:{child.Key} is not a list index: {path} is a list, so its keys are 0, 1, 2 ….");
                }
                else
                {
                    Value(child, element, $"{path}:{child.Key}", problems);
                }
            }
        }
        else
        {
            var properties = Settable(type);
            foreach (var child in children)
            {
                if (properties.TryGetValue(child.Key, out var property))
                {
                    Value(child, property.PropertyType, $"{path}:{child.Key}", problems);
                }
                else
                {
                    problems.Add($"{path}:{child.Key} is not a setting of {path}{Suggest(child.Key, properties.Keys)} (settings: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}).");
                }
            }
        }
    }

    /// <summary>The properties the binder can set or fill, by configuration name, without regard to case.</summary>
    private static Dictionary<string, PropertyInfo> Settable(Type type)
    {
        var result = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is not { IsPublic: true })
            {
                continue;
            }

            var fillable = property.SetMethod is { IsPublic: true } || (!IsSimple(property.PropertyType) && !property.PropertyType.IsValueType);
            if (fillable)
            {
                var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
                result.TryAdd(name, property);
            }
        }

        return result;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri)
            || TypeDescriptor.GetConverter(type) is { } converter && converter.GetType() != typeof(TypeConverter) && converter.CanConvertFrom(typeof(string)) && !typeof(IEnumerable).IsAssignableFrom(type);
    }

    private static bool Converts(string text, Type type)
    {
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text) is not null || !type.IsValueType;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static Type? DictionaryValue(Type type)
    {
        foreach (var candidate in type.GetInterfaces().Prepend(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
            {
                return candidate.GetGenericArguments()[1];
            }
        }

        return null;
    }

    private static Type? ListElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        foreach (var candidate in type.GetInterfaces().Prepend(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                return candidate.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static string Friendly(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number (with '.' for decimals)",
        _ when type == typeof(TimeSpan) => "a duration such as 00:05:00",
        _ when type == typeof(string) => "text",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };

    /// <summary>", did you mean 'X'?" for the closest known name within two edits, else nothing.</summary>
    private static string Suggest(string key, IEnumerable<string> known)
    {
        var best = known.Select(k => (Name: k, Distance: Distance(key.ToUpperInvariant(), k.ToUpperInvariant()))).Where(k => k.Distance <= 2).OrderBy(k => k.Distance).FirstOrDefault();
        return best.Name is null ? string.Empty : $"; did you mean '{best.Name}'?";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
