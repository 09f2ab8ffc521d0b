using System;
using System.Collections.Immutable;

namespace RetentionKit.Segmentation;

/// <summary>
/// The persona segmentation (G3) as an <see cref="ICustomerSegmentation"/>: struggling, casual, power by
/// <see cref="CustomerFacts.Usage"/> and <see cref="CustomerFacts.Engagement"/>, and "unknown" when either is missing.
/// </summary>
/// <remarks>Indices 0–2 are the <see cref="Persona"/> values; <see cref="Unknown"/> is 3. Not ordered: unknown has no rank.</remarks>
public sealed class PersonaSegmentation : ICustomerSegmentation
{
    /// <summary>The segmentation's name: "persona".</summary>
    public const string SegmentationName = "persona";

    /// <summary>The index of the segment of customers whose usage or engagement is unknown.</summary>
    public const int Unknown = 3;

    private readonly PersonaClassifier _classifier;

    /// <summary>Initializes a new instance of the <see cref="PersonaSegmentation"/> class.</summary>
    /// <param name="options">The options; their persona cut-offs are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule.</exception>
    public PersonaSegmentation(SegmentationOptions options) => _classifier = new PersonaClassifier(options);

    /// <inheritdoc/>
    public string Name => SegmentationName;

    /// <inheritdoc/>
    public ImmutableArray<string> Segments { get; } = ["struggling", "casual", "power", "unknown"];

    /// <inheritdoc/>
    public bool IsOrdered => false;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="segments"/> is too short, or a customer's score is neither NaN nor within 0–100 (the customer is named).</exception>
    public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
    {
        SegmentationChecks.OutputLength(customers, segments);
        for (var i = 0; i < customers.Length; i++)
        {
            ref readonly var customer = ref customers[i];
            if (!IsScore(customer.Usage) || !IsScore(customer.Engagement))
            {
                throw new ArgumentException($"Customer {customer.Customer} (row {i}) has usage {customer.Usage} and engagement {customer.Engagement}; each must be a score from 0 to 100, or NaN when unknown.", nameof(customers));
            }

            segments[i] = PersonaClassifier.Classify(customer.Usage, customer.Engagement, _classifier) is { } persona ? (int)persona : Unknown;
        }
    }

    private static bool IsScore(double value) => double.IsNaN(value) || (value >= 0d && value <= 100d);
}
