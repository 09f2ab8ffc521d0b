using System;

namespace RetentionKit.Scoring;

/// <summary>One customer's measures, as the signals and components read them (a row of a <see cref="ScoringBatch"/>).</summary>
/// <remarks>A missing measure reads as NaN from the indexer and null from <see cref="Get"/>; never as zero.</remarks>
public readonly ref struct ScoringRow
{
    private readonly ScoringBatch _batch;

    internal ScoringRow(ScoringBatch batch, int index)
    {
        _batch = batch;
        Index = index;
    }

    /// <summary>Gets the row's index in its batch.</summary>
    public int Index { get; }

    /// <summary>Gets a measure's value, NaN when missing.</summary>
    /// <param name="measure">The measure; it must be one the engine knows (built in, or declared by a registered signal or component).</param>
    /// <returns>The value, or NaN.</returns>
    /// <exception cref="ArgumentException">The engine does not know <paramref name="measure"/>.</exception>
    public double this[MeasureKey measure] => _batch.Value(_batch.ColumnIndex(measure), Index);

    /// <summary>Gets a measure's value, null when missing.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The value, or null.</returns>
    /// <exception cref="ArgumentException">The engine does not know <paramref name="measure"/>.</exception>
    public double? Get(MeasureKey measure)
    {
        var value = this[measure];
        return double.IsNaN(value) ? null : value;
    }

    internal double At(int column) => _batch.Value(column, Index);
}
