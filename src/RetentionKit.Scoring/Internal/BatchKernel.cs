using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RetentionKit.Scoring.Components;
using RetentionKit.Scoring.Signals;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// The scoring kernel of one engine, in single precision — the precision the measures are stored in — with sixteen
/// customers to a vector on AVX-512 hardware (<see cref="Vector512{T}"/> of <see cref="float"/>) and eight on AVX2
/// (<see cref="Vector{T}"/>).
/// </summary>
/// <remarks>
/// <para>A chunk of at most <see cref="ChunkRows"/> rows is scored step by step, each step a vectorised loop over the
/// chunk: signals with the risk score's category sums, the risk score, components with the retention score, then
/// levels, red flags, the probability and the results. A chunk whose row count is not a whole number of vectors (the
/// last one, or the explained path's batch of one) is first copied into a chunk padded with missing values, so every
/// row gets the same lane arithmetic: the batch and the explained path agree bit for bit, and no step has a scalar
/// twin to keep in step.</para>
/// <para>Thresholds are rounded outward to the float grid, so a comparison of a stored measure gives exactly the
/// answer the double comparison would; ratios and score sums are single precision. The probability is double: the
/// rule of thumb's band interpolation, the red-flag floors, and a model's log-odds and logistic.</para>
/// <para>The signal, component, validation and model loops are written once over <see cref="ILanes{TSelf}"/> and
/// <see cref="IDoubleLanes{TSelf}"/> and compiled for 512-bit vectors where <see cref="Vector512.IsHardwareAccelerated"/>
/// (measured on 2 EPYC cores: about a fifth off the calibrated million-customer batch), else for
/// <see cref="Vector{T}"/>; every lane gets the same IEEE operations, so the results are bit for bit the same on both.</para>
/// <para>The host's own signals, components, red-flag rules and model are called row by row, for the real rows only.</para>
/// </remarks>
internal sealed class BatchKernel
{
    /// <summary>The most rows scored in one chunk: its working set stays in the first-level cache.</summary>
    public const int ChunkRows = 128;

    private const int CategoryCount = 3;

    /// <summary>The floats in a 64-byte cache line.</summary>
    private const int LineFloats = 16;

    private readonly ScoringEngine _engine;
    private readonly SignalStep[] _signals;
    private readonly int[] _categoryEnds;
    private readonly CustomSignalStep[] _customSignals;
    private readonly float[] _categoryWeights;
    private readonly uint _allLow;
    private readonly uint _allHigh;
    private readonly ComponentStep[] _components;
    private readonly RedFlagStep[] _redFlags;
    private readonly Cuts _cuts;

    public BatchKernel(ScoringEngine engine, ReadOnlySpan<double> signalWeights, ReadOnlySpan<double> categoryWeights, ReadOnlySpan<double> componentWeights, in Cuts cuts, IReadOnlyList<RedFlagPlan> redFlags)
    {
        _engine = engine;
        _cuts = cuts;
        _categoryWeights = [.. categoryWeights.ToArray().Select(w => (float)w)];
        var signals = engine.Signals;
        var builtIn = new List<SignalStep>();
        var custom = new List<CustomSignalStep>();
        for (var j = 0; j < signals.Length; j++)
        {
            var (word, bit) = Bit(j);
            var category = (int)signals[j].Category;
            var weight = (float)signalWeights[j];
            if (signals[j] is BuiltInSignal s)
            {
                builtIn.Add(SignalStep.Of(s, word, bit, category, weight));
            }
            else
            {
                custom.Add(new CustomSignalStep(signals[j], word, bit, category, weight));
            }
        }

        _signals = [.. builtIn.OrderBy(s => s.Category)];
        _categoryEnds = [.. Enumerable.Range(0, CategoryCount).Select(c => builtIn.Count(s => s.Category <= c))];
        _customSignals = [.. custom];
        _allLow = signals.Length >= 32 ? uint.MaxValue : (1u << signals.Length) - 1;
        _allHigh = signals.Length <= 32 ? 0u : signals.Length == 64 ? uint.MaxValue : (1u << (signals.Length - 32)) - 1;
        _components = new ComponentStep[engine.Components.Length];
        for (var k = 0; k < _components.Length; k++)
        {
            _components[k] = engine.Components[k] is BuiltInComponents.BlendedComponent blended
                ? new ComponentStep((float)componentWeights[k], [.. blended.Parts.Select(p => new PartStep(p.Column, p.DenominatorColumn, (float)p.Weight, (float)p.Intercept, (float)p.Slope))], null)
                : new ComponentStep((float)componentWeights[k], [], engine.Components[k]);
        }

        _redFlags = [.. redFlags.Select((r, k) => new RedFlagStep(
            r.Floor,
            unchecked((uint)r.RequiredMask),
            (uint)(r.RequiredMask >> 32),
            [.. r.MeasuresBelow.Select(m => (m.Column, Float.Up(m.Below)))],
            r.Custom,
            Bit(k).Word,
            Bit(k).Bit))];
        TwoWords = signals.Length > 32 || _redFlags.Length > 32;
    }

    /// <summary>Gets whether signal or red-flag masks need a second 32-bit word (more than 32 of either).</summary>
    public bool TwoWords { get; }

    private static int Width => Vector<float>.Count;

