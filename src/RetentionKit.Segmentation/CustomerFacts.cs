namespace RetentionKit.Segmentation;

/// <summary>What the built-in segmentations read about one customer. Fill what you have; each segmentation names what it needs.</summary>
/// <param name="Customer">The customer.</param>
public readonly record struct CustomerFacts(CustomerId Customer)
{
    /// <summary>Gets the customer lifetime value (value segments).</summary>
    public Money LifetimeValue { get; init; }

    /// <summary>Gets the revenue over the period being reported (distribution report).</summary>
    public Money Revenue { get; init; }

    /// <summary>Gets the usage score, 0–100 (personas); NaN when unknown.</summary>
    public double Usage { get; init; } = double.NaN;

    /// <summary>Gets the engagement score, 0–100 (personas); NaN when unknown.</summary>
    public double Engagement { get; init; } = double.NaN;

    /// <summary>Gets the industry key (industry profiles), e.g. "technology"; null when unknown.</summary>
    public string? Industry { get; init; }

    /// <summary>Gets the days since the last purchase or payment (RFM recency).</summary>
    public int DaysSinceLastPurchase { get; init; }

    /// <summary>Gets the number of purchases or payments (RFM frequency).</summary>
    public int Purchases { get; init; }

    /// <summary>Gets the total spend, in the lifetime value's currency (RFM monetary value).</summary>
    public decimal Spend { get; init; }
}
