using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using static RetentionKit.Loyalty.Tests.Referrals.ReferralFixture;

namespace RetentionKit.Loyalty.Tests.Referrals;

public class ReferralProgramTests
{
    [Fact]
    public async Task IssueCode_GivesEachReferrerOneCode_AndFindsItAsTyped()
    {
        var f = new ReferralFixture();

        var ana = await f.Program.IssueCodeAsync(Ana);
        var again = await f.Program.IssueCodeAsync(Ana);
        var bea = await f.Program.IssueCodeAsync(Bea);

        Assert.Equal(ana, again);
        Assert.NotEqual(ana, bea);
        Assert.Equal(Ana, await f.Program.FindReferrerAsync(ana.ToString().ToLowerInvariant().Replace('-', ' ')));
        Assert.Equal(Bea, await f.Program.FindReferrerAsync(bea.Value));
        Assert.Null(await f.Program.FindReferrerAsync(ReferralCode.NewCode().ToString()));
        Assert.Null(await f.Program.FindReferrerAsync("not a code"));
        Assert.Null(await f.Program.FindReferrerAsync(null));
    }

    [Fact]
    public async Task IssueCode_DrawsAgain_WhenTheStoreSaysTheCodeIsTaken()
    {
        var f = new ReferralFixture();
        var store = new TakenOnceStore();
        var program = new ReferralProgram(store, f.Ledger, new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), null, f.Ledgers.Clock, new LoyaltyOptions());

        var code = await program.IssueCodeAsync(Ana);

