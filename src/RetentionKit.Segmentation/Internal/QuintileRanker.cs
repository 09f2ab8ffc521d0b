using System;
using System.Buffers;

namespace RetentionKit.Segmentation.Internal;

/// <summary>
/// Ranks n keys and cuts the ranks into quintiles: the key at rank k (0-based, ascending) scores 1 + ⌊5k ÷ n⌋. The sort
/// is a least-significant-digit radix sort on bytes, stable (equal keys keep input order) and linear in n; a byte
/// position on which every key agrees is skipped, so small integers take one or two passes. Buffers come from the
/// shared array pool and go back on <see cref="Dispose"/>.
/// </summary>
internal sealed class QuintileRanker : IDisposable
{
    private readonly int _n;
    private ulong[] _keys;
    private ulong[] _spareKeys;
    private int[] _order;
    private int[] _spareOrder;
    private readonly byte[] _quintiles;

    public QuintileRanker(int n)
    {
        _n = n;
        _keys = ArrayPool<ulong>.Shared.Rent(n);
        _spareKeys = ArrayPool<ulong>.Shared.Rent(n);
        _order = ArrayPool<int>.Shared.Rent(n);
        _spareOrder = ArrayPool<int>.Shared.Rent(n);
        _quintiles = ArrayPool<byte>.Shared.Rent(3 * n);
    }

    /// <summary>Gets the keys to fill before <see cref="Rank"/>; a larger key ranks higher.</summary>
    public Span<ulong> Keys => _keys.AsSpan(0, _n);

    public Span<byte> Recency => _quintiles.AsSpan(0, _n);

    public Span<byte> Frequency => _quintiles.AsSpan(_n, _n);

    public Span<byte> Monetary => _quintiles.AsSpan(2 * _n, _n);

    /// <summary>Ranks the current keys and writes each one's quintile (1–5) at its input position.</summary>
    public void Rank(Span<byte> quintiles)
    {
        var n = _n;
        Span<int> counts = stackalloc int[8 * 256];
        counts.Clear();
        var keys = _keys.AsSpan(0, n);
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            for (var b = 0; b < 8; b++)
            {
                counts[(b << 8) | (int)((key >> (b << 3)) & 0xFF)]++;
            }
        }

        var order = _order.AsSpan(0, n);
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Span<int> offsets = stackalloc int[256];
        for (var b = 0; b < 8; b++)
        {
            var histogram = counts.Slice(b << 8, 256);
            var shift = b << 3;
            if (histogram[(int)((_keys[0] >> shift) & 0xFF)] == n)
            {
                continue; // every key has the same byte here: the pass would not move anything
            }

            var running = 0;
            for (var d = 0; d < 256; d++)
            {
                offsets[d] = running;
                running += histogram[d];
            }

            var source = _keys.AsSpan(0, n);
            var sourceOrder = _order.AsSpan(0, n);
            var target = _spareKeys.AsSpan(0, n);
            var targetOrder = _spareOrder.AsSpan(0, n);
            for (var i = 0; i < source.Length; i++)
            {
                var key = source[i];
                var slot = offsets[(int)((key >> shift) & 0xFF)]++;
                target[slot] = key;
                targetOrder[slot] = sourceOrder[i];
            }

            (_keys, _spareKeys) = (_spareKeys, _keys);
            (_order, _spareOrder) = (_spareOrder, _order);
        }

        var ranked = _order.AsSpan(0, n);
        for (var rank = 0; rank < ranked.Length; rank++)
        {
            quintiles[ranked[rank]] = (byte)(1 + (int)(5L * rank / n));
        }
    }

    public void WriteScores(Span<RfmScore> scores)
    {
        var recency = Recency;
        var frequency = Frequency;
        var monetary = Monetary;
        for (var i = 0; i < _n; i++)
        {
            scores[i] = new RfmScore(recency[i], frequency[i], monetary[i]);
        }
    }

    public void Dispose()
    {
        ArrayPool<ulong>.Shared.Return(_keys);
        ArrayPool<ulong>.Shared.Return(_spareKeys);
        ArrayPool<int>.Shared.Return(_order);
        ArrayPool<int>.Shared.Return(_spareOrder);
        ArrayPool<byte>.Shared.Return(_quintiles);
    }
}
