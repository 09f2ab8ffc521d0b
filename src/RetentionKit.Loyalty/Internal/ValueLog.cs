using System;
using System.Numerics;

namespace RetentionKit.Loyalty.Internal;

/// <summary>
/// An append-only list of values in chunks of doubling size (8, 16, 32, …). Unlike <c>List&lt;T&gt;</c> it never
/// copies what it holds to grow: no discarded arrays for the garbage collector, and a value's slot never moves, so a
/// reader that knows a count may read below it without a lock while a writer appends.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal sealed class ValueLog<T>
    where T : struct
{
    private const int FirstShift = 3; // the first chunk holds 8 values

    private T[]?[] _chunks = new T[]?[4];

    /// <summary>Gets how many values were appended.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the value at an index, by reference (the caller may change it in place).</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public ref T this[int index]
    {
        get
        {
            if (index < 0 || index >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The log holds {Count} values.");
            }

            var (chunk, offset) = Locate(index);
            return ref _chunks[chunk]![offset];
        }
    }

    /// <summary>Appends a value.</summary>
    /// <param name="value">The value.</param>
    public void Add(in T value)
    {
        var (chunk, offset) = Locate(Count);
        if (offset == 0)
        {
            if (chunk == _chunks.Length)
            {
                Array.Resize(ref _chunks, _chunks.Length * 2);
            }

            _chunks[chunk] = new T[1 << (chunk + FirstShift)];
        }

        _chunks[chunk]![offset] = value;
        Count++;
    }

    // Chunk c holds indexes [8·(2^c − 1), 8·(2^(c+1) − 1)).
    private static (int Chunk, int Offset) Locate(int index)
    {
        var chunk = BitOperations.Log2((uint)(index >> FirstShift) + 1);
        return (chunk, index - (((1 << chunk) - 1) << FirstShift));
    }
}
