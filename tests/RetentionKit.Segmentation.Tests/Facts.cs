using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace RetentionKit.Segmentation.Tests;

/// <summary>Customers for the tests, and FsCheck generators of whole populations.</summary>
internal static class Facts
{
    public static readonly SegmentationOptions DefaultOptions = new();

    public static CustomerFacts Customer(int i, decimal clv = 500m, double usage = 50, double engagement = 50, string? industry = null) =>
        new(new CustomerId($"c{i:D5}"))
        {
            LifetimeValue = Money.Usd(clv),
            Revenue = Money.Usd(clv / 10m),
            Usage = usage,
            Engagement = engagement,
            Industry = industry,
            DaysSinceLastPurchase = i % 90,
            Purchases = i % 13,
            Spend = clv,
        };

    // Scores are drawn from a handful of values around the cut-offs and a few anywhere, with some unknown.
    private static readonly Gen<double> Scores = Gen.OneOf(
        Gen.Elements(0d, 29.99, 30d, 50d, 69.99, 70d, 100d, double.NaN),
        Gen.Choose(0, 10_000).Select(x => x / 100d));

    // Small ranges force ties, which the RFM quintiles must cope with.
    private static readonly Gen<CustomerFacts> AnyCustomer =
        from clv in Gen.OneOf(Gen.Elements(0m, 999.99m, 1_000m, 10_000m, 10_000.01m), Gen.Choose(0, 3_000_000).Select(c => c / 100m))
        from revenue in Gen.Choose(0, 100_000)
        from usage in Scores
        from engagement in Scores
        from industry in Gen.Elements<string?>(null, "technology", "Marketing", "sales", "retail")
        from days in Gen.OneOf(Gen.Choose(0, 5), Gen.Choose(0, 400))
        from purchases in Gen.OneOf(Gen.Choose(0, 3), Gen.Choose(0, 60))
        from spend in Gen.OneOf(Gen.Elements(0m, 49m, 99m), Gen.Choose(0, 1_000_000).Select(c => c / 100m))
        select new CustomerFacts(new CustomerId("unnamed"))
        {
            LifetimeValue = Money.Usd(clv),
            Revenue = Money.Usd(revenue),
            Usage = usage,
            Engagement = engagement,
            Industry = industry,
            DaysSinceLastPurchase = days,
            Purchases = purchases,
            Spend = spend,
        };

    public static Gen<CustomerFacts[]> Population =>
        Gen.Sized(size => Gen.Choose(0, Math.Max(1, size * 4)))
            .SelectMany(n => Gen.ArrayOf(AnyCustomer, n))
            .Select(customers => customers.Select((c, i) => c with { Customer = new CustomerId($"c{i:D5}") }).ToArray());

    public static Arbitrary<CustomerFacts[]> Populations() => Population.ToArbitrary();
}
