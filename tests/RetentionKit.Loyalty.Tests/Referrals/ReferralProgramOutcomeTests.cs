using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

/// <summary>Every outcome's exact reason and change flag, the guards, and what happens when the store keeps refusing.</summary>
public class ReferralProgramOutcomeTests
{
    private static readonly CustomerId Ana = ReferralFixture.Ana;
    private static readonly CustomerId Bea = ReferralFixture.Bea;
    private static readonly CustomerId Cai = ReferralFixture.Cai;
    private static readonly ReferralPayment Payment = ReferralFixture.Payment;

    private static (ReferralOutcome, bool, string) Of(ReferralResult result) => (result.Outcome, result.Changed, result.Reason);

    /// <summary>Regression (issue 19): rewards and payments were bare decimals with no currency.</summary>
    [Fact]
    public async Task Qualify_PricesRewardsInTheProgrammesCurrency_AndRefusesAPaymentInAnother()
    {
        var f = new ReferralFixture(o => o.Referrals.Currency = "EUR");
        await f.ReferAsync(Ana, Bea);

        var wrong = await Assert.ThrowsAsync<ArgumentException>("payment", async () => await f.Program.QualifyAsync(Bea, Payment));
        Assert.Contains("programme's currency (EUR, Referrals:Currency); got USD", wrong.Message, StringComparison.Ordinal);
        var referral = (await f.Program.QualifyAsync(Bea, new ReferralPayment("inv-1", Money.Eur(50m), Money.Eur(80m)))).Referral!;

        Assert.All(referral.Rewards, r => Assert.Equal(Currency.Eur, r.Cost.Currency));
        Assert.Equal(Money.Eur(100m), referral.Rewards.Single(r => r.Kind == ReferralRewardKind.ReferrerCredit).Amount);
        Assert.Equal(Money.Eur(30m), referral.Rewards.Single(r => r.Kind == ReferralRewardKind.ReferredDiscount).Cost);
        Assert.Equal(Currency.Eur, (await f.Program.GetAnalyticsAsync()).RewardCost.Currency);
    }

    [Fact]
    public async Task Attribute_ReasonsForEachOutcome()
    {
        var f = new ReferralFixture();
        var code = (await f.Program.IssueCodeAsync(Ana)).ToString();
        var other = (await f.Program.IssueCodeAsync(Cai)).ToString();

        Assert.Equal((ReferralOutcome.CodeNotFound, false, "the text is not a referral code held by anyone"), Of(await f.Program.AttributeAsync("nonsense", Bea, f.Now)));
        Assert.Equal((ReferralOutcome.SelfReferral, false, "a customer cannot refer themselves"), Of(await f.Program.AttributeAsync(code, Ana, f.Now)));
        Assert.Equal((ReferralOutcome.OutsideWindow, false, "the code was seen more than 30 days before sign-up"), Of(await f.Program.AttributeAsync(code, Bea, f.Now - Duration.FromDays(31))));
        Assert.Equal((ReferralOutcome.Attributed, true, "attributed"), Of(await f.Program.AttributeAsync(code, Bea, f.Now - Duration.FromDays(30))));
        Assert.Equal((ReferralOutcome.Attributed, false, "already attributed to this code"), Of(await f.Program.AttributeAsync(code, Bea, f.Now)));
        Assert.Equal(
            (ReferralOutcome.AlreadyReferred, false, "the customer was already attributed to another code; the first attribution wins"),
            Of(await f.Program.AttributeAsync(other, Bea, f.Now)));
    }

    [Fact]
    public async Task Attribute_Flagged_GivesTheFindings_AsItsReason()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        var code = (await f.Program.IssueCodeAsync(Ana)).ToString();

        var result = await f.Program.AttributeAsync(code, Bea, f.Now);

