using System;
using static System.FormattableString;
using NodaTime;
using RetentionKit.Playbooks.Internal;
using RetentionKit.Scoring;

namespace RetentionKit.Playbooks;

/// <summary>What enrols a customer in a playbook. Teams write their own by implementing it (and registering it on a playbook).</summary>
public interface IPlaybookTrigger
{
    /// <summary>
    /// Gets whether the customer should enter the playbook today, and the date its days count from: today for most
    /// triggers, the churn date for win-back, the sign-up date for onboarding. Pure: the same state and day give the
    /// same answer.
    /// </summary>
    /// <param name="customer">The customer's state.</param>
    /// <param name="today">Today in the customer's zone.</param>
    /// <returns>The date the playbook's days count from (before its start delay), or null when the trigger does not fire.</returns>
    LocalDate? Fires(CustomerState customer, LocalDate today);

    /// <summary>Gets the trigger in words, for reports and dry runs.</summary>
    string Description { get; }
}

/// <summary>When an enrolment has done its job and stops early (the playbook's exit criterion).</summary>
public interface IPlaybookGoal
{
    /// <summary>Gets whether the goal is met for an enrolment that started on <paramref name="started"/>.</summary>
    /// <param name="customer">The customer's state.</param>
    /// <param name="started">The enrolment's start date.</param>
    /// <param name="today">Today in the customer's zone.</param>
    /// <returns>Whether to stop.</returns>
    bool IsMet(CustomerState customer, LocalDate started, LocalDate today);

    /// <summary>Gets the goal in words.</summary>
    string Description { get; }
}

/// <summary>Built-in triggers and goals, with the source documents' thresholds as defaults.</summary>
public static class Triggers
{
    /// <summary>Engagement below a rate for a number of days (B1: below 50 % for 14 days).</summary>
    /// <param name="below">The rate, 0–1.</param>
    /// <param name="days">The days in a row.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger LowEngagement(double below = 0.5, int days = 14) =>
        new Trigger(Invariant($"engagement below {below:P0} for {days} days"), (c, _) => c.Engagement is { } e && e.Rate < below && e.DaysBelowLow >= days);

    /// <summary>Feature adoption below a rate for a number of days (B2: below 30 % for 30 days).</summary>
    /// <param name="below">The rate, 0–1.</param>
    /// <param name="days">The days in a row.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger LowAdoption(double below = 0.3, int days = 30) =>
        new Trigger(Invariant($"features used below {below:P0} for {days} days"), (c, _) => c.FeatureAdoption is { } a && a.Rate < below && a.DaysBelowLow >= days);

    /// <summary>Churn probability above a level (B3: above 70 %).</summary>
    /// <param name="above">The probability, 0–1.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger ChurnProbabilityAbove(double above = 0.7) =>
        new Trigger(Invariant($"churn probability above {above:P0}"), (c, _) => c.ChurnedOn is null && c.Score?.Risk.ChurnProbability is { } p && p > above);

    /// <summary>The customer churned (B4): the steps' days count from the churn date.</summary>
    /// <returns>The trigger.</returns>
    /// <param name="withinDays">How long after the churn date a customer may still enter (30).</param>
    public static IPlaybookTrigger Churned(int withinDays = 30) =>
        new Trigger(Invariant($"the customer churned in the last {withinDays} days"), (c, today) => c.ChurnedOn is { } on && Days.Between(on, today) is var d && d >= 0 && d <= withinDays, (c, _) => c.ChurnedOn!.Value);

    /// <summary>A new customer (B5): the steps' days count from the sign-up date.</summary>
    /// <returns>The trigger.</returns>
    /// <param name="withinDays">How long after signing up a customer may still enter (7).</param>
    public static IPlaybookTrigger SignedUp(int withinDays = 7) =>
        new Trigger(Invariant($"the customer signed up in the last {withinDays} days"), (c, today) => c.ChurnedOn is null && Days.Between(c.CustomerSince, today) is var d && d >= 0 && d <= withinDays, (c, _) => c.CustomerSince);

    /// <summary>No use for a number of days (B11: 30).</summary>
    /// <param name="days">The days without use.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger Inactive(int days = 30) =>
        new Trigger(Invariant($"no use for {days} days"), (c, today) => c.ChurnedOn is null && c.LastActiveOn is { } last && Days.Between(last, today) >= days);

