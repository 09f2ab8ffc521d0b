using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Metrics.Kpis;

namespace RetentionKit.Metrics.Tests.Kpis;

/// <summary>Issue 24: the success dashboard's rhythm (primary KPI daily, secondary weekly, ROI monthly, benchmarking quarterly), the action when low, and "you are in the top 20 %".</summary>
public sealed class SuccessDashboardTests
{
    private static readonly LocalDate Today = new(2026, 3, 31);

    [Fact]
    public void The_documents_rhythm_and_actions_are_the_default()
    {
        Assert.Equal(
            [
                (SuccessReview.PrimaryKpi, Period.FromDays(1), LowMetricAction.ImmediateIntervention),
                (SuccessReview.SecondaryKpis, Period.FromWeeks(1), LowMetricAction.Optimisation),
                (SuccessReview.Roi, Period.FromMonths(1), LowMetricAction.StrategicReview),
                (SuccessReview.Benchmarking, Period.FromMonths(3), LowMetricAction.PeerComparison),
            ],
            SuccessDashboard.DocumentRhythm.Select(c => (c.Review, c.Every, c.WhenLow)).ToArray());
    }

    [Fact]
    public void A_review_is_due_when_never_held_or_when_its_rhythm_has_run()
    {
        var last = new Dictionary<SuccessReview, LocalDate>
        {
            [SuccessReview.PrimaryKpi] = Today.PlusDays(-1),
            [SuccessReview.SecondaryKpis] = Today.PlusDays(-6),
            [SuccessReview.Roi] = new LocalDate(2026, 2, 28), // a month before 31 March is 28 February
        };

        var due = SuccessDashboard.Due(SuccessDashboard.DocumentRhythm, last, Today).Select(c => c.Review).ToArray();

        Assert.Equal([SuccessReview.PrimaryKpi, SuccessReview.Roi, SuccessReview.Benchmarking], due);
        Assert.Equal([SuccessReview.Benchmarking], SuccessDashboard.Due(SuccessDashboard.DocumentRhythm, new Dictionary<SuccessReview, LocalDate>
        {
            [SuccessReview.PrimaryKpi] = Today, [SuccessReview.SecondaryKpis] = Today, [SuccessReview.Roi] = Today, [SuccessReview.Benchmarking] = Today.PlusMonths(-3),
        }, Today).Select(c => c.Review).ToArray());
        Assert.Equal("lastReviewed", Assert.Throws<ArgumentException>(() => SuccessDashboard.Due(SuccessDashboard.DocumentRhythm, new Dictionary<SuccessReview, LocalDate> { [SuccessReview.Roi] = Today.PlusDays(1) }, Today)).ParamName);
        Assert.Equal("cadences", Assert.Throws<ArgumentException>(() => SuccessDashboard.Due([new SuccessCadence(SuccessReview.Roi, Period.Zero, LowMetricAction.StrategicReview)], new Dictionary<SuccessReview, LocalDate>(), Today)).ParamName);
    }

    [Theory]
    [InlineData(1.4, 1.5, true, true)]   // a marketing team at +40 % leads against the +50 % target: intervene
    [InlineData(1.5, 1.5, true, false)]
    [InlineData(0.65, 0.6, false, true)] // HR time down only 35 % (0.65 of before) against −40 % (0.6)
    [InlineData(0.6, 0.6, false, false)]
    public void A_metric_below_its_target_calls_for_its_action(double actual, double target, bool higherIsBetter, bool low)
    {
        var check = SuccessDashboard.Check(SuccessDashboard.DocumentRhythm[0], actual, target, higherIsBetter);

        Assert.Equal(low, check.IsLow);
        Assert.Equal(low ? LowMetricAction.ImmediateIntervention : null, check.Action);
        Assert.Throws<ArgumentOutOfRangeException>(() => SuccessDashboard.Check(SuccessDashboard.DocumentRhythm[0], double.NaN, target));
    }

    [Fact]
    public void Benchmarking_says_which_top_share_the_customer_is_in()
    {
        // Better than 8 of 10 peers: percentile 0.8, "top 20 %"; a tie counts half.
        var peers = new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 20, 30 };

        var benchmark = SuccessDashboard.Benchmark(10, peers);

        Assert.Equal((0.8, 0.2, 10), (benchmark.Percentile, benchmark.TopShare, benchmark.Peers), new TupleComparer());
        Assert.Equal("top 20 %", benchmark.Phrase);
        Assert.Equal(0.75, SuccessDashboard.Benchmark(8, peers).Percentile, 12); // 7 below, 1 equal
        Assert.Equal("top 5 %", SuccessDashboard.Benchmark(99, peers).Phrase);
        Assert.Equal("top 25 %", SuccessDashboard.Benchmark(8, peers).Phrase);
        Assert.Equal(0.9, SuccessDashboard.Benchmark(1.5, peers, higherIsBetter: false).Percentile, 12); // lower is better: 9 of the 10 peers are higher
        Assert.Equal("peers", Assert.Throws<ArgumentException>(() => SuccessDashboard.Benchmark(1, [])).ParamName);
    }

    [Property(MaxTest = 200)]
    public Property The_percentile_stays_in_0_to_1_and_never_falls_as_the_value_rises() =>
        Prop.ForAll(
            Gen.ListOf(Gen.Choose(-50, 50).Select(i => (double)i)).Where(l => l.Count > 0).ToArbitrary(),
            Gen.Choose(-60, 60).ToArbitrary(),
            Gen.Choose(0, 30).ToArbitrary(),
            (peers, value, step) =>
            {
                var low = SuccessDashboard.Benchmark(value, peers);
                var high = SuccessDashboard.Benchmark(value + step, peers);
                return low.Percentile is >= 0 and <= 1 && high.Percentile >= low.Percentile && Math.Abs(low.Percentile + low.TopShare - 1) < 1e-12;
            });

    private sealed class TupleComparer : IEqualityComparer<(double, double, int)>
    {
        public bool Equals((double, double, int) x, (double, double, int) y) => Math.Abs(x.Item1 - y.Item1) < 1e-12 && Math.Abs(x.Item2 - y.Item2) < 1e-12 && x.Item3 == y.Item3;

        public int GetHashCode((double, double, int) obj) => obj.Item3;
    }
}
