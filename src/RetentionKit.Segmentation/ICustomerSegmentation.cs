using System;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>
/// A way of dividing a customer base into segments (G7): every customer lands in exactly one. Implement it for a
/// segmentation of your own and register it with <c>AddCustomerSegmentation&lt;T&gt;()</c>.
/// </summary>
public interface ICustomerSegmentation
{
    /// <summary>Gets the segmentation's name, unique among those registered, e.g. "value".</summary>
    string Name { get; }

    /// <summary>Gets the segments' names; a customer's segment is an index into this list.</summary>
    /// <remarks>When <see cref="IsOrdered"/>, they run from the least to the most valuable, so that a move to a higher index is an upgrade.</remarks>
    ImmutableArray<string> Segments { get; }

    /// <summary>Gets whether the segments are ordered by value, which makes upgrades and downgrades meaningful.</summary>
    bool IsOrdered { get; }

    /// <summary>Assigns each customer of a population to a segment.</summary>
    /// <param name="customers">The population; a segmentation may rank customers against each other (RFM does).</param>
    /// <param name="segments">Where to write each customer's segment index, one per customer.</param>
    void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments);
}
