using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RetentionKit.Scoring.Internal;

/// <summary>
/// A churn model compiled for one engine: the log-odds of a chunk of rows, and one row's contributions by feature.
/// The batch path and the explained path both run <see cref="LogOdds"/>, so their probabilities agree bit for bit.
/// </summary>
internal abstract class ModelPlan
{
    /// <summary>Gets the model's name.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the features contributions are reported for, in order.</summary>
    public abstract ImmutableArray<string> Features { get; }

    /// <summary>Gets the reference customer's log-odds.</summary>
    public abstract double BaselineLogOdds { get; }

    /// <summary>Writes the log-odds of a chunk's rows (padding rows included, whatever they come to).</summary>
    public abstract void LogOdds(in KernelChunk chunk, Span<double> z);

    /// <summary>Writes one row's contribution per feature (log-odds against the baseline).</summary>
    public abstract void Contributions(in ModelChunk chunk, int row, Span<double> contributions);
}

/// <summary>What a model reads for rows of a batch in double precision (the explanation and the host's model): the signal and red-flag masks and the components (k × n layout).</summary>
internal readonly ref struct ModelChunk
{
    public ModelChunk(ScoringEngine engine, ScoringBatch batch, int start, int count, ReadOnlySpan<ulong> masks, ReadOnlySpan<ulong> redFlags, ReadOnlySpan<double> components)
    {
        Engine = engine;
        Batch = batch;
        Start = start;
        Count = count;
        Masks = masks;
        RedFlags = redFlags;
        Components = components;
    }

    public ScoringEngine Engine { get; }

    public ScoringBatch Batch { get; }

    public int Start { get; }

    public int Count { get; }

    public ReadOnlySpan<ulong> Masks { get; }

    public ReadOnlySpan<ulong> RedFlags { get; }

    public ReadOnlySpan<double> Components { get; }

    public double Component(int k, int row) => Components[(k * Count) + row];
}

/// <summary>
/// The fitted logistic model (a <see cref="ChurnCalibration"/> or the calibration options): log-odds = intercept + Σ
/// coefficient × term. Terms: signals and red flags (1 when active), components (value ÷ 100, 0 when missing) and their
/// missing flags, features (value, or 1 for a level; 0 when missing) and their missing flags. Contributions are
/// measured from the terms' training means, which the baseline folds in.
/// </summary>
internal sealed class LogisticPlan : ModelPlan
{
    private readonly double _intercept;
    private readonly Term[] _signals;
    private readonly Term[] _redFlags;
    private readonly Term[] _components;
    private readonly Term[] _componentsMissing;
    private readonly FeatureTerms[] _features;
    private readonly MaskTerm[] _signalTerms;
    private readonly MaskTerm[] _redFlagTerms;
    private readonly double[] _componentScale;
    private readonly int[] _activeComponents;

    public LogisticPlan(ScoringEngine engine, string name, double intercept, IReadOnlyDictionary<string, double> coefficients, IReadOnlyDictionary<string, double> means)
    {
        Term TermOf(string term) => new(coefficients.TryGetValue(term, out var c) ? c : 0d, means.TryGetValue(term, out var m) ? m : 0d);

        Name = name;
        _intercept = intercept;
        _signals = [.. engine.Signals.Select(s => TermOf(ModelTerms.Signal(s.Key)))];
        _redFlags = [.. engine.RedFlags.Select(r => TermOf(ModelTerms.RedFlag(r.Name)))];
        _components = [.. engine.Components.Select(c => TermOf(ModelTerms.Component(c.Key)))];
        _componentsMissing = [.. engine.Components.Select(c => TermOf(ModelTerms.ComponentMissing(c.Key)))];
        _features = [.. engine.Features.Select(f => new FeatureTerms(
            engine.ColumnIndex(f.Measure.Key),
            f.Kind == ChurnFeatureKind.Categorical ? [.. f.Levels.Select(l => l == f.ReferenceLevel ? default : TermOf(f.LevelTerm(l)))] : [TermOf(f.ValueTerm)],
            f.Kind == ChurnFeatureKind.Categorical,
            TermOf(f.MissingTerm)))];

        _signalTerms = MaskTerms(_signals);
        _redFlagTerms = MaskTerms(_redFlags);
        _componentScale = [.. _components.Select(c => c.Coefficient / 100d)];
        _activeComponents = [.. Enumerable.Range(0, _components.Length).Where(k => _components[k].Coefficient != 0d || _componentsMissing[k].Coefficient != 0d)];
        var baseline = intercept;
        foreach (var t in _signals.Concat(_redFlags).Concat(_components).Concat(_componentsMissing))
        {
            baseline += t.Coefficient * t.Mean;
        }

        foreach (var f in _features)
        {
            baseline += f.Missing.Coefficient * f.Missing.Mean;
            foreach (var t in f.Values)
            {
                baseline += t.Coefficient * t.Mean;
            }
        }

        BaselineLogOdds = baseline;
        Features = [.. engine.Signals.Select(s => ModelTerms.Signal(s.Key))
            .Concat(engine.Components.Select(c => ModelTerms.Component(c.Key)))
            .Concat(engine.RedFlags.Select(r => ModelTerms.RedFlag(r.Name)))
            .Concat(engine.Features.Select(f => f.ValueTerm))];
    }