    /// <summary>
    /// Gets or sets whether the loops take 512-bit vectors: by default where the hardware accelerates them. Tests set it
    /// off to run the narrower loops on the same machine (the results must be the same bits).
    /// </summary>
    public bool Wide
    {
        get;
        set
        {
            if (value && !Vector512.IsHardwareAccelerated)
            {
                throw new InvalidOperationException("512-bit vectors are not accelerated on this machine.");
            }

            field = value;
        }
    } = Vector512.IsHardwareAccelerated;

    /// <summary>The rows chunks are padded to: a step of the widest loops the machine can run (a whole number of steps of the narrower ones).</summary>
    private static int Step => Vector512.IsHardwareAccelerated ? Vector512Lanes.Rows : VectorLanes.Rows;

    /// <summary>The word (0 for bits 0–31, 1 for 32–63) and the bit within it of mask bit <paramref name="index"/>.</summary>
    public static (int Word, uint Bit) Bit(int index) => (index >> 5, 1u << (index & 31));

    /// <summary>
    /// Scores rows [start, start + results.Length) of a batch into results, a chunk at a time; with
    /// <paramref name="logOdds"/> (the explained path), also writes each row's model log-odds there.
    /// </summary>
    /// <remarks>
    /// With <paramref name="validate"/>, each chunk's values are checked just before it is scored, while they are in
    /// the cache (one pass over the batch's memory, not two); a bad value clears all the results and
    /// throws, so no part of a batch is left scored.
    /// </remarks>
    public void Score(ScoringBatch batch, int start, Span<BatchScore> results, ModelPlan? model, Span<double> logOdds, bool validate)
    {
        // One working set for every chunk, sized for the largest (stack memory is cleared once per call, not per chunk).
        var n = results.Length;
        var m = Math.Min(ChunkRows, Padded(n));
        var words = TwoWords ? 2 : 1;
        var work = new Workspace(
            stackalloc uint[words * m],
            stackalloc uint[words * m],
            stackalloc int[m],
            stackalloc float[2 * CategoryCount * m],
            stackalloc float[m],
            stackalloc float[Math.Max(1, _components.Length) * m],
            stackalloc int[m],
            stackalloc float[m],
            stackalloc int[3 * m],
            stackalloc double[m],
            stackalloc uint[words * m],
            stackalloc double[m],
            stackalloc int[m],
            stackalloc ulong[m],
            stackalloc ulong[m],
            stackalloc ulong[m]);

        // The last chunk, when not a whole number of vectors, is copied into a chunk padded with missing values.
        var columns = batch.Measures.Length;
        var tail = n % ChunkRows % Step;
        var paddedRows = Padded(n % ChunkRows);
        var padded = tail == 0 ? [] : columns * paddedRows <= 8192 ? stackalloc float[columns * paddedRows] : new float[columns * paddedRows];
        for (var row = 0; row < n; row += ChunkRows)
        {
            var count = Math.Min(ChunkRows, n - row);
            if (validate)
            {
                try
                {
                    _engine.Validate(batch, start + row, count, Wide);
                }
                catch (ArgumentException)
                {
                    results.Clear();
                    throw;
                }
            }

            var chunkLogOdds = logOdds.IsEmpty ? default : logOdds.Slice(row, count);
            if (count % Step == 0)
            {
                ScoreChunk(new ChunkSource(batch, batch.Data, batch.Stride, batch.Origin + start + row, count, start + row), ref work, results.Slice(row, count), model, chunkLogOdds, results[(row + count)..]);
                continue;
            }

            padded.Fill(ScoringBatch.Missing);
            for (var c = 0; c < columns; c++)
            {
                batch.ColumnSpan(c).Slice(start + row, count).CopyTo(padded.Slice(c * paddedRows));
            }

            ScoreChunk(new ChunkSource(batch, padded, paddedRows, 0, count, start + row), ref work, results.Slice(row, count), model, chunkLogOdds, default);
        }
    }

