using System;
using System.Collections.Immutable;

namespace RetentionKit.Scoring;

/// <summary>
/// The input of the batch path: many customers' measures in contiguous columns (struct of arrays, one
/// <see cref="float"/> per customer and measure, NaN for missing). Create one with
/// <see cref="ScoringEngine.CreateBatch"/>, fill it column by column or row by row, and reuse it.
/// </summary>
/// <remarks>
/// The batch is a mutable buffer, not thread-safe for writing; scoring only reads it. Values written through
/// <see cref="Column"/> are checked when the batch is scored; values written with <see cref="Write"/> at once.
/// </remarks>
public sealed class ScoringBatch
{
    private readonly ScoringEngine _engine;
    private readonly float[] _data;

    internal ScoringBatch(ScoringEngine engine, int capacity)
    {
        _engine = engine;
        Capacity = capacity;
        _data = new float[checked(engine.Measures.Length * capacity)];
        Clear();
    }

    /// <summary>Gets the number of customers the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the measures, in column order.</summary>
    public ImmutableArray<MeasureDefinition> Measures => _engine.Measures;

    /// <summary>Gets one measure's column, for filling: element i is customer i's value, NaN when missing.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The writable column of <see cref="Capacity"/> values.</returns>
    /// <exception cref="ArgumentException">The engine does not know <paramref name="measure"/>.</exception>
    public Span<float> Column(MeasureKey measure) => _data.AsSpan(ColumnIndex(measure) * Capacity, Capacity);

    /// <summary>Sets every measure to missing.</summary>
    public void Clear() => _data.AsSpan().Fill(float.NaN);

    /// <summary>Writes one customer's snapshot into a row, analysing the comments' sentiment when the snapshot has none.</summary>
    /// <param name="row">The row, in [0, <see cref="Capacity"/>).</param>
    /// <param name="snapshot">The snapshot.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the batch.</exception>
    /// <exception cref="ArgumentException">The snapshot breaks a cross-measure rule or holds a measure the engine does not know; the row is left unchanged.</exception>
    public void Write(int row, CustomerSnapshot snapshot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Capacity);
        ArgumentNullException.ThrowIfNull(snapshot);
        var values = _engine.ColumnValues(snapshot);
        for (var column = 0; column < values.Length; column++)
        {
            _data[(column * Capacity) + row] = values[column];
        }
    }

    internal ReadOnlySpan<float> ColumnSpan(int column) => new(_data, column * Capacity, Capacity);

    internal float Value(int column, int row) => _data[(column * Capacity) + row];

    internal int ColumnIndex(MeasureKey measure) => _engine.ColumnIndex(measure);
}
