using System;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>The value segmentation (G1) as an <see cref="ICustomerSegmentation"/>: low, medium, high by <see cref="CustomerFacts.LifetimeValue"/>.</summary>
/// <remarks>Segment indices are the <see cref="ValueSegment"/> values. Customers may mix currencies; each needs thresholds.</remarks>
public sealed class ValueSegmentation : ICustomerSegmentation
{
    /// <summary>The segmentation's name: "value".</summary>
    public const string SegmentationName = "value";

    private readonly ValueSegmenter _segmenter;

    /// <summary>Initializes a new instance of the <see cref="ValueSegmentation"/> class.</summary>
    /// <param name="options">The options; their thresholds are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule.</exception>
    public ValueSegmentation(SegmentationOptions options) => _segmenter = new ValueSegmenter(options);

    /// <summary>Gets the index of the segment each value segment's objective aims at (G1): low → medium, medium → high, high → high.</summary>
    public static ImmutableArray<int> ObjectiveTargets { get; } =
    [
        (int)ValueSegmentProfile.For(ValueSegment.Low).TargetSegment,
        (int)ValueSegmentProfile.For(ValueSegment.Medium).TargetSegment,
        (int)ValueSegmentProfile.For(ValueSegment.High).TargetSegment,
    ];

    /// <inheritdoc/>
    public string Name => SegmentationName;

    /// <inheritdoc/>
    public ImmutableArray<string> Segments { get; } = ["low", "medium", "high"];

    /// <inheritdoc/>
    public bool IsOrdered => true;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="segments"/> is too short, or a customer's CLV is in a currency without thresholds (the customer is named).</exception>
    public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
    {
        SegmentationChecks.OutputLength(customers, segments);
        var currency = default(Currency);
        decimal mediumFrom = 0m, highAbove = 0m;
        for (var i = 0; i < customers.Length; i++)
        {
            var value = customers[i].LifetimeValue;
            if (i == 0 || value.Currency != currency)
            {
                (mediumFrom, highAbove) = _segmenter.ThresholdsOf(value.Currency)
                    ?? throw new ArgumentException($"Customer {customers[i].Customer} (row {i}) has a lifetime value in {value.Currency}, which has no value-segment thresholds.", nameof(customers));
                currency = value.Currency;
            }

            segments[i] = (int)ValueSegmenter.Classify(value.Amount, mediumFrom, highAbove);
        }
    }
}
