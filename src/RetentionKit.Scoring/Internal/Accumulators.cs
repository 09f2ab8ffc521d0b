using System;

namespace RetentionKit.Scoring.Internal;

/// <summary>Per-row signal masks while a chunk of rows is scored: bit j set where signal j is active, and where it is measured.</summary>
internal readonly ref struct Accumulators
{
    public Accumulators(Span<ulong> active, Span<ulong> present)
    {
        Active = active;
        Present = present;
    }

    /// <summary>Gets the rows' active-signal masks.</summary>
    public Span<ulong> Active { get; }

    /// <summary>Gets the rows' measured-signal masks (a signal whose input is missing has its bit clear).</summary>
    public Span<ulong> Present { get; }
}