    /// <summary>An event on or before today that is still recent (B11: a cancellation request; B13: negative feedback).</summary>
    /// <param name="kind">The event kind.</param>
    /// <param name="withinDays">How many days back the event still counts.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger Event(string kind, int withinDays = 7)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        return new Trigger(Invariant($"'{kind}' in the last {withinDays} days"), (c, today) => c.ChurnedOn is null && c.DidWithin(kind, today, withinDays));
    }

    /// <summary>The customer's retention score is in a band (B12, S5).</summary>
    /// <param name="band">The band.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger RetentionBandIs(RetentionBand band) =>
        new Trigger(Invariant($"retention score band {band}"), (c, _) => c.ChurnedOn is null && c.Score?.Retention.Band == band);

    /// <summary>The retention score fell by at least a number of points over the last 30 days (Scoring's history).</summary>
    /// <param name="points">The fall, in points (10).</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger RetentionScoreFalling(double points = 10) =>
        new Trigger(Invariant($"retention score down {points} points or more in 30 days"), (c, _) => c.ChurnedOn is null && c.RetentionScoreChange <= -points);

    /// <summary>A number of days into the customer's life (B7 check-ins: day 30, day 90).</summary>
    /// <param name="day">The day after sign-up.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger CustomerForDays(int day) =>
        new Trigger(Invariant($"day {day} as a customer"), (c, today) => c.ChurnedOn is null && Days.Between(c.CustomerSince, today) is var d && d >= day && d < day + 30);

    /// <summary>A number of days before the renewal date (B7: renewal check-in).</summary>
    /// <param name="days">The days before renewal.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger BeforeRenewal(int days = 60) =>
        new Trigger(Invariant($"{days} days before renewal"), (c, today) => c.ChurnedOn is null && c.RenewalOn is { } renewal && Days.Between(today, renewal) is var d && d > 0 && d <= days);

    /// <summary>Usage-based upsell (B8): more than a share of features used for a number of days.</summary>
    /// <param name="above">The share, 0–1 (80 %).</param>
    /// <param name="days">The days in a row (30).</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger HeavyUsage(double above = 0.8, int days = 30) =>
        new Trigger(Invariant($"features used above {above:P0} for {days} days"), (c, _) => c.ChurnedOn is null && c.FeatureAdoption is { } a && a.Rate > above && a.DaysAboveHigh >= days);

    /// <summary>Results-based upsell (B8): ROI above a level, a number of months as a customer, NPS above a level.</summary>
    /// <param name="roiAbove">The ROI (2.0 = 200 %).</param>
    /// <param name="months">The months as a customer (3).</param>
    /// <param name="npsAbove">The NPS (70).</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger StrongResults(double roiAbove = 2.0, int months = 3, int npsAbove = 70) =>
        new Trigger(Invariant($"ROI above {roiAbove:P0}, {months}+ months, NPS above {npsAbove}"), (c, today) =>
            c.ChurnedOn is null && c.Roi > roiAbove && c.Nps > npsAbove && c.CustomerSince.PlusMonths(months) <= today);

    /// <summary>Need-based upsell (B8): a limit at or above a share, a request for a higher plan's feature, a support ticket about a limit, or usage blocked (each event in the last 7 days).</summary>
    /// <param name="limitAtLeast">The share of a limit in use (80 %); see <see cref="PlanLimits.Usage"/>.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger AtLimit(double limitAtLeast = 0.8) =>
        new Trigger(Invariant($"a limit {limitAtLeast:P0} used, a higher plan's feature asked for, a ticket about a limit, or usage blocked"), (c, today) =>
            c.ChurnedOn is null && NeedsMore(c, today, limitAtLeast));

    /// <summary>Whether the customer has outgrown the plan: the need-based upsell's signals.</summary>
    internal static bool NeedsMore(CustomerState c, LocalDate today, double limitAtLeast) =>
        c.LimitUsage >= limitAtLeast
        || c.DidWithin(CustomerEvents.AskedForHigherPlan, today, 7)
        || c.DidWithin(CustomerEvents.LimitTicket, today, 7)
        || c.DidWithin(CustomerEvents.BlockedByLimit, today, 7);

    /// <summary>
    /// Department expansion (B9): other departments asked, or interest in other products, in the last days; users of
    /// several roles; or a growing company.
    /// </summary>
    /// <param name="withinDays">How recent the questions or interest must be (14).</param>
    /// <param name="rolesAtLeast">The number of user roles that counts as several (3).</param>
    /// <param name="growthAtLeast">The yearly growth that counts as growing (0.2).</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger DepartmentExpansion(int withinDays = 14, int rolesAtLeast = 3, double growthAtLeast = 0.2) =>
        new Trigger(Invariant($"other departments asking or interest in other products (last {withinDays} days), {rolesAtLeast}+ user roles, or growth of {growthAtLeast:P0}+"), (c, today) =>
            c.ChurnedOn is null && Expanding(c, today, withinDays, rolesAtLeast, growthAtLeast));

    /// <summary>Whether the customer is spreading to other departments: the department cross-sell's signals.</summary>
    internal static bool Expanding(CustomerState c, LocalDate today, int withinDays, int rolesAtLeast, double growthAtLeast) =>
        c.DidWithin(CustomerEvents.OtherDepartmentsAsked, today, withinDays)
        || c.DidWithin(CustomerEvents.InterestInOtherProducts, today, withinDays)
        || c.UserRoles >= rolesAtLeast
        || c.CompanyGrowth >= growthAtLeast;

    /// <summary>Complementary cross-sell (B9): a number of months of successful use and NPS above a level.</summary>
    /// <param name="months">The months (3).</param>
    /// <param name="npsAbove">The NPS (60).</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger EstablishedAndHappy(int months = 3, int npsAbove = 60) =>
        new Trigger(Invariant($"{months}+ months of successful use, NPS above {npsAbove}"), (c, today) =>
            c.ChurnedOn is null && c.Nps > npsAbove && c.CustomerSince.PlusMonths(months) <= today && c.Score?.Retention.Band is RetentionBand.High or RetentionBand.Medium);

    /// <summary>Seasonal cross-sell (B9): the months of a season (Q4: October to December).</summary>
    /// <param name="firstMonth">The first month, 1–12.</param>
    /// <param name="lastMonth">The last month, 1–12, not before the first.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger Season(int firstMonth = 10, int lastMonth = 12) =>
        new Trigger(Invariant($"months {firstMonth}–{lastMonth}"), (c, today) => c.ChurnedOn is null && today.Month >= firstMonth && today.Month <= lastMonth && c.Score?.Retention.Band is RetentionBand.High or RetentionBand.Medium);

    /// <summary>A moment on today's date (Loyalty's moments to ask, value milestones).</summary>
    /// <param name="kind">The moment.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger Moment(CustomerMomentKind kind) =>
        new Trigger(Invariant($"moment: {kind}"), (c, today) =>
        {
            foreach (var m in c.Moments)
            {
                if (m.Kind == kind && m.On == today)
                {
                    return c.ChurnedOn is null;
                }
            }

            return false;
        });

    /// <summary>A trigger of the host's own from a function.</summary>
    /// <param name="description">The trigger in words.</param>
    /// <param name="fires">Whether it fires; pure.</param>
    /// <returns>The trigger.</returns>
    public static IPlaybookTrigger When(string description, Func<CustomerState, LocalDate, bool> fires)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(fires);
        return new Trigger(description, fires);
    }

    private sealed class Trigger(string description, Func<CustomerState, LocalDate, bool> fires, Func<CustomerState, LocalDate, LocalDate>? anchor = null) : IPlaybookTrigger
    {
        public string Description => description;

        public LocalDate? Fires(CustomerState customer, LocalDate today) => fires(customer, today) ? anchor?.Invoke(customer, today) ?? today : null;

        public override string ToString() => description;
    }
}

