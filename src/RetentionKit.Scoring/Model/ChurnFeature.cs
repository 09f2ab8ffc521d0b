using System;
using System.Collections.Generic;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>What kind of value a <see cref="ChurnFeature"/> holds.</summary>
public enum ChurnFeatureKind
{
    /// <summary>A number in a range (tenure in months, monthly charges); it enters the model as it is.</summary>
    Numeric,

    /// <summary>Yes (1) or no (0).</summary>
    Boolean,

    /// <summary>One of a fixed list of levels (contract: month-to-month, one year, two year), expanded one-hot against a reference level.</summary>
    Categorical,
}

/// <summary>
/// A named input of the churn model beyond the built-in signals and components: a number, a yes/no, or one of a list
/// of levels, read from a measure of the same name. Register it with <c>kit.AddChurnFeature(feature)</c> (or pass it
/// to the <see cref="ScoringEngine"/>); fit a <see cref="ChurnCalibration"/> to give it a coefficient.
/// </summary>
/// <remarks>
/// <para>A feature declares one measure (<see cref="Measure"/>) so that snapshots and batches carry its value:
/// <c>snapshot.WithFeature(feature, 42)</c>, <c>snapshot.WithFeature(contract, "Two year")</c>, or
/// <c>batch.Column(feature.Measure.Key)[row] = feature.Code("Two year")</c>.</para>
/// <para>A missing value is allowed and is not zero: each feature has a <c>.missing</c> term of its own, 1 where the
/// value is missing. Its terms (the columns of the model) are named <c>feature.{name}</c> for a number or a yes/no,
/// <c>feature.{name}={level}</c> for each level but the reference, and <c>feature.{name}.missing</c>.</para>
/// </remarks>
public sealed class ChurnFeature
{
    private readonly FrozenDictionary<string, int> _codes;

    private ChurnFeature(string name, ChurnFeatureKind kind, double minimum, double maximum, ImmutableArray<string> levels, string? reference, string description)
    {
        Name = new MeasureKey(name).Name;
        Kind = kind;
        Levels = levels;
        ReferenceLevel = reference;
        Description = Guard.NotBlank(description);
        Measure = new MeasureDefinition(new MeasureKey(name), minimum, maximum, description);
        _codes = levels.Select((l, i) => (l, i)).ToFrozenDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>Gets the feature's name (letters, digits, '-', '_' or '.'), which is also its measure's key.</summary>
    public string Name { get; }

    /// <summary>Gets what kind of value the feature holds.</summary>
    public ChurnFeatureKind Kind { get; }

    /// <summary>Gets the measure that carries the value: the number, 0 or 1, or the level's code (its index in <see cref="Levels"/>).</summary>
    public MeasureDefinition Measure { get; }

    /// <summary>Gets the levels of a categorical feature, in code order; empty otherwise.</summary>
    public ImmutableArray<string> Levels { get; }

    /// <summary>Gets the reference level of a categorical feature (the one without a term of its own); null otherwise.</summary>
    public string? ReferenceLevel { get; }

    /// <summary>Gets what the feature is, with its unit, in a few words.</summary>
    public string Description { get; }

    /// <summary>Creates a numeric feature.</summary>
    /// <param name="name">The name (and measure key).</param>
    /// <param name="minimum">The smallest valid value (finite).</param>
    /// <param name="maximum">The largest valid value (finite, not below <paramref name="minimum"/>).</param>
    /// <param name="description">What it is, with its unit.</param>
    /// <returns>The feature.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key or <paramref name="description"/> is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="maximum"/> is below <paramref name="minimum"/>.</exception>
    public static ChurnFeature Numeric(string name, double minimum, double maximum, string description) =>
        new(name, ChurnFeatureKind.Numeric, minimum, maximum, [], null, description);

    /// <summary>Creates a yes/no feature (1 for yes, 0 for no).</summary>
    /// <param name="name">The name (and measure key).</param>
    /// <param name="description">What a yes means.</param>
    /// <returns>The feature.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key or <paramref name="description"/> is blank.</exception>
    public static ChurnFeature Boolean(string name, string description) =>
        new(name, ChurnFeatureKind.Boolean, 0, 1, [], null, description);

    /// <summary>Creates a categorical feature: one term per level but the reference.</summary>
    /// <param name="name">The name (and measure key).</param>
    /// <param name="levels">The levels, at least two, distinct and not blank; a level's code is its index here.</param>
    /// <param name="referenceLevel">The level the others are compared with (usually the commonest); one of <paramref name="levels"/>.</param>
    /// <param name="description">What the feature is.</param>
    /// <returns>The feature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> or <paramref name="referenceLevel"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two levels, a blank or repeated level, a reference that is not a level, an invalid name, or a blank description.</exception>
    public static ChurnFeature Categorical(string name, IEnumerable<string> levels, string referenceLevel, string description)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(referenceLevel);
        ImmutableArray<string> list = [.. levels];
        if (list.Length < 2)
        {
            throw new ArgumentException($"levels has {list.Length} level(s); a categorical feature needs at least two.", nameof(levels));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var level in list)
        {
            if (string.IsNullOrWhiteSpace(level))
            {
                throw new ArgumentException("levels must not hold a null or blank level.", nameof(levels));
            }

            if (!seen.Add(level))
            {
                throw new ArgumentException($"levels holds '{level}' twice; levels must be distinct.", nameof(levels));
            }
        }

        if (!seen.Contains(referenceLevel))
        {
            throw new ArgumentException($"referenceLevel '{referenceLevel}' is not one of the levels ({string.Join(", ", list)}).", nameof(referenceLevel));
        }

        return new(name, ChurnFeatureKind.Categorical, 0, list.Length - 1, list, referenceLevel, description);
    }

    /// <summary>Returns the code of a level of a categorical feature: the value its measure holds.</summary>
    /// <param name="level">The level, exactly as listed.</param>
    /// <returns>The level's index in <see cref="Levels"/>.</returns>
    /// <exception cref="InvalidOperationException">The feature is not categorical.</exception>
    /// <exception cref="ArgumentException"><paramref name="level"/> is not one of the levels.</exception>
    public float Code(string level)
    {
        if (Kind != ChurnFeatureKind.Categorical)
        {
            throw new InvalidOperationException($"The feature '{Name}' is {Kind.ToString().ToLowerInvariant()}, not categorical; write its value itself.");
        }

        ArgumentNullException.ThrowIfNull(level);
        return _codes.TryGetValue(level, out var code)
            ? code
            : throw new ArgumentException($"'{level}' is not a level of the feature '{Name}' ({string.Join(", ", Levels)}).", nameof(level));
    }

    /// <summary>Returns the feature's name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>The names of the model terms this feature adds, in order: value terms, then the missing term.</summary>
    internal IEnumerable<string> TermNames()
    {
        if (Kind == ChurnFeatureKind.Categorical)
        {
            foreach (var level in Levels)
            {
                if (level != ReferenceLevel)
                {
                    yield return LevelTerm(level);
                }
            }
        }
        else
        {
            yield return ValueTerm;
        }

        yield return MissingTerm;
    }

    internal string ValueTerm => "feature." + Name;

    internal string MissingTerm => "feature." + Name + ".missing";

    internal string LevelTerm(string level) => string.Create(CultureInfo.InvariantCulture, $"feature.{Name}={level}");
}
