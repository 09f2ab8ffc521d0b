using System;
using System.Linq;

namespace RetentionKit.Segmentation.Tests;

public class RfmTests
{
    [Fact]
    public void Score_TenDistinctCustomers_TwoPerQuintile()
    {
        // Customer i: i days since the last purchase (0 = most recent), i purchases, spend 10 × (10 − i).
        var days = Enumerable.Range(0, 10).ToArray();
        var purchases = Enumerable.Range(0, 10).ToArray();
        var spend = Enumerable.Range(0, 10).Select(i => 10m * (10 - i)).ToArray();
        var scores = new RfmScore[10];

        Rfm.Score(days, purchases, spend, scores);

        Assert.Equal(new byte[] { 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 }, scores.Select(s => s.Recency));
        Assert.Equal(new byte[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }, scores.Select(s => s.Frequency));
        Assert.Equal(new byte[] { 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 }, scores.Select(s => s.Monetary));
        Assert.Equal("515", scores[0].ToString());
    }

    [Fact]
    public void Score_AllTied_ByInputPosition()
    {
        // Documented: ties are broken by position, the earlier customer ranking lower, so sizes stay equal.
        var scores = new RfmScore[7];

        Rfm.Score(new int[7], new int[7], new decimal[7], scores);

        Assert.Equal(new byte[] { 1, 1, 2, 3, 3, 4, 5 }, scores.Select(s => s.Frequency));
        Assert.Equal(scores.Select(s => s.Frequency), scores.Select(s => s.Recency));
        Assert.Equal(scores.Select(s => s.Frequency), scores.Select(s => s.Monetary));
    }

    [Fact]
    public void Score_LargeValues_RankAcrossEveryByte()
    {
        // Keys that differ only in high bytes exercise every radix pass.
        int[] days = [int.MaxValue, 0, 1 << 24, 1 << 16, 1 << 8];
        int[] purchases = [int.MaxValue, 0, 1 << 24, 1 << 16, 1 << 8];
        decimal[] spend = [1e20m, 0m, 0.01m, 1e10m, 123_456.78m];
        var scores = new RfmScore[5];

        Rfm.Score(days, purchases, spend, scores);

        Assert.Equal(new byte[] { 1, 5, 2, 3, 4 }, scores.Select(s => s.Recency));
        Assert.Equal(new byte[] { 5, 1, 4, 3, 2 }, scores.Select(s => s.Frequency));
        Assert.Equal(new byte[] { 5, 1, 2, 4, 3 }, scores.Select(s => s.Monetary));
    }

    [Fact]
    public void Score_Empty_WritesNothing()
    {
        Rfm.Score([], [], [], []);
        Assert.Empty(SegmentAssignment.Run(new RfmSegmentation(), []).Customers);
    }

    [Fact]
    public void Score_BadInput_ThrowsNamingTheArgument()
    {
        Assert.Throws<ArgumentException>("purchases", () => Rfm.Score([1, 2], [1], [1m, 2m], new RfmScore[2]));
        Assert.Throws<ArgumentException>("monetary", () => Rfm.Score([1, 2], [1, 2], [1m], new RfmScore[2]));
        Assert.Throws<ArgumentException>("scores", () => Rfm.Score([1, 2], [1, 2], [1m, 2m], new RfmScore[1]));
        var days = Assert.Throws<ArgumentException>("daysSinceLastPurchase", () => Rfm.Score([1, -2], [1, 2], [1m, 2m], new RfmScore[2]));
        Assert.Contains("daysSinceLastPurchase[1] is -2", days.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("purchases", () => Rfm.Score([1, 2], [-1, 2], [1m, 2m], new RfmScore[2]));
        Assert.Throws<ArgumentException>("monetary", () => Rfm.Score([1, 2], [1, 2], [1m, -0.01m], new RfmScore[2]));
    }

    [Theory]
    [InlineData(5, 5, 5, RfmSegment.Champions)]
    [InlineData(5, 4, 3, RfmSegment.Champions)]
    [InlineData(5, 1, 1, RfmSegment.NewCustomers)]
    [InlineData(5, 2, 1, RfmSegment.PotentialLoyalists)]
    [InlineData(4, 1, 1, RfmSegment.Promising)]
    [InlineData(4, 3, 3, RfmSegment.LoyalCustomers)]
    [InlineData(3, 5, 4, RfmSegment.LoyalCustomers)]
    [InlineData(3, 2, 2, RfmSegment.NeedAttention)]
    [InlineData(3, 1, 1, RfmSegment.AboutToSleep)]
    [InlineData(2, 3, 4, RfmSegment.AtRisk)]
    [InlineData(2, 5, 5, RfmSegment.CannotLoseThem)]
    [InlineData(1, 4, 4, RfmSegment.CannotLoseThem)]
    [InlineData(2, 1, 2, RfmSegment.Hibernating)]
    [InlineData(1, 2, 1, RfmSegment.Lost)]
    [InlineData(1, 3, 2, RfmSegment.AtRisk)] // (3 + 2) ÷ 2 = 2.5 rounds up to 3
    public void SegmentOf_GridOfRecencyAgainstFrequencyMonetary(int r, int f, int m, RfmSegment expected)
    {
        Assert.Equal(expected, Rfm.SegmentOf(r, f, m));
        Assert.Equal(expected, new RfmScore((byte)r, (byte)f, (byte)m).Segment);
    }

    [Theory]
    [InlineData(0, 3, 3, "recency")]
    [InlineData(6, 3, 3, "recency")]
    [InlineData(3, 0, 3, "frequency")]
    [InlineData(3, 6, 3, "frequency")]
    [InlineData(3, 3, 0, "monetary")]
    [InlineData(3, 3, 6, "monetary")]
    public void SegmentOf_ScoreOutside1To5_Throws(int r, int f, int m, string argument) =>
        Assert.Throws<ArgumentOutOfRangeException>(argument, () => Rfm.SegmentOf(r, f, m));

    [Fact]
    public void Names_OnePerSegment()
    {
        Assert.Equal(Enum.GetValues<RfmSegment>().Length, new RfmSegmentation().Segments.Length);
        Assert.Equal("cannot lose them", Rfm.NameOf(RfmSegment.CannotLoseThem));
        Assert.Equal("champions", new RfmSegmentation().Segments[(int)RfmSegment.Champions]);
        Assert.Throws<ArgumentOutOfRangeException>("segment", () => Rfm.NameOf((RfmSegment)11));
        Assert.Throws<ArgumentOutOfRangeException>("segment", () => Rfm.NameOf((RfmSegment)(-1)));
    }

    [Fact]
    public void Segmentation_AgreesWithTheScores_AndNamesABadCustomer()
    {
        var customers = Enumerable.Range(0, 50).Select(i => Facts.Customer(i, clv: 10m * ((i * 7) % 23))).ToArray();
        var scores = new RfmScore[customers.Length];
        Rfm.Score(
            customers.Select(c => c.DaysSinceLastPurchase).ToArray(),
            customers.Select(c => c.Purchases).ToArray(),
            customers.Select(c => c.Spend).ToArray(),
            scores);

        var assignment = SegmentAssignment.Run(new RfmSegmentation(), customers);

        Assert.Equal(scores.Select(s => (int)s.Segment), assignment.SegmentOf);
        var bad = customers.ToArray();
        bad[3] = bad[3] with { Purchases = -1 };
        var error = Assert.Throws<ArgumentException>("customers", () => new RfmSegmentation().Assign(bad, new int[bad.Length]));
        Assert.Contains("c00003 (row 3)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("segments", () => new RfmSegmentation().Assign(customers, new int[3]));
    }
}
