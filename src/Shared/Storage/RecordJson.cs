using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Scoring;

namespace RetentionKit.Storage.Internal;

/// <summary>
/// The referral records as JSON (System.Text.Json, source-generated): plain shapes with every value spelled out —
/// instants as ticks plus nanoseconds, money as amount, code and minor units — so that a record reads back equal to
/// the one written and the text stays readable in the database.
/// </summary>
internal static class RecordJson
{
    public static string Write(ReferrerAccount account) => JsonSerializer.Serialize(ReferrerShape.Of(account), RecordJsonContext.Default.ReferrerShape);

    public static ReferrerAccount ReadReferrer(string json) => (JsonSerializer.Deserialize(json, RecordJsonContext.Default.ReferrerShape) ?? throw new JsonException("A referrer record is empty.")).ToRecord();

    public static string Write(Referral referral) => JsonSerializer.Serialize(ReferralShape.Of(referral), RecordJsonContext.Default.ReferralShape);

    public static Referral ReadReferral(string json) => (JsonSerializer.Deserialize(json, RecordJsonContext.Default.ReferralShape) ?? throw new JsonException("A referral record is empty.")).ToRecord();

    public static string Write(Enrolment enrolment) => JsonSerializer.Serialize(EnrolmentShape.Of(enrolment), RecordJsonContext.Default.EnrolmentShape);

    public static Enrolment ReadEnrolment(string json) => (JsonSerializer.Deserialize(json, RecordJsonContext.Default.EnrolmentShape) ?? throw new JsonException("An enrolment record is empty.")).ToRecord();

    public static string Write(FeedbackItem item) => JsonSerializer.Serialize(FeedbackShape.Of(item), RecordJsonContext.Default.FeedbackShape);

    public static FeedbackItem ReadFeedback(string json) => (JsonSerializer.Deserialize(json, RecordJsonContext.Default.FeedbackShape) ?? throw new JsonException("A feedback record is empty.")).ToRecord();

    public static string Write(PartitionResult result) => JsonSerializer.Serialize(PartitionResultShape.Of(result), RecordJsonContext.Default.PartitionResultShape);

    public static PartitionResult ReadPartitionResult(string json) => (JsonSerializer.Deserialize(json, RecordJsonContext.Default.PartitionResultShape) ?? throw new JsonException("A run partition's result is empty.")).ToRecord();
}

internal sealed record RunFailureShape(string Customer, string Step, string Reason, int Attempts);

internal sealed record StepTimingShape(string Step, long Nanoseconds);

internal sealed record PartitionResultShape(
    string Date,
    int Partition,
    int Partitions,
    string Instance,
    InstantShape StartedAt,
    InstantShape CompletedAt,
    int Customers,
    int Scored,
    int Alerts,
    int PointsExpired,
    int EnrolmentsStarted,
    int Delivered,
    List<RunFailureShape> Failures,
    List<StepTimingShape> Steps)
{
    public static PartitionResultShape Of(PartitionResult r) => new(
        LocalDatePattern.Iso.Format(r.Date),
        r.Partition.Index,
        r.Partition.Count,
        r.Instance,
        InstantShape.Of(r.StartedAt),
        InstantShape.Of(r.CompletedAt),
        r.Customers,
        r.Scored,
        r.Alerts,
        r.PointsExpired,
        r.EnrolmentsStarted,
        r.Delivered,
        [.. (r.Failures.IsDefault ? [] : r.Failures).Select(f => new RunFailureShape(f.Customer.Value, f.Step, f.Reason, f.Attempts))],
        [.. (r.Steps.IsDefault ? [] : r.Steps).Select(s => new StepTimingShape(s.Step, s.Duration.ToInt64Nanoseconds()))]);

    public PartitionResult ToRecord() => new()
    {
        Date = LocalDatePattern.Iso.Parse(Date).GetValueOrThrow(),
        Partition = new RunPartition(Partition, Partitions),
        Instance = Instance,
        StartedAt = StartedAt.ToInstant(),
        CompletedAt = CompletedAt.ToInstant(),
        Customers = Customers,
        Scored = Scored,
        Alerts = Alerts,
        PointsExpired = PointsExpired,
        EnrolmentsStarted = EnrolmentsStarted,
        Delivered = Delivered,
        Failures = [.. Failures.Select(f => new RunFailure(new CustomerId(f.Customer), f.Step, f.Reason, f.Attempts))],
        Steps = [.. Steps.Select(s => new StepTiming(s.Step, Duration.FromNanoseconds(s.Nanoseconds)))],
    };
}

internal sealed record StepShape(string Step, string On, bool Skipped, bool Withheld = false);

internal sealed record OutcomeShape(bool Succeeded, string DecidedOn, string Reason);

