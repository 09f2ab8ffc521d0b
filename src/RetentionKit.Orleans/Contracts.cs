using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using NodaTime;
using Orleans;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Orleans;

/// <summary>The result of a posting through a <see cref="ICustomerGrain"/>, as it crosses the cluster.</summary>
/// <param name="Status">The posting's status (<see cref="PostingStatus"/>'s name): posted, or why not.</param>
/// <param name="Entry">The entry's sequence number; null when nothing was posted.</param>
/// <param name="Balance">The balance after it.</param>
/// <param name="Replayed">Whether the idempotency key had been used: the first result, returned again.</param>
[GenerateSerializer]
[Immutable]
public sealed record LedgerPosting([property: Id(0)] string Status, [property: Id(1)] long? Entry, [property: Id(2)] long Balance, [property: Id(3)] bool Replayed)
{
    internal static LedgerPosting From(PostingResult result) => new(result.Status.ToString(), result.Entry?.Sequence, result.Balance, result.Replayed);
}

/// <summary>One entry of a customer's ledger, as it crosses the cluster.</summary>
/// <param name="Sequence">The entry's position: 1, 2, 3 … without gaps.</param>
/// <param name="IdempotencyKey">The key it was posted with.</param>
/// <param name="Kind">What it does (<see cref="PostingKind"/>'s name).</param>
/// <param name="Points">The points, signed for the member.</param>
/// <param name="At">When it was posted.</param>
/// <param name="ExpiresAt">When an earned lot expires; null otherwise.</param>
/// <param name="Reverses">The entry it reverses; null otherwise.</param>
/// <param name="Reason">Why.</param>
[GenerateSerializer]
[Immutable]
public sealed record LedgerLine(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Kind,
    [property: Id(3)] long Points,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] long? Reverses,
    [property: Id(7)] string Reason)
{
    /// <summary>The line of a ledger entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The line.</returns>
    public static LedgerLine From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Sequence, entry.IdempotencyKey, entry.Kind.ToString(), entry.Points, entry.At.ToDateTimeOffset(), entry.ExpiresAt?.ToDateTimeOffset(), entry.Reverses, entry.Reason);
    }
}

/// <summary>The outcome of a referral attribution through a <see cref="ICustomerGrain"/>.</summary>
/// <param name="Outcome">The outcome (<see cref="Loyalty.Referrals.ReferralOutcome"/>'s name): attributed, held for review, or why not.</param>
/// <param name="Referrer">The referrer the customer is attributed to; null when none.</param>
/// <param name="Changed">Whether this call changed the referral store.</param>
/// <param name="Reason">Why, in words.</param>
[GenerateSerializer]
[Immutable]
public sealed record ReferralAttribution([property: Id(0)] string Outcome, [property: Id(1)] string? Referrer, [property: Id(2)] bool Changed, [property: Id(3)] string Reason)
{
    internal static ReferralAttribution From(Loyalty.Referrals.ReferralResult result) =>
        new(result.Outcome.ToString(), result.Referral?.Referrer.Value, result.Changed, result.Reason);
}

/// <summary>A playbook enrolment, as it crosses the cluster.</summary>
/// <param name="Id">The enrolment's id (customer, playbook, start date).</param>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="Status">Where it stands (<see cref="Playbooks.EnrolmentStatus"/>'s name).</param>
/// <param name="StartedOn">The start date, <c>yyyy-MM-dd</c>.</param>
/// <param name="EndedOn">The end date; null while active.</param>
/// <param name="IsControl">Whether the customer is in the playbook's control group (steps withheld).</param>
/// <param name="Steps">The steps recorded, <c>step@yyyy-MM-dd</c>, with <c>~</c> for skipped and <c>!</c> for withheld.</param>
/// <param name="Outcome">The outcome once decided: <c>succeeded</c> or <c>failed</c>; null while open.</param>
[GenerateSerializer]
[Immutable]
public sealed record EnrolmentLine(
    [property: Id(0)] string Id,
    [property: Id(1)] string Playbook,
    [property: Id(2)] string Status,
    [property: Id(3)] string StartedOn,
    [property: Id(4)] string? EndedOn,
    [property: Id(5)] bool IsControl,
    [property: Id(6)] ImmutableArray<string> Steps,
    [property: Id(7)] string? Outcome)
{
    /// <summary>The line of an enrolment.</summary>
    /// <param name="enrolment">The enrolment.</param>
    /// <returns>The line.</returns>
    public static EnrolmentLine From(Playbooks.Enrolment enrolment)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        return new(
            enrolment.Id,
            enrolment.Playbook,
            enrolment.Status.ToString(),
            Iso(enrolment.StartedOn),
            enrolment.EndedOn is { } ended ? Iso(ended) : null,
            enrolment.IsControl,
            [.. enrolment.Steps.Select(r => r.Step + "@" + Iso(r.On) + (r.Skipped ? "~" : string.Empty) + (r.Withheld ? "!" : string.Empty))],
            enrolment.Outcome is null ? null : enrolment.Outcome.Succeeded ? "succeeded" : "failed");
    }

    /// <summary>Returns whether every field is equal, the steps compared item by item.</summary>
    /// <param name="other">The other line.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(EnrolmentLine? other) =>
        other is not null && (Id, Playbook, Status, StartedOn, EndedOn, IsControl, Outcome) == (other.Id, other.Playbook, other.Status, other.StartedOn, other.EndedOn, other.IsControl, other.Outcome)
        && Steps.AsSpan().SequenceEqual(other.Steps.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Status, Steps.Length);

    internal static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A recorded score, as it crosses the cluster.</summary>
/// <param name="Date">The score's date, <c>yyyy-MM-dd</c>.</param>
/// <param name="RetentionScore">The retention score, 0–100; null when it could not be computed.</param>
/// <param name="Band">The retention band's name; null with the score.</param>
/// <param name="RiskScore">The churn-risk score, 0–100; null when it could not be computed.</param>
/// <param name="Level">The risk level's name.</param>
/// <param name="ChurnProbability">The churn probability; null when none.</param>
[GenerateSerializer]
[Immutable]
public sealed record ScoreLine(
    [property: Id(0)] string Date,
    [property: Id(1)] double? RetentionScore,
    [property: Id(2)] string? Band,
    [property: Id(3)] double? RiskScore,
    [property: Id(4)] string Level,
    [property: Id(5)] double? ChurnProbability)
{
    internal static ScoreLine From(Scoring.ScoreRecord record) =>
        new(EnrolmentLine.Iso(record.Date), record.RetentionScore, record.Band?.ToString(), record.RiskScore, record.Level.ToString(), record.ChurnProbability);
}
