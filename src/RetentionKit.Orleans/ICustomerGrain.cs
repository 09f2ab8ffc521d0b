using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;
using RetentionKit.Playbooks;

namespace RetentionKit.Orleans;

/// <summary>
/// One customer in the cluster, keyed by the customer's id: their loyalty account, through the same
/// <see cref="Loyalty.Ledger.LoyaltyLedger"/> rules as a single process. Orleans keeps one activation per customer, so
/// the customer's postings are serialised and the store's version conflicts become rare; the store (PostgreSQL in
/// production) stays the source of truth, so an activation that moves or dies loses nothing, and an idempotency key
/// sent twice — a retry after a timeout, a silo that died mid-call — posts once.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Earns points (they expire after the programme's expiry).</summary>
    /// <param name="points">The points; above 0.</param>
    /// <param name="idempotencyKey">The posting's key, unique for the customer: the same key again returns the first result.</param>
    /// <param name="reason">Why, for the customer's statement.</param>
    /// <returns>The posting.</returns>
    Task<LedgerPosting> EarnAsync(long points, string idempotencyKey, string reason);

    /// <summary>Redeems points (the oldest lots first; due expiries are posted before).</summary>
    /// <param name="points">The points; above 0.</param>
    /// <param name="idempotencyKey">The posting's key.</param>
    /// <param name="reason">What was redeemed.</param>
    /// <returns>The posting; insufficient points is a status, not an exception.</returns>
    Task<LedgerPosting> RedeemAsync(long points, string idempotencyKey, string reason);

    /// <summary>Reverses an entry, or part of it (a refund, a fraud review).</summary>
    /// <param name="entry">The entry's sequence number.</param>
    /// <param name="points">The points to reverse; null for what is left of the entry.</param>
    /// <param name="idempotencyKey">The posting's key.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The posting.</returns>
    Task<LedgerPosting> ReverseAsync(long entry, long? points, string idempotencyKey, string reason);

    /// <summary>Posts every expiry due now.</summary>
    /// <returns>How many entries were posted.</returns>
    Task<int> ExpireAsync();

    /// <summary>Gets the balance now (points past their date left out).</summary>
    /// <returns>The balance.</returns>
    Task<long> GetBalanceAsync();

    /// <summary>Issues the customer's referral code (the same code every time for the same customer).</summary>
    /// <returns>The code.</returns>
    Task<string> IssueReferralCodeAsync();

    /// <summary>
    /// Attributes the customer (the referred one) to the holder of a referral code. Exactly once across the cluster:
    /// this customer's calls run one at a time in their activation, and the referral store keeps at most one referral
    /// per referred customer, so a second attribution — from another silo, a retry, another code — is
    /// <c>AlreadyReferred</c>, never a second referral or a second reward.
    /// </summary>
    /// <param name="code">The code the customer signed up with.</param>
    /// <param name="codeSeenAt">When the customer first saw the code (the attribution window counts from it).</param>
    /// <returns>The outcome.</returns>
    Task<ReferralAttribution> AttributeReferralAsync(string code, DateTimeOffset codeSeenAt);

    /// <summary>
    /// Records the customer's (the referred one's) first payment: the referral qualifies and the rewards post to the
    /// referrer's ledger under keys of the referral (RI-5, RI-6), within the referrer's limit (RI-7). A retry — the
    /// same payment again — completes what a crash interrupted and posts nothing twice.
    /// </summary>
    /// <param name="paymentReference">The payment's id in the host's billing.</param>
    /// <param name="monthlyAmount">What the customer pays a month; not negative.</param>
    /// <param name="currency">The amount's currency: the programme's (<c>Referrals:Currency</c>).</param>
    /// <returns>The outcome.</returns>
    Task<ReferralAttribution> QualifyReferralAsync(string paymentReference, decimal monthlyAmount, string currency);

    /// <summary>Records a refund of the customer (the referred one): within the window the referral is reversed and the referrer's points clawed back (RI-6).</summary>
    /// <param name="refundReference">The refund's id in the host's billing.</param>
    /// <returns>The outcome.</returns>
    Task<ReferralAttribution> RefundReferralAsync(string refundReference);

    /// <summary>Gets the customer's playbook enrolments, active and ended, as the enrolment store holds them.</summary>
    /// <returns>The enrolments; empty when playbooks are not registered in the silo.</returns>
    Task<ImmutableArray<EnrolmentLine>> GetEnrolmentsAsync();

    /// <summary>Gets the customer's latest recorded score within the last year, as the score history holds it.</summary>
    /// <returns>The score; null when there is none or scoring is not registered in the silo.</returns>
    Task<ScoreLine?> GetLatestScoreAsync();

    /// <summary>Gets every entry of the customer's ledger, in order.</summary>
    /// <returns>The entries.</returns>
    Task<ImmutableArray<LedgerLine>> GetHistoryAsync();

    /// <summary>
    /// Runs the customer's playbooks at <paramref name="at"/> through a durable reminder (it survives the grain's
    /// deactivation, its silo's death and a cluster restart): the silo's <see cref="IPlaybookStepScheduler"/> calls it
    /// for steps held until their send time. At that time the grain runs the customer as the nightly run would
    /// (<see cref="Hosting.DailyRun.RunCustomerAsync"/>), so the same engine decides what is sent; a step whose time has
    /// still not come is held and scheduled again — never sent early. An earlier pending time wins over a later one.
    /// </summary>
    /// <param name="at">When to run.</param>
    /// <returns>A task that completes when the reminder is registered.</returns>
    [AlwaysInterleave] // called from inside this grain's own reminder run, through the scheduler
    Task ScheduleStepsAsync(DateTimeOffset at);

    /// <summary>Gets when the customer's playbooks are next scheduled to run, as this activation knows it; null when nothing is pending.</summary>
    /// <returns>The instant.</returns>
    [AlwaysInterleave]
    Task<DateTimeOffset?> GetScheduledAsync();
}
