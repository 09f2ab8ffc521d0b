using System;

namespace RetentionKit.Scoring.Internal;

/// <summary>Per-row accumulators of one category, while a chunk of rows is scored.</summary>
internal readonly ref struct Accumulators
{
    public Accumulators(Span<double> measured, Span<double> active, Span<ulong> masks, Span<long> counts, Span<long> missing)
    {
        Measured = measured;
        Active = active;
        Masks = masks;
        Counts = counts;
        Missing = missing;
    }

    public Span<double> Measured { get; }

    public Span<double> Active { get; }

    public Span<ulong> Masks { get; }

    public Span<long> Counts { get; }

    public Span<long> Missing { get; }
}