        Assert.Equal(ReferralOutcome.Attributed, result.Outcome);
        Assert.Equal(ReferralStatus.Flagged, result.Referral!.Status);
        var finding = Assert.Single(result.Referral.Findings);
        Assert.Equal($"{finding.Check}: {finding.Reason}", result.Reason);
        Assert.StartsWith("same-device: ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Qualify_ReasonsForEachOutcome()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);

        Assert.Equal((ReferralOutcome.NotFound, false, "the customer was not referred"), Of(await f.Program.QualifyAsync(Cai, Payment)));
        Assert.Equal((ReferralOutcome.Qualified, true, "qualified: rewards released"), Of(await f.Program.QualifyAsync(Bea, Payment)));
        Assert.Equal((ReferralOutcome.Qualified, false, "already qualified"), Of(await f.Program.QualifyAsync(Bea, Payment)));
        Assert.Equal(100, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Qualify_PastTheLimit_SaysTheReferrersRewardsWereWithheld()
    {
        var f = new ReferralFixture(o => o.Referrals.RewardLimitPerReferrer = 1);
        await f.ReferAsync(Ana, Bea);
        await f.ReferAsync(Ana, Cai);
        await f.Program.QualifyAsync(Bea, Payment);

        var limited = await f.Program.QualifyAsync(Cai, Payment);

        Assert.Equal((ReferralOutcome.Qualified, true, "qualified; the referrer's rewards were withheld: limit of the period reached"), Of(limited));
        Assert.True(limited.Referral!.ReferrerLimitReached);
        Assert.Equal([ReferralRewardKind.ReferredDiscount], limited.Referral.Rewards.Select(r => r.Kind));
        Assert.Equal(100, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Limit_CountsOnlyClaimsInsideThePeriod()
    {
        var f = new ReferralFixture(o => (o.Referrals.RewardLimitPerReferrer, o.Referrals.RewardLimitPeriodDays, o.Referrals.QualificationWindowDays) = (1, 10, 90));
        await f.ReferAsync(Ana, Bea);
        await f.ReferAsync(Ana, Cai);
        await f.Program.QualifyAsync(Bea, Payment);
        f.Advance(Duration.FromDays(10)); // the first claim is exactly one period old: outside "the last 10 days"

        var second = await f.Program.QualifyAsync(Cai, Payment);

        Assert.False(second.Referral!.ReferrerLimitReached);
        Assert.Equal(200, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task Qualify_WithZeroAmounts_IsAccepted_AndPricesTheDiscountsAtZero()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);

        var result = await f.Program.QualifyAsync(Bea, new ReferralPayment("inv-0", Money.Usd(0m), Money.Usd(0m)));

        Assert.Equal(ReferralOutcome.Qualified, result.Outcome);
        Assert.All(result.Referral!.Rewards.Where(r => r.Kind is ReferralRewardKind.ReferredDiscount or ReferralRewardKind.ReferrerDiscount), r => Assert.Equal(Money.Usd(0m), r.Cost));
    }

    [Fact]
    public async Task Qualify_Flagged_HeldReasons()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        await f.ReferAsync(Ana, Bea);

        var held = await f.Program.QualifyAsync(Bea, Payment);
        var again = await f.Program.QualifyAsync(Bea, Payment);

        var finding = Assert.Single(held.Referral!.Findings);
        Assert.Equal((ReferralOutcome.HeldForReview, true, $"{finding.Check}: {finding.Reason}"), Of(held));
        Assert.Equal((ReferralOutcome.HeldForReview, false, "held for review; the payment was recorded"), Of(again));
    }

    [Fact]
    public async Task Qualify_BlockedAtPayment_GivesTheFindings()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerPayment: "card-9", ReferredPayment: "card-9");

        var blocked = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralOutcome.Blocked, blocked.Outcome);
        Assert.True(blocked.Changed);
        Assert.StartsWith("same-payment", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal(ReferralStatus.Rejected, (await f.Program.GetReferralAsync(Bea))!.Status);
    }

    [Fact]
    public async Task Qualify_AfterTheWindow_ExpiresTheReferral_WithItsNote()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        f.Advance(Duration.FromDays(91));

        var late = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(ReferralStatus.Expired, late.Referral!.Status);
        Assert.Equal("no payment within the qualification window", late.Referral.Note);
        Assert.True(late.Changed);
    }