    public override string Name { get; }

    public override ImmutableArray<string> Features { get; }

    public override double BaselineLogOdds { get; }

    public override void LogOdds(in KernelChunk chunk, Span<double> z)
    {
        if (chunk.Wide)
        {
            LogOdds<Vector512Doubles>(chunk, z);
        }
        else
        {
            LogOdds<VectorDoubles>(chunk, z);
        }
    }

    /// <summary>
    /// A step of rows at a time, in double precision: the intercept, then each signal's and red flag's coefficient
    /// where it is active, each component's term (its value ÷ 100 × coefficient, or the missing coefficient), then each
    /// feature's. Terms with a zero coefficient are left out; each term's coefficient is read once a step.
    /// </summary>
    private void LogOdds<T>(in KernelChunk chunk, Span<double> z)
        where T : struct, IDoubleLanes<T>
    {
        var m = (nuint)z.Length;
        var source = chunk.Source;
        ref var masks = ref MemoryMarshal.GetReference(chunk.Masks);
        ref var flags = ref MemoryMarshal.GetReference(chunk.Flags);
        ref var components = ref MemoryMarshal.GetReference(chunk.Components);
        ref var data = ref source.Reference;
        ref var logOdds = ref MemoryMarshal.GetReference(z);
        Span<double> levels = stackalloc double[T.Rows];
        unchecked
        {
            for (nuint i = 0; i < m; i += (nuint)T.Rows)
            {
                var sum = T.Broadcast(_intercept);
                var bits = T.LoadBits(ref Unsafe.Add(ref masks, i));
                foreach (var term in _signalTerms)
                {
                    sum += T.WhereBit(bits, term.Shift, T.Broadcast(term.Coefficient));
                }

                bits = T.LoadBits(ref Unsafe.Add(ref flags, i));
                foreach (var term in _redFlagTerms)
                {
                    sum += T.WhereBit(bits, term.Shift, T.Broadcast(term.Coefficient));
                }

                foreach (var k in _activeComponents)
                {
                    var value = T.Widen(ref Unsafe.Add(ref components, ((nuint)k * m) + i));
                    sum += T.WhereNumber(value, T.Broadcast(_componentScale[k]) * value, T.Broadcast(_componentsMissing[k].Coefficient));
                }

                foreach (var feature in _features)
                {
                    ref var column = ref Unsafe.Add(ref data, ((nuint)feature.Column * (nuint)source.Stride) + (nuint)source.Offset + i);
                    if (feature.IsCategorical)
                    {
                        for (var r = 0; r < levels.Length; r++)
                        {
                            var code = Unsafe.Add(ref column, r);
                            levels[r] = float.IsNaN(code) ? feature.Missing.Coefficient : feature.Values[(int)code].Coefficient;
                        }

                        sum += T.Load(ref MemoryMarshal.GetReference(levels));
                    }
                    else
                    {
                        var value = T.Widen(ref column);
                        sum += T.WhereNumber(value, T.Broadcast(feature.Values[0].Coefficient) * value, T.Broadcast(feature.Missing.Coefficient));
                    }
                }

                sum.Store(ref Unsafe.Add(ref logOdds, i));
            }
        }
    }

    /// <summary>The terms of a mask with a coefficient other than zero, in bit order.</summary>
    private static MaskTerm[] MaskTerms(Term[] terms) =>
        [.. terms.Select((t, j) => new MaskTerm(63 - j, t.Coefficient)).Where(t => t.Coefficient != 0d)];

    public override void Contributions(in ModelChunk chunk, int row, Span<double> contributions)
    {
        var f = 0;
        for (var j = 0; j < _signals.Length; j++)
        {
            contributions[f++] = _signals[j].Contribution((chunk.Masks[row] & (1UL << j)) != 0 ? 1d : 0d);
        }

        for (var k = 0; k < _components.Length; k++)
        {
            var value = chunk.Component(k, row);
            var missing = double.IsNaN(value);
            contributions[f++] = _components[k].Contribution(missing ? 0d : value / 100d) + _componentsMissing[k].Contribution(missing ? 1d : 0d);
        }

        for (var k = 0; k < _redFlags.Length; k++)
        {
            contributions[f++] = _redFlags[k].Contribution((chunk.RedFlags[row] & (1UL << k)) != 0 ? 1d : 0d);
        }

        foreach (var feature in _features)
        {
            double value = chunk.Batch.ColumnSpan(feature.Column)[chunk.Start + row];
            var missing = double.IsNaN(value);
            var sum = feature.Missing.Contribution(missing ? 1d : 0d);
            if (feature.IsCategorical)
            {
                for (var level = 0; level < feature.Values.Length; level++)
                {
                    sum += feature.Values[level].Contribution(!missing && (int)value == level ? 1d : 0d);
                }
            }
            else
            {
                sum += feature.Values[0].Contribution(missing ? 0d : value);
            }

            contributions[f++] = sum;
        }
    }

