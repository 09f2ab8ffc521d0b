using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>How a referral-programme call ended.</summary>
public enum ReferralOutcome
{
    /// <summary>The referred customer is attributed to the code (possibly flagged for review; see <see cref="Referral.Status"/>).</summary>
    Attributed = 0,

    /// <summary>The referral qualified: rewards released.</summary>
    Qualified = 1,

    /// <summary>The referral was reversed: the points clawed back, the other rewards to be revoked by the host.</summary>
    Reversed = 2,

    /// <summary>A reviewer cleared a flagged referral that still waits for its payment.</summary>
    Approved = 3,

    /// <summary>A reviewer rejected a flagged referral.</summary>
    Rejected = 4,

    /// <summary>A fraud check flagged the referral: its payment is kept and rewards wait for a review.</summary>
    HeldForReview = 5,

    /// <summary>A fraud check blocked the referral.</summary>
    Blocked = 6,

    /// <summary>The text is not a code, or no referrer holds it.</summary>
    CodeNotFound = 7,

    /// <summary>The referred customer is the code's referrer.</summary>
    SelfReferral = 8,

    /// <summary>The referred customer was already attributed to another code: the first attribution wins.</summary>
    AlreadyReferred = 9,

    /// <summary>The call came after its window (attribution, qualification or refund).</summary>
    OutsideWindow = 10,

    /// <summary>The referred customer has no referral.</summary>
    NotFound = 11,

    /// <summary>The referral is not in a state the call applies to (a refund of an unqualified referral, say).</summary>
    NotApplicable = 12,
}

/// <summary>The outcome of a referral-programme call.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Referral">The referral as it stands after the call, when there is one.</param>
/// <param name="Changed">Whether the call wrote anything; false for a retry of a call that had already taken effect.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ReferralResult(ReferralOutcome Outcome, Referral? Referral, bool Changed, string Reason);

/// <summary>
/// Supplies what the host knows of a referral's two sides for the fraud checks (hashed e-mail, device, payment
/// fingerprint). Register one through DI; the default knows only the customer ids.
/// </summary>
public interface IReferralSignalSource
{
    /// <summary>Gets the signals of a referral.</summary>
    /// <param name="referrer">The referrer.</param>
    /// <param name="referred">The referred customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signals, with these two ids.</returns>
    ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken = default);
}

/// <summary>One incentive's funnel in the programme analytics.</summary>
/// <param name="Incentive">The incentive (A/B variant).</param>
/// <param name="CodesIssued">Referrers assigned to it who hold a code.</param>
/// <param name="Attributed">Referrals attributed under it.</param>
/// <param name="Qualified">Referrals that qualified (including those reversed later).</param>
/// <param name="Conversion">Qualified over attributed; null with nothing attributed.</param>
/// <param name="RewardCost">The cost of the rewards that stand (not reversed).</param>
public sealed record IncentiveFunnel(string Incentive, long CodesIssued, long Attributed, long Qualified, double? Conversion, Money RewardCost);

/// <summary>Programme analytics (L5): the referral funnel and what its rewards cost.</summary>
/// <param name="CodesIssued">Referrers holding a code.</param>
/// <param name="Attributed">Referrals attributed, in any state.</param>
/// <param name="Flagged">Referrals waiting for a review.</param>
/// <param name="Qualified">Referrals that qualified (including those reversed later).</param>
/// <param name="Reversed">Referrals reversed by a refund.</param>
/// <param name="Rejected">Referrals blocked at qualification or rejected on review.</param>
/// <param name="Expired">Referrals whose customer did not pay in time.</param>
/// <param name="LimitReached">Qualified referrals whose referrer's rewards were withheld by the limit.</param>
/// <param name="Conversion">Qualified over attributed; null with nothing attributed.</param>
/// <param name="RewardCost">The cost of the rewards that stand.</param>
/// <param name="ReversedCost">The cost of the rewards reversed.</param>
/// <param name="ByIncentive">The funnel per incentive, in the options' order.</param>
public sealed record ReferralAnalytics(
    long CodesIssued,
    long Attributed,
    long Flagged,
    long Qualified,
    long Reversed,
    long Rejected,
    long Expired,
    long LimitReached,
    double? Conversion,
    Money RewardCost,
    Money ReversedCost,
    ImmutableArray<IncentiveFunnel> ByIncentive);