internal sealed record EnrolmentShape(string Customer, string Playbook, string StartedOn, string? Variant, EnrolmentStatus Status, List<StepShape> Steps, string? EndedOn, string? EndReason, string? Offer = null, string? ImprovedOffer = null, bool Control = false, OutcomeShape? Outcome = null)
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    public static EnrolmentShape Of(Enrolment e) => new(
        e.Customer.Value,
        e.Playbook,
        Iso.Format(e.StartedOn),
        e.Variant,
        e.Status,
        [.. (e.Steps.IsDefault ? [] : e.Steps).Select(s => new StepShape(s.Step, Iso.Format(s.On), s.Skipped, s.Withheld))],
        e.EndedOn is { } ended ? Iso.Format(ended) : null,
        e.EndReason,
        e.Offer,
        e.ImprovedOffer,
        e.IsControl,
        e.Outcome is { } o ? new OutcomeShape(o.Succeeded, Iso.Format(o.DecidedOn), o.Reason) : null);

    public Enrolment ToRecord() => new(new CustomerId(Customer), Playbook, Iso.Parse(StartedOn).GetValueOrThrow(), Variant)
    {
        Status = Status,
        Steps = [.. Steps.Select(s => new StepRecord(s.Step, Iso.Parse(s.On).GetValueOrThrow(), s.Skipped) { Withheld = s.Withheld })],
        EndedOn = EndedOn is null ? null : Iso.Parse(EndedOn).GetValueOrThrow(),
        EndReason = EndReason,
        Offer = Offer,
        ImprovedOffer = ImprovedOffer,
        IsControl = Control,
        Outcome = Outcome is null ? null : new EnrolmentOutcome(Outcome.Succeeded, Iso.Parse(Outcome.DecidedOn).GetValueOrThrow(), Outcome.Reason),
    };
}

internal sealed record FeedbackActionShape(FeedbackActionKind Kind, string Due, string Template, string? Team, string? DoneOn, bool Cancelled);

internal sealed record FeedbackShape(
    string Id,
    string Customer,
    string ReceivedOn,
    FeedbackSource Source,
    string? Text,
    int? Nps,
    double? Satisfaction,
    double? Sentiment,
    SentimentBand? Band,
    List<string> Topics,
    ImprovementArea? Area,
    string Team,
    double Urgency,
    int HalfLifeDays,
    FeedbackPriority Level,
    List<FeedbackActionShape> Actions,
    string? ResolvedOn,
    string? Resolution)
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    public static FeedbackShape Of(FeedbackItem i) => new(
        i.Feedback.Id,
        i.Feedback.Customer.Value,
        Iso.Format(i.Feedback.ReceivedOn),
        i.Feedback.Source,
        i.Feedback.Text,
        i.Feedback.Nps,
        i.Feedback.Satisfaction,
        i.Sentiment,
        i.Band,
        [.. i.Topics],
        i.Area,
        i.Team,
        i.Urgency,
        i.HalfLifeDays,
        i.Level,
        [.. i.Actions.Select(a => new FeedbackActionShape(a.Kind, Iso.Format(a.Due), a.Template, a.Team, a.DoneOn is { } d ? Iso.Format(d) : null, a.Cancelled))],
        i.ResolvedOn is { } r ? Iso.Format(r) : null,
        i.Resolution);

    public FeedbackItem ToRecord() => new(
        new FeedbackRecord(Id, new CustomerId(Customer), Iso.Parse(ReceivedOn).GetValueOrThrow(), Source, Text, Nps, Satisfaction),
        Sentiment,
        Band,
        [.. Topics],
        Area,
        Team,
        Urgency,
        HalfLifeDays,
        Level,
        [.. Actions.Select(a => new FeedbackAction(a.Kind, Iso.Parse(a.Due).GetValueOrThrow(), a.Template, a.Team, a.DoneOn is null ? null : Iso.Parse(a.DoneOn).GetValueOrThrow(), a.Cancelled))])
    {
        ResolvedOn = ResolvedOn is null ? null : Iso.Parse(ResolvedOn).GetValueOrThrow(),
        Resolution = Resolution,
    };
}

internal sealed record InstantShape(long Ticks, int Nanos)
{
    public static InstantShape Of(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        return new(ticks, (instant - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds);
    }

    public static InstantShape? Of(Instant? instant) => instant is { } i ? Of(i) : null;

    public Instant ToInstant() => Instant.FromUnixTimeTicks(Ticks) + Duration.FromNanoseconds(Nanos);
}

internal sealed record MoneyShape(decimal Amount, string Currency, int MinorUnits)
{
    public static MoneyShape Of(Money money) => new(money.Amount, money.Currency.Code, money.Currency.MinorUnits);

    public static MoneyShape? Of(Money? money) => money is { } m ? Of(m) : null;