    /// <summary>Asks the processor to start loading one step (a cache line of each column) of the next chunk.</summary>
    /// <remarks>
    /// The batch's columns are many streams at once, more than the hardware prefetchers follow, so a chunk's first
    /// touch would wait on memory; one line a column each step keeps the requests spread over the chunk rather than
    /// all at its start. A prefetch is only a hint: nothing is read or written through the pointer, and an address
    /// cannot fault, so this and its twin for results are the only unsafe code of the package. Measured: about a tenth off a
    /// million-customer batch.
    /// </remarks>
    private static unsafe void Prefetch(ref float data, nuint stride, int columns, nuint at, int rows)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        ref var line = ref Unsafe.Add(ref data, at);
        for (var c = 0; c < columns; c++)
        {
            for (var offset = 0; offset < rows; offset += LineFloats)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref line, offset)));
            }

            line = ref Unsafe.Add(ref line, stride);
        }
    }

    /// <summary>Asks the processor to bring the lines of results the next chunk will write (they are then written without waiting for them).</summary>
    private static unsafe void Prefetch(ref BatchScore first, int count)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        ref var bytes = ref Unsafe.As<BatchScore, byte>(ref first);
        var length = count * Unsafe.SizeOf<BatchScore>();
        for (var offset = 0; offset < length; offset += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref bytes, offset)));
        }
    }

    /// <summary>The number of rows rounded up to a whole number of steps.</summary>
    public static int Padded(int rows) => (rows + Step - 1) / Step * Step;

    /// <summary>
    /// One step of a measure from row <paramref name="at"/>: the column's values, or with a denominator column (≥ 0)
    /// their ratio where the denominator is positive and NaN (missing) where not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Read<T>(ref float data, nuint stride, nuint at, int column, int denominator)
        where T : struct, ILanes<T>
    {
        unchecked
        {
            var values = T.Load(ref Unsafe.Add(ref data, ((nuint)column * stride) + at));
            return denominator < 0 ? values : T.Ratio(values, T.Load(ref Unsafe.Add(ref data, ((nuint)denominator * stride) + at)));
        }
    }

    private void ScoreChunk(in ChunkSource source, ref Workspace work, Span<BatchScore> results, ModelPlan? model, Span<double> logOdds, Span<BatchScore> next)
    {
        var m = source.PaddedRows;
        var words = TwoWords ? 2 : 1;
        var present = work.Present[..(words * m)];
        var active = work.Active[..(words * m)];
        var counts = work.Counts[..m];
        var sums = work.Sums[..(2 * CategoryCount * m)];
        Signals(source, present, active, counts, sums);
        var masks = work.Masks[..m];
        Join(active, masks);

        var risk = work.Risk[..m];
        Risk(sums, risk);

        var componentCount = _components.Length;
        var components = work.Components[..(componentCount * m)];
        var incomplete = work.Incomplete[..m];
        var retention = work.Retention[..m];
        Components(source, components, incomplete, retention, next);

        var levels = work.Classes[..m];
        var bands = work.Classes.Slice(m, m);
        var notes = work.Classes.Slice(2 * m, m);
        var probability = work.Probability[..m];
        var redFlags = work.RedFlags[..(words * m)];
        Levels(risk, retention, counts, present, incomplete, levels, bands, notes, probability, model is null);
        RedFlags(source, active, masks, levels, redFlags, probability, notes, work.Custom[..m], model is null);
        var flagMasks = work.FlagMasks[..m];
        Join(redFlags, flagMasks);

        if (model is not null)
        {
            var z = work.LogOdds[..m];
            model.LogOdds(new KernelChunk(source, masks, flagMasks, components, Wide), z);
            z[..logOdds.Length].CopyTo(logOdds);
            Probabilities(z, probability, levels, notes);
        }

        var scores = work.Scores[..m];
        Pack(risk, retention, scores, counts, levels, bands, notes);
        WriteResults(results, scores, probability, masks, flagMasks, counts);
    }

    /// <summary>Each row's 64-bit mask from its 32-bit words (the high word zero without <see cref="TwoWords"/>).</summary>
    private void Join(ReadOnlySpan<uint> words, Span<ulong> masks)
    {
        var m = masks.Length;
        var half = Vector<ulong>.Count;
        for (var i = 0; i < m; i += Width)
        {
            Vector.Widen(new Vector<uint>(words[i..]), out var low, out var high);
            if (TwoWords)
            {
                Vector.Widen(new Vector<uint>(words[(m + i)..]), out var lowHigh, out var highHigh);
                low |= lowHigh << 32;
                high |= highHigh << 32;
            }

            low.CopyTo(masks[i..]);
            high.CopyTo(masks[(i + half)..]);
        }
    }

    /// <summary>Packs each row's two scores into one 64-bit word and its count, level, band and notes into one 32-bit word (over the counts), as <see cref="BatchScore"/> holds them.</summary>
    private static void Pack(ReadOnlySpan<float> risk, ReadOnlySpan<float> retention, Span<ulong> scores, Span<int> counts, ReadOnlySpan<int> levels, ReadOnlySpan<int> bands, ReadOnlySpan<int> notes)
    {
        var half = Vector<ulong>.Count;
        for (var i = 0; i < scores.Length; i += Width)
        {
            Vector.Widen(new Vector<float>(risk[i..]).As<float, uint>(), out var riskLow, out var riskHigh);
            Vector.Widen(new Vector<float>(retention[i..]).As<float, uint>(), out var retentionLow, out var retentionHigh);
            (riskLow | (retentionLow << 32)).CopyTo(scores[i..]);
            (riskHigh | (retentionHigh << 32)).CopyTo(scores[(i + half)..]);
            (new Vector<int>(counts[i..]) | (new Vector<int>(levels[i..]) << 8) | (new Vector<int>(bands[i..]) << 16) | (new Vector<int>(notes[i..]) << 24)).CopyTo(counts[i..]);
        }
    }

    /// <summary>Writes the real rows' results: five stores a row.</summary>
    private static void WriteResults(Span<BatchScore> results, ReadOnlySpan<ulong> scores, ReadOnlySpan<double> probability, ReadOnlySpan<ulong> masks, ReadOnlySpan<ulong> flags, ReadOnlySpan<int> classes)
    {
        var n = results.Length;
        System.Diagnostics.Debug.Assert(scores.Length >= n && probability.Length >= n && masks.Length >= n && flags.Length >= n && classes.Length >= n, "a working span is shorter than the chunk");
        ref var result = ref MemoryMarshal.GetReference(results);
        ref var score = ref MemoryMarshal.GetReference(scores);
        ref var p = ref MemoryMarshal.GetReference(probability);
        ref var mask = ref MemoryMarshal.GetReference(masks);
        ref var flag = ref MemoryMarshal.GetReference(flags);
        ref var packed = ref MemoryMarshal.GetReference(classes);
        for (nint r = 0; r < n; r++)
        {
            Unsafe.Add(ref result, r) = new BatchScore(Unsafe.Add(ref score, r), Unsafe.Add(ref p, r), Unsafe.Add(ref mask, r), Unsafe.Add(ref flag, r), unchecked((uint)Unsafe.Add(ref packed, r)));
        }
    }

    /// <summary>Every signal: its bit where measured and where active, the active count, and each category's measured and active weight.</summary>
    /// <remarks>
    /// A step of <see cref="Step"/> rows at a time, so that each signal's parameters are read once for all of them; the
    /// signals are taken category by category, and every comparison is one "less than" (see <see cref="SignalStep"/>),
    /// so the inner loop has no branch on a signal's kind but its denominator's.
    /// </remarks>
    private void Signals(in ChunkSource source, Span<uint> present, Span<uint> active, Span<int> counts, Span<float> sums)
    {
        if (Wide)
        {
            Signals<Vector512Lanes>(source, present, active, counts, sums);
        }
        else
        {
            Signals<VectorLanes>(source, present, active, counts, sums);
        }

        foreach (var signal in _customSignals)
        {
            var words = signal.Word * source.PaddedRows;
            for (var r = 0; r < source.Rows; r++)
            {
                var state = signal.Signal.Read(new ScoringRow(source.Batch, source.FirstRow + r)).State;
                if (state != SignalState.Missing)
                {
                    present[words + r] |= signal.Bit;
                    sums[(signal.Category * source.PaddedRows) + r] += signal.Weight;
                }

                if (state == SignalState.Active)
                {
                    active[words + r] |= signal.Bit;
                    counts[r]++;
                    sums[((CategoryCount + signal.Category) * source.PaddedRows) + r] += signal.Weight;
                }
            }
        }
    }

    private void Signals<T>(in ChunkSource source, Span<uint> present, Span<uint> active, Span<int> counts, Span<float> sums)
        where T : struct, ILanes<T>
    {
        var m = (nuint)source.PaddedRows;
        ref var sum = ref MemoryMarshal.GetReference(sums);
        ref var data = ref source.Reference;
        var stride = (nuint)source.Stride;
        var signals = _signals.AsSpan();
        ref var presentBits = ref Unsafe.As<uint, float>(ref MemoryMarshal.GetReference(present));
        ref var activeBits = ref Unsafe.As<uint, float>(ref MemoryMarshal.GetReference(active));
        ref var countBits = ref Unsafe.As<int, float>(ref MemoryMarshal.GetReference(counts));
        unchecked
        {
            // Rows up to here have a next chunk in the batch's own columns (a padded copy has none).
            var prefetchEnd = source.Stride == source.Batch.Stride ? (nuint)Math.Max(0, source.Batch.Origin + source.Batch.Capacity - ChunkRows - T.Rows) : 0;
            var columns = source.Batch.Measures.Length;
            for (nuint i = 0; i < m; i += (nuint)T.Rows)
            {
                var at = (nuint)source.Offset + i;
                if (at <= prefetchEnd)
                {
                    Prefetch(ref data, stride, columns, at + ChunkRows, T.Rows);
                }

                var presentLow = T.Zero;
                var activeLow = T.Zero;
                var presentHigh = T.Zero;
                var activeHigh = T.Zero;
                var count = T.Zero;
                var first = 0;
                for (nuint category = 0; category < CategoryCount; category++)
                {
                    var measured = T.Zero;
                    var fired = T.Zero;
                    var end = _categoryEnds[category];
                    for (var j = first; j < end; j++)
                    {
                        ref readonly var signal = ref signals[j];
                        var value = Read<T>(ref data, stride, at, signal.Column, signal.Denominator);
                        var isMeasured = T.IsNumber(value);
                        var fires = T.FlippedLessThan(value, T.Broadcast(signal.Sign), T.Broadcast(signal.Limit));
                        var bit = T.Broadcast(signal.Bit);
                        if (signal.Word == 0)
                        {
                            presentLow |= bit & isMeasured;
                            activeLow |= bit & fires;
                        }
                        else
                        {
                            presentHigh |= bit & isMeasured;
                            activeHigh |= bit & fires;
                        }

                        count = T.CountMask(count, fires);
                        var weight = T.Broadcast(signal.Weight);
                        measured += weight & isMeasured;
                        fired += weight & fires;
                    }

                    first = end;
                    measured.Store(ref Unsafe.Add(ref sum, (category * m) + i));
                    fired.Store(ref Unsafe.Add(ref sum, ((CategoryCount + category) * m) + i));
                }

                presentLow.Store(ref Unsafe.Add(ref presentBits, i));
                activeLow.Store(ref Unsafe.Add(ref activeBits, i));
                if (TwoWords)
                {
                    presentHigh.Store(ref Unsafe.Add(ref presentBits, m + i));
                    activeHigh.Store(ref Unsafe.Add(ref activeBits, m + i));
                }

                count.Store(ref Unsafe.Add(ref countBits, i));
            }
        }
    }

    /// <summary>risk = 100 × Σ weight × share ÷ Σ weight over the categories with measured weight (NaN when none: 0 ÷ 0).</summary>
    private void Risk(ReadOnlySpan<float> sums, Span<float> risk)
    {
        var m = risk.Length;
        ref var sum = ref MemoryMarshal.GetReference(sums);
        for (var i = 0; i < m; i += Width)
        {
            var points = Vector<float>.Zero;
            var shared = Vector<float>.Zero;
            for (var c = 0; c < CategoryCount; c++)
            {
                var measured = Vector.LoadUnsafe(ref sum, unchecked(((nuint)c * (nuint)m) + (nuint)i));
                var fired = Vector.LoadUnsafe(ref sum, unchecked(((nuint)(CategoryCount + c) * (nuint)m) + (nuint)i));
                var any = Vector.GreaterThan(measured, Vector<float>.Zero).As<int, float>();
                var weight = new Vector<float>(_categoryWeights[c]);
                points += (weight * (fired / measured)) & any;
                shared += weight & any;
            }

            (new Vector<float>(100f) * points / shared).CopyTo(risk[i..]);
        }
    }

    /// <summary>Each component blended from its measured parts, and the retention score: the weights shared among the measured components.</summary>
    private void Components(in ChunkSource source, Span<float> components, Span<int> incomplete, Span<float> retention, Span<BatchScore> next)
    {
        var m = source.PaddedRows;
        incomplete.Clear();
        for (var k = 0; k < _components.Length; k++)
        {
            if (_components[k].Custom is { } custom)
            {
                var values = components.Slice(k * m, m);
                values.Fill(float.NaN);
                for (var r = 0; r < source.Rows; r++)
                {
                    var reading = custom.Read(new ScoringRow(source.Batch, source.FirstRow + r));
                    values[r] = (float)reading.Value;
                    incomplete[r] |= reading.IsMissing || reading.IsPartial ? -1 : 0;
                }
            }
        }

        if (Wide)
        {
            Components<Vector512Lanes>(source, components, incomplete, retention, next);
        }
        else
        {
            Components<VectorLanes>(source, components, incomplete, retention, next);
        }
    }

    private void Components<T>(in ChunkSource source, Span<float> components, Span<int> incomplete, Span<float> retention, Span<BatchScore> next)
        where T : struct, ILanes<T>
    {
        // The next chunk's results are brought in a step at a time, as its inputs are in the signal loop.
        var ahead = (nuint)Math.Min(next.Length, source.PaddedRows);
        ref var following = ref MemoryMarshal.GetReference(next);
        ref var component = ref MemoryMarshal.GetReference(components);
        ref var data = ref source.Reference;
        ref var partial = ref Unsafe.As<int, float>(ref MemoryMarshal.GetReference(incomplete));
        ref var score = ref MemoryMarshal.GetReference(retention);
        var stride = (nuint)source.Stride;
        var rows = (nuint)source.PaddedRows;
        var hundred = T.Broadcast(100f);
        unchecked
        {
            for (nuint i = 0; i < rows; i += (nuint)T.Rows)
            {
                var at = (nuint)source.Offset + i;
                if (i < ahead)
                {
                    Prefetch(ref Unsafe.Add(ref following, i), (int)Math.Min((nuint)T.Rows, ahead - i));
                }

                var retained = T.Zero;
                var weights = T.Zero;
                ref var partialAt = ref Unsafe.Add(ref partial, i);
                var isPartial = T.Load(ref partialAt);
                for (var k = 0; k < _components.Length; k++)
                {
                    var step = _components[k];
                    ref var valueAt = ref Unsafe.Add(ref component, ((nuint)k * rows) + i);
                    T value;
                    if (step.Custom is null)
                    {
                        var sum = T.Zero;
                        var weight = T.Zero;
                        var measured = T.Zero;
                        foreach (ref readonly var part in step.Parts.AsSpan())
                        {
                            var v = Read<T>(ref data, stride, at, part.Column, part.Denominator);
                            var isMeasured = T.IsNumber(v);
                            var w = T.Broadcast(part.Weight);
                            var mapped = T.ClampNative(T.Broadcast(part.Intercept) + (T.Broadcast(part.Slope) * v), hundred);
                            sum += (w * mapped) & isMeasured;
                            weight += w & isMeasured;
                            measured = T.CountMask(measured, isMeasured);
                        }

                        value = sum / weight;
                        isPartial |= T.IntLessThan(measured, step.Parts.Length);
                        value.Store(ref valueAt);
                    }
                    else
                    {
                        value = T.Load(ref valueAt);
                    }

                    var componentWeight = T.Broadcast(step.Weight);
                    var isValue = T.IsNumber(value);
                    retained += (componentWeight * value) & isValue;
                    weights += componentWeight & isValue;
                }

                isPartial.Store(ref partialAt);
                (retained / weights).Store(ref Unsafe.Add(ref score, i));
            }
        }
    }

    /// <summary>Levels by active-signal count (unknown where the risk is undefined), bands, notes, and the rule of thumb's probability.</summary>
    private void Levels(ReadOnlySpan<float> risk, ReadOnlySpan<float> retention, ReadOnlySpan<int> counts, ReadOnlySpan<uint> present, ReadOnlySpan<int> incomplete, Span<int> levels, Span<int> bands, Span<int> notes, Span<double> probability, bool ruleOfThumb)
    {
        var m = levels.Length;
        var cuts = _cuts;
        for (var i = 0; i < m; i += Width)
        {
            var r = new Vector<float>(risk[i..]);
            var s = new Vector<float>(retention[i..]);
            var c = new Vector<int>(counts[i..]);
            var riskDefined = Vector.Equals(r, r);
            var isMedium = Vector.GreaterThanOrEqual(c, new Vector<int>(cuts.MediumAt));
            var isHigh = Vector.GreaterThanOrEqual(c, new Vector<int>(cuts.HighAt));
            (riskDefined & (Vector<int>.One - isMedium - isHigh)).CopyTo(levels[i..]);
            (Vector<int>.Zero - Vector.GreaterThanOrEqual(s, new Vector<float>(cuts.LowFrom)) - Vector.GreaterThanOrEqual(s, new Vector<float>(cuts.MediumFrom)) - Vector.GreaterThanOrEqual(s, new Vector<float>(cuts.HighFrom))).CopyTo(bands[i..]);
            var allMeasured = Vector.Equals(new Vector<uint>(present[i..]) & new Vector<uint>(_allLow), new Vector<uint>(_allLow)).As<uint, int>();
            if (TwoWords)
            {
                allMeasured &= Vector.Equals(new Vector<uint>(present[(m + i)..]) & new Vector<uint>(_allHigh), new Vector<uint>(_allHigh)).As<uint, int>();
            }

            ((~allMeasured & new Vector<int>((int)ScoreNotes.SignalInputsMissing))
                | (~riskDefined & new Vector<int>((int)ScoreNotes.RiskUndefined))
                | (new Vector<int>(incomplete[i..]) & new Vector<int>((int)ScoreNotes.ComponentInputsMissing))
                | (~Vector.Equals(s, s) & new Vector<int>((int)ScoreNotes.RetentionUndefined))).CopyTo(notes[i..]);
            if (ruleOfThumb)
            {
                // In double precision, as the documents' bands are given: minimum + (maximum − minimum) × risk ÷ 100.
                Vector.Widen(r, out var riskLow, out var riskHigh);
                Vector.Widen(isMedium, out var mediumLow, out var mediumHigh);
                Vector.Widen(isHigh, out var highLow, out var highHigh);
                BandProbability(riskLow, mediumLow, highLow).CopyTo(probability[i..]);
                BandProbability(riskHigh, mediumHigh, highHigh).CopyTo(probability[(i + Vector<double>.Count)..]);
            }
        }
    }

    private Vector<double> BandProbability(Vector<double> risk, Vector<long> isMedium, Vector<long> isHigh)
    {
        var cuts = _cuts;
        var minimum = Vector.ConditionalSelect(isHigh.As<long, double>(), new Vector<double>(cuts.HighMinimum), Vector.ConditionalSelect(isMedium.As<long, double>(), new Vector<double>(cuts.MediumMinimum), new Vector<double>(cuts.LowMinimum)));
        var maximum = Vector.ConditionalSelect(isHigh.As<long, double>(), new Vector<double>(cuts.HighMaximum), Vector.ConditionalSelect(isMedium.As<long, double>(), new Vector<double>(cuts.MediumMaximum), new Vector<double>(cuts.LowMaximum)));
        return minimum + ((maximum - minimum) * risk / new Vector<double>(100d));
    }

    /// <summary>
    /// Red flags match on the signals (and measures) whatever gives the probability; the rule of thumb then raises the
    /// probability to their floors, while a model has them as terms of its own and is not overridden.
    /// </summary>
    private void RedFlags(in ChunkSource source, ReadOnlySpan<uint> active, ReadOnlySpan<ulong> masks, ReadOnlySpan<int> levels, Span<uint> redFlags, Span<double> probability, Span<int> notes, Span<int> custom, bool ruleOfThumb)
    {
        var m = levels.Length;
        redFlags.Clear();
        for (var k = 0; k < _redFlags.Length; k++)
        {
            var flag = _redFlags[k];
            if (flag.Custom is { } rule)
            {
                custom.Clear();
                for (var r = 0; r < source.Rows; r++)
                {
                    custom[r] = levels[r] != 0 && rule.Matches(new RedFlagArguments(_engine, new ScoringRow(source.Batch, source.FirstRow + r), masks[r])) ? -1 : 0;
                }
            }

            var requiredLow = new Vector<uint>(flag.RequiredLow);
            var requiredHigh = new Vector<uint>(flag.RequiredHigh);
            var bit = new Vector<uint>(flag.Bit);
            var floor = new Vector<double>(flag.Floor);
            var flags = redFlags.Slice(flag.Word * m, m);
            for (var i = 0; i < m; i += Width)
            {
                Vector<int> matched;
                if (flag.Custom is null)
                {
                    matched = Vector.Equals(new Vector<uint>(active[i..]) & requiredLow, requiredLow).As<uint, int>() & ~Vector.Equals(new Vector<int>(levels[i..]), Vector<int>.Zero);
                    if (TwoWords)
                    {
                        matched &= Vector.Equals(new Vector<uint>(active[(m + i)..]) & requiredHigh, requiredHigh).As<uint, int>();
                    }

                    foreach (var (column, below) in flag.MeasuresBelow)
                    {
                        matched &= Vector.LessThan(source.Load(column, i), new Vector<float>(below));
                    }
                }
                else
                {
                    matched = new Vector<int>(custom[i..]);
                }

                (new Vector<uint>(flags[i..]) | (bit & matched.As<int, uint>())).CopyTo(flags[i..]);
                if (ruleOfThumb)
                {
                    // The floor raises the probability where higher, in double precision.
                    Vector.Widen(matched, out var matchedLow, out var matchedHigh);
                    var half = i + Vector<double>.Count;
                    var low = new Vector<double>(probability[i..]);
                    var high = new Vector<double>(probability[half..]);
                    var raiseLow = matchedLow & Vector.GreaterThan(floor, low);
                    var raiseHigh = matchedHigh & Vector.GreaterThan(floor, high);
                    Vector.ConditionalSelect(raiseLow.As<long, double>(), floor, low).CopyTo(probability[i..]);
                    Vector.ConditionalSelect(raiseHigh.As<long, double>(), floor, high).CopyTo(probability[half..]);
                    (new Vector<int>(notes[i..]) | (Vector.Narrow(raiseLow, raiseHigh) & new Vector<int>((int)ScoreNotes.RedFlagFloorApplied))).CopyTo(notes[i..]);
                }
            }
        }
    }

    /// <summary>A model's probability (the logistic of its log-odds, in double precision) and the levels cut on it.</summary>
    private void Probabilities(ReadOnlySpan<double> z, Span<double> probability, Span<int> levels, Span<int> notes)
    {
        if (Wide)
        {
            Probabilities<Vector512Doubles>(z, probability, levels);
        }
        else
        {
            Probabilities<VectorDoubles>(z, probability, levels);
        }

        for (var i = 0; i < notes.Length; i += Width)
        {
            (new Vector<int>(notes[i..]) | new Vector<int>((int)ScoreNotes.Calibrated)).CopyTo(notes[i..]);
        }
    }

    private void Probabilities<T>(ReadOnlySpan<double> z, Span<double> probability, Span<int> levels)
        where T : struct, IDoubleLanes<T>
    {
        ref var logOdds = ref MemoryMarshal.GetReference(z);
        ref var p = ref MemoryMarshal.GetReference(probability);
        ref var level = ref MemoryMarshal.GetReference(levels);
        for (nuint i = 0; i < (nuint)z.Length; i += (nuint)T.Rows)
        {
            var logistic = T.Logistic(T.Load(ref Unsafe.Add(ref logOdds, i)));
            logistic.Store(ref Unsafe.Add(ref p, i));
            logistic.StoreLevels(ref Unsafe.Add(ref level, i), _cuts.MediumFromProbability, _cuts.HighFromProbability);
        }
    }

    /// <summary>
    /// A built-in signal as the kernel reads it: it fires where (value XOR <see cref="Sign"/>) &lt; <see cref="Limit"/>.
    /// "Below t" is value &lt; t; "at least t" is −value &lt; the float after −t (−value ≤ −t); "above t" is "at least"
    /// the float after t. A missing value (NaN) fires under none of them.
    /// </summary>
    private readonly record struct SignalStep(int Column, int Denominator, uint Sign, float Limit, int Word, uint Bit, int Category, float Weight)
    {
        public static SignalStep Of(BuiltInSignal signal, int word, uint bit, int category, float weight)
        {
            if (signal.Comparison == Comparison.Below)
            {
                return new(signal.Column, signal.DenominatorColumn, 0u, Float.Up(signal.Threshold), word, bit, category, weight);
            }

            var atLeast = signal.Comparison == Comparison.Above ? MathF.BitIncrement(Float.Down(signal.Threshold)) : Float.Up(signal.Threshold);
            return new(signal.Column, signal.DenominatorColumn, 0x8000_0000u, MathF.BitIncrement(-atLeast), word, bit, category, weight);
        }
    }

    private sealed record CustomSignalStep(IChurnSignal Signal, int Word, uint Bit, int Category, float Weight);

    private readonly record struct PartStep(int Column, int Denominator, float Weight, float Intercept, float Slope);

    private sealed record ComponentStep(float Weight, PartStep[] Parts, IRetentionScoreComponent? Custom);

    private sealed record RedFlagStep(double Floor, uint RequiredLow, uint RequiredHigh, (int Column, float Below)[] MeasuresBelow, IRedFlagRule? Custom, int Word, uint Bit);
}