/// <summary>Built-in goals (exit criteria).</summary>
public static class Goals
{
    /// <summary>An event since the enrolment started (upgraded, reactivated, accepted the offer…).</summary>
    /// <param name="kind">The event kind.</param>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal EventSinceStart(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        return new Goal(Invariant($"'{kind}' since the start"), (c, started, _) => c.Did(kind, started));
    }

    /// <summary>Engagement back at or above a rate (B1: 50 %).</summary>
    /// <param name="atLeast">The rate.</param>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal EngagementAtLeast(double atLeast = 0.5) =>
        new Goal(Invariant($"engagement at least {atLeast:P0}"), (c, _, _) => c.Engagement is { } e && e.Rate >= atLeast);

    /// <summary>Feature adoption at or above a rate (B2: 60 %).</summary>
    /// <param name="atLeast">The rate.</param>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal AdoptionAtLeast(double atLeast = 0.6) =>
        new Goal(Invariant($"features used at least {atLeast:P0}"), (c, _, _) => c.FeatureAdoption is { } a && a.Rate >= atLeast);

    /// <summary>The customer left (an intervention for a customer who churned stops; win-back takes over).</summary>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal Churned() => new Goal("the customer churned", (c, _, _) => c.ChurnedOn is not null);

    /// <summary>Any of several goals.</summary>
    /// <param name="goals">The goals.</param>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal Any(params IPlaybookGoal[] goals)
    {
        ArgumentNullException.ThrowIfNull(goals);
        var copy = (IPlaybookGoal[])goals.Clone();
        return new Goal(string.Join(" or ", Array.ConvertAll(copy, g => g.Description)), (c, started, today) => Array.Exists(copy, g => g.IsMet(c, started, today)));
    }

    /// <summary>A goal of the host's own from a function.</summary>
    /// <param name="description">The goal in words.</param>
    /// <param name="isMet">Whether it is met; pure.</param>
    /// <returns>The goal.</returns>
    public static IPlaybookGoal When(string description, Func<CustomerState, LocalDate, LocalDate, bool> isMet)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(isMet);
        return new Goal(description, isMet);
    }

    private sealed class Goal(string description, Func<CustomerState, LocalDate, LocalDate, bool> isMet) : IPlaybookGoal
    {
        public string Description => description;

        public bool IsMet(CustomerState customer, LocalDate started, LocalDate today) => isMet(customer, started, today);

        public override string ToString() => description;
    }
}
