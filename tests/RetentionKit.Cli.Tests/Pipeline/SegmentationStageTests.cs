using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using RetentionKit.Simulation;
using RetentionKit.TestUtilities;

namespace RetentionKit.Cli.Tests.Pipeline;

// The segmentation stage on a simulated base: who is segmented, with which lifetime value, and how they moved.
public sealed class SegmentationStageTests
{
    private static readonly Rate Churn = Rate.FromFraction(0.03);
    private static readonly Rate Margin = Rate.FromFraction(0.8);

    private static readonly Lazy<(DataSet Data, LocalDate End, SegmentationSummary Summary)> Simulated = new(() =>
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(1500, 18, 23, SimulationSettings.Default.Start));
        var data = DataSet.From(simulated);
        var end = simulated.Settings.End;
        return (data, end, Stage().Run(PipelineContext.For(data, end), Churn, Margin));
    });

    private static SegmentationStage Stage()
    {
        var options = new SegmentationOptions();
        return new SegmentationStage(
            new SegmentationCatalog([new ValueSegmentation(options), new PersonaSegmentation(options), new IndustrySegmentation(options), new RfmSegmentation()]),
            new ScoringEngine(new ScoringOptions()));
    }

    [Fact]
    public void ValueSegments_AreEveryPayingCustomerByMrrTimesMarginOverChurn()
    {
        var (data, end, summary) = Simulated.Value;
        var byCustomer = data.Events.GroupBy(e => e.Customer).ToDictionary(g => g.Key, g => ReferenceSubscriptionModel.StateAt(g, end));
        var paying = byCustomer.Where(p => p.Value.Active && p.Value.Mrr > 0m).ToList();
        var segmenter = new ValueSegmenter(new SegmentationOptions());
        var expected = paying.GroupBy(p => segmenter.Classify(RetentionKit.Metrics.CustomerLifetimeValue.Simple(Money.Usd(p.Value.Mrr), Margin, Churn))).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(paying.Count, summary.Customers);
        var distribution = summary.Distribution!;
        Assert.All(distribution.Segments, s => Assert.Equal(expected.GetValueOrDefault(s.Segment), s.Customers));
        Assert.Equal(decimal.Round(paying.Sum(p => p.Value.Mrr), 10), decimal.Round(distribution.Revenue.Amount, 10)); // summed in another order
    }

    [Fact]
    public void Migration_StartsWithThoseWhoPaidSixMonthsEarlier_AndEveryRowAddsUp()
    {
        var (data, end, summary) = Simulated.Value;
        var from = end.PlusMonths(-SegmentationStage.MigrationMonths);
        var payingThen = data.Events.GroupBy(e => e.Customer).Count(g => ReferenceSubscriptionModel.StateAt(g, from) is { Active: true, Mrr: > 0m });
        var migration = summary.Migration!;

        Assert.Equal((from, end), (migration.From, migration.To));
        Assert.Equal(payingThen, migration.StartingCounts.Sum());
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal(migration.StartingCounts[f], Enumerable.Range(0, 3).Sum(t => migration.Count(f, t)) + migration.Left[f]);
        }

        Assert.Equal(summary.Customers, migration.Stayed + migration.Moved + migration.Entered.Sum());
        Assert.Equal(3, summary.ObjectiveReached.Length);
        Assert.True(migration.Left.Sum() > 0, "some customers left in six months");
    }

    [Fact]
    public void Mixes_CoverEveryCustomer_AndIndustriesComeFromTheCustomerFile()
    {
        var (data, _, summary) = Simulated.Value;

        Assert.Equal(new[] { "persona", "industry", "rfm" }, summary.Mixes.Select(m => m.Segmentation));
        Assert.All(summary.Mixes, m => Assert.Equal(summary.Customers, m.Segments.Sum(s => s.Customers)));
        var persona = summary.Mixes[0];
        Assert.Equal(0, persona.Segments.Single(s => s.Segment == "unknown").Customers); // every paying customer has activity
        Assert.True(persona.Segments.Count(s => s.Customers > 0) >= 2, "more than one persona");
        var industry = summary.Mixes[1];
        var known = new[] { "technology", "marketing", "sales" };
        Assert.True(industry.Segments.Where(s => known.Contains(s.Segment)).All(s => s.Customers > 0));
        Assert.True(data.Customers.Any(c => !known.Contains(c.Industry)) == (industry.Segments.Single(s => s.Segment == IndustrySegmentation.Other).Customers > 0));
        var rfm = summary.Mixes[2];
        Assert.True(rfm.Segments.Count(s => s.Customers > 0) >= 5, "RFM spreads customers over its segments");
    }

    [Fact]
    public void NoChurnRate_SaysSoAndSegmentsNothing()
    {
        var (data, end, _) = Simulated.Value;

        var summary = Stage().Run(PipelineContext.For(data, end), null, Margin);

        Assert.Equal(0, summary.Customers);
        Assert.Null(summary.Distribution);
        Assert.Contains("no monthly churn rate", summary.Note, StringComparison.Ordinal);
    }
}