/// <summary>
/// The referral programme (L5): codes per referrer, attribution, fraud checks, qualification that releases both
/// sides' rewards and the referral points through the ledger, reversal on an early refund, per-referrer limits and
/// analytics. Every call is safe to retry — after a timeout or a crash — and converges on the same state: records are
/// written conditionally on their version, and points are posted under keys per referral and reward kind (RI-5).
/// </summary>
public sealed class ReferralProgram
{
    private const int MaxAttempts = 16;

    private readonly IReferralStore _store;
    private readonly LoyaltyLedger _ledger;
    private readonly ReferralFraudPipeline _fraud;
    private readonly IReferralSignalSource _signals;
    private readonly IClock _clock;
    private readonly Duration _attributionWindow;
    private readonly Duration _qualificationWindow;
    private readonly Duration _refundWindow;
    private readonly Duration _limitPeriod;
    private readonly int _limit;
    private readonly Money _pointValue;
    private readonly Currency _currency;
    private readonly long _points;
    private readonly ImmutableArray<ReferralIncentive> _incentives;
    private readonly IncentiveExperiment? _experiment;

    /// <summary>Initializes a new instance of the <see cref="ReferralProgram"/> class.</summary>
    /// <param name="store">Where referrers and referrals are kept.</param>
    /// <param name="ledger">The ledger the referral points are posted to.</param>
    /// <param name="fraud">The fraud checks.</param>
    /// <param name="signals">What the host knows of both sides; null for the customer ids only.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The options: <see cref="LoyaltyOptions.Referrals"/> and the "referral" earning rule's points; copied.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="signals"/> is null.</exception>
    /// <exception cref="ArgumentException">The referral options break a rule.</exception>
    public ReferralProgram(IReferralStore store, LoyaltyLedger ledger, ReferralFraudPipeline fraud, IReferralSignalSource? signals, IClock clock, LoyaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(fraud);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        var problems = LoyaltyOptionsValidation.ReferralProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", RetentionKit.Internal.OptionPaths.Qualify<LoyaltyOptions>("Loyalty", problems)), nameof(options));
        }