/// <summary>A red-flag rule as the kernel applies it: a condition on signals and measures, or the host's rule.</summary>
internal readonly record struct RedFlagPlan(double Floor, ulong RequiredMask, (int Column, double Below)[] MeasuresBelow, IRedFlagRule? Custom);

/// <summary>
/// The kernel's cut-offs: the probability bands and cuts in double precision, like the probability; the retention
/// bands' cuts rounded up to the float grid, so comparing a single-precision score with them gives the answer comparing
/// its double with the configured number would.
/// </summary>
internal readonly record struct Cuts(
    int MediumAt,
    int HighAt,
    double LowMinimum,
    double LowMaximum,
    double MediumMinimum,
    double MediumMaximum,
    double HighMinimum,
    double HighMaximum,
    float LowFrom,
    float MediumFrom,
    float HighFrom,
    double MediumFromProbability,
    double HighFromProbability);

/// <summary>Rounding a double to the float grid, outward.</summary>
internal static class Float
{
    /// <summary>The least float at or above <paramref name="value"/>: for a float v, v ≥ value ⇔ v ≥ Up(value), and v &lt; value ⇔ v &lt; Up(value).</summary>
    public static float Up(double value)
    {
        var f = (float)value;
        return f < value ? MathF.BitIncrement(f) : f;
    }

