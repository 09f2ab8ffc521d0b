using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Scoring;

namespace RetentionKit.Playbooks;

/// <summary>How urgent a feedback item is, by its priority.</summary>
public enum FeedbackPriority
{
    /// <summary>Below <see cref="FeedbackOptions.NormalFrom"/>.</summary>
    Low = 0,

    /// <summary>From <see cref="FeedbackOptions.NormalFrom"/>.</summary>
    Normal = 1,

    /// <summary>From <see cref="FeedbackOptions.HighFrom"/>.</summary>
    High = 2,

    /// <summary>From <see cref="FeedbackOptions.UrgentFrom"/>.</summary>
    Urgent = 3,
}

/// <summary>The document's four feedback actions.</summary>
public enum FeedbackActionKind
{
    /// <summary>The automatic answer to the customer, the day the feedback arrives.</summary>
    ImmediateResponse = 0,

    /// <summary>A task for the team that owns the topic, the day the feedback arrives.</summary>
    Escalation = 1,

    /// <summary>A check with the customer, due <see cref="FeedbackOptions.FollowUpAfterDays"/> later unless the item is resolved.</summary>
    FollowUp = 2,

    /// <summary>The message that tells the customer what was done: due when resolved, expected within <see cref="FeedbackOptions.ResolveWithinDays"/>.</summary>
    Resolution = 3,
}

/// <summary>One action of a feedback item.</summary>
/// <param name="Kind">What the action is.</param>
/// <param name="Due">The day it is due.</param>
/// <param name="Template">The message template it uses (see <see cref="TemplateIds"/>).</param>
/// <param name="Team">The team that owns it (escalations), or null for a message to the customer.</param>
/// <param name="DoneOn">The day it was done, or null.</param>
/// <param name="Cancelled">Whether it was cancelled (a follow-up once the item is resolved).</param>
public sealed record FeedbackAction(FeedbackActionKind Kind, LocalDate Due, string Template, string? Team, LocalDate? DoneOn = null, bool Cancelled = false)
{
    /// <summary>Gets whether the action still has to be done.</summary>
    public bool IsPending => DoneOn is null && !Cancelled;

    /// <summary>Returns whether the action is pending and was due before a day.</summary>
    /// <param name="asOf">The day to judge on.</param>
    /// <returns>True when it is late.</returns>
    public bool IsOverdueOn(LocalDate asOf) => IsPending && Due < asOf;
}

/// <summary>
/// A piece of feedback as analysed (sentiment, topics, owning team, priority) with the actions it calls for, and
/// whether it is resolved. Immutable: <see cref="Complete"/> and <see cref="Resolve"/> return a new item.
/// </summary>
public sealed record FeedbackItem
{
    /// <summary>Initializes a new instance of the <see cref="FeedbackItem"/> class: what <see cref="FeedbackAnalyzer.Analyze"/> makes, and what a store reads back.</summary>
    /// <param name="feedback">The feedback.</param>
    /// <param name="sentiment">Its sentiment in [0, 1], or null.</param>
    /// <param name="band">The sentiment's band, or null.</param>
    /// <param name="topics">The topics, the main one first.</param>
    /// <param name="area">The main topic's improvement area, or null.</param>
    /// <param name="team">The owning team.</param>
    /// <param name="urgency">The priority on arrival, 0–100.</param>
    /// <param name="halfLifeDays">The days after which the priority halves, at least 1.</param>
    /// <param name="level">The priority level on arrival.</param>
    /// <param name="actions">The actions, at most one of each kind.</param>
    /// <exception cref="ArgumentNullException"><paramref name="feedback"/> is null.</exception>
    /// <exception cref="ArgumentException">The team is blank, a topic is blank, an action is null or repeated, or the band is given without a sentiment.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sentiment, urgency or half-life is out of range.</exception>
    public FeedbackItem(FeedbackRecord feedback, double? sentiment, SentimentBand? band, ImmutableArray<string> topics, ImprovementArea? area, string team, double urgency, int halfLifeDays, FeedbackPriority level, ImmutableArray<FeedbackAction> actions)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentException.ThrowIfNullOrWhiteSpace(team);
        if (sentiment is { } s)
        {
            RetentionKit.Internal.Guard.FiniteInRange(s, 0d, 1d, nameof(sentiment));
        }
        else if (band is not null)
        {
            throw new ArgumentException("band must be null when sentiment is.", nameof(band));
        }

        RetentionKit.Internal.Guard.FiniteInRange(urgency, 0d, 100d);
        ArgumentOutOfRangeException.ThrowIfLessThan(halfLifeDays, 1);
        if (topics.IsDefault || topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("topics must not be default or hold a blank topic.", nameof(topics));
        }

        if (actions.IsDefault || !DistinctKinds(actions))
        {
            throw new ArgumentException("actions must not be default, hold null, or hold two actions of one kind.", nameof(actions));
        }