        _store = store;
        _ledger = ledger;
        _fraud = fraud;
        _signals = signals ?? IdsOnly.Instance;
        _clock = clock;
        var referrals = options.Referrals;
        _attributionWindow = Duration.FromDays(referrals.AttributionWindowDays);
        _qualificationWindow = Duration.FromDays(referrals.QualificationWindowDays);
        _refundWindow = Duration.FromDays(referrals.RefundWindowDays);
        _limitPeriod = Duration.FromDays(referrals.RewardLimitPeriodDays);
        _limit = referrals.RewardLimitPerReferrer;
        _currency = new Currency(referrals.Currency);
        _pointValue = new Money(referrals.PointValue, _currency);
        _points = options.EarningRules.TryGetValue(LoyaltyEventKinds.Referral, out var rule) && rule is not null ? rule.Points : 0;
        _incentives = [.. ReferralIncentiveOptions.InForce(referrals.Incentives).Select(i => new ReferralIncentive(
            i.Name, i.ReferrerDiscountPercent, i.ReferredDiscountPercent, i.DiscountMonths, new Money(i.ReferrerCredit, _currency), i.PremiumFeatureAccess, _points))];
        _experiment = _incentives.Length > 1
            ? new IncentiveExperiment(ExperimentName, [.. ReferralIncentiveOptions.InForce(referrals.Incentives).Select(i => new IncentiveVariant(i.Name, i.Weight))])
            : null;
    }

    /// <summary>The name of the A/B experiment that assigns incentives to referrers: part of the stable hash.</summary>
    public const string ExperimentName = "referral-incentives";

    /// <summary>Gets the incentives, in the options' order.</summary>
    public ImmutableArray<ReferralIncentive> Incentives => _incentives;

    /// <summary>Gets the incentive a referrer's referrals are promised: the only one, or the referrer's A/B variant.</summary>
    /// <param name="referrer">The referrer.</param>
    /// <returns>The same incentive for the same referrer, always.</returns>
    /// <exception cref="ArgumentException"><paramref name="referrer"/> is default.</exception>
    public ReferralIncentive IncentiveFor(CustomerId referrer)
    {
        RequireCustomer(referrer, nameof(referrer));
        if (_experiment is null)
        {
            return _incentives[0];
        }

        var name = _experiment.Assign(referrer).Name;
        return _incentives.First(i => string.Equals(i.Name, name, StringComparison.Ordinal));
    }

    /// <summary>Gets a referrer's code, issuing one on the first call (RI-1, RI-2).</summary>
    /// <param name="referrer">The referrer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referrer's one code.</returns>
    /// <exception cref="ArgumentException"><paramref name="referrer"/> is default.</exception>
    public async ValueTask<ReferralCode> IssueCodeAsync(CustomerId referrer, CancellationToken cancellationToken = default)
    {
        RequireCustomer(referrer, nameof(referrer));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _store.FindReferrerAsync(referrer, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing.Code;
            }

            var account = new ReferrerAccount(referrer, ReferralCode.NewCode(), _clock.GetCurrentInstant(), [], 1);
            if (await _store.TryAddReferrerAsync(account, cancellationToken).ConfigureAwait(false) == AddReferrerStatus.Added)
            {
                return account.Code;
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Could not issue a code to '{referrer}' in {MaxAttempts} attempts; the store keeps refusing."));
    }

    /// <summary>Finds who holds a code, reading it as a person may type it.</summary>
    /// <param name="code">The text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referrer, or null when the text is not a code or nobody holds it.</returns>
    public async ValueTask<CustomerId?> FindReferrerAsync(string? code, CancellationToken cancellationToken = default) =>
        ReferralCode.TryParse(code, out var parsed) && await _store.FindReferrerByCodeAsync(parsed, cancellationToken).ConfigureAwait(false) is { } account
            ? account.Referrer
            : null;

    /// <summary>Gets the referral of a referred customer.</summary>
    /// <param name="referred">The referred customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The referral, or null.</returns>
    public ValueTask<Referral?> GetReferralAsync(CustomerId referred, CancellationToken cancellationToken = default)
    {
        RequireCustomer(referred, nameof(referred));
        return _store.FindReferralAsync(referred, cancellationToken);
    }

    /// <summary>
    /// Attributes a new customer to the code they signed up with. The first valid attribution wins (RI-5); a malformed
    /// or unknown code, a self-referral, a customer already attributed elsewhere, a code seen too long ago and a
    /// blocking fraud check are rejected with their reason, and nothing is written. A flagged referral is attributed
    /// and held for review.
    /// </summary>
    /// <param name="code">The code as the customer typed it.</param>
    /// <param name="referred">The new customer.</param>
    /// <param name="codeSeenAt">When the customer first saw the code (followed the link, say); not after now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="referred"/> is default, or <paramref name="codeSeenAt"/> is in the future.</exception>
    public async ValueTask<ReferralResult> AttributeAsync(string? code, CustomerId referred, Instant codeSeenAt, CancellationToken cancellationToken = default) =>
        _ledger.Telemetry.Referral(await AttributeCoreAsync(code, referred, codeSeenAt, cancellationToken).ConfigureAwait(false));

    private async ValueTask<ReferralResult> AttributeCoreAsync(string? code, CustomerId referred, Instant codeSeenAt, CancellationToken cancellationToken)
    {
        RequireCustomer(referred, nameof(referred));
        var now = _clock.GetCurrentInstant();
        if (codeSeenAt > now)
        {
            throw new ArgumentOutOfRangeException(nameof(codeSeenAt), codeSeenAt, string.Create(CultureInfo.InvariantCulture, $"The code cannot have been seen after now ({now})."));
        }

        if (!ReferralCode.TryParse(code, out var parsed) || await _store.FindReferrerByCodeAsync(parsed, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return new ReferralResult(ReferralOutcome.CodeNotFound, null, false, "the text is not a referral code held by anyone");
        }

        if (account.Referrer == referred)
        {
            return new ReferralResult(ReferralOutcome.SelfReferral, null, false, "a customer cannot refer themselves");
        }

        if (now - codeSeenAt > _attributionWindow)
        {
            return new ReferralResult(ReferralOutcome.OutsideWindow, null, false, string.Create(CultureInfo.InvariantCulture, $"the code was seen more than {_attributionWindow.Days} days before sign-up"));
        }

        if (await _store.FindReferralAsync(referred, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return Existing(existing, parsed);
        }

        var assessment = _fraud.Assess(await SignalsAsync(account.Referrer, referred, cancellationToken).ConfigureAwait(false));
        if (assessment.Verdict == FraudVerdict.Block)
        {
            return new ReferralResult(ReferralOutcome.Blocked, null, false, Describe(assessment));
        }

        var status = assessment.Verdict == FraudVerdict.Flag ? ReferralStatus.Flagged : ReferralStatus.Attributed;
        var referral = new Referral(referred, account.Referrer, parsed, IncentiveFor(account.Referrer), status, now, 1, assessment.Findings);
        if (await _store.TryAddReferralAsync(referral, cancellationToken).ConfigureAwait(false))
        {
            return new ReferralResult(ReferralOutcome.Attributed, referral, true, status == ReferralStatus.Flagged ? Describe(assessment) : "attributed");
        }

        var winner = await _store.FindReferralAsync(referred, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The store refused the referral of '{referred}' but holds none.");
        return Existing(winner, parsed);
    }

    /// <summary>
    /// Records the referred customer's first payment. Within the qualification window and past the fraud checks, the
    /// referral qualifies: both sides' rewards are released and the referral points posted to the referrer (RI-6),
    /// unless the referrer has reached the limit of the period (RI-7). A retry completes what a crash interrupted.
    /// </summary>
    /// <param name="referred">The referred customer.</param>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="IdempotencyConflictException">The ledger holds the referral's points key for another posting.</exception>
    public async ValueTask<ReferralResult> QualifyAsync(CustomerId referred, ReferralPayment payment, CancellationToken cancellationToken = default) =>
        _ledger.Telemetry.Referral(await QualifyCoreAsync(referred, payment, cancellationToken).ConfigureAwait(false));

    private async ValueTask<ReferralResult> QualifyCoreAsync(CustomerId referred, ReferralPayment payment, CancellationToken cancellationToken)
    {
        RequireCustomer(referred, nameof(referred));
        RequirePayment(payment);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var referral = await _store.FindReferralAsync(referred, cancellationToken).ConfigureAwait(false);
            var result = referral switch
            {
                null => new ReferralResult(ReferralOutcome.NotFound, null, false, "the customer was not referred"),
                { Status: ReferralStatus.Qualified } => await CompleteAsync(referral, false, cancellationToken).ConfigureAwait(false),
                { Status: ReferralStatus.Flagged } => await HoldAsync(referral, payment, referral.Findings, cancellationToken).ConfigureAwait(false),
                { Status: ReferralStatus.Attributed } => await QualifyOpenAsync(referral, payment, cancellationToken).ConfigureAwait(false),
                _ => Closed(referral),
            };

            if (result is not null)
            {
                return result;
            }
        }

        throw Contended(referred);
    }

    /// <summary>
    /// Records a refund of the referred customer. Within the refund window after qualification the referral is
    /// reversed: the referral points are clawed back through the ledger, and the other rewards — listed in the
    /// referral — are for the host to revoke. A retry completes what a crash interrupted.
    /// </summary>
    /// <param name="referred">The referred customer.</param>
    /// <param name="refundReference">The refund's id in the host's billing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    public async ValueTask<ReferralResult> RefundAsync(CustomerId referred, string refundReference, CancellationToken cancellationToken = default)
    {
        RequireCustomer(referred, nameof(referred));
        ArgumentException.ThrowIfNullOrWhiteSpace(refundReference);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var referral = await _store.FindReferralAsync(referred, cancellationToken).ConfigureAwait(false);
            if (referral is null)
            {
                return new ReferralResult(ReferralOutcome.NotFound, null, false, "the customer was not referred");
            }

            if (referral.Status == ReferralStatus.Reversed)
            {
                await ClawBackAsync(referral, cancellationToken).ConfigureAwait(false);
                return new ReferralResult(ReferralOutcome.Reversed, referral, false, "already reversed");
            }

            if (referral.Status != ReferralStatus.Qualified)
            {
                return new ReferralResult(ReferralOutcome.NotApplicable, referral, false, "the referral has not qualified: there is nothing to reverse");
            }

            var now = _clock.GetCurrentInstant();
            if (now - referral.QualifiedAt!.Value > _refundWindow)
            {
                return new ReferralResult(ReferralOutcome.OutsideWindow, referral, false, string.Create(CultureInfo.InvariantCulture, $"the refund came more than {_refundWindow.Days} days after qualification: the rewards stand"));
            }

            var reversed = referral with { Status = ReferralStatus.Reversed, ClosedAt = now, Note = "refunded: " + refundReference, Version = referral.Version + 1 };
            if (await _store.TryUpdateReferralAsync(reversed, referral.Version, cancellationToken).ConfigureAwait(false))
            {
                await ClawBackAsync(reversed, cancellationToken).ConfigureAwait(false);
                return new ReferralResult(ReferralOutcome.Reversed, reversed, true, "refunded within the window: rewards reversed");
            }
        }

        throw Contended(referred);
    }

    /// <summary>
    /// A person's decision on a flagged referral. Approved, it goes on as if the flag had not been raised (qualifying at
    /// once if its payment was already recorded); rejected, it is closed without rewards.
    /// </summary>
    /// <param name="referred">The referred customer.</param>
    /// <param name="approve">Whether to approve.</param>
    /// <param name="note">The reviewer's note, not blank.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    public async ValueTask<ReferralResult> ReviewAsync(CustomerId referred, bool approve, string note, CancellationToken cancellationToken = default)
    {
        RequireCustomer(referred, nameof(referred));
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var referral = await _store.FindReferralAsync(referred, cancellationToken).ConfigureAwait(false);
            if (referral is null)
            {
                return new ReferralResult(ReferralOutcome.NotFound, null, false, "the customer was not referred");
            }

            if (referral.Status != ReferralStatus.Flagged)
            {
                return new ReferralResult(ReferralOutcome.NotApplicable, referral, false, "only a flagged referral is reviewed");
            }

            var now = _clock.GetCurrentInstant();
            var decided = approve
                ? referral with { Status = ReferralStatus.Attributed, Reviewed = true, Note = note, Version = referral.Version + 1 }
                : referral with { Status = ReferralStatus.Rejected, Note = note, ClosedAt = now, Version = referral.Version + 1 };
            if (!await _store.TryUpdateReferralAsync(decided, referral.Version, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (!approve)
            {
                return new ReferralResult(ReferralOutcome.Rejected, decided, true, "rejected on review: " + note);
            }

            return decided.Payment is { } payment
                ? await QualifyAsync(referred, payment, cancellationToken).ConfigureAwait(false)
                : new ReferralResult(ReferralOutcome.Approved, decided, true, "approved on review; rewards follow the first payment");
        }

        throw Contended(referred);
    }

    /// <summary>Computes the programme analytics over every referrer and referral in the store.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The funnel and the reward cost, overall and per incentive.</returns>
    public async ValueTask<ReferralAnalytics> GetAnalyticsAsync(CancellationToken cancellationToken = default)
    {
        var codesByIncentive = new Dictionary<string, long>(StringComparer.Ordinal);
        long codes = 0;
        await foreach (var account in _store.ReferrersAsync(cancellationToken).ConfigureAwait(false))
        {
            codes++;
            var name = IncentiveFor(account.Referrer).Name;
            codesByIncentive[name] = codesByIncentive.GetValueOrDefault(name) + 1;
        }

        long attributed = 0, flagged = 0, qualified = 0, reversed = 0, rejected = 0, expired = 0, limited = 0;
        Money cost = Money.Zero(_currency), reversedCost = Money.Zero(_currency);
        var funnels = new Dictionary<string, (long Attributed, long Qualified, Money Cost)>(StringComparer.Ordinal);
        await foreach (var referral in _store.ReferralsAsync(cancellationToken).ConfigureAwait(false))
        {
            attributed++;
            var rewardCost = referral.Rewards.IsDefault ? Money.Zero(_currency) : referral.Rewards.Aggregate(Money.Zero(_currency), (sum, r) => sum + r.Cost);
            var standing = referral.Status == ReferralStatus.Qualified ? rewardCost : Money.Zero(_currency);
            switch (referral.Status)
            {
                case ReferralStatus.Flagged: flagged++; break;
                case ReferralStatus.Reversed: reversed++; reversedCost += rewardCost; break;
                case ReferralStatus.Rejected: rejected++; break;
                case ReferralStatus.Expired: expired++; break;
            }

            var wasQualified = referral.QualifiedAt is not null;
            qualified += wasQualified ? 1 : 0;
            limited += wasQualified && referral.ReferrerLimitReached ? 1 : 0;
            cost += standing;
            var funnel = funnels.GetValueOrDefault(referral.Incentive.Name);
            funnels[referral.Incentive.Name] = (funnel.Attributed + 1, funnel.Qualified + (wasQualified ? 1 : 0), (funnel.Attributed == 0 ? Money.Zero(_currency) : funnel.Cost) + standing);
        }

        var names = _incentives.Select(i => i.Name).Concat(funnels.Keys.Where(k => !_incentives.Any(i => string.Equals(i.Name, k, StringComparison.Ordinal))).Order(StringComparer.Ordinal));
        var byIncentive = names.Select(n =>
        {
            var f = funnels.TryGetValue(n, out var found) ? found : (0, 0, Money.Zero(_currency));
            return new IncentiveFunnel(n, codesByIncentive.GetValueOrDefault(n), f.Attributed, f.Qualified, Ratio(f.Qualified, f.Attributed), f.Cost);
        });
        return new ReferralAnalytics(codes, attributed, flagged, qualified, reversed, rejected, expired, limited, Ratio(qualified, attributed), cost, reversedCost, [.. byIncentive]);
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;

    private static ReferralResult Existing(Referral existing, ReferralCode code) => existing.Code == code
        ? new ReferralResult(ReferralOutcome.Attributed, existing, false, "already attributed to this code")
        : new ReferralResult(ReferralOutcome.AlreadyReferred, existing, false, "the customer was already attributed to another code; the first attribution wins");

    private static ReferralResult Closed(Referral referral) => new(ReferralOutcome.NotApplicable, referral, false, string.Create(CultureInfo.InvariantCulture, $"the referral is {referral.Status.ToString().ToLowerInvariant()}"));

    private static string Describe(FraudAssessment assessment) => string.Join("; ", assessment.Findings.Select(f => $"{f.Check}: {f.Reason}"));

    private static string PointsKey(CustomerId referred) => RewardKey(referred, ReferralRewardKind.Points);

    private static string RewardKey(CustomerId referred, ReferralRewardKind kind) => $"referral:{referred}:{kind}";

    private static void RequireCustomer(CustomerId customer, string name)
    {
        if (customer.IsDefault)
        {
            throw new ArgumentException("The customer must be a real customer id, not default.", name);
        }
    }

    private void RequirePayment(ReferralPayment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (string.IsNullOrWhiteSpace(payment.Reference))
        {
            throw new ArgumentException("The payment's reference must not be blank.", nameof(payment));
        }

        if (payment.ReferredMonthlyAmount.IsNegative || payment.ReferrerMonthlyAmount is { IsNegative: true })
        {
            throw new ArgumentException("The payment's monthly amounts must not be negative.", nameof(payment));
        }

        if (payment.ReferredMonthlyAmount.Currency != _currency || payment.ReferrerMonthlyAmount is { } referrer && referrer.Currency != _currency)
        {
            throw new ArgumentException($"The payment's monthly amounts must be in the programme's currency ({_currency}, Referrals:Currency); got {payment.ReferredMonthlyAmount.Currency}{(payment.ReferrerMonthlyAmount is { } r ? $" and {r.Currency}" : string.Empty)}. Convert first.", nameof(payment));
        }
    }

    private static ReferralConcurrencyException Contended(CustomerId customer) => new(customer, MaxAttempts);

    private async ValueTask<ReferralSignals> SignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken)
    {
        var signals = await _signals.GetSignalsAsync(referrer, referred, cancellationToken).ConfigureAwait(false);
        if (signals is null || signals.Referrer != referrer || signals.Referred != referred)
        {
            throw new InvalidOperationException($"The signal source {_signals.GetType().Name} must return the signals of '{referrer}' referring '{referred}'.");
        }

        return signals;
    }

    /// <summary>Qualifies an attributed referral; null when another writer got there first (the caller reads again).</summary>
    private async ValueTask<ReferralResult?> QualifyOpenAsync(Referral referral, ReferralPayment payment, CancellationToken cancellationToken)
    {
        var now = _clock.GetCurrentInstant();
        if (now - referral.AttributedAt > _qualificationWindow)
        {
            var expired = referral with { Status = ReferralStatus.Expired, ClosedAt = now, Note = "no payment within the qualification window", Version = referral.Version + 1 };
            return await _store.TryUpdateReferralAsync(expired, referral.Version, cancellationToken).ConfigureAwait(false)
                ? new ReferralResult(ReferralOutcome.OutsideWindow, expired, true, string.Create(CultureInfo.InvariantCulture, $"the first payment came more than {_qualificationWindow.Days} days after attribution"))
                : null;
        }

        var assessment = _fraud.Assess(await SignalsAsync(referral.Referrer, referral.Referred, cancellationToken).ConfigureAwait(false));
        if (assessment.Verdict == FraudVerdict.Block)
        {
            var blocked = referral with { Status = ReferralStatus.Rejected, Findings = assessment.Findings, Payment = payment, ClosedAt = now, Note = Describe(assessment), Version = referral.Version + 1 };
            return await _store.TryUpdateReferralAsync(blocked, referral.Version, cancellationToken).ConfigureAwait(false)
                ? new ReferralResult(ReferralOutcome.Blocked, blocked, true, Describe(assessment))
                : null;
        }

        if (assessment.Verdict == FraudVerdict.Flag && !referral.Reviewed)
        {
            return await HoldAsync(referral, payment, assessment.Findings, cancellationToken).ConfigureAwait(false);
        }

        var limitReached = await ClaimAsync(referral, now, cancellationToken).ConfigureAwait(false);
        var qualified = referral with
        {
            Status = ReferralStatus.Qualified,
            Findings = assessment.Findings,
            Payment = payment,
            QualifiedAt = now,
            Rewards = Rewards(referral, payment, limitReached),
            ReferrerLimitReached = limitReached,
            Version = referral.Version + 1,
        };
        return await _store.TryUpdateReferralAsync(qualified, referral.Version, cancellationToken).ConfigureAwait(false)
            ? await CompleteAsync(qualified, true, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private async ValueTask<ReferralResult?> HoldAsync(Referral referral, ReferralPayment payment, ImmutableArray<FraudFinding> findings, CancellationToken cancellationToken)
    {
        if (referral.Status == ReferralStatus.Flagged && referral.Payment is not null)
        {
            return new ReferralResult(ReferralOutcome.HeldForReview, referral, false, "held for review; the payment was recorded");
        }

        var held = referral with { Status = ReferralStatus.Flagged, Findings = findings, Payment = payment, Version = referral.Version + 1 };
        return await _store.TryUpdateReferralAsync(held, referral.Version, cancellationToken).ConfigureAwait(false)
            ? new ReferralResult(ReferralOutcome.HeldForReview, held, true, string.Join("; ", findings.Select(f => $"{f.Check}: {f.Reason}")))
            : null;
    }

    /// <summary>Claims a reward slot for the referrer; returns whether the limit withheld it. A retry finds its claim.</summary>
    private async ValueTask<bool> ClaimAsync(Referral referral, Instant now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var account = await _store.FindReferrerAsync(referral.Referrer, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The store holds a referral from '{referral.Referrer}' but not the referrer.");
            if (account.Claims.Any(c => c.Referred == referral.Referred))
            {
                return false;
            }

            var since = now - _limitPeriod;
            if (account.Claims.Count(c => c.At > since) >= _limit)
            {
                return true;
            }

            var claimed = account with { Claims = account.Claims.Add(new RewardClaim(referral.Referred, now)), Version = account.Version + 1 };
            if (await _store.TryUpdateReferrerAsync(claimed, account.Version, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        throw Contended(referral.Referrer);
    }

    private ImmutableArray<ReferralReward> Rewards(Referral referral, ReferralPayment payment, bool limitReached)
    {
        var incentive = referral.Incentive;
        var rewards = ImmutableArray.CreateBuilder<ReferralReward>();
        var referred = referral.Referred;
        if (incentive.DiscountMonths > 0 && incentive.ReferredDiscountPercent > 0m)
        {
            rewards.Add(new ReferralReward(RewardKey(referred, ReferralRewardKind.ReferredDiscount), ReferralRewardKind.ReferredDiscount, referred, incentive.ReferredDiscountPercent, incentive.DiscountMonths, null, null,
                payment.ReferredMonthlyAmount * (incentive.ReferredDiscountPercent / 100m * incentive.DiscountMonths)));
        }

        if (limitReached)
        {
            return rewards.ToImmutable();
        }

        var referrer = referral.Referrer;
        if (incentive.DiscountMonths > 0 && incentive.ReferrerDiscountPercent > 0m)
        {
            rewards.Add(new ReferralReward(RewardKey(referred, ReferralRewardKind.ReferrerDiscount), ReferralRewardKind.ReferrerDiscount, referrer, incentive.ReferrerDiscountPercent, incentive.DiscountMonths, null, null,
                (payment.ReferrerMonthlyAmount ?? Money.Zero(_currency)) * (incentive.ReferrerDiscountPercent / 100m * incentive.DiscountMonths)));
        }

        if (incentive.ReferrerCredit.Amount > 0m)
        {
            rewards.Add(new ReferralReward(RewardKey(referred, ReferralRewardKind.ReferrerCredit), ReferralRewardKind.ReferrerCredit, referrer, null, null, incentive.ReferrerCredit, null, incentive.ReferrerCredit));
        }

        if (incentive.PremiumFeatureAccess)
        {
            rewards.Add(new ReferralReward(RewardKey(referred, ReferralRewardKind.PremiumFeatureAccess), ReferralRewardKind.PremiumFeatureAccess, referrer, null, null, null, null, Money.Zero(_currency)));
        }

        if (incentive.Points > 0)
        {
            rewards.Add(new ReferralReward(PointsKey(referred), ReferralRewardKind.Points, referrer, null, null, null, incentive.Points, _pointValue * incentive.Points));
        }

        return rewards.ToImmutable();
    }

    /// <summary>Posts a qualified referral's points (idempotent: the key is per referral and reward kind).</summary>
    private async ValueTask<ReferralResult> CompleteAsync(Referral referral, bool changed, CancellationToken cancellationToken)
    {
        await PostPointsAsync(referral, cancellationToken).ConfigureAwait(false);
        return new ReferralResult(ReferralOutcome.Qualified, referral, changed, changed
            ? (referral.ReferrerLimitReached ? "qualified; the referrer's rewards were withheld: limit of the period reached" : "qualified: rewards released")
            : "already qualified");
    }

    private async ValueTask<PostingResult?> PostPointsAsync(Referral referral, CancellationToken cancellationToken)
    {
        var points = referral.Rewards.IsDefault ? null : referral.Rewards.FirstOrDefault(r => r.Kind == ReferralRewardKind.Points);
        return points is { Points: { } amount }
            ? await _ledger.EarnOwnAsync(referral.Referrer, amount, points.Key, "Referral of " + referral.Referred, points.Key, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>
    /// Claws back a reversed referral's points: posts them first if a crash kept them from being posted (so a late
    /// retry of the qualification cannot post them afterwards), then reverses that posting. Both keyed, so idempotent.
    /// </summary>
    private async ValueTask ClawBackAsync(Referral referral, CancellationToken cancellationToken)
    {
        if (await PostPointsAsync(referral, cancellationToken).ConfigureAwait(false) is { Entry: { } earned })
        {
            await _ledger.ReverseOwnAsync(referral.Referrer, earned.Sequence, PointsKey(referral.Referred) + ":reversal", "Referral of " + referral.Referred + " refunded", cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class IdsOnly : IReferralSignalSource
    {
        public static readonly IdsOnly Instance = new();

        public ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ReferralSignals(referrer, referred));
    }
}

/// <summary>A referral or referrer record kept changing under the call (other writers won each time). Retry the call: every step is idempotent.</summary>
public sealed class ReferralConcurrencyException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="ReferralConcurrencyException"/> class.</summary>
    /// <param name="customer">The referred customer or referrer whose record was contended.</param>
    /// <param name="attempts">How many times the call tried.</param>
    public ReferralConcurrencyException(CustomerId customer, int attempts)
        : base($"The referral record of '{customer}' changed under the call {attempts} times. Retry the call.")
    {
        Customer = customer;
    }

    /// <summary>Gets the customer whose record was contended.</summary>
    public CustomerId Customer { get; }
}
