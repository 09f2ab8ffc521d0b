using System.Collections.Generic;

namespace RetentionKit.Scoring;

/// <summary>A component of the retention score (S5): maps a customer's measures to 0–100, higher meaning likelier to stay.</summary>
/// <remarks>
/// <para>Implement it to add or replace a component and register it with <c>kit.AddScoring().AddComponent&lt;T&gt;()</c>;
/// give it a weight under <see cref="RetentionScoreOptions.ComponentWeights"/>. A component with the key of a built-in one
/// replaces the built-in.</para>
/// <para>A component whose inputs are all missing returns <see cref="ComponentReading.Missing"/>; its weight is then
/// shared among the measured components and the score is flagged. Implementations must be thread-safe and should not
/// allocate in <see cref="Read"/>.</para>
/// </remarks>
public interface IRetentionScoreComponent
{
    /// <summary>Gets the component's key; its weight and explanations use it.</summary>
    ComponentKey Key { get; }

    /// <summary>Gets the measures the component reads beyond the built-in ones, so that batches have columns for them.</summary>
    IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; }

    /// <summary>Computes the component for one customer.</summary>
    /// <param name="row">The customer's measures.</param>
    /// <returns>The value in [0, 100] with how many of its inputs were measured, or <see cref="ComponentReading.Missing"/>.</returns>
    ComponentReading Read(ScoringRow row);

    /// <summary>Explains a reading in plain language, naming the inputs and how each scored.</summary>
    /// <param name="row">The customer's measures.</param>
    /// <param name="reading">What <see cref="Read"/> returned for the row.</param>
    /// <returns>One sentence, no personal data.</returns>
    string Describe(ScoringRow row, ComponentReading reading);
}
