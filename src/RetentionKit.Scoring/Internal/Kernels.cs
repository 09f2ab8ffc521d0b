using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// The vectorised loops of the batch path. Every loop has a scalar tail that performs the same IEEE operations in the
/// same order, so a row gives bit-identical results whether it falls in a vector or in the tail (the explained path
/// scores a batch of one, which is all tail).
/// </summary>
internal static class Kernels
{
    /// <summary>Widens a float column to doubles.</summary>
    public static void Widen(ReadOnlySpan<float> source, Span<double> target)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(source.Slice(i)), out var low, out var high);
                low.CopyTo(target.Slice(i));
                high.CopyTo(target.Slice(i + Vector<double>.Count));
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] = source[i];
        }
    }

    /// <summary>numerator ÷ denominator where the denominator is above zero, else NaN (missing).</summary>
    public static void Ratio(ReadOnlySpan<float> numerators, ReadOnlySpan<float> denominators, Span<double> target, Span<double> scratch)
    {
        Widen(numerators, target);
        Widen(denominators, scratch);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var nan = new Vector<double>(double.NaN);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var d = new Vector<double>(scratch.Slice(i));
                var q = new Vector<double>(target.Slice(i)) / d;
                Vector.ConditionalSelect(Vector.GreaterThan(d, Vector<double>.Zero), q, nan).CopyTo(target.Slice(i));
            }
        }

        for (; i < target.Length; i++)
        {
            var d = scratch[i];
            target[i] = d > 0d ? target[i] / d : double.NaN;
        }
    }

    /// <summary>Adds one signal read straight from a float column (widened in registers), with the semantics of the double overload.</summary>
    public static void AccumulateSignal<TComparer>(
        ReadOnlySpan<float> values,
        double threshold,
        double weight,
        ulong bit,
        Span<double> measured,
        Span<double> active,
        Span<ulong> masks,
        Span<long> counts,
        Span<long> missing)
        where TComparer : struct, IThresholdComparer
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<double>(threshold);
            var w = new Vector<double>(weight);
            var b = new Vector<ulong>(bit);
            var step = Vector<double>.Count;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values.Slice(i)), out var low, out var high);
                Step<TComparer>(low, i, t, w, b, measured, active, masks, counts, missing);
                Step<TComparer>(high, i + step, t, w, b, measured, active, masks, counts, missing);
            }
        }

        for (; i < values.Length; i++)
        {
            double value = values[i];
            var present = !double.IsNaN(value);
            var fires = TComparer.Fires(value, threshold);
            measured[i] += present ? weight : 0d;
            active[i] += fires ? weight : 0d;
            masks[i] |= fires ? bit : 0UL;
            counts[i] += fires ? 1L : 0L;
            missing[i] |= present ? 0L : -1L;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TComparer>(
        Vector<double> v,
        int i,
        Vector<double> t,
        Vector<double> w,
        Vector<ulong> b,
        Span<double> measured,
        Span<double> active,
        Span<ulong> masks,
        Span<long> counts,
        Span<long> missing)
        where TComparer : struct, IThresholdComparer
    {
        var present = Vector.Equals(v, v);
        var fires = TComparer.Fires(v, t);
        (new Vector<double>(measured.Slice(i)) + (w & present.As<long, double>())).CopyTo(measured.Slice(i));
        (new Vector<double>(active.Slice(i)) + (w & fires.As<long, double>())).CopyTo(active.Slice(i));
        (new Vector<ulong>(masks.Slice(i)) | (b & fires.As<long, ulong>())).CopyTo(masks.Slice(i));
        (new Vector<long>(counts.Slice(i)) - fires).CopyTo(counts.Slice(i));
        (new Vector<long>(missing.Slice(i)) | ~present).CopyTo(missing.Slice(i));
    }

    /// <summary>Adds one signal to the accumulators; a NaN value is missing and compares false, so it never fires.</summary>
    public static void AccumulateSignal<TComparer>(
        ReadOnlySpan<double> values,
        double threshold,
        double weight,
        ulong bit,
        Span<double> measured,
        Span<double> active,
        Span<ulong> masks,
        Span<long> counts,
        Span<long> missing)
        where TComparer : struct, IThresholdComparer
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<double>(threshold);
            var w = new Vector<double>(weight);
            var b = new Vector<ulong>(bit);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values.Slice(i));
                var present = Vector.Equals(v, v);
                var fires = TComparer.Fires(v, t);
                (new Vector<double>(measured.Slice(i)) + (w & present.As<long, double>())).CopyTo(measured.Slice(i));
                (new Vector<double>(active.Slice(i)) + (w & fires.As<long, double>())).CopyTo(active.Slice(i));
                (new Vector<ulong>(masks.Slice(i)) | (b & fires.As<long, ulong>())).CopyTo(masks.Slice(i));
                (new Vector<long>(counts.Slice(i)) - fires).CopyTo(counts.Slice(i));
                (new Vector<long>(missing.Slice(i)) | ~present).CopyTo(missing.Slice(i));
            }
        }

        for (; i < values.Length; i++)
        {
            var value = values[i];
            var present = !double.IsNaN(value);
            var fires = TComparer.Fires(value, threshold);
            measured[i] += present ? weight : 0d;
            active[i] += fires ? weight : 0d;
            masks[i] |= fires ? bit : 0UL;
            counts[i] += fires ? 1L : 0L;
            missing[i] |= present ? 0L : -1L;
        }
    }

    /// <summary>Adds one part of a blended component: weight × clamp(intercept + slope × value, 0, 100) where present.</summary>
    public static void AccumulatePart(ReadOnlySpan<double> values, double weight, double intercept, double slope, Span<double> weighted, Span<double> weights, Span<long> measured)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<double>(weight);
            var a = new Vector<double>(intercept);
            var s = new Vector<double>(slope);
            var hundred = new Vector<double>(100d);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values.Slice(i));
                var present = Vector.Equals(v, v).As<long, double>();
                var mapped = Vector.Min(Vector.Max(a + (s * v), Vector<double>.Zero), hundred);
                (new Vector<double>(weighted.Slice(i)) + ((w * mapped) & present)).CopyTo(weighted.Slice(i));
                (new Vector<double>(weights.Slice(i)) + (w & present)).CopyTo(weights.Slice(i));
                (new Vector<long>(measured.Slice(i)) - present.As<double, long>()).CopyTo(measured.Slice(i));
            }
        }

        for (; i < values.Length; i++)
        {
            var value = values[i];
            if (!double.IsNaN(value))
            {
                weighted[i] += weight * Map(value, intercept, slope);
                weights[i] += weight;
                measured[i]++;
            }
        }
    }

    /// <summary>clamp(intercept + slope × value, 0, 100), as the vector loop computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Map(double value, double intercept, double slope) => Math.Min(Math.Max(intercept + (slope * value), 0d), 100d);

    /// <summary>Adds a weighted share where the denominator is above zero: sum += weight × (numerator ÷ denominator), total += weight.</summary>
    public static void AccumulateShare(ReadOnlySpan<double> numerators, ReadOnlySpan<double> denominators, double weight, Span<double> sum, Span<double> total)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<double>(weight);
            for (; i <= sum.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var d = new Vector<double>(denominators.Slice(i));
                var use = Vector.GreaterThan(d, Vector<double>.Zero).As<long, double>();
                (new Vector<double>(sum.Slice(i)) + ((w * (new Vector<double>(numerators.Slice(i)) / d)) & use)).CopyTo(sum.Slice(i));
                (new Vector<double>(total.Slice(i)) + (w & use)).CopyTo(total.Slice(i));
            }
        }

        for (; i < sum.Length; i++)
        {
            var d = denominators[i];
            if (d > 0d)
            {
                sum[i] += weight * (numerators[i] / d);
                total[i] += weight;
            }
        }
    }

    /// <summary>Adds a weighted value where present: sum += weight × value, total += weight.</summary>
    public static void AccumulatePresent(ReadOnlySpan<double> values, double weight, Span<double> sum, Span<double> total)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<double>(weight);
            for (; i <= sum.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values.Slice(i));
                var present = Vector.Equals(v, v).As<long, double>();
                (new Vector<double>(sum.Slice(i)) + ((w * v) & present)).CopyTo(sum.Slice(i));
                (new Vector<double>(total.Slice(i)) + (w & present)).CopyTo(total.Slice(i));
            }
        }

        for (; i < sum.Length; i++)
        {
            var v = values[i];
            if (!double.IsNaN(v))
            {
                sum[i] += weight * v;
                total[i] += weight;
            }
        }
    }

    /// <summary>target = scale × numerator ÷ denominator (NaN where the denominator is zero: 0 ÷ 0).</summary>
    public static void ScaledQuotient(ReadOnlySpan<double> numerators, ReadOnlySpan<double> denominators, double scale, Span<double> target)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<double>(scale);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (s * new Vector<double>(numerators.Slice(i)) / new Vector<double>(denominators.Slice(i))).CopyTo(target.Slice(i));
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] = scale * numerators[i] / denominators[i];
        }
    }
}

/// <summary>A threshold comparison, scalar and vector, with identical results (false for NaN).</summary>
internal interface IThresholdComparer
{
    static abstract bool Fires(double value, double threshold);

    static abstract Vector<long> Fires(Vector<double> values, Vector<double> threshold);
}

internal readonly struct BelowComparer : IThresholdComparer
{
    public static bool Fires(double value, double threshold) => value < threshold;

    public static Vector<long> Fires(Vector<double> values, Vector<double> threshold) => Vector.LessThan(values, threshold);
}

internal readonly struct AboveComparer : IThresholdComparer
{
    public static bool Fires(double value, double threshold) => value > threshold;

    public static Vector<long> Fires(Vector<double> values, Vector<double> threshold) => Vector.GreaterThan(values, threshold);
}

internal readonly struct AtLeastComparer : IThresholdComparer
{
    public static bool Fires(double value, double threshold) => value >= threshold;

    public static Vector<long> Fires(Vector<double> values, Vector<double> threshold) => Vector.GreaterThanOrEqual(values, threshold);
}
