using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// The vectorised loops of the batch path. Every loop has a scalar tail that performs the same IEEE operations in the
/// same order, so a row gives bit-identical results whether it falls in a vector or in the tail (the explained path
/// scores a batch of one, which is all tail).
/// </summary>
/// <remarks>
/// Inputs are read through an <see cref="IColumnSource"/> (a float column, or the ratio of two) that widens to double
/// in registers, so no intermediate column is written. Loops use unchecked loads after one length check at entry.
/// </remarks>
internal static class Kernels
{
    /// <summary>Rows per vector step: one <see cref="Vector{T}"/> of floats, two of doubles.</summary>
    private static int Step => Vector<float>.Count;

    /// <summary>
    /// Every built-in signal in one pass over the rows: for each block of rows the signals' bits are gathered in
    /// registers and the masks written once, instead of a read-modify-write of both masks per signal. Each signal does
    /// what <see cref="Signals.BuiltInSignal"/> does for one row (the same ratio and comparison), so the masks and
    /// the explanation agree.
    /// </summary>
    public static void AccumulateSignals(ScoringBatch batch, int start, ReadOnlySpan<FusedSignal> signals, in Accumulators acc)
    {
        var n = acc.Active.Length;
        Require(acc.Present.Length >= n && start + n <= batch.Capacity);
        ref var active = ref MemoryMarshal.GetReference(acc.Active);
        ref var present = ref MemoryMarshal.GetReference(acc.Present);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Step; i += Step)
            {
                var activeLow = Vector<ulong>.Zero;
                var activeHigh = Vector<ulong>.Zero;
                var presentLow = Vector<ulong>.Zero;
                var presentHigh = Vector<ulong>.Zero;
                foreach (ref readonly var signal in signals)
                {
                    var values = batch.ColumnSpan(signal.Column).Slice(start + i, Step);
                    Vector<double> low, high;
                    if (signal.DenominatorColumn >= 0)
                    {
                        new RatioSource(values, batch.ColumnSpan(signal.DenominatorColumn).Slice(start + i, Step)).Load(0, out low, out high);
                    }
                    else
                    {
                        new MeasureSource(values).Load(0, out low, out high);
                    }

                    var t = new Vector<double>(signal.Threshold);
                    var bit = new Vector<ulong>(signal.Bit);
                    var (firesLow, firesHigh) = signal.Comparison switch
                    {
                        Signals.Comparison.Below => (BelowComparer.Fires(low, t), BelowComparer.Fires(high, t)),
                        Signals.Comparison.Above => (AboveComparer.Fires(low, t), AboveComparer.Fires(high, t)),
                        _ => (AtLeastComparer.Fires(low, t), AtLeastComparer.Fires(high, t)),
                    };
                    presentLow |= bit & Vector.Equals(low, low).As<long, ulong>();
                    presentHigh |= bit & Vector.Equals(high, high).As<long, ulong>();
                    activeLow |= bit & firesLow.As<long, ulong>();
                    activeHigh |= bit & firesHigh.As<long, ulong>();
                }

                var at = (nuint)i;
                (Vector.LoadUnsafe(ref present, at) | presentLow).StoreUnsafe(ref present, at);
                (Vector.LoadUnsafe(ref active, at) | activeLow).StoreUnsafe(ref active, at);
                at += (nuint)Vector<double>.Count;
                (Vector.LoadUnsafe(ref present, at) | presentHigh).StoreUnsafe(ref present, at);
                (Vector.LoadUnsafe(ref active, at) | activeHigh).StoreUnsafe(ref active, at);
            }
        }

        for (; i < n; i++)
        {
            foreach (ref readonly var signal in signals)
            {
                double value = batch.ColumnSpan(signal.Column)[start + i];
                if (signal.DenominatorColumn >= 0)
                {
                    double denominator = batch.ColumnSpan(signal.DenominatorColumn)[start + i];
                    value = denominator > 0d ? value / denominator : double.NaN;
                }

                var fires = signal.Comparison switch
                {
                    Signals.Comparison.Below => BelowComparer.Fires(value, signal.Threshold),
                    Signals.Comparison.Above => AboveComparer.Fires(value, signal.Threshold),
                    _ => AtLeastComparer.Fires(value, signal.Threshold),
                };
                acc.Present[i] |= double.IsNaN(value) ? 0UL : signal.Bit;
                acc.Active[i] |= fires ? signal.Bit : 0UL;
            }
        }
    }

    /// <summary>counts = the number of set bits of each mask: the active signals.</summary>
    public static void CountBits(ReadOnlySpan<ulong> masks, Span<long> counts)
    {
        Require(masks.Length >= counts.Length);
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = BitOperations.PopCount(masks[i]);
        }
    }

    /// <summary>
    /// A whole blended component of two or three parts in one pass: value = Σ weight × mapped ÷ Σ weight over the
    /// measured parts (NaN when none is: 0 ÷ 0), and incomplete |= 1 where a part is missing. The same operations in the
    /// same order as the per-customer path (BlendedComponent.Read), so the two agree bit for bit.
    /// </summary>
    public static void Blend(PartSource first, in PartMap firstMap, PartSource second, in PartMap secondMap, PartSource third, in PartMap thirdMap, Span<double> values, Span<long> incomplete)
    {
        var n = values.Length;
        var parts = third.Length > 0 ? 3 : 2;
        Require(first.Length >= n && second.Length >= n && (parts == 2 || third.Length >= n) && incomplete.Length >= n);
        ref var value = ref MemoryMarshal.GetReference(values);
        ref var flags = ref MemoryMarshal.GetReference(incomplete);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var expected = new Vector<long>(parts);
            for (; i <= n - Step; i += Step)
            {
                var sumLow = Vector<double>.Zero;
                var sumHigh = Vector<double>.Zero;
                var weightLow = Vector<double>.Zero;
                var weightHigh = Vector<double>.Zero;
                var countLow = Vector<long>.Zero;
                var countHigh = Vector<long>.Zero;
                first.Load(i, out var low, out var high);
                firstMap.Add(low, ref sumLow, ref weightLow, ref countLow);
                firstMap.Add(high, ref sumHigh, ref weightHigh, ref countHigh);
                second.Load(i, out low, out high);
                secondMap.Add(low, ref sumLow, ref weightLow, ref countLow);
                secondMap.Add(high, ref sumHigh, ref weightHigh, ref countHigh);
                if (parts == 3)
                {
                    third.Load(i, out low, out high);
                    thirdMap.Add(low, ref sumLow, ref weightLow, ref countLow);
                    thirdMap.Add(high, ref sumHigh, ref weightHigh, ref countHigh);
                }

                var at = (nuint)i;
                (sumLow / weightLow).StoreUnsafe(ref value, at);
                (Vector.LoadUnsafe(ref flags, at) | (Vector.LessThan(countLow, expected) & Vector<long>.One)).StoreUnsafe(ref flags, at);
                at += (nuint)Vector<double>.Count;
                (sumHigh / weightHigh).StoreUnsafe(ref value, at);
                (Vector.LoadUnsafe(ref flags, at) | (Vector.LessThan(countHigh, expected) & Vector<long>.One)).StoreUnsafe(ref flags, at);
            }
        }

        for (; i < n; i++)
        {
            double sum = 0d;
            double weight = 0d;
            var count = 0L;
            firstMap.Add(first.At(i), ref sum, ref weight, ref count);
            secondMap.Add(second.At(i), ref sum, ref weight, ref count);
            if (parts == 3)
            {
                thirdMap.Add(third.At(i), ref sum, ref weight, ref count);
            }

            values[i] = 1d * sum / weight;
            incomplete[i] |= count < parts ? 1L : 0L;
        }
    }

    /// <summary>clamp(intercept + slope × value, 0, 100), as the vector loops compute it.</summary>
    /// <remarks>
    /// The vector loops clamp with the native min/max instructions, which differ from <see cref="Math.Min(double, double)"/>
    /// only for NaN and −0. Neither reaches them: a missing (NaN) value is masked out, and with a +0 or 100 intercept
    /// (every built-in part) intercept + slope × value is never −0.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Map(double value, double intercept, double slope) => Math.Min(Math.Max(intercept + (slope * value), 0d), 100d);

    /// <summary>Adds a weighted value where present: sum += weight × value, total += weight.</summary>
    public static void AccumulatePresent(ReadOnlySpan<double> values, double weight, Span<double> sum, Span<double> total)
    {
        var n = sum.Length;
        Require(values.Length >= n && total.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<double>(weight);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = new Vector<double>(values.Slice(i));
                var present = Vector.Equals(v, v).As<long, double>();
                (new Vector<double>(sum.Slice(i)) + ((w * v) & present)).CopyTo(sum.Slice(i));
                (new Vector<double>(total.Slice(i)) + (w & present)).CopyTo(total.Slice(i));
            }
        }

        for (; i < n; i++)
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
        var n = target.Length;
        Require(numerators.Length >= n && denominators.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<double>(scale);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                (s * new Vector<double>(numerators.Slice(i)) / new Vector<double>(denominators.Slice(i))).CopyTo(target.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            target[i] = scale * numerators[i] / denominators[i];
        }
    }

    /// <summary>
    /// The churn probability without a calibration: the level's band interpolated by the risk score,
    /// minimum + (maximum − minimum) × risk ÷ 100, where the level is 1 + [count ≥ medium] + [count ≥ high].
    /// </summary>
    public static void BandProbability(ReadOnlySpan<double> risk, ReadOnlySpan<long> counts, in ProbabilityBands bands, Span<double> target)
    {
        var n = target.Length;
        Require(risk.Length >= n && counts.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var medium = new Vector<long>(bands.MediumAt);
            var high = new Vector<long>(bands.HighAt);
            var hundred = new Vector<double>(100d);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var c = new Vector<long>(counts.Slice(i));
                var isMedium = Vector.GreaterThanOrEqual(c, medium).As<long, double>();
                var isHigh = Vector.GreaterThanOrEqual(c, high).As<long, double>();
                var minimum = Vector.ConditionalSelect(isHigh, new Vector<double>(bands.HighMinimum), Vector.ConditionalSelect(isMedium, new Vector<double>(bands.MediumMinimum), new Vector<double>(bands.LowMinimum)));
                var maximum = Vector.ConditionalSelect(isHigh, new Vector<double>(bands.HighMaximum), Vector.ConditionalSelect(isMedium, new Vector<double>(bands.MediumMaximum), new Vector<double>(bands.LowMaximum)));
                (minimum + ((maximum - minimum) * new Vector<double>(risk.Slice(i)) / hundred)).CopyTo(target.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            var c = counts[i];
            var minimum = c >= bands.HighAt ? bands.HighMinimum : c >= bands.MediumAt ? bands.MediumMinimum : bands.LowMinimum;
            var maximum = c >= bands.HighAt ? bands.HighMaximum : c >= bands.MediumAt ? bands.MediumMaximum : bands.LowMaximum;
            target[i] = minimum + ((maximum - minimum) * risk[i] / 100d);
        }
    }

    /// <summary>
    /// Sets each row's risk level (unknown where the risk score is undefined, else 1 + [count ≥ medium] + [count ≥ high]),
    /// retention band ([score ≥ low] + [score ≥ medium] + [score ≥ high]; an undefined score is at risk) and notes.
    /// </summary>
    public static void Classify(
        ReadOnlySpan<double> risk,
        ReadOnlySpan<double> retention,
        ReadOnlySpan<long> counts,
        ReadOnlySpan<long> missing,
        ReadOnlySpan<long> incomplete,
        in ProbabilityBands levels,
        in BandCuts cuts,
        Span<long> level,
        Span<long> band,
        Span<long> notes)
    {
        var n = level.Length;
        Require(risk.Length >= n && retention.Length >= n && counts.Length >= n && missing.Length >= n && incomplete.Length >= n && band.Length >= n && notes.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var medium = new Vector<long>(levels.MediumAt);
            var high = new Vector<long>(levels.HighAt);
            var low = new Vector<double>(cuts.LowFrom);
            var mid = new Vector<double>(cuts.MediumFrom);
            var top = new Vector<double>(cuts.HighFrom);
            var signalsMissing = new Vector<long>((long)ScoreNotes.SignalInputsMissing);
            var riskUndefined = new Vector<long>((long)ScoreNotes.RiskUndefined);
            var componentsMissing = new Vector<long>((long)ScoreNotes.ComponentInputsMissing);
            var retentionUndefined = new Vector<long>((long)ScoreNotes.RetentionUndefined);
            for (; i <= n - Vector<long>.Count; i += Vector<long>.Count)
            {
                var r = new Vector<double>(risk.Slice(i));
                var s = new Vector<double>(retention.Slice(i));
                var c = new Vector<long>(counts.Slice(i));
                var riskDefined = Vector.Equals(r, r);
                var retentionDefined = Vector.Equals(s, s);
                (riskDefined & (Vector<long>.One - Vector.GreaterThanOrEqual(c, medium) - Vector.GreaterThanOrEqual(c, high))).CopyTo(level.Slice(i));
                (Vector<long>.Zero - Vector.GreaterThanOrEqual(s, low) - Vector.GreaterThanOrEqual(s, mid) - Vector.GreaterThanOrEqual(s, top)).CopyTo(band.Slice(i));
                ((~Vector.Equals(new Vector<long>(missing.Slice(i)), Vector<long>.Zero) & signalsMissing)
                    | (~riskDefined & riskUndefined)
                    | (~Vector.Equals(new Vector<long>(incomplete.Slice(i)), Vector<long>.Zero) & componentsMissing)
                    | (~retentionDefined & retentionUndefined)).CopyTo(notes.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            var r = risk[i];
            var s = retention[i];
            var c = counts[i];
            level[i] = double.IsNaN(r) ? 0L : 1L + (c >= levels.MediumAt ? 1L : 0L) + (c >= levels.HighAt ? 1L : 0L);
            band[i] = (s >= cuts.LowFrom ? 1L : 0L) + (s >= cuts.MediumFrom ? 1L : 0L) + (s >= cuts.HighFrom ? 1L : 0L);
            notes[i] = (missing[i] != 0 ? (long)ScoreNotes.SignalInputsMissing : 0L)
                | (double.IsNaN(r) ? (long)ScoreNotes.RiskUndefined : 0L)
                | (incomplete[i] != 0 ? (long)ScoreNotes.ComponentInputsMissing : 0L)
                | (double.IsNaN(s) ? (long)ScoreNotes.RetentionUndefined : 0L);
        }
    }

    /// <summary>A model's levels: 1 + [p ≥ medium] + [p ≥ high]; notes the probability as the model's.</summary>
    public static void ProbabilityLevels(ReadOnlySpan<double> probability, double mediumFrom, double highFrom, Span<long> level, Span<long> notes)
    {
        var n = level.Length;
        Require(probability.Length >= n && notes.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var medium = new Vector<double>(mediumFrom);
            var high = new Vector<double>(highFrom);
            var calibrated = new Vector<long>((long)ScoreNotes.Calibrated);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var p = new Vector<double>(probability.Slice(i));
                (Vector<long>.One - Vector.GreaterThanOrEqual(p, medium) - Vector.GreaterThanOrEqual(p, high)).CopyTo(level.Slice(i));
                (new Vector<long>(notes.Slice(i)) | calibrated).CopyTo(notes.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            var p = probability[i];
            level[i] = 1L + (p >= mediumFrom ? 1L : 0L) + (p >= highFrom ? 1L : 0L);
            notes[i] |= (long)ScoreNotes.Calibrated;
        }
    }

    /// <summary>matched = −1 where the risk is defined (level above unknown) and every signal of <paramref name="required"/> is active, else 0.</summary>
    public static void MatchMask(ReadOnlySpan<ulong> masks, ReadOnlySpan<long> levels, ulong required, Span<long> matched)
    {
        var n = matched.Length;
        Require(masks.Length >= n && levels.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var req = new Vector<ulong>(required);
            for (; i <= n - Vector<long>.Count; i += Vector<long>.Count)
            {
                var all = Vector.Equals(new Vector<ulong>(masks.Slice(i)) & req, req).As<ulong, long>();
                (all & ~Vector.Equals(new Vector<long>(levels.Slice(i)), Vector<long>.Zero)).CopyTo(matched.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            matched[i] = (masks[i] & required) == required && levels[i] != 0 ? -1L : 0L;
        }
    }

    /// <summary>Keeps a match only where the value is present and below <paramref name="below"/>.</summary>
    public static void AndBelow<TSource>(TSource source, double below, Span<long> matched)
        where TSource : IColumnSource, allows ref struct
    {
        var n = matched.Length;
        Require(source.Length >= n);
        ref var m = ref MemoryMarshal.GetReference(matched);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b = new Vector<double>(below);
            for (; i <= n - Step; i += Step)
            {
                source.Load(i, out var low, out var high);
                var at = (nuint)i;
                (Vector.LoadUnsafe(ref m, at) & Vector.LessThan(low, b)).StoreUnsafe(ref m, at);
                at += (nuint)Vector<double>.Count;
                (Vector.LoadUnsafe(ref m, at) & Vector.LessThan(high, b)).StoreUnsafe(ref m, at);
            }
        }

        for (; i < n; i++)
        {
            matched[i] &= source.At(i) < below ? -1L : 0L;
        }
    }

    /// <summary>
    /// Records a red flag where it matched, and raises the probability to <paramref name="floor"/> where that is higher
    /// (noting it); a NaN floor (a calibrated engine) raises nothing.
    /// </summary>
    public static void ApplyRedFlag(ReadOnlySpan<long> matched, ulong bit, double floor, Span<ulong> redFlags, Span<double> probability, Span<long> notes)
    {
        var n = matched.Length;
        Require(redFlags.Length >= n && probability.Length >= n && notes.Length >= n);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b = new Vector<ulong>(bit);
            var f = new Vector<double>(floor);
            var applied = new Vector<long>((long)ScoreNotes.RedFlagFloorApplied);
            for (; i <= n - Vector<long>.Count; i += Vector<long>.Count)
            {
                var m = new Vector<long>(matched.Slice(i));
                var p = new Vector<double>(probability.Slice(i));
                var raise = m & Vector.GreaterThan(f, p);
                (new Vector<ulong>(redFlags.Slice(i)) | (b & m.As<long, ulong>())).CopyTo(redFlags.Slice(i));
                Vector.ConditionalSelect(raise.As<long, double>(), f, p).CopyTo(probability.Slice(i));
                (new Vector<long>(notes.Slice(i)) | (raise & applied)).CopyTo(notes.Slice(i));
            }
        }

        for (; i < n; i++)
        {
            if (matched[i] != 0)
            {
                redFlags[i] |= bit;
                if (floor > probability[i])
                {
                    probability[i] = floor;
                    notes[i] |= (long)ScoreNotes.RedFlagFloorApplied;
                }
            }
        }
    }

    private static void Require(bool lengthsFit)
    {
        if (!lengthsFit)
        {
            throw new InvalidOperationException("A scoring kernel was given spans shorter than its row count.");
        }
    }
}

/// <summary>The band probabilities of the three levels and the active-signal counts at which medium and high start.</summary>
internal readonly record struct ProbabilityBands(
    long MediumAt,
    long HighAt,
    double LowMinimum,
    double LowMaximum,
    double MediumMinimum,
    double MediumMaximum,
    double HighMinimum,
    double HighMaximum);

/// <summary>The retention scores from which the band is low, medium and high (S5).</summary>
internal readonly record struct BandCuts(double LowFrom, double MediumFrom, double HighFrom);

/// <summary>A column of values the kernels read, scalar or <see cref="Vector{T}"/>.Count × 2 rows at a time, as doubles.</summary>
internal interface IColumnSource
{
    /// <summary>Gets the number of rows.</summary>
    int Length { get; }

    /// <summary>Gets row <paramref name="i"/>; NaN when missing.</summary>
    double At(int i);

    /// <summary>Loads rows [i, i + Vector&lt;float&gt;.Count) as two double vectors, with the arithmetic of <see cref="At"/>.</summary>
    void Load(int i, out Vector<double> low, out Vector<double> high);
}

/// <summary>A float column, widened.</summary>
internal readonly ref struct MeasureSource : IColumnSource
{
    private readonly ReadOnlySpan<float> _values;

    public MeasureSource(ReadOnlySpan<float> values) => _values = values;

    public int Length => _values.Length;

    public double At(int i) => _values[i];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(int i, out Vector<double> low, out Vector<double> high) =>
        Vector.Widen(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(_values), (nuint)i), out low, out high);
}

/// <summary>numerator ÷ denominator, widened, where the denominator is above zero; NaN (missing) otherwise.</summary>
internal readonly ref struct RatioSource : IColumnSource
{
    private readonly ReadOnlySpan<float> _numerators;
    private readonly ReadOnlySpan<float> _denominators;

    public RatioSource(ReadOnlySpan<float> numerators, ReadOnlySpan<float> denominators)
    {
        _numerators = numerators;
        _denominators = denominators.Slice(0, numerators.Length);
    }

    public int Length => _numerators.Length;

    public double At(int i)
    {
        double denominator = _denominators[i];
        return denominator > 0d ? _numerators[i] / denominator : double.NaN;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(int i, out Vector<double> low, out Vector<double> high)
    {
        var at = (nuint)i;
        Vector.Widen(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(_numerators), at), out var numeratorLow, out var numeratorHigh);
        Vector.Widen(Vector.LoadUnsafe(ref MemoryMarshal.GetReference(_denominators), at), out var denominatorLow, out var denominatorHigh);
        var nan = new Vector<double>(double.NaN);
        low = Vector.ConditionalSelect(Vector.GreaterThan(denominatorLow, Vector<double>.Zero), numeratorLow / denominatorLow, nan);
        high = Vector.ConditionalSelect(Vector.GreaterThan(denominatorHigh, Vector<double>.Zero), numeratorHigh / denominatorHigh, nan);
    }
}

/// <summary>One part of a blended component, as a column or the ratio of two (an empty denominator: a plain column).</summary>
internal readonly ref struct PartSource : IColumnSource
{
    private readonly ReadOnlySpan<float> _numerators;
    private readonly ReadOnlySpan<float> _denominators;
    private readonly bool _ratio;

    public PartSource(ReadOnlySpan<float> numerators, ReadOnlySpan<float> denominators, bool ratio)
    {
        _numerators = numerators;
        _denominators = ratio ? denominators.Slice(0, numerators.Length) : default;
        _ratio = ratio;
    }

    public int Length => _numerators.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double At(int i) => _ratio ? new RatioSource(_numerators, _denominators).At(i) : new MeasureSource(_numerators).At(i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Load(int i, out Vector<double> low, out Vector<double> high)
    {
        if (_ratio)
        {
            new RatioSource(_numerators, _denominators).Load(i, out low, out high);
        }
        else
        {
            new MeasureSource(_numerators).Load(i, out low, out high);
        }
    }
}

/// <summary>A part's weight and linear mapping to 0–100, and how a value adds to a component's running sums.</summary>
internal readonly struct PartMap(double weight, double intercept, double slope)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Vector<double> v, ref Vector<double> sum, ref Vector<double> weights, ref Vector<long> count)
    {
        var present = Vector.Equals(v, v).As<long, double>();
        var w = new Vector<double>(weight);
        var mapped = Vector.MinNative(Vector.MaxNative(new Vector<double>(intercept) + (new Vector<double>(slope) * v), Vector<double>.Zero), new Vector<double>(100d));
        sum += (w * mapped) & present;
        weights += w & present;
        count -= present.As<double, long>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value, ref double sum, ref double weights, ref long count)
    {
        if (!double.IsNaN(value))
        {
            sum += weight * Kernels.Map(value, intercept, slope);
            weights += weight;
            count++;
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

/// <summary>A built-in signal as the fused pass reads it: its column (and denominator's, or −1), comparison, threshold and bit.</summary>
internal readonly record struct FusedSignal(int Column, int DenominatorColumn, Signals.Comparison Comparison, double Threshold, ulong Bit);
