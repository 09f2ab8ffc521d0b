using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// The weighted risk score from a row's present and active signal masks: each category's active share of its measured
/// weight, the category weights shared among the categories with a measured signal.
/// </summary>
/// <remarks>
/// A category's measured (active) weight is the sum, in ascending signal order, of the weights of its present (active)
/// signals. For a category of at most <see cref="MaxTableBits"/> signals every possible share is computed once, when the
/// engine is built, into a table indexed by the category's present and active bits, so the batch path neither sums
/// weights nor divides per category; larger categories sum their bits row by row. Both give the same numbers, because
/// the table is filled by the same sum.
/// </remarks>
internal sealed class CategoryShares
{
    /// <summary>The most signals in a category whose shares are tabulated (a table of 4^6 = 4,096 doubles).</summary>
    public const int MaxTableBits = 6;

    private readonly Category[] _categories;
    private readonly double[] _signalWeights;
    private readonly ulong _allSignals;

    public CategoryShares(ReadOnlySpan<double> signalWeights, ReadOnlySpan<int> signalCategories, ReadOnlySpan<double> categoryWeights)
    {
        _signalWeights = signalWeights.ToArray();
        _allSignals = signalWeights.Length == 64 ? ulong.MaxValue : (1UL << signalWeights.Length) - 1;
        _categories = new Category[categoryWeights.Length];
        for (var c = 0; c < categoryWeights.Length; c++)
        {
            var mask = 0UL;
            for (var j = 0; j < signalCategories.Length; j++)
            {
                mask |= signalCategories[j] == c ? 1UL << j : 0UL;
            }

            _categories[c] = new Category(mask, categoryWeights[c], _signalWeights);
        }
    }

    /// <summary>
    /// risk = 100 × Σ weight × share ÷ Σ weight over the categories with measured weight (NaN when there is none: 0 ÷ 0);
    /// missing = −1 where some signal's input is missing. A category with nothing measured adds 0 to both sums, which
    /// leaves them exactly as skipping it would.
    /// </summary>
    public void Score(ReadOnlySpan<ulong> present, ReadOnlySpan<ulong> active, Span<double> risk, Span<long> missing)
    {
        var n = risk.Length;
        if (present.Length < n || active.Length < n || missing.Length < n)
        {
            throw new ArgumentException("Every span must hold at least as many rows as the target.");
        }

        Span<double> total = stackalloc double[n];
        risk.Clear();
        total.Clear();
        foreach (var category in _categories)
        {
            category.Accumulate(present[..n], active[..n], risk, total, _signalWeights);
        }

        Kernels.ScaledQuotient(risk, total, 100d, risk);
        for (var r = 0; r < n; r++)
        {
            missing[r] = (present[r] & _allSignals) == _allSignals ? 0L : -1L;
        }
    }

    /// <summary>The measured and active weight of a category, summed in ascending signal order.</summary>
    private static (double Measured, double Active) Sum(ulong mask, ulong present, ulong active, double[] weights)
    {
        double measured = 0d;
        double fired = 0d;
        for (var bits = mask; bits != 0; bits &= bits - 1)
        {
            var j = BitOperations.TrailingZeroCount(bits);
            var bit = 1UL << j;
            measured += (present & bit) != 0 ? weights[j] : 0d;
            fired += (active & bit) != 0 ? weights[j] : 0d;
        }

        return (measured, fired);
    }

    /// <summary>Deposits the low bits of <paramref name="index"/> at the set bits of <paramref name="mask"/> (the inverse of <see cref="Extract"/>).</summary>
    internal static ulong Deposit(ulong index, ulong mask)
    {
        var result = 0UL;
        var k = 0;
        for (var bits = mask; bits != 0; bits &= bits - 1, k++)
        {
            result |= ((index >> k) & 1UL) != 0 ? bits & (~bits + 1) : 0UL;
        }

        return result;
    }

    /// <summary>The bits of <paramref name="value"/> at the set bits of <paramref name="mask"/>, packed low (PEXT).</summary>
    internal static ulong Extract(ulong value, ulong mask) =>
        Bmi2.X64.IsSupported ? Bmi2.X64.ParallelBitExtract(value, mask) : ExtractPortable(value, mask);

    /// <summary>PEXT for CPUs without BMI2: one step per set bit of the mask.</summary>
    internal static ulong ExtractPortable(ulong value, ulong mask)
    {
        var result = 0UL;
        var k = 0;
        for (var bits = mask; bits != 0; bits &= bits - 1, k++)
        {
            result |= (value & bits & (~bits + 1)) != 0 ? 1UL << k : 0UL;
        }

        return result;
    }

    private sealed class Category
    {
        private readonly ulong _mask;
        private readonly int _bits;
        private readonly int _shift; // ≥ 0 when the category's signals are contiguous bits
        private readonly double _weight;
        private readonly double[]? _points; // [present index << bits | active index]: weight × share, 0 where nothing is measured
        private readonly double[]? _weights; // same index: the category weight, 0 where nothing is measured

        public Category(ulong mask, double weight, double[] signalWeights)
        {
            _mask = mask;
            _weight = weight;
            _bits = BitOperations.PopCount(mask);
            var low = mask == 0 ? 0 : BitOperations.TrailingZeroCount(mask);
            _shift = mask == 0 || mask >> low == (1UL << _bits) - 1 ? low : -1;
            if (_bits > MaxTableBits)
            {
                return;
            }

            var size = 1 << _bits;
            _points = new double[size * size];
            _weights = new double[size * size];
            for (var p = 0; p < size; p++)
            {
                for (var a = 0; a < size; a++)
                {
                    var (measured, fired) = Sum(mask, Deposit((ulong)p, mask), Deposit((ulong)a, mask), signalWeights);
                    var measuredAny = measured > 0d;
                    _points[(p << _bits) | a] = measuredAny ? weight * (fired / measured) : 0d;
                    _weights[(p << _bits) | a] = measuredAny ? weight : 0d;
                }
            }
        }

        /// <summary>sum += weight × share and total += weight, for each row where the category has measured weight.</summary>
        public void Accumulate(ReadOnlySpan<ulong> present, ReadOnlySpan<ulong> active, Span<double> sum, Span<double> total, double[] signalWeights)
        {
            if (_points is { } points && _weights is { } weights)
            {
                ref var point = ref MemoryMarshal.GetArrayDataReference(points);
                ref var weight = ref MemoryMarshal.GetArrayDataReference(weights);
                if (_shift >= 0)
                {
                    // The index is below size², the tables' length, by construction: no bounds checks.
                    var low = (1UL << _bits) - 1;
                    for (var r = 0; r < sum.Length; r++)
                    {
                        var index = (nuint)((((present[r] >> _shift) & low) << _bits) | ((active[r] >> _shift) & low));
                        sum[r] += Unsafe.Add(ref point, index);
                        total[r] += Unsafe.Add(ref weight, index);
                    }
                }
                else
                {
                    for (var r = 0; r < sum.Length; r++)
                    {
                        var index = (nuint)((Extract(present[r], _mask) << _bits) | Extract(active[r], _mask));
                        sum[r] += Unsafe.Add(ref point, index);
                        total[r] += Unsafe.Add(ref weight, index);
                    }
                }

                return;
            }

            for (var r = 0; r < sum.Length; r++)
            {
                var (measured, fired) = Sum(_mask, present[r], active[r], signalWeights);
                var measuredAny = measured > 0d;
                sum[r] += measuredAny ? _weight * (fired / measured) : 0d;
                total[r] += measuredAny ? _weight : 0d;
            }
        }
    }
}