    /// <summary>The greatest float at or below <paramref name="value"/>: for a float v, v &gt; value ⇔ v &gt; Down(value).</summary>
    public static float Down(double value)
    {
        var f = (float)value;
        return f > value ? MathF.BitDecrement(f) : f;
    }
}

/// <summary>The rows of a chunk: the batch's columns, or a padded copy of them.</summary>
internal readonly ref struct ChunkSource
{
    private readonly ReadOnlySpan<float> _data;

    public ChunkSource(ScoringBatch batch, ReadOnlySpan<float> data, int stride, int offset, int rows, int firstRow)
    {
        Batch = batch;
        _data = data;
        Stride = stride;
        Offset = offset;
        Rows = rows;
        FirstRow = firstRow;
        PaddedRows = BatchKernel.Padded(rows);
    }

    /// <summary>Gets the batch the rows are in (the host's signals, components and rules read it).</summary>
    public ScoringBatch Batch { get; }

    /// <summary>Gets the batch row of the chunk's first row.</summary>
    public int FirstRow { get; }

    /// <summary>Gets the number of real rows.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of rows scored: the real ones and their padding, a whole number of vectors.</summary>
    public int PaddedRows { get; }

    /// <summary>Gets the distance between two columns.</summary>
    public int Stride { get; }

    /// <summary>Gets the chunk's first row in each column.</summary>
    public int Offset { get; }

    /// <summary>Gets a reference to the first column's first row: column c's row r is at c × <see cref="Stride"/> + <see cref="Offset"/> + r.</summary>
    public ref float Reference => ref MemoryMarshal.GetReference(_data);

    /// <summary>Loads one vector of a column from row <paramref name="row"/> (unchecked: rows are in the chunk by construction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<float> Load(int column, int row) =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetReference(_data), unchecked(((nuint)column * (nuint)Stride) + (nuint)Offset + (nuint)row));
}

