using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RetentionKit.Scoring;

/// <summary>
/// The input of the batch path: many customers' measures in contiguous columns (struct of arrays, one
/// <see cref="float"/> per customer and measure). Create one with <see cref="ScoringEngine.CreateBatch"/>, fill it
/// column by column or row by row, and reuse it. Every value starts missing.
/// </summary>
/// <remarks>
/// <para>The batch is a mutable buffer; scoring only reads it. <see cref="Write"/> may fill different rows from several
/// threads at once (each row from one); nothing else that writes is thread-safe. Values written through
/// <see cref="Column"/> are checked when the batch is scored; values written with <see cref="Write"/> at once.</para>
/// <para>A missing value is said explicitly: <see cref="SetMissing"/>, or <see cref="Missing"/> written into a
/// column. Any other NaN, or an infinity, is a bad value and scoring rejects it naming the row and the column — a NaN
/// that slipped out of a division is not silently taken for "no data".</para>
/// </remarks>
public sealed class ScoringBatch
{
    private readonly ScoringEngine _engine;
    private readonly float[] _data;

    /// <summary>From this many rows a batch's columns are aligned to cache lines (smaller ones, such as the explained path's batch of one, are ordinary arrays).</summary>
    private const int AlignedFrom = 1024;

    /// <summary>The floats in a 64-byte cache line.</summary>
    private const int LineFloats = 16;

    internal ScoringBatch(ScoringEngine engine, int capacity)
    {
        _engine = engine;
        Capacity = capacity;
        if (capacity < AlignedFrom)
        {
            Stride = capacity;
            _data = new float[checked(engine.Measures.Length * capacity)];
        }
        else
        {
            // Each column starts on a cache line, so no vector load of the kernel straddles two lines: the array is
            // pinned (it never moves, so the alignment holds) and over-allocated by a line to place the first column.
            Stride = checked((capacity + LineFloats - 1) / LineFloats * LineFloats);
            _data = GC.AllocateUninitializedArray<float>(checked((engine.Measures.Length * Stride) + LineFloats), pinned: true);
            Origin = Alignment(_data);
        }

        Clear();
    }

    /// <summary>Gets the distance between the starts of two columns in <see cref="Data"/> (<see cref="Capacity"/>, rounded up to a cache line when aligned).</summary>
    internal int Stride { get; }

    /// <summary>Gets the index in <see cref="Data"/> of the first column's first row.</summary>
    internal int Origin { get; }

    private const int MissingBits = 0x7FC0_0B0E;

    /// <summary>Gets the value that marks a measure missing in a column: a NaN with a payload of its own, the only NaN scoring accepts.</summary>
    public static float Missing { get; } = BitConverter.Int32BitsToSingle(MissingBits);

    /// <summary>Gets the number of customers the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the measures, in column order.</summary>
    public ImmutableArray<MeasureDefinition> Measures => _engine.Measures;

    /// <summary>Gets one measure's column, for filling: element i is customer i's value, <see cref="Missing"/> when missing.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>The writable column of <see cref="Capacity"/> values.</returns>
    /// <exception cref="ArgumentException">The engine does not know <paramref name="measure"/>.</exception>
    public Span<float> Column(MeasureKey measure) => _data.AsSpan(Origin + (ColumnIndex(measure) * Stride), Capacity);

    /// <summary>Sets every measure to missing.</summary>
    public void Clear() => _data.AsSpan().Fill(Missing);

    /// <summary>Marks one customer's measure as missing (not measured: not zero).</summary>
    /// <param name="measure">The measure.</param>
    /// <param name="row">The row, in [0, <see cref="Capacity"/>).</param>
    /// <exception cref="ArgumentException">The engine does not know <paramref name="measure"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the batch.</exception>
    public void SetMissing(MeasureKey measure, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Capacity);
        Column(measure)[row] = Missing;
    }

    /// <summary>Whether a value is the missing marker (and not another NaN).</summary>
    internal static bool IsMissing(float value) => BitConverter.SingleToInt32Bits(value) == MissingBits;

    internal static int MissingMarkerBits => MissingBits;

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
        var count = _engine.Measures.Length;
        Span<float> values = count <= 256 ? stackalloc float[count] : new float[count];
        _engine.ColumnValues(snapshot, values);
        for (var column = 0; column < values.Length; column++)
        {
            _data[Origin + (column * Stride) + row] = values[column];
        }
    }

    /// <summary>A row's values, for reading a component or a signal of a customer written in bulk (the batch's scores carry only the totals).</summary>
    /// <param name="row">The row, in [0, <see cref="Capacity"/>).</param>
    /// <returns>The row; it reads the batch's current values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the batch.</exception>
    public ScoringRow Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Capacity);
        return new ScoringRow(this, row);
    }

    internal ScoringEngine Engine => _engine;

    /// <summary>Gets the columns, one after another (<see cref="Origin"/> + column × <see cref="Stride"/> + row).</summary>
    internal float[] Data => _data;

    internal ReadOnlySpan<float> ColumnSpan(int column) => new(_data, Origin + (column * Stride), Capacity);

    internal float Value(int column, int row) => _data[Origin + (column * Stride) + row];

    /// <summary>The index of the first element of a pinned array on a 64-byte boundary.</summary>
    private static unsafe int Alignment(float[] data)
    {
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data));
        return (int)((64 - (address % 64)) % 64 / sizeof(float));
    }

    internal int ColumnIndex(MeasureKey measure) => _engine.ColumnIndex(measure);
}
