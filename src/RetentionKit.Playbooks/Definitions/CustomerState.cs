using System;
using System.Collections.Immutable;
using NodaTime;
using RetentionKit.Internal;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Playbooks;

/// <summary>
/// What the engine knows of a customer today: the outputs of Scoring, Segmentation and Metrics, usage facts, the
/// moments worth acting on, and what the customer did. The host builds one per customer per run; every fact but the
/// id, the zone and the start date is optional, and a trigger whose facts are missing does not fire.
/// </summary>
public sealed record CustomerState
{
    /// <summary>Initializes a new instance of the <see cref="CustomerState"/> class.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="zone">The customer's time zone: day offsets are calendar days there.</param>
    /// <param name="customerSince">The date the customer signed up (in their zone).</param>
    public CustomerState(CustomerId customer, DateTimeZone zone, LocalDate customerSince)
    {
        Guard.Valid(customer);
        ArgumentNullException.ThrowIfNull(zone);
        (Customer, Zone, CustomerSince) = (customer, zone, customerSince);
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the customer's time zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the date the customer signed up.</summary>
    public LocalDate CustomerSince { get; }

    /// <summary>Gets the date the customer churned (cancelled and left); null while a customer.</summary>
    public LocalDate? ChurnedOn { get; init; }

    /// <summary>Gets the churn reason, when known (win-back is personalised by it).</summary>
    public string? ChurnReason { get; init; }

    /// <summary>Gets the next renewal date, if on a contract.</summary>
    public LocalDate? RenewalOn { get; init; }

    /// <summary>Gets the last day the customer used the product.</summary>
    public LocalDate? LastActiveOn { get; init; }

    /// <summary>Gets the scores (Scoring): the churn-risk assessment and the retention score.</summary>
    public CustomerScore? Score { get; init; }

    /// <summary>Gets how the retention score moved over the last 30 days, in points (Scoring's history; negative when falling).</summary>
    public double? RetentionScoreChange { get; init; }

    /// <summary>Gets the engagement rate (0–1) and how many days in a row it has been below the re-engagement threshold.</summary>
    public UsageLevel? Engagement { get; init; }

    /// <summary>Gets the share of features used (0–1) and how many days in a row it has been below the coaching threshold or above the upsell one.</summary>
    public UsageLevel? FeatureAdoption { get; init; }

    /// <summary>Gets the highest share of a plan limit in use (seats, storage, API calls), 0–1 or more.</summary>
    public double? LimitUsage { get; init; }

    /// <summary>Gets the value segment (Segmentation).</summary>
    public ValueSegment? Segment { get; init; }

    /// <summary>Gets the behaviour persona (Segmentation).</summary>
    public Persona? Persona { get; init; }

    /// <summary>Gets how many different roles the customer's users have (marketing, sales, HR …); several roles signal a department expansion.</summary>
    public int? UserRoles { get; init; }

    /// <summary>Gets the company's growth over the last year (0.2 = 20 % more employees or seats), or null when unknown.</summary>
    public double? CompanyGrowth { get; init; }

    /// <summary>Gets the industry (Segmentation's industry profile key), for personalisation.</summary>
    public string? Industry { get; init; }

    /// <summary>Gets the customer lifetime value (Metrics): the value a retention offer protects.</summary>
    public Money? LifetimeValue { get; init; }

    /// <summary>Gets the recurring revenue per month, for offers and upgrades.</summary>
    public Money? MonthlyRevenue { get; init; }

    /// <summary>Gets what the next plan up costs a month more than the customer's plan (the cost of a free upgrade month); null at the top plan or when unknown.</summary>
    public Money? UpgradePriceIncrease { get; init; }

    /// <summary>Gets the monthly price of the premium feature a retention offer may include; null when there is none to offer.</summary>
    public Money? PremiumFeaturePrice { get; init; }

    /// <summary>Gets the customer's return on investment (Metrics), 2.0 = 200 %.</summary>
    public double? Roi { get; init; }

    /// <summary>Gets the latest NPS answer, 0–10 (or the account's NPS, −100 to 100, as the host prefers: triggers compare with their own thresholds).</summary>
    public int? Nps { get; init; }

    /// <summary>Gets the moments worth acting on today (Loyalty's moments to ask, success milestones).</summary>
    public ImmutableArray<CustomerMoment> Moments { get; init; } = [];

    /// <summary>Gets what the customer did (replies, upgrades, requests), each with its date; steps wait for them and goals read them.</summary>
    public ImmutableArray<CustomerEvent> Events { get; init; } = [];

    /// <summary>Gets whether an event of a kind happened in the last days up to today (on or after today − <paramref name="days"/>).</summary>
    /// <param name="kind">The event kind.</param>
    /// <param name="today">Today.</param>
    /// <param name="days">How many days back count.</param>
    /// <returns>Whether it happened.</returns>
    public bool DidWithin(string kind, LocalDate today, int days) => !Events.IsDefaultOrEmpty && Did(kind, today.PlusDays(-days));

    /// <summary>Gets whether an event of a kind happened on or after a date.</summary>
    /// <param name="kind">The event kind.</param>
    /// <param name="since">The first date that counts.</param>
    /// <returns>Whether it happened.</returns>
    public bool Did(string kind, LocalDate since)
    {
        foreach (var e in Events)
        {
            if (e.On >= since && string.Equals(e.Kind, kind, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A usage measure and how long it has stayed on one side of a threshold.</summary>
/// <param name="Rate">The measure, 0–1.</param>
/// <param name="DaysBelowLow">Days in a row below the low threshold of the trigger that reads it (0 when above).</param>
/// <param name="DaysAboveHigh">Days in a row above the high threshold (0 when below).</param>
public readonly record struct UsageLevel(double Rate, int DaysBelowLow = 0, int DaysAboveHigh = 0);

/// <summary>Something the customer did, on a date in their zone.</summary>
/// <param name="Kind">The kind (see <see cref="CustomerEvents"/> for the ones the built-in playbooks read).</param>
/// <param name="On">The date.</param>
public readonly record struct CustomerEvent(string Kind, LocalDate On);

/// <summary>The event kinds the built-in playbooks read. Hosts may add their own.</summary>
public static class CustomerEvents
{
    /// <summary>The customer answered a message or a call.</summary>
    public const string Replied = "replied";

    /// <summary>The customer accepted an offer.</summary>
    public const string AcceptedOffer = "accepted-offer";

    /// <summary>The customer upgraded their plan.</summary>
    public const string Upgraded = "upgraded";

    /// <summary>The customer bought another product or add-on.</summary>
    public const string BoughtAddOn = "bought-add-on";

    /// <summary>The customer came back after churning.</summary>
    public const string Reactivated = "reactivated";

    /// <summary>The customer asked to cancel.</summary>
    public const string CancellationRequested = "cancellation-requested";

    /// <summary>The customer asked for a feature of a higher plan ("feature request de plan superior").</summary>
    public const string AskedForHigherPlan = "asked-for-higher-plan";

    /// <summary>The customer opened a support ticket about a plan limit ("support ticket sobre limitaciones").</summary>
    public const string LimitTicket = "limit-ticket";

    /// <summary>The customer showed interest in another product ("interés en otros productos").</summary>
    public const string InterestInOtherProducts = "interest-in-other-products";

    /// <summary>The customer was blocked by a plan limit.</summary>
    public const string BlockedByLimit = "blocked-by-limit";

    /// <summary>Other departments of the customer asked for access.</summary>
    public const string OtherDepartmentsAsked = "other-departments-asked";

    /// <summary>The customer gave negative feedback (a detractor score, a complaint).</summary>
    public const string NegativeFeedback = "negative-feedback";

    /// <summary>The customer's feedback was resolved.</summary>
    public const string FeedbackResolved = "feedback-resolved";

    /// <summary>The customer completed the onboarding tutorial.</summary>
    public const string CompletedTutorial = "completed-tutorial";
}

/// <summary>A moment worth acting on (Loyalty's moments to ask, value milestones), on a date.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="On">The date.</param>
public readonly record struct CustomerMoment(CustomerMomentKind Kind, LocalDate On);

/// <summary>The moments the built-in playbooks read.</summary>
public enum CustomerMomentKind
{
    /// <summary>The customer's first success with the product.</summary>
    FirstSuccess = 0,

    /// <summary>The customer's ROI turned positive.</summary>
    PositiveRoi = 1,

    /// <summary>The customer gave positive feedback.</summary>
    PositiveFeedback = 2,

    /// <summary>The anniversary of the customer's start.</summary>
    Anniversary = 3,

    /// <summary>A KPI of the customer's improved (value milestones, B6).</summary>
    KpiImproved = 4,
}
