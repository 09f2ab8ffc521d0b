using System;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Loyalty;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Pipeline;

// The loyalty stage on a simulated base: points are conserved, tiers cover today's customers, the funnel narrows.
public sealed class LoyaltyStageTests
{
    private static readonly Lazy<(DataSet Data, LocalDate End, LoyaltySummary Summary)> Simulated = new(() =>
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(800, 15, 31, SimulationSettings.Default.Start));
        var data = DataSet.From(simulated);
        var end = simulated.Settings.End;
        return (data, end, new LoyaltyStage(new LoyaltyOptions()).Run(PipelineContext.For(data, end), 0.3));
    });

    // The stage runs customers linked by referrals together, each group of partitions on its own ledger: however finely
    // the base is cut, every figure (points per month, tiers, the referral funnel and its cost) is the one-ledger run's.
    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(250)]
    public void Partitions_OfAnySize_GiveTheOneLedgerRun(int partitionSize)
    {
        var (data, end, whole) = Simulated.Value;

        var split = new LoyaltyStage(new LoyaltyOptions(), partitionSize).Run(PipelineContext.For(data, end), 0.3);

        Assert.True(whole.Referrals.Qualified > 0 && whole.Referrals.Reversed > 0, "the sample should exercise referral credits and claw-backs");
        Assert.Equal(
            (whole.Members, whole.Postings, whole.Redemptions, whole.Outstanding, whole.MonthEnds),
            (split.Members, split.Postings, split.Redemptions, split.Outstanding, split.MonthEnds));
        Assert.Equal(whole.Months.ToArray(), split.Months.ToArray());
        Assert.Equal(whole.Tiers.ToArray(), split.Tiers.ToArray());
        Assert.Equal(whole.Referrals with { ByIncentive = [] }, split.Referrals with { ByIncentive = [] });
        Assert.Equal(whole.Referrals.ByIncentive.ToArray(), split.Referrals.ByIncentive.ToArray());
    }

    [Fact]
    public void Points_AreConserved_MonthByMonth_IntoWhatIsOutstanding()
    {
        var summary = Simulated.Value.Summary;

        var net = summary.Months.Sum(m => m.Earned - m.Redeemed - m.Expired - m.ClawedBack);

        Assert.Equal(summary.Outstanding, net);
        Assert.True(summary.Months.Sum(m => m.Earned) > 0);
        Assert.True(summary.Redemptions > 0);
        Assert.Equal(summary.Months.Select(m => m.Month).Order().ToArray(), summary.Months.Select(m => m.Month).ToArray());
    }

    [Fact]
    public void Earned_IsTheRulesPointsForDaysOfUseFeaturesAndFeedback_PlusReferralPoints()
    {
        var (data, end, summary) = Simulated.Value;
        var options = new LoyaltyOptions();
        long expected = data.Activity.Where(a => a.Month.OnDayOfMonth(1) <= end).Sum(a =>
            (Math.Min(a.Logins, a.Month.ToDateInterval().Length) * options.EarningRules["daily-use"].Points)
            + ((long)Math.Round(a.FeatureShare * LoyaltyStage.Features, MidpointRounding.AwayFromZero) * options.EarningRules["feature-used"].Points));
        expected += data.Feedback.Count(f => f.Date <= end) * options.EarningRules["feedback"].Points;
        expected += (summary.Referrals.Qualified - summary.Referrals.LimitReached) * options.EarningRules["referral"].Points;

        Assert.Equal(expected, summary.Months.Sum(m => m.Earned));
    }

    [Fact]
    public void Tiers_CoverEveryCustomerPayingAtTheEnd()
    {
        var (data, end, summary) = Simulated.Value;
        var active = data.Events.Where(e => e.EffectiveDate <= end).GroupBy(e => e.Customer).Count(g => g.OrderBy(e => e.EffectiveDate).Last() is not Cancellation);

        Assert.Equal(active, summary.ActiveCustomers);
        Assert.Equal(active, summary.Tiers.Sum(t => t.Customers));
        Assert.Equal(new[] { "Bronze", "Silver", "Gold", "Platinum" }, summary.Tiers.Select(t => t.Tier).ToArray());
    }

    [Fact]
    public void ReferralFunnel_Narrows_AndEveryCodeHolderGaveTopFeedback()
    {
        var (data, end, summary) = Simulated.Value;
        var f = summary.Referrals;
        var promoters = data.Feedback.Where(x => x.Date <= end && x.Nps >= 9).Select(x => x.Customer).Distinct().Count();

        Assert.Equal(promoters, f.CodesIssued);
        Assert.InRange(f.Attributed, 1, data.Customers.Count);
        Assert.InRange(f.Qualified, f.Reversed, f.Attributed);
        Assert.True(f.RewardCost.Amount > 0m);
        Assert.Equal(Currency.Usd, f.RewardCost.Currency);
        Assert.Equal(0.3, summary.AssumedReferredShare);
    }

    [Fact]
    public void NoAssumedReferrals_GiveAnEmptyFunnel_AndTheSamePointsBarReferrals()
    {
        var (data, end, summary) = Simulated.Value;

        var none = new LoyaltyStage(new LoyaltyOptions()).Run(PipelineContext.For(data, end), 0d);

        Assert.Equal((0L, 0L), (none.Referrals.Attributed, none.Referrals.Qualified));
        Assert.Equal(
            summary.Months.Sum(m => m.Earned) - ((summary.Referrals.Qualified - summary.Referrals.LimitReached) * 100),
            none.Months.Sum(m => m.Earned));
    }
}