        Assert.Equal(2, store.Attempts);
        Assert.Equal(code, (await store.FindReferrerAsync(Ana))!.Code);
    }

    [Fact]
    public async Task Attribute_RecordsTheReferral_AndARetryChangesNothing()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);

        var first = await f.Program.AttributeAsync(code.ToString(), Bea, f.Now);
        var retry = await f.Program.AttributeAsync(code.Value.ToLowerInvariant(), Bea, f.Now);

        Assert.Equal((ReferralOutcome.Attributed, true), (first.Outcome, first.Changed));
        Assert.Equal((ReferralOutcome.Attributed, false), (retry.Outcome, retry.Changed));
        var referral = first.Referral!;
        Assert.Equal((Bea, Ana, code, ReferralStatus.Attributed, f.Now, 1L), (referral.Referred, referral.Referrer, referral.Code, referral.Status, referral.AttributedAt, referral.Version));
        Assert.Equal(new ReferralIncentive("standard", 30m, 20m, 3, Money.Usd(100m), true, 100), referral.Incentive);
        Assert.Same(referral, retry.Referral);
        Assert.Same(referral, await f.Program.GetReferralAsync(Bea));
    }

    [Fact]
    public async Task Attribute_FirstValidAttributionWins()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        var cai = await f.Program.IssueCodeAsync(Cai);

        var second = await f.Program.AttributeAsync(cai.ToString(), Bea, f.Now);

        Assert.Equal(ReferralOutcome.AlreadyReferred, second.Outcome);
        Assert.False(second.Changed);
        Assert.Equal(Ana, second.Referral!.Referrer);
        Assert.Contains("first attribution wins", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attribute_RejectsWithAReason_AndWritesNothing()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);

        var self = await f.Program.AttributeAsync(code.ToString(), Ana, f.Now);
        var unknown = await f.Program.AttributeAsync(ReferralCode.NewCode().ToString(), Bea, f.Now);
        var malformed = await f.Program.AttributeAsync("ANA-FRIENDS", Bea, f.Now);
        var missing = await f.Program.AttributeAsync(null, Bea, f.Now);

        Assert.Equal(ReferralOutcome.SelfReferral, self.Outcome);
        Assert.Equal("a customer cannot refer themselves", self.Reason);
        Assert.All(new[] { unknown, malformed, missing }, r => Assert.Equal(ReferralOutcome.CodeNotFound, r.Outcome));
        Assert.All(new[] { self, unknown, malformed, missing }, r => Assert.Null(r.Referral));
        Assert.Null(await f.Program.GetReferralAsync(Ana));
        Assert.Null(await f.Program.GetReferralAsync(Bea));
    }

    [Fact]
    public async Task Attribute_ClosesTheWindow_ThirtyDaysAfterTheCodeWasSeen()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);
        var seen = f.Now;
        f.Advance(Duration.FromDays(30));

        var atTheEdge = await f.Program.AttributeAsync(code.ToString(), Bea, seen);
        var late = await f.Program.AttributeAsync(code.ToString(), Cai, seen - Duration.Epsilon);

        Assert.Equal(ReferralOutcome.Attributed, atTheEdge.Outcome);
        Assert.Equal(ReferralOutcome.OutsideWindow, late.Outcome);
        Assert.Null(await f.Program.GetReferralAsync(Cai));
    }

    [Fact]
    public async Task Attribute_BlockedByAFraudCheck_IsNotRecorded_SoALaterValidOneWins()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => r == Ana ? new ReferralSignals(r, d, "h", "h") : new ReferralSignals(r, d);
        var ana = await f.Program.IssueCodeAsync(Ana);
        var cai = await f.Program.IssueCodeAsync(Cai);

        var blocked = await f.Program.AttributeAsync(ana.ToString(), Bea, f.Now);
        var valid = await f.Program.AttributeAsync(cai.ToString(), Bea, f.Now);

        Assert.Equal(ReferralOutcome.Blocked, blocked.Outcome);
        Assert.Equal("same-email: both sides have the same e-mail address", blocked.Reason);
        Assert.Equal(ReferralOutcome.Attributed, valid.Outcome);
        Assert.Equal(Cai, (await f.Program.GetReferralAsync(Bea))!.Referrer);
    }

    [Fact]
    public async Task Qualify_ReleasesTheL5RewardsForBothSides_AndThePointsOnce()
    {
        var f = new ReferralFixture(o => o.Referrals.PointValue = 0.01m);
        await f.ReferAsync(Ana, Bea);
        f.Advance(Duration.FromDays(10));

        var result = await f.Program.QualifyAsync(Bea, Payment);
        var retry = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal((ReferralOutcome.Qualified, true), (result.Outcome, result.Changed));
        Assert.Equal((ReferralOutcome.Qualified, false), (retry.Outcome, retry.Changed));
        var referral = result.Referral!;
        Assert.Equal((ReferralStatus.Qualified, f.Now, Payment, false, 2L), (referral.Status, referral.QualifiedAt, referral.Payment, referral.ReferrerLimitReached, referral.Version));
        Assert.Equal(
            new[]
            {
                new ReferralReward("referral:bea:ReferredDiscount", ReferralRewardKind.ReferredDiscount, Bea, 20m, 3, null, null, Money.Usd(30m)),
                new ReferralReward("referral:bea:ReferrerDiscount", ReferralRewardKind.ReferrerDiscount, Ana, 30m, 3, null, null, Money.Usd(72m)),
                new ReferralReward("referral:bea:ReferrerCredit", ReferralRewardKind.ReferrerCredit, Ana, null, null, Money.Usd(100m), null, Money.Usd(100m)),
                new ReferralReward("referral:bea:PremiumFeatureAccess", ReferralRewardKind.PremiumFeatureAccess, Ana, null, null, null, null, Money.Usd(0m)),
                new ReferralReward("referral:bea:Points", ReferralRewardKind.Points, Ana, null, null, null, 100, Money.Usd(1m)),
            },
            referral.Rewards.ToArray());
        var history = await f.Ledger.GetHistoryAsync(Ana);
        var earn = Assert.Single(history);
        Assert.Equal((PostingKind.Earn, 100L, "~referral:bea:Points", "Referral of bea"), (earn.Kind, earn.Points, earn.IdempotencyKey, earn.Reason));
        Assert.Equal(0, await f.BalanceAsync(Bea));
    }

    [Fact]
    public async Task Qualify_WithoutTheReferrersAmount_PricesTheirDiscountAtZero_AndWithoutAReferralRule_PostsNoPoints()
    {
        var f = new ReferralFixture(o => o.EarningRules.Remove("referral"));
        await f.ReferAsync(Ana, Bea);

        var referral = (await f.Program.QualifyAsync(Bea, new ReferralPayment("inv-1", Money.Usd(40m)))).Referral!;

        Assert.Equal(Money.Usd(0m), referral.Rewards.Single(r => r.Kind == ReferralRewardKind.ReferrerDiscount).Cost);
        Assert.Equal(Money.Usd(24m), referral.Rewards.Single(r => r.Kind == ReferralRewardKind.ReferredDiscount).Cost);
        Assert.DoesNotContain(referral.Rewards, r => r.Kind == ReferralRewardKind.Points);
        Assert.Empty(await f.Ledger.GetHistoryAsync(Ana));
    }

    [Fact]
    public async Task Qualify_AnIncentiveWithoutDiscountsOrCredit_ReleasesOnlyWhatItPromises()
    {
        var f = new ReferralFixture(o =>
        {
            o.Referrals.Incentives.Clear();
            o.Referrals.Incentives.Add(new ReferralIncentiveOptions { Name = "points-only", DiscountMonths = 0, ReferrerCredit = 0m, PremiumFeatureAccess = false });
        });
        await f.ReferAsync(Ana, Bea);

        var referral = (await f.Program.QualifyAsync(Bea, Payment)).Referral!;

        Assert.Equal(new[] { ReferralRewardKind.Points }, referral.Rewards.Select(r => r.Kind).ToArray());
    }

    [Fact]
    public async Task Qualify_ClosesTheWindow_NinetyDaysAfterAttribution()
    {
        var onTime = new ReferralFixture();
        await onTime.ReferAsync(Ana, Bea);
        onTime.Advance(Duration.FromDays(90));
        var late = new ReferralFixture();
        await late.ReferAsync(Ana, Bea);
        late.Advance(Duration.FromDays(90) + Duration.Epsilon);

        var qualified = await onTime.Program.QualifyAsync(Bea, Payment);
        var expired = await late.Program.QualifyAsync(Bea, Payment);
        var again = await late.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralOutcome.Qualified, qualified.Outcome);
        Assert.Equal((ReferralOutcome.OutsideWindow, ReferralStatus.Expired, true), (expired.Outcome, expired.Referral!.Status, expired.Changed));
        Assert.Equal((ReferralOutcome.NotApplicable, "the referral is expired"), (again.Outcome, again.Reason));
        Assert.Equal(0, await late.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Qualify_AnUnknownCustomer_IsNotFound()
    {
        var f = new ReferralFixture();

        var result = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal((ReferralOutcome.NotFound, null, false), (result.Outcome, result.Referral, result.Changed));
    }

    [Fact]
    public async Task Qualify_BlockedByAFraudCheckAtPayment_RejectsTheReferral_WithoutRewards()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerPayment: "card-9", ReferredPayment: "card-9");

        var result = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralOutcome.Blocked, result.Outcome);
        Assert.Equal((ReferralStatus.Rejected, "same-payment"), (result.Referral!.Status, Assert.Single(result.Referral.Findings).Check));
        Assert.True(result.Referral.Rewards.IsDefault);
        Assert.Equal(0, await f.BalanceAsync(Ana));
        Assert.Equal(ReferralOutcome.NotApplicable, (await f.Program.QualifyAsync(Bea, Payment)).Outcome);
    }

    [Fact]
    public async Task Flagged_IsHeldForReview_ThenApprovedAndQualified_WithThePaymentRecorded()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        var flagged = await f.ReferAsync(Ana, Bea);

        var held = await f.Program.QualifyAsync(Bea, Payment);
        var heldAgain = await f.Program.QualifyAsync(Bea, Payment);
        var approved = await f.Program.ReviewAsync(Bea, approve: true, "household: same laptop");
        var notAgain = await f.Program.ReviewAsync(Bea, approve: true, "again");

        Assert.Equal(ReferralStatus.Flagged, flagged.Status);
        Assert.Equal((ReferralOutcome.HeldForReview, true, Payment), (held.Outcome, held.Changed, held.Referral!.Payment));
        Assert.Equal((ReferralOutcome.HeldForReview, false), (heldAgain.Outcome, heldAgain.Changed));
        Assert.Equal(ReferralOutcome.Qualified, approved.Outcome);
        Assert.True(approved.Referral!.Reviewed);
        Assert.Equal("household: same laptop", approved.Referral.Note);
        Assert.Equal(ReferralOutcome.NotApplicable, notAgain.Outcome);
        Assert.Equal(100, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Flagged_ApprovedBeforePayment_QualifiesLater_AndTheSameFlagNoLongerHoldsIt()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        await f.ReferAsync(Ana, Bea);

        var approved = await f.Program.ReviewAsync(Bea, approve: true, "checked");
        var qualified = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal((ReferralOutcome.Approved, ReferralStatus.Attributed), (approved.Outcome, approved.Referral!.Status));
        Assert.Equal(ReferralOutcome.Qualified, qualified.Outcome);
        Assert.Equal("same-device", Assert.Single(qualified.Referral!.Findings).Check);
    }

    [Fact]
    public async Task Flagged_Rejected_IsClosedWithoutRewards()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        await f.ReferAsync(Ana, Bea);
        await f.Program.QualifyAsync(Bea, Payment);

        var rejected = await f.Program.ReviewAsync(Bea, approve: false, "same person");

        Assert.Equal((ReferralOutcome.Rejected, ReferralStatus.Rejected, f.Now), (rejected.Outcome, rejected.Referral!.Status, rejected.Referral.ClosedAt));
        Assert.Equal(ReferralOutcome.NotApplicable, (await f.Program.QualifyAsync(Bea, Payment)).Outcome);
        Assert.Equal(ReferralOutcome.NotFound, (await f.Program.ReviewAsync(Cai, true, "x")).Outcome);
        Assert.Equal(0, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task FlagRaisedOnlyAtPayment_HoldsTheQualifiedRewards()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");

        var held = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal((ReferralOutcome.HeldForReview, ReferralStatus.Flagged), (held.Outcome, held.Referral!.Status));
        Assert.Equal(0, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Refund_WithinTheWindow_ReversesThePoints_AndListsTheRewardsToRevoke()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        var qualified = (await f.Program.QualifyAsync(Bea, Payment)).Referral!;
        f.Advance(Duration.FromDays(30));

        var refund = await f.Program.RefundAsync(Bea, "refund-7");
        var retry = await f.Program.RefundAsync(Bea, "refund-7");

        Assert.Equal((ReferralOutcome.Reversed, true), (refund.Outcome, refund.Changed));
        Assert.Equal((ReferralOutcome.Reversed, false), (retry.Outcome, retry.Changed));
        Assert.Equal((ReferralStatus.Reversed, f.Now, "refunded: refund-7"), (refund.Referral!.Status, refund.Referral.ClosedAt, refund.Referral.Note));
        Assert.Equal(qualified.Rewards.ToArray(), refund.Referral.Rewards.ToArray());
        Assert.Equal(0, await f.BalanceAsync(Ana));
        var history = await f.Ledger.GetHistoryAsync(Ana);
        Assert.Equal(2, history.Count);
        Assert.Equal((PostingKind.Reverse, -100L, history[0].Sequence), (history[1].Kind, history[1].Points, history[1].Reverses));
    }

    [Fact]
    public async Task Refund_AfterTheWindow_LeavesTheRewards()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        await f.Program.QualifyAsync(Bea, Payment);
        f.Advance(Duration.FromDays(30) + Duration.Epsilon);

        var refund = await f.Program.RefundAsync(Bea, "refund-7");

        Assert.Equal((ReferralOutcome.OutsideWindow, ReferralStatus.Qualified), (refund.Outcome, refund.Referral!.Status));
        Assert.Equal(100, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Refund_BeforeQualification_OrOfNobody_ReversesNothing()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);

        Assert.Equal(ReferralOutcome.NotApplicable, (await f.Program.RefundAsync(Bea, "r")).Outcome);
        Assert.Equal(ReferralOutcome.NotFound, (await f.Program.RefundAsync(Cai, "r")).Outcome);
        Assert.Equal(ReferralStatus.Attributed, (await f.Program.GetReferralAsync(Bea))!.Status);
    }

    [Fact]
    public async Task Refund_AfterTheReferrerSpentThePoints_ClawsBackByTheLedgersPolicy()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        await f.Program.QualifyAsync(Bea, Payment);
        await f.Ledger.RedeemAsync(Ana, 60, "order-1", "priority support");

        await f.Program.RefundAsync(Bea, "refund-7");

        var reversal = (await f.Ledger.GetHistoryAsync(Ana))[^1];
        Assert.Equal((-40L, 60L), (reversal.Points, reversal.Shortfall));
        Assert.Equal(0, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Crash_AfterTheRecordBeforeThePoints_IsCompletedByARetry_WithPointsPostedOnce()
    {
        var ledgerStore = new FailingLedgerStore();
        var f = new ReferralFixture(ledgerStore: ledgerStore);
        await f.ReferAsync(Ana, Bea);
        ledgerStore.FailNext = true;

        await Assert.ThrowsAsync<TimeoutException>(async () => await f.Program.QualifyAsync(Bea, Payment));
        Assert.Equal(ReferralStatus.Qualified, (await f.Program.GetReferralAsync(Bea))!.Status);
        Assert.Equal(0, await f.BalanceAsync(Ana));

        var retry = await f.Program.QualifyAsync(Bea, Payment);
        await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralOutcome.Qualified, retry.Outcome);
        Assert.Equal(100, await f.BalanceAsync(Ana));
        Assert.Single(await f.Ledger.GetHistoryAsync(Ana));
    }

    [Fact]
    public async Task Crash_BeforeThePoints_ThenRefund_NetsToZero_AndALateRetryPostsNothing()
    {
        var ledgerStore = new FailingLedgerStore();
        var f = new ReferralFixture(ledgerStore: ledgerStore);
        await f.ReferAsync(Ana, Bea);
        ledgerStore.FailNext = true;
        await Assert.ThrowsAsync<TimeoutException>(async () => await f.Program.QualifyAsync(Bea, Payment));

        var refund = await f.Program.RefundAsync(Bea, "refund-7");
        var late = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralOutcome.Reversed, refund.Outcome);
        Assert.Equal(ReferralOutcome.NotApplicable, late.Outcome);
        Assert.Equal(0, await f.BalanceAsync(Ana));
        Assert.Equal(new[] { PostingKind.Earn, PostingKind.Reverse }, (await f.Ledger.GetHistoryAsync(Ana)).Select(e => e.Kind).ToArray());
    }

    [Fact]
    public async Task Limit_WithholdsTheReferrersRewards_PastTheLimitOfThePeriod_ButNotTheReferredSide()
    {
        var f = new ReferralFixture(o =>
        {
            o.Referrals.RewardLimitPerReferrer = 2;
            o.Referrals.RewardLimitPeriodDays = 30;
        });
        var referred = Enumerable.Range(1, 4).Select(i => new CustomerId($"friend-{i}")).ToArray();
        foreach (var c in referred.Take(3))
        {
            await f.ReferAsync(Ana, c);
            await f.Program.QualifyAsync(c, Payment);
            f.Advance(Duration.FromDays(1));
        }

        var third = (await f.Program.GetReferralAsync(referred[2]))!;
        f.Advance(Duration.FromDays(28)); // the first claim (day 0) is now 30 days old: out of the period
        await f.ReferAsync(Ana, referred[3]);
        var fourth = (await f.Program.QualifyAsync(referred[3], Payment)).Referral!;

        Assert.True(third.ReferrerLimitReached);
        Assert.Equal(new[] { ReferralRewardKind.ReferredDiscount }, third.Rewards.Select(r => r.Kind).ToArray());
        Assert.False(fourth.ReferrerLimitReached);
        Assert.Equal(300, await f.BalanceAsync(Ana));
        var account = await f.Store.FindReferrerAsync(Ana);
        Assert.Equal(new[] { referred[0], referred[1], referred[3] }, account!.Claims.Select(c => c.Referred).ToArray());
    }

    [Fact]
    public async Task Concurrency_ManyQualificationsOfOneReferrer_RewardExactlyTheLimit_AndEachReferralOnce()
    {
        var f = new ReferralFixture(o => o.Referrals.RewardLimitPerReferrer = 5);
        var referred = Enumerable.Range(1, 12).Select(i => new CustomerId($"friend-{i}")).ToArray();
        foreach (var c in referred)
        {
            await f.ReferAsync(Ana, c);
        }

        using var start = new ManualResetEventSlim();
        var tasks = referred.SelectMany(c => Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await f.Program.QualifyAsync(c, Payment);
        }))).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(ReferralOutcome.Qualified, r.Outcome));
        Assert.Equal(12, results.Count(r => r.Changed));
        var referrals = await Task.WhenAll(referred.Select(async c => (await f.Program.GetReferralAsync(c))!));
        Assert.Equal(5, referrals.Count(r => !r.ReferrerLimitReached));
        Assert.Equal(500, await f.BalanceAsync(Ana));
        Assert.Equal(5, (await f.Ledger.GetHistoryAsync(Ana)).Count);
    }

    [Fact]
    public async Task Incentives_TwoOrMore_AssignEachReferrerAStableVariant_RecordedWithTheReferral()
    {
        var f = new ReferralFixture(o => o.Referrals.Incentives.AddRange([new ReferralIncentiveOptions(), new ReferralIncentiveOptions { Name = "credit-150", ReferrerCredit = 150m }]));
        var experiment = new IncentiveExperiment(ReferralProgram.ExperimentName, [new IncentiveVariant("standard", 1d), new IncentiveVariant("credit-150", 1d)]);
        var referrers = Enumerable.Range(1, 40).Select(i => new CustomerId($"referrer-{i}")).ToArray();

        foreach (var (referrer, i) in referrers.Select((r, i) => (r, i)))
        {
            var referral = await f.ReferAsync(referrer, new CustomerId($"new-{i}"));
            Assert.Equal(experiment.Assign(referrer).Name, referral.Incentive.Name);
            Assert.Equal(referral.Incentive, f.Program.IncentiveFor(referrer));
        }

        var names = referrers.Select(r => f.Program.IncentiveFor(r).Name).ToHashSet();
        Assert.Equal(2, names.Count);
        Assert.Equal(Money.Usd(150m), f.Program.Incentives.Single(i => i.Name == "credit-150").ReferrerCredit);
    }

    [Fact]
    public async Task Analytics_CountTheFunnel_AndTheCostOfTheRewardsThatStand()
    {
        var f = new ReferralFixture(o => o.Referrals.Incentives.AddRange([new ReferralIncentiveOptions(), new ReferralIncentiveOptions { Name = "credit-150", ReferrerCredit = 150m }]));
        var empty = await f.Program.GetAnalyticsAsync();
        await f.Program.IssueCodeAsync(new CustomerId("idle"));
        var pairs = Enumerable.Range(1, 6).Select(i => (Referrer: new CustomerId($"r{i}"), Referred: new CustomerId($"n{i}"))).ToArray();
        foreach (var (referrer, referredCustomer) in pairs)
        {
            await f.ReferAsync(referrer, referredCustomer);
        }

        await f.Program.QualifyAsync(pairs[0].Referred, Payment);
        await f.Program.QualifyAsync(pairs[1].Referred, Payment);
        await f.Program.QualifyAsync(pairs[2].Referred, Payment);
        await f.Program.RefundAsync(pairs[2].Referred, "refund");
        f.Signals.ByReferred[pairs[3].Referred] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "d", ReferredDevice: "d");
        await f.Program.QualifyAsync(pairs[3].Referred, Payment);

        var analytics = await f.Program.GetAnalyticsAsync();

        Assert.Equal((0L, 0L, (double?)null), (empty.CodesIssued, empty.Attributed, empty.Conversion));
        Assert.Equal((7L, 6L, 1L, 3L, 1L), (analytics.CodesIssued, analytics.Attributed, analytics.Flagged, analytics.Qualified, analytics.Reversed));
        Assert.Equal(0.5, analytics.Conversion);
        var cost = (await Task.WhenAll(pairs.Take(2).Select(async p => (await f.Program.GetReferralAsync(p.Referred))!.Rewards.Sum(r => r.Cost.Amount)))).Sum();
        Assert.Equal(Money.Usd(cost), analytics.RewardCost);
        Assert.Equal((await f.Program.GetReferralAsync(pairs[2].Referred))!.Rewards.Sum(r => r.Cost.Amount), analytics.ReversedCost.Amount);
        Assert.Equal(new[] { "standard", "credit-150" }, analytics.ByIncentive.Select(i => i.Incentive).ToArray());
        Assert.Equal(7L, analytics.ByIncentive.Sum(i => i.CodesIssued));
        Assert.Equal(6L, analytics.ByIncentive.Sum(i => i.Attributed));
        Assert.Equal(3L, analytics.ByIncentive.Sum(i => i.Qualified));
        Assert.Equal(analytics.RewardCost.Amount, analytics.ByIncentive.Sum(i => i.RewardCost.Amount));
    }

    [Fact]
    public async Task Guards_NameTheArgumentAndTheRule()
    {
        var f = new ReferralFixture();
        var p = f.Program;

        Assert.Equal("referrer", Assert.Throws<ArgumentException>(() => p.IncentiveFor(default)).ParamName);
        Assert.Equal("referrer", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.IssueCodeAsync(default))).ParamName);
        Assert.Equal("referred", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.AttributeAsync("x", default, f.Now))).ParamName);
        Assert.Equal("codeSeenAt", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await p.AttributeAsync("x", Bea, f.Now + Duration.Epsilon))).ParamName);
        Assert.Equal("payment", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await p.QualifyAsync(Bea, null!))).ParamName);
        Assert.Equal("payment", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.QualifyAsync(Bea, new ReferralPayment(" ", Money.Usd(1m))))).ParamName);
        Assert.Equal("payment", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.QualifyAsync(Bea, new ReferralPayment("i", Money.Usd(-1m))))).ParamName);
        Assert.Equal("payment", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.QualifyAsync(Bea, new ReferralPayment("i", Money.Usd(1m), Money.Usd(-1m))))).ParamName);
        Assert.Equal("refundReference", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.RefundAsync(Bea, ""))).ParamName);
        Assert.Equal("note", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.ReviewAsync(Bea, true, " "))).ParamName);
        Assert.Equal("referred", Assert.Throws<ArgumentException>(() => p.GetReferralAsync(default)).ParamName);
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => new ReferralProgram(null!, f.Ledger, new ReferralFraudPipeline([]), null, f.Ledgers.Clock, new LoyaltyOptions())).ParamName);
    }

    [Fact]
    public void Options_BreakingTheirRules_AreListed()
    {
        var f = new ReferralFixture();
        var options = new LoyaltyOptions();
        options.Referrals.AttributionWindowDays = 0;
        options.Referrals.RefundWindowDays = -1;
        options.Referrals.RewardLimitPerReferrer = 0;
        options.Referrals.PointValue = -0.5m;
        options.Referrals.Incentives.Add(new ReferralIncentiveOptions()); // a list of your own replaces the built-in "standard": list it to keep it
        options.Referrals.Incentives.Add(new ReferralIncentiveOptions { Name = "big", ReferredDiscountPercent = 120m, DiscountMonths = -1 });
        options.Referrals.Incentives.Add(new ReferralIncentiveOptions { Name = "standard", Weight = 0d });

        var error = Assert.Throws<ArgumentException>(() => new ReferralProgram(f.Store, f.Ledger, new ReferralFraudPipeline([]), null, f.Ledgers.Clock, options));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith(
            "RetentionKit:Loyalty:Referrals:AttributionWindowDays is 0; it must be at least 1 day. RetentionKit:Loyalty:Referrals:RefundWindowDays is -1; it must be at least 1 day. "
            + "RetentionKit:Loyalty:Referrals:RewardLimitPerReferrer is 0; it must be at least 1. RetentionKit:Loyalty:Referrals:PointValue is -0.5; it must not be negative. "
            + "RetentionKit:Loyalty:Referrals:Incentives:1: discounts are percentages from 0 to 100. RetentionKit:Loyalty:Referrals:Incentives:1: DiscountMonths and ReferrerCredit must not be negative. "
            + "RetentionKit:Loyalty:Referrals:Incentives:2: an incentive has a non-blank Name and a finite Weight above 0. RetentionKit:Loyalty:Referrals:Incentives: names must be unique.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalSource_ReturningAnotherPairsSignals_IsABug_ReportedAsSuch()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, Cai);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Program.AttributeAsync(code.ToString(), Bea, f.Now));

        Assert.Contains("must return the signals of 'ana' referring 'bea'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Says the first code drawn is taken.</summary>
    private sealed class TakenOnceStore : IReferralStore
    {
        private readonly InMemoryReferralStore _inner = new();

        public int Attempts { get; private set; }

        public ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default) =>
            ++Attempts == 1 ? ValueTask.FromResult(AddReferrerStatus.CodeTaken) : _inner.TryAddReferrerAsync(account, cancellationToken);

        public ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default) => _inner.FindReferrerAsync(referrer, cancellationToken);

        public ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default) => _inner.FindReferrerByCodeAsync(code, cancellationToken);

        public ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default) => _inner.TryUpdateReferrerAsync(account, expectedVersion, cancellationToken);

        public ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default) => _inner.TryAddReferralAsync(referral, cancellationToken);

        public ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default) => _inner.FindReferralAsync(referred, cancellationToken);

        public ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default) => _inner.TryUpdateReferralAsync(referral, expectedVersion, cancellationToken);

        public System.Collections.Generic.IAsyncEnumerable<ReferrerAccount> ReferrersAsync(CancellationToken cancellationToken = default) => _inner.ReferrersAsync(cancellationToken);

        public System.Collections.Generic.IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default) => _inner.ReferralsAsync(cancellationToken);
    }

    /// <summary>A ledger store whose next append times out after nothing was written, as a crash would leave it.</summary>
    private sealed class FailingLedgerStore : ILoyaltyLedgerStore
    {
        private readonly InMemoryLoyaltyLedgerStore _inner = new();

        public bool FailNext { get; set; }

        public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) => _inner.FindKeyAsync(member, key, cancellationToken);

        public ValueTask<System.Collections.Generic.IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default) => _inner.ReadAsync(member, afterSequence, cancellationToken);

        public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new TimeoutException("the store went away");
            }

            return _inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);
        }

        public System.Collections.Generic.IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => _inner.MembersAsync(cancellationToken);
    }
}
