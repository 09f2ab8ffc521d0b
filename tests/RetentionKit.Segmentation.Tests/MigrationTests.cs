using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Segmentation.Tests;

public class MigrationTests
{
    private static readonly LocalDate January = new(2026, 1, 1);
    private static readonly LocalDate July = new(2026, 7, 1);
    private static readonly ValueSegmentation Value = new(Facts.DefaultOptions);

    private static SegmentAssignment Run(params (int Id, decimal Clv)[] customers) =>
        SegmentAssignment.Run(Value, customers.Select(c => Facts.Customer(c.Id, clv: c.Clv)).ToArray());

    [Fact]
    public void Between_MatrixUpgradesDowngradesLeftAndEntered()
    {
        var start = Run((1, 500m), (2, 500m), (3, 5_000m), (4, 5_000m), (5, 50_000m), (6, 500m));
        var end = Run((1, 2_000m), (2, 500m), (3, 20_000m), (4, 900m), (5, 50_000m), (7, 3_000m), (8, 100m));

        var migration = SegmentMigration.Between(January, start, July, end);

        Assert.Equal(("value", January, July, true), (migration.Segmentation, migration.From, migration.To, migration.IsOrdered));
        int[,] expected = { { 1, 1, 0 }, { 1, 0, 1 }, { 0, 0, 1 } }; // rows: low, medium, high at the start
        for (var f = 0; f < 3; f++)
        {
            for (var t = 0; t < 3; t++)
            {
                Assert.Equal(expected[f, t], migration.Count(f, t));
            }
        }

        Assert.Equal(new[] { 3, 2, 1 }, migration.StartingCounts);
        Assert.Equal(new[] { 1, 0, 0 }, migration.Left); // customer 6
        Assert.Equal(new[] { 1, 1, 0 }, migration.Entered); // customers 8 and 7
        Assert.Equal((2, 3, 2, 1), (migration.Stayed, migration.Moved, migration.Upgrades, migration.Downgrades));

        // Objectives: low → medium (1 of 3), medium → high (1 of 2), high stays high (1 of 1).
        Assert.Equal(new[] { 1d / 3, 0.5, 1d }, migration.ObjectiveReached(ValueSegmentation.ObjectiveTargets));
    }

    [Fact]
    public void ObjectiveReached_EmptyStartingSegment_IsNaN_AndUnorderedNeedsTheExactTarget()
    {
        var start = Run((1, 500m));
        var end = Run((1, 50_000m));
        var migration = SegmentMigration.Between(January, start, July, end);

        var shares = migration.ObjectiveReached(ValueSegmentation.ObjectiveTargets);

        Assert.Equal(1d, shares[0]); // high is beyond the target medium, and the segments are ordered
        Assert.True(double.IsNaN(shares[1]));
        Assert.Throws<ArgumentException>("targets", () => migration.ObjectiveReached([1, 2]));
        Assert.Throws<ArgumentException>("targets", () => migration.ObjectiveReached([1, 2, 3]));
        Assert.Throws<ArgumentException>("targets", () => migration.ObjectiveReached([-1, 2, 2]));

        var personas = new PersonaSegmentation(Facts.DefaultOptions);
        var personaStart = SegmentAssignment.Run(personas, [Facts.Customer(1, usage: 10, engagement: 10), Facts.Customer(2, usage: 10, engagement: 10)]);
        var personaEnd = SegmentAssignment.Run(personas, [Facts.Customer(1, usage: 90, engagement: 90), Facts.Customer(2, usage: 50, engagement: 50)]);
        var personaMigration = SegmentMigration.Between(January, personaStart, July, personaEnd);
        Assert.Equal((null, null, 2), (personaMigration.Upgrades, personaMigration.Downgrades, personaMigration.Moved));
        Assert.Equal(0.5, personaMigration.ObjectiveReached([1, 1, 2, 3])[0]); // casual exactly: power does not count
    }

