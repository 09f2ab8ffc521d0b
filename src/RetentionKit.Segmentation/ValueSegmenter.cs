using System;
using System.Collections.Frozen;

namespace RetentionKit.Segmentation;

/// <summary>Assigns value segments by customer lifetime value (G1), one customer at a time or a column at a time.</summary>
/// <remarks>Immutable and thread-safe; the thresholds are copied from the options when it is built.</remarks>
public sealed class ValueSegmenter
{
    private readonly FrozenDictionary<string, (decimal MediumFrom, decimal HighAbove)> _thresholds;

    /// <summary>Initializes a new instance of the <see cref="ValueSegmenter"/> class.</summary>
    /// <param name="options">The options; their thresholds are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every problem.</exception>
    public ValueSegmenter(SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SegmentationOptionsValidation.ThrowIfInvalid(options);

        _thresholds = options.ValueThresholds.ToFrozenDictionary(
            p => p.Key.ToUpperInvariant(), p => (p.Value.MediumFrom, p.Value.HighAbove), StringComparer.Ordinal);
    }

    /// <summary>Gets the segment of a customer lifetime value.</summary>
    /// <param name="lifetimeValue">The CLV; a negative one (a customer who costs more than they bring) is low.</param>
    /// <returns>Low below the medium threshold, high above the high threshold, medium between them, ends included.</returns>
    /// <exception cref="ArgumentException">No thresholds are configured for the value's currency.</exception>
    public ValueSegment Classify(Money lifetimeValue)
    {
        var (mediumFrom, highAbove) = ThresholdsFor(lifetimeValue.Currency, nameof(lifetimeValue));
        return Classify(lifetimeValue.Amount, mediumFrom, highAbove);
    }

    /// <summary>Segments a column of lifetime values in one currency into a caller-provided buffer, allocating nothing.</summary>
    /// <param name="lifetimeValues">The CLVs, as amounts in <paramref name="currency"/>.</param>
    /// <param name="currency">Their currency.</param>
    /// <param name="segments">Where to write; at least as long as <paramref name="lifetimeValues"/>.</param>
    /// <exception cref="ArgumentException">No thresholds are configured for <paramref name="currency"/>, or <paramref name="segments"/> is too short.</exception>
    public void Classify(ReadOnlySpan<decimal> lifetimeValues, Currency currency, Span<ValueSegment> segments)
    {
        var (mediumFrom, highAbove) = ThresholdsFor(currency, nameof(currency));
        if (segments.Length < lifetimeValues.Length)
        {
            throw new ArgumentException($"segments holds {segments.Length} entries; it must hold at least the {lifetimeValues.Length} lifetime values.", nameof(segments));
        }

        for (var i = 0; i < lifetimeValues.Length; i++)
        {
            segments[i] = Classify(lifetimeValues[i], mediumFrom, highAbove);
        }
    }

    /// <summary>Gets the thresholds in use for a currency.</summary>
    /// <param name="currency">The currency.</param>
    /// <returns>The lowest medium CLV and the highest medium CLV, or null when the currency has none.</returns>
    public (decimal MediumFrom, decimal HighAbove)? ThresholdsOf(Currency currency) =>
        _thresholds.TryGetValue(currency.Code, out var thresholds) ? thresholds : null;

    internal static ValueSegment Classify(decimal value, decimal mediumFrom, decimal highAbove) =>
        value > highAbove ? ValueSegment.High : value >= mediumFrom ? ValueSegment.Medium : ValueSegment.Low;

    private (decimal MediumFrom, decimal HighAbove) ThresholdsFor(Currency currency, string argument) =>
        _thresholds.TryGetValue(currency.Code, out var thresholds)
            ? thresholds
            : throw new ArgumentException($"No value-segment thresholds are configured for {currency}; add SegmentationOptions.ValueThresholds[\"{currency.Code}\"].", argument);
}
