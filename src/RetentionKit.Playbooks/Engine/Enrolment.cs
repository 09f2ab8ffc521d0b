using System;
using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>How an enrolment stands.</summary>
public enum EnrolmentStatus
{
    /// <summary>Running: steps are still to come.</summary>
    Active = 0,

    /// <summary>Every step was delivered or skipped.</summary>
    Completed = 1,

    /// <summary>Stopped early: the goal was met, a higher-priority playbook took the customer, or the customer became unsuitable.</summary>
    Exited = 2,
}

/// <summary>What happened to one step of an enrolment.</summary>
/// <param name="Step">The step's id.</param>
/// <param name="On">The date it was delivered or skipped, in the customer's zone.</param>
/// <param name="Skipped">Whether it was skipped (the event its wait was for happened) rather than delivered.</param>
public readonly record struct StepRecord(string Step, LocalDate On, bool Skipped = false)
{
    /// <summary>Gets whether the step fell due in a control enrolment (<see cref="Enrolment.IsControl"/>): counted against the caps as if delivered, never sent.</summary>
    public bool Withheld { get; init; }
}

/// <summary>
/// How an enrolment came out by its playbook's outcome rule (<see cref="Playbook.Outcome"/>) within the playbook's
/// outcome window (<see cref="Playbook.OutcomeWindowDays"/>). Decided once and then kept: a replay decides the same.
/// </summary>
/// <param name="Succeeded">Whether it succeeded.</param>
/// <param name="DecidedOn">The day it was decided (at the latest the window's last day).</param>
/// <param name="Reason">The rule, in words.</param>
public sealed record EnrolmentOutcome(bool Succeeded, LocalDate DecidedOn, string Reason);

/// <summary>
/// A customer's run through a playbook: when it started (the day its step days count from), what has been delivered,
/// and how it ended. Immutable: the engine returns changed copies and the <see cref="IEnrolmentStore"/> keeps them.
/// </summary>
/// <param name="Customer">The customer.</param>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="StartedOn">The day the step days count from, in the customer's zone.</param>
/// <param name="Variant">The A/B variant assigned (stable for the customer and the playbook); null without variants.</param>
public sealed record Enrolment(CustomerId Customer, string Playbook, LocalDate StartedOn, string? Variant = null)
{
    // The id, worked out once; a copy made with other key fields works it out again.
    private (CustomerId Customer, string Playbook, LocalDate StartedOn, string Id)? _id;

    /// <summary>Gets the enrolment's id: customer, playbook and start date, so the same trigger on the same day enrols once.</summary>
    public string Id
    {
        get
        {
            if (_id is { } cached && cached.Customer == Customer && ReferenceEquals(cached.Playbook, Playbook) && cached.StartedOn == StartedOn)
            {
                return cached.Id;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{Customer}/{Playbook}/{StartedOn.Year:D4}-{StartedOn.Month:D2}-{StartedOn.Day:D2}");
            _id = (Customer, Playbook, StartedOn, id);
            return id;
        }
    }

    /// <summary>Gets how the enrolment stands.</summary>
    public EnrolmentStatus Status { get; init; } = EnrolmentStatus.Active;

    /// <summary>Gets the steps delivered or skipped so far, in order.</summary>
    public ImmutableArray<StepRecord> Steps { get; init; } = [];

    /// <summary>Gets the date it ended; null while active.</summary>
    public LocalDate? EndedOn { get; init; }

    /// <summary>Gets the retention offer chosen when the customer enrolled (<see cref="RetentionOffer.Name"/>); null for other playbooks.</summary>
    public string? Offer { get; init; }

    /// <summary>Gets the improved offer the day-3 escalation may make (<see cref="RetentionOffer.Name"/>); null when none is worth its cost.</summary>
    public string? ImprovedOffer { get; init; }

    /// <summary>Gets why it ended; null while active.</summary>
    public string? EndReason { get; init; }

    /// <summary>
    /// Gets whether the enrolment is in the playbook's control group (<see cref="PlaybookOptions.HoldoutShare"/>): it runs
    /// like any other — it holds the customer's intervention slot, its steps count against the caps, its outcome is
    /// decided — but nothing is delivered.
    /// </summary>
    public bool IsControl { get; init; }

    /// <summary>Gets the outcome by the playbook's outcome rule; null until decided, and always for a playbook without one.</summary>
    public EnrolmentOutcome? Outcome { get; init; }

    /// <summary>Gets whether it is still running.</summary>
    public bool IsActive => Status == EnrolmentStatus.Active;

    /// <summary>Gets whether a step has been delivered or skipped.</summary>
    /// <param name="step">The step's id.</param>
    /// <returns>Whether it is done.</returns>
    public bool HasDone(string step)
    {
        foreach (var s in Steps)
        {
            if (string.Equals(s.Step, step, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compares every field, the step records by content.</summary>
    /// <param name="other">The other enrolment.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(Enrolment? other) =>
        other is not null && Customer == other.Customer && string.Equals(Playbook, other.Playbook, StringComparison.Ordinal) && StartedOn == other.StartedOn
        && string.Equals(Variant, other.Variant, StringComparison.Ordinal) && Status == other.Status && EndedOn == other.EndedOn
        && string.Equals(EndReason, other.EndReason, StringComparison.Ordinal) && string.Equals(Offer, other.Offer, StringComparison.Ordinal)
        && string.Equals(ImprovedOffer, other.ImprovedOffer, StringComparison.Ordinal) && IsControl == other.IsControl && Equals(Outcome, other.Outcome)
        && Steps.AsSpan().SequenceEqual(other.Steps.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Customer, Playbook, StartedOn, Status, Steps.Length);

    /// <summary>Gets the idempotency key of one of its steps: the same for every run, so a channel can refuse a second delivery.</summary>
    /// <param name="step">The step's id.</param>
    /// <returns>The key.</returns>
    public string KeyOf(string step) => Id + "/" + step;
}