    [Fact]
    public void Between_BadInput_ThrowsNamingTheArgument()
    {
        var start = Run((1, 500m));
        var personas = SegmentAssignment.Run(new PersonaSegmentation(Facts.DefaultOptions), [Facts.Customer(1)]);

        Assert.Throws<ArgumentException>("to", () => SegmentMigration.Between(July, start, July, start));
        Assert.Throws<ArgumentException>("end", () => SegmentMigration.Between(January, start, July, personas));
        Assert.Throws<ArgumentException>("end", () => SegmentMigration.Between(January, start, July, Run((1, 1m), (1, 2m))));
        Assert.Throws<ArgumentException>("start", () => SegmentMigration.Between(January, Run((1, 1m), (1, 2m)), July, start));
        Assert.Throws<ArgumentNullException>("start", () => SegmentMigration.Between(January, null!, July, start));
        Assert.Throws<ArgumentNullException>("end", () => SegmentMigration.Between(January, start, July, null!));
        var migration = SegmentMigration.Between(January, start, July, start);
        Assert.Throws<ArgumentOutOfRangeException>("from", () => migration.Count(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>("to", () => migration.Count(0, -1));
    }
}

public class CatalogAndAssignmentTests
{
    [Fact]
    public void Run_CountsAndShares()
    {
        var customers = new[] { 100m, 2_000m, 3_000m, 20_000m }.Select((clv, i) => Facts.Customer(i, clv: clv)).ToArray();

        var assignment = SegmentAssignment.Run(new ValueSegmentation(Facts.DefaultOptions), customers);

        Assert.Equal("value", assignment.Segmentation);
        Assert.Equal(new[] { 1, 2, 1 }, assignment.Counts);
        Assert.Equal(new[] { 0, 1, 1, 2 }, assignment.SegmentOf);
        Assert.Equal(customers.Select(c => c.Customer), assignment.Customers);
        Assert.Equal(0.5, assignment.Share(1));
        Assert.True(double.IsNaN(SegmentAssignment.Run(new RfmSegmentation(), []).Share(0)));
    }

    [Fact]
    public void Run_SegmentationWritingOutsideItsSegments_IsCaught()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SegmentAssignment.Run(new Broken(write: 2), [Facts.Customer(0)]));
        Assert.Contains("'broken' put customer c00000 (row 0) in segment 2", error.Message, StringComparison.Ordinal);
        var skipped = Assert.Throws<InvalidOperationException>(() => SegmentAssignment.Run(new Broken(write: null), [Facts.Customer(0)]));
        Assert.Contains("segment -1", skipped.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SegmentAssignment.Run(new Broken(write: 0, segments: []), [Facts.Customer(0)]));
        Assert.Throws<ArgumentNullException>("segmentation", () => SegmentAssignment.Run(null!, []));
    }

    [Fact]
    public void Catalog_LooksUpByName_AndRunsAll()
    {
        var catalog = new SegmentationCatalog([new ValueSegmentation(Facts.DefaultOptions), new RfmSegmentation()]);

        Assert.IsType<RfmSegmentation>(catalog["RFM"]);
        Assert.False(catalog.TryGet("persona", out _));
        var missing = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => catalog["persona"]);
        Assert.Contains("registered: value, rfm", missing.Message, StringComparison.Ordinal);
        var all = catalog.RunAll([Facts.Customer(0), Facts.Customer(1)]);
        Assert.Equal(new[] { "value", "rfm" }, all.Select(a => a.Segmentation));
    }

    [Fact]
    public void Catalog_DuplicateOrBlankNames_ListEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>("segmentations", () => new SegmentationCatalog(
            [new RfmSegmentation(), new Broken(write: 0, name: "RFM"), new Broken(write: 0, name: " ", segments: [])]));

        Assert.Contains("'RFM' is used twice (again by Broken)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Broken has a blank name", error.Message, StringComparison.Ordinal);
        Assert.Contains("declares no segments", error.Message, StringComparison.Ordinal);
    }

    private sealed class Broken(int? write, string name = "broken", ImmutableArray<string>? segments = null) : ICustomerSegmentation
    {
        public string Name => name;

        public ImmutableArray<string> Segments => segments ?? ["a", "b"];

        public bool IsOrdered => false;

        public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> output)
        {
            if (write is { } value)
            {
                output[..customers.Length].Fill(value);
            }
        }
    }
}
