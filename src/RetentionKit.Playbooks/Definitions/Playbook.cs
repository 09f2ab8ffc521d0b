using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>
/// How a step reaches the customer (or the person who acts on it), by name: the four built-in channels, or any the host
/// names (<c>new PlaybookChannel("sms")</c>). The host registers an <see cref="IPlaybookChannel"/> for every channel an
/// enabled playbook uses. Two channels are the same when their names are, without regard to case.
/// </summary>
public sealed class PlaybookChannel : IEquatable<PlaybookChannel>
{
    /// <summary>Initializes a new instance of the <see cref="PlaybookChannel"/> class.</summary>
    /// <param name="name">The channel's name: letters, digits, '-', '_' or '.', at most 64 characters.</param>
    /// <param name="isContact">Whether a step on it reaches the customer and so counts against the daily contact cap (<see cref="PlaybookOptions.MaxContactsPerDay"/>); false for work the team does about the customer.</param>
    /// <exception cref="ArgumentException">The name is blank, too long or has another character.</exception>
    public PlaybookChannel(string name, bool isContact = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"A channel name has at most 64 characters, each a letter, a digit, '-', '_' or '.' (was '{name}').", nameof(name));
        }

        (Name, IsContact) = (name, isContact);
    }

    /// <summary>Gets an e-mail to the customer.</summary>
    public static PlaybookChannel Email { get; } = new("Email");

    /// <summary>Gets a message inside the product.</summary>
    public static PlaybookChannel InApp { get; } = new("InApp");

    /// <summary>Gets a task for a person on the team (a meeting, a review, a follow-up); not a contact.</summary>
    public static PlaybookChannel Task { get; } = new("Task", isContact: false);

    /// <summary>Gets a phone or video call a person makes.</summary>
    public static PlaybookChannel Call { get; } = new("Call");

    /// <summary>Gets the four built-in channels.</summary>
    public static ImmutableArray<PlaybookChannel> BuiltIn { get; } = [Email, InApp, Task, Call];

    /// <summary>Gets the channel's name.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether a step on this channel reaches the customer (counts against the daily contact cap).</summary>
    public bool IsContact { get; }

    /// <summary>Compares two channels by name.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether their names are the same without regard to case.</returns>
    public static bool operator ==(PlaybookChannel? left, PlaybookChannel? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two channels by name.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether their names differ.</returns>
    public static bool operator !=(PlaybookChannel? left, PlaybookChannel? right) => !(left == right);

    /// <inheritdoc/>
    public bool Equals(PlaybookChannel? other) => other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PlaybookChannel);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);

    /// <summary>Gets the name.</summary>
    /// <returns>The channel's name.</returns>
    public override string ToString() => Name;
}

/// <summary>Who owns a step.</summary>
public enum OwnerRole
{
    /// <summary>Sent automatically; nobody has to act.</summary>
    Automated = 0,

    /// <summary>The customer success manager.</summary>
    SuccessManager = 1,

    /// <summary>The account manager.</summary>
    AccountManager = 2,

    /// <summary>A director (escalations).</summary>
    Director = 3,

    /// <summary>Sales (upgrades, expansion).</summary>
    Sales = 4,

    /// <summary>Support (problems raised in feedback).</summary>
    Support = 5,
}

/// <summary>What a playbook is for. Interventions compete for a customer (one at a time, by priority); the lifecycle runs alongside.</summary>
public enum PlaybookKind
{
    /// <summary>Onboarding (B5).</summary>
    Onboarding = 0,

    /// <summary>Value-realisation milestones (B6).</summary>
    Milestones = 1,

    /// <summary>Check-ins (B7).</summary>
    CheckIn = 2,

    /// <summary>Feedback loop (B13).</summary>
    Feedback = 3,

    /// <summary>Re-engagement (B1), reactivation (B11).</summary>
    Engagement = 10,

    /// <summary>Success coaching (B2).</summary>
    Coaching = 11,

    /// <summary>Retention offer (B3), save conversation (B11).</summary>
    Retention = 12,

    /// <summary>Win-back after churn (B4).</summary>
    WinBack = 13,

    /// <summary>Upsell (B8).</summary>
    Upsell = 20,

    /// <summary>Cross-sell (B9).</summary>
    CrossSell = 21,
}

/// <summary>
/// One step of a playbook: on a calendar day counted from the enrolment's start in the customer's time zone, through a
/// channel, with a message template, owned by a role.
/// </summary>
public sealed record PlaybookStep
{
    /// <summary>Initializes a new instance of the <see cref="PlaybookStep"/> class.</summary>
    /// <param name="id">The step's id, unique in its playbook (part of the delivery's idempotency key).</param>
    /// <param name="day">The calendar day after the enrolment starts (0 = the start date); 0 to 3,650.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="template">The message template's id.</param>
    /// <param name="owner">Who owns the step.</param>
    /// <exception cref="ArgumentException">The id or template is blank, or the day is out of range.</exception>
    public PlaybookStep(string id, int day, PlaybookChannel channel, string template, OwnerRole owner = OwnerRole.Automated)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        ArgumentOutOfRangeException.ThrowIfNegative(day);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(day, 3_650);
        ArgumentNullException.ThrowIfNull(channel);

