using System;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>
/// What counts as success for a playbook's enrolments (<see cref="Playbook.Outcome"/>), decided against the customer's
/// state day by day until the playbook's outcome window closes. Distinct from the playbook's goal, which only says when
/// to stop: a customer who churns ends a re-engagement (nothing left to do), but that is not a success. Hosts implement
/// it for their own playbooks; <see cref="OutcomeRules"/> has the built-in ones.
/// </summary>
public interface IOutcomeRule
{
    /// <summary>Gets what success means, in words (shown with every outcome).</summary>
    string Description { get; }

    /// <summary>
    /// Decides the outcome of an enrolment today: true for a success, false for a failure, null while still open. Called
    /// every day from the start until it answers; on the window's last day (<paramref name="windowClosed"/>) it must answer.
    /// Pure: the same state and days give the same answer, so a replay decides the same.
    /// </summary>
    /// <param name="customer">The customer's state today.</param>
    /// <param name="started">The enrolment's start date.</param>
    /// <param name="today">Today in the customer's zone.</param>
    /// <param name="windowClosed">Whether the outcome window ends today (or ended before).</param>
    /// <returns>The outcome, or null while open.</returns>
    bool? Decide(CustomerState customer, LocalDate started, LocalDate today, bool windowClosed);
}

/// <summary>Built-in outcome rules: a goal reached within the window, or the customer kept through it.</summary>
public static class OutcomeRules
{
    /// <summary>Success as soon as the goal is met within the window (B1 reactivated, B2 usage improved, B4 won back, B8/B9 converted); failure when the window closes first.</summary>
    /// <param name="goal">The goal that counts as success.</param>
    /// <returns>The rule.</returns>
    public static IOutcomeRule Reaches(IPlaybookGoal goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        return new Rule(goal.Description, (c, started, today, closed) => goal.IsMet(c, started, today) ? true : closed ? false : null);
    }

    /// <summary>Success when the customer is still a customer when the window closes (B3 retained, B11 saved); failure as soon as they churn.</summary>
    /// <returns>The rule.</returns>
    public static IOutcomeRule Retained() =>
        new Rule("still a customer at the end of the window", (c, _, _, closed) => c.ChurnedOn is not null ? false : closed ? true : null);

    /// <summary>A rule from a function (see <see cref="IOutcomeRule.Decide"/>).</summary>
    /// <param name="description">What success means.</param>
    /// <param name="decide">The decision: true, false, or null while open; it must answer when the window has closed.</param>
    /// <returns>The rule.</returns>
    public static IOutcomeRule When(string description, Func<CustomerState, LocalDate, LocalDate, bool, bool?> decide)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(decide);
        return new Rule(description, decide);
    }

    private sealed class Rule(string description, Func<CustomerState, LocalDate, LocalDate, bool, bool?> decide) : IOutcomeRule
    {
        public string Description => description;

        public bool? Decide(CustomerState customer, LocalDate started, LocalDate today, bool windowClosed) => decide(customer, started, today, windowClosed);

        public override string ToString() => description;
    }
}
