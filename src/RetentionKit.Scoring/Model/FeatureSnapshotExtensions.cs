using System;

namespace RetentionKit.Scoring;

/// <summary>Writes model features' values into snapshots.</summary>
public static class FeatureSnapshotExtensions
{
    /// <summary>Returns a copy of the snapshot with a numeric or yes/no feature's value.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="feature">The feature.</param>
    /// <param name="value">The value: within the feature's range; 0 or 1 for a yes/no.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite, outside the range, or not 0 or 1 for a yes/no.</exception>
    /// <exception cref="InvalidOperationException">The feature is categorical: give the level instead.</exception>
    public static CustomerSnapshot WithFeature(this CustomerSnapshot snapshot, ChurnFeature feature, double value)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Kind == ChurnFeatureKind.Categorical)
        {
            throw new InvalidOperationException($"The feature '{feature.Name}' is categorical; give its level: WithFeature(feature, \"level\").");
        }

        var measure = feature.Measure;
        if (!double.IsFinite(value) || value < measure.Minimum || value > measure.Maximum || (feature.Kind == ChurnFeatureKind.Boolean && value is not (0d or 1d)))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, feature.Kind == ChurnFeatureKind.Boolean
                ? $"The yes/no feature '{feature.Name}' takes 0 or 1."
                : $"The feature '{feature.Name}' takes a finite number between {measure.Minimum} and {measure.Maximum} ({feature.Description}).");
        }

        return snapshot with { AdditionalMeasures = snapshot.AdditionalMeasures.SetItem(measure.Key, value) };
    }

    /// <summary>Returns a copy of the snapshot with a yes/no feature's value.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="feature">The yes/no feature.</param>
    /// <param name="value">Yes or no.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The feature is not a yes/no.</exception>
    public static CustomerSnapshot WithFeature(this CustomerSnapshot snapshot, ChurnFeature feature, bool value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return feature.Kind == ChurnFeatureKind.Boolean
            ? snapshot.WithFeature(feature, value ? 1d : 0d)
            : throw new InvalidOperationException($"The feature '{feature.Name}' is {feature.Kind.ToString().ToLowerInvariant()}, not a yes/no.");
    }

    /// <summary>Returns a copy of the snapshot with a categorical feature's level.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="feature">The categorical feature.</param>
    /// <param name="level">The level, exactly as the feature lists it.</param>
    /// <returns>The new snapshot.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="level"/> is not one of the feature's levels.</exception>
    /// <exception cref="InvalidOperationException">The feature is not categorical.</exception>
    public static CustomerSnapshot WithFeature(this CustomerSnapshot snapshot, ChurnFeature feature, string level)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(feature);
        var code = feature.Code(level);
        return snapshot with { AdditionalMeasures = snapshot.AdditionalMeasures.SetItem(feature.Measure.Key, code) };
    }
}
