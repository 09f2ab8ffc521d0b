using System;

namespace RetentionKit.Segmentation;

/// <summary>Argument checks the built-in segmentations share.</summary>
internal static class SegmentationChecks
{
    public static void OutputLength(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
    {
        if (segments.Length < customers.Length)
        {
            throw new ArgumentException($"segments holds {segments.Length} entries; it must hold at least one per customer ({customers.Length}).", nameof(segments));
        }
    }
}