        Feedback = feedback;
        Sentiment = sentiment;
        Band = band;
        Topics = topics;
        Area = area;
        Team = team;
        Urgency = urgency;
        HalfLifeDays = halfLifeDays;
        Level = level;
        Actions = actions;
    }

    /// <summary>Gets the feedback.</summary>
    public FeedbackRecord Feedback { get; }

    /// <summary>Gets the feedback's sentiment in [0, 1] (text, NPS and rating combined), or null when the analyser could not read the text and there is no score.</summary>
    public double? Sentiment { get; }

    /// <summary>Gets the sentiment's band, or null with the sentiment.</summary>
    public SentimentBand? Band { get; }

    /// <summary>Gets the topics, the main one first.</summary>
    public ImmutableArray<string> Topics { get; }

    /// <summary>Gets the improvement the main topic asks for, or null when no topic of the taxonomy matched.</summary>
    public ImprovementArea? Area { get; }

    /// <summary>Gets the team that owns the item: the main topic's, else the default team.</summary>
    public string Team { get; }

    /// <summary>Gets the priority on the day the feedback arrived, 0–100.</summary>
    public double Urgency { get; }

    /// <summary>Gets the days after which the priority halves.</summary>
    public int HalfLifeDays { get; }

    /// <summary>Gets the priority level on the day the feedback arrived.</summary>
    public FeedbackPriority Level { get; }

    /// <summary>Gets the actions, in the order of <see cref="FeedbackActionKind"/>.</summary>
    public ImmutableArray<FeedbackAction> Actions { get; init; }

    /// <summary>Gets the day the item was resolved, or null while it is open.</summary>
    public LocalDate? ResolvedOn { get; init; }

    /// <summary>Gets what was done, as told to the customer, or null while open.</summary>
    public string? Resolution { get; init; }

    /// <summary>Gets whether the item is still open.</summary>
    public bool IsOpen => ResolvedOn is null;

    /// <summary>Returns the priority on a day: <see cref="Urgency"/> halved every <see cref="HalfLifeDays"/> days since the feedback.</summary>
    /// <param name="asOf">The day.</param>
    /// <returns>The priority, 0–100.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before the feedback arrived.</exception>
    public double PriorityOn(LocalDate asOf)
    {
        var age = Period.DaysBetween(Feedback.ReceivedOn, asOf);
        if (age < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"asOf must not be before the feedback arrived ({Feedback.ReceivedOn:uuuu-MM-dd}).");
        }

        return Urgency * Math.Pow(0.5, age / (double)HalfLifeDays);
    }

    /// <summary>Returns the item with an action done.</summary>
    /// <param name="kind">The action.</param>
    /// <param name="day">The day it was done.</param>
    /// <returns>The new item; the same item when the action was already done on that day.</returns>
    /// <exception cref="InvalidOperationException">The item has no such action, or it was cancelled or done on another day.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="day"/> is before the feedback arrived.</exception>
    public FeedbackItem Complete(FeedbackActionKind kind, LocalDate day)
    {
        NotBeforeArrival(day, nameof(day));
        var index = -1;
        for (var i = 0; i < Actions.Length && index < 0; i++)
        {
            index = Actions[i].Kind == kind ? i : -1;
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"Feedback {Feedback.Id} has no {kind} action.");
        }

        var action = Actions[index];
        if (action.DoneOn == day)
        {
            return this;
        }

        if (!action.IsPending)
        {
            throw new InvalidOperationException($"Feedback {Feedback.Id}'s {kind} action is already {(action.Cancelled ? "cancelled" : $"done on {action.DoneOn:uuuu-MM-dd}")}.");
        }

        return this with { Actions = Actions.SetItem(index, action with { DoneOn = day }) };
    }

    /// <summary>
    /// Returns the item resolved: the follow-up is cancelled if it was still pending, an escalation still pending is
    /// done on that day, and the resolution message falls due that day.
    /// </summary>
    /// <param name="day">The day it was resolved.</param>
    /// <param name="resolution">What was done, as told to the customer.</param>
    /// <returns>The new item; the same item when it was already resolved that day with that text.</returns>
    /// <exception cref="ArgumentException"><paramref name="resolution"/> is blank.</exception>
    /// <exception cref="InvalidOperationException">The item was already resolved otherwise.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="day"/> is before the feedback arrived.</exception>
    public FeedbackItem Resolve(LocalDate day, string resolution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resolution);
        NotBeforeArrival(day, nameof(day));
        if (ResolvedOn is { } resolved)
        {
            return resolved == day && resolution == Resolution
                ? this
                : throw new InvalidOperationException($"Feedback {Feedback.Id} was already resolved on {resolved:uuuu-MM-dd}.");
        }

        var actions = Actions.Select(a => a switch
        {
            { Kind: FeedbackActionKind.FollowUp, IsPending: true } => a with { Cancelled = true },
            { Kind: FeedbackActionKind.Escalation, IsPending: true } => a with { DoneOn = day },
            { Kind: FeedbackActionKind.Resolution, IsPending: true } => a with { Due = day },
            _ => a,
        });
        return this with { ResolvedOn = day, Resolution = resolution, Actions = [.. actions] };
    }

    /// <summary>Returns the actions pending and due before a day.</summary>
    /// <param name="asOf">The day.</param>
    /// <returns>The late actions.</returns>
    public ImmutableArray<FeedbackAction> OverdueOn(LocalDate asOf) => [.. Actions.Where(a => a.IsOverdueOn(asOf))];

    private void NotBeforeArrival(LocalDate day, string name)
    {
        if (day < Feedback.ReceivedOn)
        {
            throw new ArgumentOutOfRangeException(name, day, $"{name} must not be before the feedback arrived ({Feedback.ReceivedOn:uuuu-MM-dd}).");
        }
    }

    /// <summary>Whether no action is null and no two share a kind (a loop: items are built by the hundred thousand).</summary>
    private static bool DistinctKinds(ImmutableArray<FeedbackAction> actions)
    {
        for (var i = 0; i < actions.Length; i++)
        {
            if (actions[i] is null)
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (actions[j].Kind == actions[i].Kind)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