    [Fact]
    public async Task Refund_ReasonsForEachOutcome()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);

        Assert.Equal((ReferralOutcome.NotFound, false, "the customer was not referred"), Of(await f.Program.RefundAsync(Cai, "rf-0")));
        Assert.Equal((ReferralOutcome.NotApplicable, false, "the referral has not qualified: there is nothing to reverse"), Of(await f.Program.RefundAsync(Bea, "rf-1")));
        await f.Program.QualifyAsync(Bea, Payment);
        Assert.Equal((ReferralOutcome.Reversed, true, "refunded within the window: rewards reversed"), Of(await f.Program.RefundAsync(Bea, "rf-2")));
        Assert.Equal((ReferralOutcome.Reversed, false, "already reversed"), Of(await f.Program.RefundAsync(Bea, "rf-3")));
        Assert.Equal("refunded: rf-2", (await f.Program.GetReferralAsync(Bea))!.Note);
        Assert.Equal(0, await f.BalanceAsync(Ana));

        var reversal = (await f.Ledger.GetHistoryAsync(Ana)).Last();
        Assert.Equal(("~referral:bea:Points:reversal", "Referral of bea refunded"), (reversal.IdempotencyKey, reversal.Reason));
    }

    [Fact]
    public async Task Refund_AfterTheWindow_SaysSo()
    {
        var f = new ReferralFixture();
        await f.ReferAsync(Ana, Bea);
        await f.Program.QualifyAsync(Bea, Payment);
        f.Advance(Duration.FromDays(31));

        Assert.Equal(
            (ReferralOutcome.OutsideWindow, false, "the refund came more than 30 days after qualification: the rewards stand"),
            Of(await f.Program.RefundAsync(Bea, "rf-1")));
    }

    [Fact]
    public async Task Review_ReasonsForEachOutcome()
    {
        var f = new ReferralFixture();
        f.Signals.ByReferred[Bea] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        f.Signals.ByReferred[Cai] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        await f.ReferAsync(Ana, Bea);
        await f.ReferAsync(Ana, Cai);

        Assert.Equal((ReferralOutcome.NotFound, false, "the customer was not referred"), Of(await f.Program.ReviewAsync(new CustomerId("dan"), true, "x")));
        Assert.Equal((ReferralOutcome.Approved, true, "approved on review; rewards follow the first payment"), Of(await f.Program.ReviewAsync(Bea, true, "ok")));
        Assert.Equal((ReferralOutcome.NotApplicable, false, "only a flagged referral is reviewed"), Of(await f.Program.ReviewAsync(Bea, true, "again")));
        Assert.Equal((ReferralOutcome.Rejected, true, "rejected on review: same person"), Of(await f.Program.ReviewAsync(Cai, false, "same person")));
        Assert.Equal((ReferralOutcome.NotApplicable, false, "the referral is rejected"), Of(await f.Program.QualifyAsync(Cai, Payment)));
    }

    [Fact]
    public async Task Analytics_CountRejected_Expired_AndLimited_AndListRetiredIncentivesAfterTheCurrentOnes()
    {
        var f = new ReferralFixture(o => o.Referrals.RewardLimitPerReferrer = 1);
        ReferralProgram With(string incentive)
        {
            var options = new LoyaltyOptions();
            options.Referrals.RewardLimitPerReferrer = 1;
            options.Referrals.Incentives[0].Name = incentive;
            return new ReferralProgram(f.Store, f.Ledger, new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), f.Signals, f.Ledgers.Clock, options);
        }

        var dan = new CustomerId("dan");
        var eve = new CustomerId("eve");
        var code = (await f.Program.IssueCodeAsync(Ana)).ToString();
        await With("old-b").AttributeAsync(code, Bea, f.Now); // qualifies
        await With("old-a").AttributeAsync(code, Cai, f.Now); // qualifies past the limit
        f.Signals.ByReferred[dan] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "d", ReferredDevice: "d");
        await f.Program.AttributeAsync(code, dan, f.Now); // flagged, then rejected
        await f.Program.AttributeAsync(code, eve, f.Now); // expires
        await f.Program.QualifyAsync(Bea, Payment);
        await f.Program.QualifyAsync(Cai, Payment);
        await f.Program.ReviewAsync(dan, false, "same person");
        f.Advance(Duration.FromDays(91));
        await f.Program.QualifyAsync(eve, Payment);

        var analytics = await f.Program.GetAnalyticsAsync();

        Assert.Equal((4L, 0L, 2L, 0L, 1L, 1L, 1L), (analytics.Attributed, analytics.Flagged, analytics.Qualified, analytics.Reversed, analytics.Rejected, analytics.Expired, analytics.LimitReached));
        Assert.Equal(["standard", "old-a", "old-b"], analytics.ByIncentive.Select(i => i.Incentive));
        Assert.Equal([2L, 1L, 1L], analytics.ByIncentive.Select(i => i.Attributed));
        Assert.Equal([0L, 1L, 1L], analytics.ByIncentive.Select(i => i.Qualified));
    }

    [Fact]
    public async Task Guards_DefaultCustomers_AndNullServices()
    {
        var f = new ReferralFixture();
        var p = f.Program;
        var fraud = new ReferralFraudPipeline([]);
        var options = new LoyaltyOptions();

        foreach (var call in new Func<Task>[]
        {
            async () => await p.QualifyAsync(default, Payment),
            async () => await p.RefundAsync(default, "rf"),
            async () => await p.ReviewAsync(default, true, "note"),
        })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Equal("referred", error.ParamName);
            Assert.StartsWith("The customer must be a real customer id, not default.", error.Message, StringComparison.Ordinal);
        }

        Assert.StartsWith("The payment's reference must not be blank.", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.QualifyAsync(Bea, new ReferralPayment(" ", Money.Usd(1m))))).Message, StringComparison.Ordinal);
        Assert.StartsWith("The payment's monthly amounts must not be negative.", (await Assert.ThrowsAsync<ArgumentException>(async () => await p.QualifyAsync(Bea, new ReferralPayment("i", Money.Usd(1m), Money.Usd(-0.01m))))).Message, StringComparison.Ordinal);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => new ReferralProgram(f.Store, null!, fraud, null, f.Ledgers.Clock, options)).ParamName);
        Assert.Equal("fraud", Assert.Throws<ArgumentNullException>(() => new ReferralProgram(f.Store, f.Ledger, null!, null, f.Ledgers.Clock, options)).ParamName);
        Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => new ReferralProgram(f.Store, f.Ledger, fraud, null, null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new ReferralProgram(f.Store, f.Ledger, fraud, null, f.Ledgers.Clock, null!)).ParamName);
    }

    [Fact]
    public async Task ReferralRule_SetToNull_PromisesNoPoints()
    {
        var f = new ReferralFixture(o => o.EarningRules[RetentionKit.Loyalty.Earning.LoyaltyEventKinds.Referral] = null!);
        await f.ReferAsync(Ana, Bea);

        var result = await f.Program.QualifyAsync(Bea, Payment);

        Assert.Equal(0, f.Program.IncentiveFor(Ana).Points);
        Assert.DoesNotContain(result.Referral!.Rewards, r => r.Kind == ReferralRewardKind.Points);
        Assert.Equal(0, await f.BalanceAsync(Ana));
    }

    [Fact]
    public async Task SignalSource_ReturningNothing_IsReportedAsABug()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);
        f.Signals.ByReferred[Bea] = (_, _) => null!;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Program.AttributeAsync(code.ToString(), Bea, f.Now));

        Assert.Contains("must return the signals of 'ana' referring 'bea'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalSource_ReturningAnotherReferrer_IsReportedAsABug()
    {
        var f = new ReferralFixture();
        var code = await f.Program.IssueCodeAsync(Ana);
        f.Signals.ByReferred[Bea] = (_, d) => new ReferralSignals(Cai, d);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await f.Program.AttributeAsync(code.ToString(), Bea, f.Now));
        Assert.Null(await f.Program.GetReferralAsync(Bea));
    }

    [Fact]
    public async Task IssueCode_StoreThatAlwaysSaysTaken_GivesUpAfterSixteenDraws()
    {
        var store = new RefusingStore { RefuseNewReferrers = true };
        var program = Program(store, out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await program.IssueCodeAsync(Ana));

        Assert.Equal("Could not issue a code to 'ana' in 16 attempts; the store keeps refusing.", error.Message);
        Assert.Equal(16, store.AddReferrerCalls);
    }

    [Fact]
    public async Task Refund_Review_AndClaims_StoreThatAlwaysRefusesUpdates_GiveUpAfterSixteenTries()
    {
        var store = new RefusingStore();
        var program = Program(store, out var signals);
        signals.ByReferred[Cai] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
        var code = (await program.IssueCodeAsync(Ana)).ToString();
        await program.AttributeAsync(code, Bea, store.Clock.GetCurrentInstant());
        await program.AttributeAsync(code, Cai, store.Clock.GetCurrentInstant());
        await program.QualifyAsync(Bea, Payment);
        store.RefuseUpdates = true;

        await AssertContendedAsync(store, async () => await program.RefundAsync(Bea, "rf-1"), "bea");
        await AssertContendedAsync(store, async () => await program.ReviewAsync(Cai, true, "ok"), "cai");

        store.RefuseUpdates = false;
        await program.ReviewAsync(Cai, true, "ok");
        store.RefuseReferrerUpdates = true;
        await AssertContendedAsync(store, async () => await program.QualifyAsync(Cai, Payment), "ana", expectedCalls: 16);
    }

    private static async Task AssertContendedAsync(RefusingStore store, Func<Task> call, string customer, int expectedCalls = 16)
    {
        store.UpdateCalls = 0;
        var error = await Assert.ThrowsAsync<ReferralConcurrencyException>(call);
        Assert.Equal($"The referral record of '{customer}' changed under the call 16 times. Retry the call.", error.Message);
        Assert.Equal(expectedCalls, store.UpdateCalls);
    }

    private static ReferralProgram Program(RefusingStore store, out ReferralFixture.TestSignals signals)
    {
        var ledger = new Ledger.LedgerFixture();
        store.Clock = ledger.Clock;
        signals = new ReferralFixture.TestSignals();
        return new ReferralProgram(store, ledger.Ledger, new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), signals, ledger.Clock, new LoyaltyOptions());
    }

    /// <summary>An in-memory store that can be told to refuse new referrers (code taken) or every conditional update.</summary>
    private sealed class RefusingStore : IReferralStore
    {
        private readonly InMemoryReferralStore _inner = new();

        public NodaTime.IClock Clock { get; set; } = null!;

        public bool RefuseNewReferrers { get; set; }

        public bool RefuseUpdates { get; set; }

        public bool RefuseReferrerUpdates { get; set; }

        public int AddReferrerCalls { get; private set; }

        public int UpdateCalls { get; set; }

        public ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default)
        {
            AddReferrerCalls++;
            return RefuseNewReferrers ? ValueTask.FromResult(AddReferrerStatus.CodeTaken) : _inner.TryAddReferrerAsync(account, cancellationToken);
        }

        public ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default) => _inner.FindReferrerAsync(referrer, cancellationToken);

        public ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default) => _inner.FindReferrerByCodeAsync(code, cancellationToken);

        public ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default)
        {
            UpdateCalls++;
            return RefuseReferrerUpdates ? ValueTask.FromResult(false) : _inner.TryUpdateReferrerAsync(account, expectedVersion, cancellationToken);
        }

        public ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default) => _inner.TryAddReferralAsync(referral, cancellationToken);

        public ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default) => _inner.FindReferralAsync(referred, cancellationToken);

        public ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default)
        {
            UpdateCalls++;
            return RefuseUpdates ? ValueTask.FromResult(false) : _inner.TryUpdateReferralAsync(referral, expectedVersion, cancellationToken);
        }

        public IAsyncEnumerable<ReferrerAccount> ReferrersAsync(CancellationToken cancellationToken = default) => _inner.ReferrersAsync(cancellationToken);

        public IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default) => _inner.ReferralsAsync(cancellationToken);
    }
}