        (Id, Day, Channel, Template, Owner) = (id, day, channel, template, owner);
    }

    /// <summary>Gets the step's id, unique in its playbook.</summary>
    public string Id { get; }

    /// <summary>Gets the calendar day after the enrolment's start (0 = the start date), in the customer's time zone.</summary>
    public int Day { get; }

    /// <summary>Gets the channel.</summary>
    public PlaybookChannel Channel { get; }

    /// <summary>Gets the message template's id.</summary>
    public string Template { get; }

    /// <summary>Gets who owns the step.</summary>
    public OwnerRole Owner { get; }

    /// <summary>
    /// Gets the event this step waits for, when it is the timeout branch of a wait: the step is due only if the
    /// customer has not done <c>UnlessEvent</c> since the enrolment started ("if no answer within 2 days, escalate").
    /// Null for a step that always runs.
    /// </summary>
    public string? UnlessEvent { get; init; }

    /// <summary>
    /// Gets the local time, in the customer's zone, before which the step is not sent on its day; null for the
    /// playbook options' <see cref="PlaybookOptions.SendAt"/>. Honoured when a <see cref="IPlaybookStepScheduler"/>
    /// is registered (RetentionKit.Orleans' reminders): a run before that time holds the step and schedules its customer.
    /// </summary>
    public LocalTime? SendAt { get; init; }

    /// <summary>Gets the checklists that go with the step (a check-in's; an upsell's or cross-sell's expansion phases): what its owner makes sure of.</summary>
    public ImmutableArray<Checklist> Checklists { get; init; } = [];
}

/// <summary>
/// A playbook as immutable data: what starts it, its steps in order, when it stops early (its goal), how likely it is
/// to work, how it ranks against others, and how soon a customer may enter it again.
/// </summary>
public sealed record Playbook
{
    private int? _outcomeWindowDays;

    /// <summary>Initializes a new instance of the <see cref="Playbook"/> class.</summary>
    /// <param name="id">The playbook's id (part of enrolment ids and idempotency keys).</param>
    /// <param name="kind">What it is for.</param>
    /// <param name="trigger">What enrols a customer.</param>
    /// <param name="steps">The steps; at least one, ids unique, ordered by day.</param>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    public Playbook(string id, PlaybookKind kind, IPlaybookTrigger trigger, ImmutableArray<PlaybookStep> steps)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(trigger);
        if (steps.IsDefaultOrEmpty)
        {
            throw new ArgumentException("A playbook has at least one step.", nameof(steps));
        }

        if (steps.Any(s => s is null))
        {
            throw new ArgumentException("A playbook's steps are not null.", nameof(steps));
        }

        if (steps.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != steps.Length)
        {
            throw new ArgumentException($"The step ids of playbook '{id}' must be unique.", nameof(steps));
        }

        for (var i = 1; i < steps.Length; i++)
        {
            if (steps[i].Day < steps[i - 1].Day)
            {
                throw new ArgumentException($"The steps of playbook '{id}' must be in day order ('{steps[i].Id}' on day {steps[i].Day} follows day {steps[i - 1].Day}).", nameof(steps));
            }
        }

        (Id, Kind, Trigger, Steps) = (id, kind, trigger, steps);
    }

    /// <summary>Gets the playbook's id.</summary>
    public string Id { get; }

    /// <summary>Gets what the playbook is for.</summary>
    public PlaybookKind Kind { get; }

    /// <summary>Gets what enrols a customer.</summary>
    public IPlaybookTrigger Trigger { get; }

    /// <summary>Gets the steps, in day order.</summary>
    public ImmutableArray<PlaybookStep> Steps { get; }

    /// <summary>Gets the goal: when it is met the enrolment ends early (exit). Null for a playbook that runs to its last step.</summary>
    public IPlaybookGoal? Goal { get; init; }

    /// <summary>Gets the days between the trigger and the enrolment's start (B2 starts 24 hours after its trigger: 1).</summary>
    public int StartDelayDays { get; init; }

    /// <summary>Gets the expected success rate, as the source documents give it (a range).</summary>
    public (Rate Low, Rate High) ExpectedSuccess { get; init; }

    /// <summary>Gets the rank among interventions: the highest priority wins a customer; lifecycle playbooks do not compete.</summary>
    public int Priority { get; init; }

    /// <summary>Gets the days after an enrolment ends before the same customer may enter the playbook again.</summary>
    public int CooldownDays { get; init; } = 90;

    /// <summary>Gets whether the playbook makes a discount offer that must pay for itself: it enrols only when the offer's cost is below the expected saved value (M15).</summary>
    public bool HasOffer { get; init; }

    /// <summary>Gets what the playbook aims at, in words (B2: 60 %+ of features used).</summary>
    public string? Aim { get; init; }

    /// <summary>Gets whether only one enrolment ever per customer (onboarding, the first-year milestones).</summary>
    public bool Once { get; init; }

    /// <summary>Gets what counts as success for the playbook's enrolments (<see cref="EnrolmentOutcome"/>); null for a playbook whose outcome is not measured.</summary>
    public IOutcomeRule? Outcome { get; init; }

    /// <summary>
    /// Gets the days from an enrolment's start over which its outcome is decided (<see cref="Outcome"/>): by default the
    /// playbook's length plus 30 days. At least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1 or above 3,650.</exception>
    public int OutcomeWindowDays
    {
        get => _outcomeWindowDays ?? (LengthInDays + 30);
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 3_650);
            _outcomeWindowDays = value;
        }
    }

    /// <summary>Gets whether the playbook is an intervention (competes for the customer by priority) rather than part of the lifecycle.</summary>
    public bool IsIntervention => Kind >= PlaybookKind.Engagement;

    /// <summary>Gets whether the playbook sells (an upsell or cross-sell: never offered to a customer at risk).</summary>
    public bool IsExpansion => Kind is PlaybookKind.Upsell or PlaybookKind.CrossSell;

    /// <summary>Gets the number of days from the start to the last step.</summary>
    public int LengthInDays => Steps[^1].Day;
}
