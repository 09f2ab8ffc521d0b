using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace RetentionKit.Internal;

/// <summary>
/// One notation for option paths in every validation message: the configuration key a user would type, from the root
/// (<c>RetentionKit:Loyalty:Tiers:4:From</c>). Validators write paths relative to their section, in any of the forms
/// .NET produces (<c>Tiers:4:From</c>, <c>RiskLevels.Low</c>, the source-generated <c>From: The field
/// LoyaltyOptions.Tiers[4].From …</c>); this turns them into the one form. Linked into each package as source.
/// </summary>
internal static partial class OptionPaths
{
    /// <summary>The root section every package's options bind under.</summary>
    public const string Root = "RetentionKit";

    /// <summary>Gets the full path of a key relative to a section: <c>Of("Loyalty", "Tiers:4:From")</c> is <c>RetentionKit:Loyalty:Tiers:4:From</c>.</summary>
    public static string Of(string section, string relative) => $"{Root}:{section}:{Colons(relative)}";

    /// <summary>Rewrites every failure of a result into the one notation (a success stays a success).</summary>
    public static ValidateOptionsResult Qualify<TOptions>(string section, ValidateOptionsResult result) =>
        result.Failed ? ValidateOptionsResult.Fail(Qualify<TOptions>(section, result.Failures ?? [])) : result;

    /// <summary>Rewrites failures into the one notation: a leading relative path gets the section's prefix, dotted paths become colon paths.</summary>
    public static List<string> Qualify<TOptions>(string section, IEnumerable<string> failures) => [.. failures.Select(f => Qualify<TOptions>(section, f))];

    /// <summary>Rewrites one failure; it starts with a path when its first name is a property of <typeparamref name="TOptions"/>.</summary>
    public static string Qualify<TOptions>(string section, string failure)
    {
        if (failure.StartsWith(Root + ":", StringComparison.Ordinal))
        {
            return failure;
        }

        // The DataAnnotations source generator: "Member: The field Type.Path.Member must be …".
        var generated = GeneratedMessage().Match(failure);
        if (generated.Success)
        {
            return $"{Of(section, generated.Groups["path"].Value)} {generated.Groups["rest"].Value}";
        }

        var message = DottedPath().Replace(failure, m => Colons(m.Value));
        var lead = LeadingName().Match(message);
        return lead.Success && Properties<TOptions>.Names.Contains(lead.Value) ? $"{Root}:{section}:{message}" : $"{Root}:{section}: {message}";
    }

    /// <summary>Rewrites a source-generated failure of a nested options object under its path: <c>Nested("Signals:X", "Weight: The field SignalOptions.Weight must …")</c> is <c>Signals:X:Weight must …</c>.</summary>
    public static string Nested(string path, string failure)
    {
        var generated = GeneratedMessage().Match(failure);
        return generated.Success ? $"{path}:{Colons(generated.Groups["path"].Value)} {generated.Groups["rest"].Value}" : $"{path}: {failure}";
    }

    /// <summary><c>Tiers[4].From</c>, <c>Signals["X"].Weight</c> and <c>RiskLevels.Low</c> in colon form.</summary>
    private static string Colons(string path) =>
        path.Replace("[\"", ":", StringComparison.Ordinal).Replace("\"]", string.Empty, StringComparison.Ordinal)
            .Replace('[', ':').Replace("]", string.Empty, StringComparison.Ordinal).Replace('.', ':');

    [GeneratedRegex(@"^\w+: The field \w+\.(?<path>[\w.\[\]""-]+) (?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex GeneratedMessage();

    // Two or more PascalCase names joined by dots (RiskLevels.Low.Maximum): an option path, never prose or a number.
    [GeneratedRegex(@"\b[A-Z]\w*(?:\.[A-Z]\w*)+\b", RegexOptions.CultureInvariant)]
    private static partial Regex DottedPath();

    // The first name of a message, followed by ':' or a space.
    [GeneratedRegex(@"^[A-Z]\w*(?=:| )", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingName();

    private static class Properties<TOptions>
    {
        public static readonly HashSet<string> Names = [.. typeof(TOptions).GetProperties().Select(p => p.Name)];
    }
}

/// <summary>Runs another validator (a source-generated one) and writes its failures in the one notation of <see cref="OptionPaths"/>.</summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class QualifiedValidator<TOptions>(IValidateOptions<TOptions> inner, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => OptionPaths.Qualify<TOptions>(section, inner.Validate(name, options));
}