/// <summary>The working memory of a call, reused by each of its chunks.</summary>
internal ref struct Workspace
{
    public Workspace(Span<uint> present, Span<uint> active, Span<int> counts, Span<float> sums, Span<float> risk, Span<float> components, Span<int> incomplete, Span<float> retention, Span<int> classes, Span<double> probability, Span<uint> redFlags, Span<double> logOdds, Span<int> custom, Span<ulong> masks, Span<ulong> flagMasks, Span<ulong> scores)
    {
        Masks = masks;
        FlagMasks = flagMasks;
        Scores = scores;
        Present = present;
        Active = active;
        Counts = counts;
        Sums = sums;
        Risk = risk;
        Components = components;
        Incomplete = incomplete;
        Retention = retention;
        Classes = classes;
        Probability = probability;
        RedFlags = redFlags;
        LogOdds = logOdds;
        Custom = custom;
    }

    public Span<uint> Present { get; }

    public Span<uint> Active { get; }

    public Span<int> Counts { get; }

    public Span<float> Sums { get; }

    public Span<float> Risk { get; }

    public Span<float> Components { get; }

    public Span<int> Incomplete { get; }

    public Span<float> Retention { get; }

    public Span<int> Classes { get; }

    public Span<double> Probability { get; }

    public Span<uint> RedFlags { get; }

    public Span<double> LogOdds { get; }

    public Span<int> Custom { get; }

    public Span<ulong> Masks { get; }

    public Span<ulong> FlagMasks { get; }

    public Span<ulong> Scores { get; }
}

/// <summary>What a model reads for a chunk: the rows, each row's signal and red-flag masks, and the components (k × rows).</summary>
internal readonly ref struct KernelChunk
{
    public KernelChunk(in ChunkSource source, ReadOnlySpan<ulong> masks, ReadOnlySpan<ulong> flags, ReadOnlySpan<float> components, bool wide)
    {
        Wide = wide;
        Source = source;
        Masks = masks;
        Flags = flags;
        Components = components;
    }

    /// <summary>Gets whether the model's loop takes 512-bit vectors, as the kernel's do.</summary>
    public bool Wide { get; }

    /// <summary>Gets the rows.</summary>
    public ChunkSource Source { get; }

    /// <summary>Gets each row's active-signal mask (padding rows included).</summary>
    public ReadOnlySpan<ulong> Masks { get; }

    /// <summary>Gets each row's red-flag mask (padding rows included).</summary>
    public ReadOnlySpan<ulong> Flags { get; }

    /// <summary>Gets the components' values, component k's at [k × rows, (k + 1) × rows); NaN where missing.</summary>
    public ReadOnlySpan<float> Components { get; }
}