    /// <summary>A mask term: the shift that brings its bit to the top of a 64-bit lane, and its coefficient.</summary>
    private readonly record struct MaskTerm(int Shift, double Coefficient);

    private readonly record struct Term(double Coefficient, double Mean)
    {
        public double Contribution(double value) => Coefficient * (value - Mean);
    }

    private sealed record FeatureTerms(int Column, Term[] Values, bool IsCategorical, Term Missing);
}

/// <summary>A host's <see cref="IChurnModel"/>, called row by row; its results are checked.</summary>
internal sealed class HostModelPlan(IChurnModel model) : ModelPlan
{
    private const int MaxStackFeatures = 256;

    public override string Name { get; } = model.Name;

    public override ImmutableArray<string> Features { get; } = model.Features;

    public override double BaselineLogOdds { get; } = model.BaselineLogOdds;

    public override void LogOdds(in KernelChunk chunk, Span<double> z)
    {
        // The host's model reads one real row at a time, its masks and components in double precision.
        var source = chunk.Source;
        var count = chunk.Source.Batch.Engine.Components.Length;
        Span<ulong> masks = stackalloc ulong[1];
        Span<ulong> flags = stackalloc ulong[1];
        Span<double> components = stackalloc double[count];
        var buffer = Features.Length <= MaxStackFeatures ? stackalloc double[Features.Length] : new double[Features.Length];
        z.Clear();
        for (var r = 0; r < source.Rows; r++)
        {
            masks[0] = chunk.Masks[r];
            flags[0] = chunk.Flags[r];
            for (var k = 0; k < count; k++)
            {
                components[k] = chunk.Components[(k * z.Length) + r];
            }

            z[r] = Predict(new ModelChunk(source.Batch.Engine, source.Batch, source.FirstRow + r, 1, masks, flags, components), 0, buffer);
        }
    }

    public override void Contributions(in ModelChunk chunk, int row, Span<double> contributions) => Predict(chunk, row, contributions[..Features.Length]);

    private double Predict(in ModelChunk chunk, int row, Span<double> contributions)
    {
        contributions.Clear();
        var count = chunk.Engine.Components.Length;
        Span<double> components = stackalloc double[count];
        for (var k = 0; k < count; k++)
        {
            components[k] = chunk.Component(k, row);
        }

        var input = new ChurnModelInput(chunk.Engine, new ScoringRow(chunk.Batch, chunk.Start + row), chunk.Masks[row], chunk.RedFlags[row], components);
        var z = model.Predict(input, contributions);
        var sum = BaselineLogOdds;
        foreach (var c in contributions)
        {
            sum += c;
        }

        if (!double.IsFinite(z) || !double.IsFinite(sum) || Math.Abs(sum - z) > 1e-9 * Math.Max(1d, Math.Abs(z)))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The churn model '{Name}' returned log-odds {z} for row {chunk.Start + row}; it must be finite and equal its baseline ({BaselineLogOdds}) plus its contributions ({sum - BaselineLogOdds})."));
        }

        return z;
    }
}

/// <summary>The names of the built-in model terms.</summary>
internal static class ModelTerms
{
    public static string Signal(SignalKey key) => "signal." + key.Name;

    public static string Component(ComponentKey key) => "component." + key.Name;

    public static string ComponentMissing(ComponentKey key) => "component." + key.Name + ".missing";

    public static string RedFlag(string name) => "redflag." + name;

    /// <summary>Every term of an engine, in the order of the fit's design matrix.</summary>
    public static IEnumerable<string> All(ScoringEngine engine)
    {
        foreach (var signal in engine.Signals)
        {
            yield return Signal(signal.Key);
        }

        foreach (var component in engine.Components)
        {
            yield return Component(component.Key);
            yield return ComponentMissing(component.Key);
        }

        foreach (var flag in engine.RedFlags)
        {
            yield return RedFlag(flag.Name);
        }

        foreach (var feature in engine.Features)
        {
            foreach (var term in feature.TermNames())
            {
                yield return term;
            }
        }
    }
}
