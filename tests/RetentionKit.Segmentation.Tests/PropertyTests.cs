using System;
using System.Linq;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.TestUtilities;

namespace RetentionKit.Segmentation.Tests;

public class PropertyTests
{
    private static readonly SegmentationCatalog Catalog = new(
        [new ValueSegmentation(Facts.DefaultOptions), new PersonaSegmentation(Facts.DefaultOptions), new IndustrySegmentation(Facts.DefaultOptions), new RfmSegmentation()]);

    // Every customer lands in exactly one segment of every segmentation; the counts add up to the population.
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 200)]
    public bool EveryCustomer_InExactlyOneSegment(CustomerFacts[] customers) =>
        Catalog.RunAll(customers).All(a =>
            a.SegmentOf.Length == customers.Length
            && a.SegmentOf.All(s => s >= 0 && s < a.Segments.Length)
            && a.Counts.Sum() == customers.Length
            && Enumerable.Range(0, a.Segments.Length).All(s => a.Counts[s] == a.SegmentOf.Count(x => x == s)));

    // The column path, the per-customer path and the segmentation agree; a larger CLV never gets a lower segment.
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 200)]
    public bool ValueSegments_AgreeAcrossPaths_AndAreMonotone(CustomerFacts[] customers)
    {
        var segmenter = new ValueSegmenter(Facts.DefaultOptions);
        var column = new ValueSegment[customers.Length];
        segmenter.Classify(customers.Select(c => c.LifetimeValue.Amount).ToArray(), Currency.Usd, column);
        var assignment = SegmentAssignment.Run(Catalog["value"], customers);
        var sorted = customers.Select((c, i) => (c.LifetimeValue.Amount, Segment: column[i])).OrderBy(x => x.Amount).ToArray();
        return customers.Select((c, i) => segmenter.Classify(c.LifetimeValue) == column[i] && (int)column[i] == assignment.SegmentOf[i]).All(x => x)
            && sorted.Zip(sorted.Skip(1)).All(p => p.First.Segment <= p.Second.Segment);
    }

    // G2: the shares of customers, and of revenue when there is any, add up to 100 %.
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 200)]
    public bool Shares_SumToOne(CustomerFacts[] customers)
    {
        if (customers.Length == 0)
        {
            return Record.Exception(() => ValueDistribution.Of([], [], Currency.Usd)) is ArgumentException;
        }

        {
            var segments = SegmentAssignment.Run(Catalog["value"], customers).SegmentOf.Select(s => (ValueSegment)s).ToArray();
            var distribution = ValueDistribution.Of(segments, customers.Select(c => c.Revenue.Amount).ToArray(), Currency.Usd);
            var customerShares = distribution.Segments.Sum(s => s.CustomerShare);
            var revenueOk = distribution.Revenue.IsZero || Math.Abs(distribution.Segments.Sum(s => s.RevenueShare) - 1d) < 1e-9;
            return Math.Abs(customerShares - 1d) < 1e-12 && revenueOk
                && distribution.Segments.Sum(s => s.Customers) == customers.Length
                && distribution.Segments.Sum(s => s.Revenue.Amount) == distribution.Revenue.Amount;
        }
    }

    // G6: each row of the matrix, with those who left, adds up to the starting count; columns with those who entered to the ending count.
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 200)]
    public bool MigrationRows_SumToStartingCounts(CustomerFacts[] before, CustomerFacts[] after)
    {
        foreach (var segmentation in Catalog.All)
        {
            var start = SegmentAssignment.Run(segmentation, before);
            var end = SegmentAssignment.Run(segmentation, after);
            var migration = SegmentMigration.Between(new LocalDate(2026, 1, 1), start, new LocalDate(2026, 4, 1), end);
            var n = segmentation.Segments.Length;
            for (var s = 0; s < n; s++)
            {
                var row = Enumerable.Range(0, n).Sum(t => migration.Count(s, t)) + migration.Left[s];
                var column = Enumerable.Range(0, n).Sum(f => migration.Count(f, s)) + migration.Entered[s];
                if (row != start.Counts[s] || column != end.Counts[s] || migration.Left[s] < 0 || migration.Entered[s] < 0)
                {
                    return false;
                }
            }

            if (migration.Stayed + migration.Moved != Math.Min(before.Length, after.Length)
                || (migration.IsOrdered && migration.Upgrades + migration.Downgrades != migration.Moved))
            {
                return false;
            }
        }

        return true;
    }

    // RFM: scores within 1–5; each measure's five quintiles differ in size by at most one customer; a strictly better
    // value never scores lower.
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 200)]
    public bool RfmScores_InRange_EqualQuintiles_Monotone(CustomerFacts[] customers)
    {
        var scores = new RfmScore[customers.Length];
        Rfm.Score(customers.Select(c => c.DaysSinceLastPurchase).ToArray(), customers.Select(c => c.Purchases).ToArray(), customers.Select(c => c.Spend).ToArray(), scores);

        return Check(s => s.Recency, c => -c.DaysSinceLastPurchase)
            && Check(s => s.Frequency, c => c.Purchases)
            && Check(s => s.Monetary, c => c.Spend);

        bool Check(Func<RfmScore, byte> score, Func<CustomerFacts, decimal> value)
        {
            if (scores.Any(s => score(s) is < 1 or > 5))
            {
                return false;
            }

            var sizes = Enumerable.Range(1, 5).Select(q => scores.Count(s => score(s) == q)).ToArray();
            if (customers.Length > 0 && sizes.Max() - sizes.Min() > 1)
            {
                return false;
            }

            for (var i = 0; i < customers.Length; i++)
            {
                for (var j = 0; j < customers.Length; j++)
                {
                    if (value(customers[i]) > value(customers[j]) && score(scores[i]) < score(scores[j]))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    // Ranks depend on the values, not on the input order, except among ties: reversing the population leaves the score
    // of every customer with a value of its own unchanged (and scoring twice, with pooled buffers, gives the same).
    [Property(Arbitrary = [typeof(Facts)], MaxTest = 100)]
    public bool RfmScores_DoNotDependOnOrder_ExceptAmongTies(CustomerFacts[] customers)
    {
        var forward = Score(customers);
        var backward = Score([.. customers.Reverse()]);
        var again = Score(customers);
        var n = customers.Length;
        return forward.SequenceEqual(again)
            && Unique(c => c.DaysSinceLastPurchase).All(i => forward[i].Recency == backward[n - 1 - i].Recency)
            && Unique(c => c.Purchases).All(i => forward[i].Frequency == backward[n - 1 - i].Frequency)
            && Unique(c => c.Spend).All(i => forward[i].Monetary == backward[n - 1 - i].Monetary);

        int[] Unique<T>(Func<CustomerFacts, T> value) =>
            [.. Enumerable.Range(0, n).Where(i => customers.Count(c => Equals(value(c), value(customers[i]))) == 1)];

        static RfmScore[] Score(CustomerFacts[] population)
        {
            var scores = new RfmScore[population.Length];
            Rfm.Score([.. population.Select(c => c.DaysSinceLastPurchase)], [.. population.Select(c => c.Purchases)], [.. population.Select(c => c.Spend)], scores);
            return scores;
        }
    }

    [Fact]
    public void PublicTypes_AreImmutable_ExceptOptions() =>
        MutabilityAssert.PublicTypesAreImmutable(
            typeof(ValueSegmenter).Assembly,
            typeof(SegmentationOptions),
            typeof(ValueThresholds),
            typeof(PersonaOptions),
            typeof(IndustryProfileOptions));
}
