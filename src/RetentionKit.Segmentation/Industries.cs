using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>How to serve customers of one industry (G4): the content, integrations, support and community they value.</summary>
public sealed class IndustryProfileOptions
{
    /// <summary>Gets or sets the display name, e.g. "Technology".</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets the content to offer, e.g. technical documentation.</summary>
    public List<string> Content { get; } = [];

    /// <summary>Gets the integrations that matter to the industry.</summary>
    public List<string> Integrations { get; } = [];

    /// <summary>Gets the product features that matter most to the industry (the documents' "Features": API access for technology, campaign management for marketing, CRM integration for sales).</summary>
    public List<string> Features { get; } = [];

    /// <summary>Gets or sets the kind of support to give.</summary>
    public string Support { get; set; } = string.Empty;

    /// <summary>Gets or sets the community to invite them to.</summary>
    public string Community { get; set; } = string.Empty;
}

/// <summary>An industry profile as the library uses it: immutable, with its key.</summary>
/// <param name="Key">The key customers carry in <see cref="CustomerFacts.Industry"/> (case-insensitive).</param>
/// <param name="Name">The display name.</param>
/// <param name="Content">The content to offer.</param>
/// <param name="Integrations">The integrations that matter.</param>
/// <param name="Support">The kind of support.</param>
/// <param name="Community">The community.</param>
public sealed record IndustryProfile(string Key, string Name, ImmutableArray<string> Content, ImmutableArray<string> Integrations, string Support, string Community)
{
    /// <summary>Gets the product features that matter most to the industry.</summary>
    public ImmutableArray<string> Features { get; init; } = [];

    internal static IndustryProfile From(string key, IndustryProfileOptions options) =>
        new(key, options.Name, [.. options.Content], [.. options.Integrations], options.Support, options.Community) { Features = [.. options.Features] };

    internal static Dictionary<string, IndustryProfileOptions> BuiltIn() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["technology"] = Options("Technology", ["technical documentation", "API guides"], ["API", "integrations marketplace"], ["API access", "integrations"], "technical support", "developer community"),
        ["marketing"] = Options("Marketing", ["marketing best practices", "campaign management guides"], ["marketing automation", "analytics"], ["campaign management"], "marketing support", "marketer community"),
        ["sales"] = Options("Sales", ["sales methodologies", "pipeline playbooks"], ["CRM integration"], ["CRM integration"], "sales support", "sales community"),
    };

    private static IndustryProfileOptions Options(string name, string[] content, string[] integrations, string[] features, string support, string community)
    {
        var options = new IndustryProfileOptions { Name = name, Support = support, Community = community };
        options.Content.AddRange(content);
        options.Integrations.AddRange(integrations);
        options.Features.AddRange(features);
        return options;
    }
}