    public Money ToMoney() => new(Amount, RetentionKit.Currency.TryFromIso(Currency, out var iso) && iso.MinorUnits == MinorUnits ? iso : RetentionKit.Currency.Custom(Currency, MinorUnits));
}

internal sealed record ClaimShape(string Referred, InstantShape At);

internal sealed record ReferrerShape(string Referrer, string Code, InstantShape IssuedAt, List<ClaimShape> Claims, long Version)
{
    public static ReferrerShape Of(ReferrerAccount a) =>
        new(a.Referrer.Value, a.Code.Value, InstantShape.Of(a.IssuedAt), [.. (a.Claims.IsDefault ? [] : a.Claims).Select(c => new ClaimShape(c.Referred.Value, InstantShape.Of(c.At)))], a.Version);

    public ReferrerAccount ToRecord() =>
        new(new CustomerId(Referrer), ReferralCode.Parse(Code), IssuedAt.ToInstant(), [.. Claims.Select(c => new RewardClaim(new CustomerId(c.Referred), c.At.ToInstant()))], Version);
}

internal sealed record IncentiveShape(string Name, decimal ReferrerDiscountPercent, decimal ReferredDiscountPercent, int DiscountMonths, MoneyShape ReferrerCredit, bool PremiumFeatureAccess, long Points);

internal sealed record FindingShape(string Check, FraudVerdict Verdict, string Reason);

internal sealed record PaymentShape(string Reference, MoneyShape ReferredMonthlyAmount, MoneyShape? ReferrerMonthlyAmount);

internal sealed record RewardShape(string Key, ReferralRewardKind Kind, string Beneficiary, decimal? Percent, int? Months, MoneyShape? Amount, long? Points, MoneyShape Cost);

internal sealed record ReferralShape(
    string Referred,
    string Referrer,
    string Code,
    IncentiveShape Incentive,
    ReferralStatus Status,
    InstantShape AttributedAt,
    long Version,
    List<FindingShape> Findings,
    PaymentShape? Payment,
    InstantShape? QualifiedAt,
    List<RewardShape>? Rewards,
    bool ReferrerLimitReached,
    bool Reviewed,
    InstantShape? ClosedAt,
    string? Note)
{
    public static ReferralShape Of(Referral r)
    {
        var i = r.Incentive;
        return new(
            r.Referred.Value,
            r.Referrer.Value,
            r.Code.Value,
            new IncentiveShape(i.Name, i.ReferrerDiscountPercent, i.ReferredDiscountPercent, i.DiscountMonths, MoneyShape.Of(i.ReferrerCredit), i.PremiumFeatureAccess, i.Points),
            r.Status,
            InstantShape.Of(r.AttributedAt),
            r.Version,
            [.. (r.Findings.IsDefault ? [] : r.Findings).Select(f => new FindingShape(f.Check, f.Verdict, f.Reason))],
            r.Payment is { } p ? new PaymentShape(p.Reference, MoneyShape.Of(p.ReferredMonthlyAmount), MoneyShape.Of(p.ReferrerMonthlyAmount)) : null,
            InstantShape.Of(r.QualifiedAt),
            r.Rewards.IsDefault ? null : [.. r.Rewards.Select(w => new RewardShape(w.Key, w.Kind, w.Beneficiary.Value, w.Percent, w.Months, MoneyShape.Of(w.Amount), w.Points, MoneyShape.Of(w.Cost)))],
            r.ReferrerLimitReached,
            r.Reviewed,
            InstantShape.Of(r.ClosedAt),
            r.Note);
    }

    public Referral ToRecord() => new(
        new CustomerId(Referred),
        new CustomerId(Referrer),
        ReferralCode.Parse(Code),
        new ReferralIncentive(Incentive.Name, Incentive.ReferrerDiscountPercent, Incentive.ReferredDiscountPercent, Incentive.DiscountMonths, Incentive.ReferrerCredit.ToMoney(), Incentive.PremiumFeatureAccess, Incentive.Points),
        Status,
        AttributedAt.ToInstant(),
        Version,
        [.. Findings.Select(f => new FraudFinding(f.Check, f.Verdict, f.Reason))],
        Payment is { } p ? new ReferralPayment(p.Reference, p.ReferredMonthlyAmount.ToMoney(), p.ReferrerMonthlyAmount?.ToMoney()) : null,
        QualifiedAt?.ToInstant(),
        Rewards is null ? default : [.. Rewards.Select(w => new ReferralReward(w.Key, w.Kind, new CustomerId(w.Beneficiary), w.Percent, w.Months, w.Amount?.ToMoney(), w.Points, w.Cost.ToMoney()))],
        ReferrerLimitReached,
        Reviewed,
        ClosedAt?.ToInstant(),
        Note);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IEnumerable<string>))]
[JsonSerializable(typeof(IEnumerable<long>))]
[JsonSerializable(typeof(ReferrerShape))]
[JsonSerializable(typeof(PartitionResultShape))]
[JsonSerializable(typeof(ReferralShape))]
[JsonSerializable(typeof(EnrolmentShape))]
[JsonSerializable(typeof(FeedbackShape))]
internal sealed partial class RecordJsonContext : JsonSerializerContext;
