using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace RetentionKit.Segmentation.Tests;

/// <summary>Regression (issue 19): segmentation read nine fixed facts; a host adds its own, typed and named, and its segmentations read them.</summary>
public class CustomFactsTests
{
    private static readonly FactKey<int> Seats = new("Seats");
    private static readonly FactKey<string> Plan = new("Plan");

    /// <summary>A host's segmentation over a fact of its own: teams by seat count.</summary>
    private sealed class SeatSegmentation : ICustomerSegmentation
    {
        public string Name => "seats";

        public ImmutableArray<string> Segments { get; } = ["small", "team", "enterprise"];

        public bool IsOrdered => true;

        public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
        {
            for (var i = 0; i < customers.Length; i++)
            {
                var seats = customers[i].TryGet(Seats, out var n) ? n : 1;
                segments[i] = seats switch { < 5 => 0, < 50 => 1, _ => 2 };
            }
        }
    }

    [Fact]
    public void HostSegmentation_ReadsItsOwnFacts_ThroughTheCatalogueFromDi()
    {
        using var provider = new ServiceCollection()
            .AddRetentionKit(kit => kit.AddSegmentation().AddCustomerSegmentation<SeatSegmentation>())
            .BuildServiceProvider();
        CustomerFacts[] customers =
        [
            new CustomerFacts(new CustomerId("a")).With(Seats, 3),
            new CustomerFacts(new CustomerId("b")).With(Seats, 12).With(Plan, "team"),
            new CustomerFacts(new CustomerId("c")).With(Seats, 400),
            new CustomerFacts(new CustomerId("d")),
        ];

        var assignment = SegmentAssignment.Run(provider.GetRequiredService<SegmentationCatalog>()["seats"], customers);

        Assert.Equal([0, 1, 2, 0], assignment.SegmentOf.ToArray());
    }

    [Fact]
    public void With_IsImmutable_AndTyped()
    {
        var plain = new CustomerFacts(new CustomerId("a")) { Purchases = 4 };
        var withSeats = plain.With(Seats, 10);
        var more = withSeats.With(Seats, 11).With(Plan, "team");

        Assert.False(plain.TryGet(Seats, out _));
        Assert.Equal(10, withSeats.Get(Seats));
        Assert.Equal((11, "team", 4), (more.Get(Seats), more.Get(Plan), more.Purchases));
        Assert.Equal(["Plan", "Seats"], more.AddedFactNames.Order(StringComparer.Ordinal));
        Assert.Empty(plain.AddedFactNames);
    }

    [Fact]
    public void Get_MissingOrMistyped_ThrowsNamingTheFactAndTheCustomer()
    {
        var facts = new CustomerFacts(new CustomerId("a")).With(Seats, 10);

        var missing = Assert.Throws<KeyNotFoundException>(() => facts.Get(Plan));
        Assert.Contains("Customer a has no fact 'Plan'", missing.Message, StringComparison.Ordinal);
        var mistyped = Assert.Throws<ArgumentException>("key", () => facts.Get(new FactKey<string>("Seats")));
        Assert.Contains("holds a Int32, not a String", mistyped.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("key", () => facts.With(new FactKey<string>("Seats"), "ten"));
        Assert.Throws<ArgumentException>("key", () => facts.With(default(FactKey<int>), 1));
        Assert.Throws<ArgumentException>("name", () => new FactKey<int>(" "));
        Assert.Throws<ArgumentException>("name", () => new FactKey<int>(new string('x', 101)));
        Assert.Equal("Seats (Int32)", Seats.ToString());
        Assert.True(Seats == new FactKey<int>("Seats"));
    }
}
