using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Segmentation;

/// <summary>The segmentations registered with the host — the built-ins and any of its own — by name.</summary>
/// <remarks>Immutable and thread-safe as long as the segmentations are.</remarks>
public sealed class SegmentationCatalog
{
    private readonly FrozenDictionary<string, ICustomerSegmentation> _byName;

    /// <summary>Initializes a new instance of the <see cref="SegmentationCatalog"/> class.</summary>
    /// <param name="segmentations">The segmentations, in the order they run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="segmentations"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A name is blank or used twice (case-insensitive), or a segmentation declares no segments.</exception>
    public SegmentationCatalog(IEnumerable<ICustomerSegmentation> segmentations)
    {
        ArgumentNullException.ThrowIfNull(segmentations);
        All = [.. segmentations];
        var problems = Problems(All);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(segmentations));
        }

        _byName = All.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets every segmentation, in registration order.</summary>
    public ImmutableArray<ICustomerSegmentation> All { get; }

    /// <summary>Gets a segmentation by name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <returns>The segmentation.</returns>
    /// <exception cref="KeyNotFoundException">No segmentation has that name; the message lists those there are.</exception>
    public ICustomerSegmentation this[string name] => TryGet(name, out var segmentation)
        ? segmentation
        : throw new KeyNotFoundException($"No segmentation is named '{name}'; registered: {string.Join(", ", All.Select(s => s.Name))}.");

    /// <summary>Looks a segmentation up by name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="segmentation">The segmentation, when found.</param>
    /// <returns>Whether one has that name.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ICustomerSegmentation segmentation)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out segmentation);
    }

    /// <summary>Runs every segmentation over a population.</summary>
    /// <param name="customers">The population.</param>
    /// <returns>One assignment per segmentation, in registration order.</returns>
    public ImmutableArray<SegmentAssignment> RunAll(ReadOnlySpan<CustomerFacts> customers)
    {
        var results = ImmutableArray.CreateBuilder<SegmentAssignment>(All.Length);
        foreach (var segmentation in All)
        {
            results.Add(SegmentAssignment.Run(segmentation, customers));
        }

        return results.MoveToImmutable();
    }

    internal static List<string> Problems(IReadOnlyList<ICustomerSegmentation?> segmentations)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < segmentations.Count; i++)
        {
            var segmentation = segmentations[i];
            if (segmentation is null)
            {
                problems.Add($"Segmentation {i} is null.");
                continue;
            }

            var type = segmentation.GetType().Name;
            if (string.IsNullOrWhiteSpace(segmentation.Name))
            {
                problems.Add($"The segmentation {type} has a blank name.");
            }
            else if (!seen.Add(segmentation.Name))
            {
                problems.Add($"The segmentation name '{segmentation.Name}' is used twice (again by {type}); names must be unique.");
            }

            if (segmentation.Segments.IsDefaultOrEmpty)
            {
                problems.Add($"The segmentation '{segmentation.Name}' ({type}) declares no segments.");
            }
        }

        return problems;
    }
}
