using System.Collections.Generic;

namespace RetentionKit.Scoring;

/// <summary>A churn-risk signal (S1): reads a customer's measures and says whether it fires.</summary>
/// <remarks>
/// <para>Implement it to add a signal of your own and register it with
/// <c>kit.AddScoring().AddSignal&lt;T&gt;()</c>; give it a weight under <see cref="ScoringOptions.Signals"/> with its
/// <see cref="Key"/>. A signal with the key of a built-in one replaces the built-in.</para>
/// <para>Implementations must be thread-safe and should not allocate in <see cref="Read"/>: the batch path calls it
/// once per customer. <see cref="Describe"/> is only called for explained results.</para>
/// </remarks>
public interface IChurnSignal
{
    /// <summary>Gets the signal's key; its options and explanations use it.</summary>
    SignalKey Key { get; }

    /// <summary>Gets the category whose weight the signal shares.</summary>
    SignalCategory Category { get; }

    /// <summary>Gets the immediate action to take when the signal fires.</summary>
    SignalAction Action { get; }

    /// <summary>Gets the measures the signal reads beyond the built-in ones, so that batches have columns for them.</summary>
    IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; }

    /// <summary>Reads the signal for one customer.</summary>
    /// <param name="row">The customer's measures.</param>
    /// <returns>The state, the compared value and the threshold.</returns>
    SignalReading Read(ScoringRow row);

    /// <summary>Explains a reading in plain language, for example "opened 3 of 12 e-mails in the last 14 days (25 %); threshold: below 50 %".</summary>
    /// <param name="row">The customer's measures.</param>
    /// <param name="reading">What <see cref="Read"/> returned for the row.</param>
    /// <returns>One sentence, no personal data.</returns>
    string Describe(ScoringRow row, SignalReading reading);

    /// <summary>
    /// Gives the signal its configured options (<see cref="ScoringOptions.Signals"/> under its <see cref="Key"/>:
    /// threshold, window, weight), as the built-in signals receive theirs. The engine calls it once when it is made and
    /// uses the signal returned. Return a new instance with the threshold and window (signals are immutable); throw an
    /// <see cref="System.ArgumentException"/> naming the option (<c>threshold</c>, <c>windowDays</c>) when a value is
    /// out of range for what the signal measures — start-up reports it under the signal's key. The default ignores the
    /// options and returns this signal, for signals that keep their own threshold.
    /// </summary>
    /// <param name="options">The signal's options.</param>
    /// <returns>The signal to use, with the same <see cref="Key"/>.</returns>
    IChurnSignal WithOptions(SignalOptions options) => this;
}
