using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace RetentionKit.TestUtilities;

/// <summary>
/// Checks that the public types of an assembly are immutable: no public setters (init is allowed), no writable
/// instance fields, and no instance fields of a mutable collection type. Options classes, which configuration binding
/// must be able to set, are the explicit exception and are listed by the caller.
/// </summary>
public static class MutabilityAssert
{
    private static readonly Type[] MutableCollections =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(Array),
    ];

    public static void PublicTypesAreImmutable(Assembly assembly, params Type[] explicitlyMutable)
    {
        var problems = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsInterface || type.IsEnum || (type.IsAbstract && type.IsSealed) || explicitlyMutable.Contains(type)
                || typeof(Delegate).IsAssignableFrom(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                var setter = property.SetMethod;
                if (setter is { IsPublic: true } && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                {
                    problems.Add($"{type.FullName}.{property.Name} has a public setter");
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (!field.IsInitOnly)
                {
                    problems.Add($"{type.FullName}.{field.Name} is a writable field");
                }
                else if (field.FieldType.IsArray || MutableCollections.Any(m => m.IsGenericTypeDefinition && field.FieldType.IsGenericType && field.FieldType.GetGenericTypeDefinition() == m))
                {
                    problems.Add($"{type.FullName}.{field.Name} holds a mutable collection ({field.FieldType.Name})");
                }
            }
        }

        Assert.True(problems.Count == 0, "Mutable public types:\n" + string.Join("\n", problems));
    }
}
