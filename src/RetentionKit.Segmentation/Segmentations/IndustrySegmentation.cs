using System;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Segmentation;

/// <summary>
/// The industry segmentation (G4) as an <see cref="ICustomerSegmentation"/>: one segment per configured industry, in
/// key order, then <see cref="Other"/> for customers of no configured industry or none at all.
/// </summary>
public sealed class IndustrySegmentation : ICustomerSegmentation
{
    /// <summary>The segmentation's name: "industry".</summary>
    public const string SegmentationName = "industry";

    /// <summary>The last segment's name: customers whose industry is missing or not configured.</summary>
    public const string Other = "other";

    private readonly FrozenDictionary<string, int> _index;

    /// <summary>Initializes a new instance of the <see cref="IndustrySegmentation"/> class.</summary>
    /// <param name="options">The options; their industry profiles are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule.</exception>
    public IndustrySegmentation(SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SegmentationOptionsValidation.ThrowIfInvalid(options);
        Profiles = [.. options.Industries
            .OrderBy(p => p.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(p => IndustryProfile.From(p.Key.ToLowerInvariant(), p.Value))];
        Segments = [.. Profiles.Select(p => p.Key), Other];
        _index = Profiles.Select((p, i) => (p.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the configured industry profiles, aligned with the first segments.</summary>
    public ImmutableArray<IndustryProfile> Profiles { get; }

    /// <inheritdoc/>
    public string Name => SegmentationName;

    /// <inheritdoc/>
    public ImmutableArray<string> Segments { get; }

    /// <inheritdoc/>
    public bool IsOrdered => false;

    /// <summary>Gets the profile of an industry key.</summary>
    /// <param name="industry">The key, case-insensitive; may be null.</param>
    /// <returns>The profile, or null when the industry is missing or not configured.</returns>
    public IndustryProfile? ProfileOf(string? industry) =>
        industry is not null && _index.TryGetValue(industry, out var i) ? Profiles[i] : null;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="segments"/> is too short.</exception>
    public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
    {
        SegmentationChecks.OutputLength(customers, segments);
        var other = Profiles.Length;
        for (var i = 0; i < customers.Length; i++)
        {
            var industry = customers[i].Industry;
            segments[i] = industry is not null && _index.TryGetValue(industry, out var index) ? index : other;
        }
    }
}
