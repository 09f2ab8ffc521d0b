using System;
using NodaTime;
using RetentionKit.Internal;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Simulation;

/// <summary>A customer account as a CRM knows it.</summary>
/// <param name="Id">The customer.</param>
/// <param name="SignupDate">The day of the first subscription.</param>
/// <param name="Industry">The customer's industry (technology, marketing, sales, services…).</param>
/// <param name="Seats">Users on the account.</param>
public sealed record CustomerRecord(CustomerId Id, LocalDate SignupDate, string Industry, int Seats);

/// <summary>
/// One customer's product activity in one calendar month: the raw measures that churn-risk signals are computed
/// from (SPEC S1).
/// </summary>
public sealed record MonthlyActivity
{
    /// <summary>Initializes a new instance of the <see cref="MonthlyActivity"/> class.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="month">The month measured.</param>
    /// <param name="logins">Logins in the month.</param>
    /// <param name="baselineLogins">The customer's normal monthly logins (their own baseline).</param>
    /// <param name="featureShare">Share of the plan's features used in the month, 0–1.</param>
    /// <param name="emailsSent">Product and success e-mails sent to the customer.</param>
    /// <param name="emailsOpened">Of those, the ones opened; at most <paramref name="emailsSent"/>.</param>
    /// <param name="supportTickets">Support tickets opened.</param>
    /// <param name="negativeTickets">Of those, tickets whose tone was negative; at most <paramref name="supportTickets"/>.</param>
    /// <param name="daysPaymentLate">Days the month's payment was late; 0 when paid on time.</param>
    /// <param name="competitorVisits">Visits to competitors' sites seen by intent data.</param>
    /// <param name="alternativeSearches">Searches for alternatives seen by intent data.</param>
    /// <param name="competitorTrial">Whether the customer signed up for a competitor's trial.</param>
    /// <param name="contractReview">Whether the customer asked to review their contract.</param>
    /// <param name="negativeSocialMentions">Negative mentions of the product on social media.</param>
    /// <param name="usageOfLimit">Usage against the plan's limit, 0–1.5 (above 1 means over the limit).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, a share is outside its range, or a part exceeds its whole.</exception>
    public MonthlyActivity(
        CustomerId customer,
        YearMonth month,
        int logins,
        int baselineLogins,
        double featureShare,
        int emailsSent,
        int emailsOpened,
        int supportTickets,
        int negativeTickets,
        int daysPaymentLate,
        int competitorVisits,
        int alternativeSearches,
        bool competitorTrial,
        bool contractReview,
        int negativeSocialMentions,
        double usageOfLimit)
    {
        Customer = Guard.Valid(customer);
        Month = month;
        Logins = Guard.NonNegative(logins);
        BaselineLogins = Guard.NonNegative(baselineLogins);
        FeatureShare = Guard.FiniteInRange(featureShare, 0d, 1d);
        EmailsSent = Guard.NonNegative(emailsSent);
        EmailsOpened = Guard.NonNegative(emailsOpened);
        if (emailsOpened > emailsSent)
        {
            throw new ArgumentOutOfRangeException(nameof(emailsOpened), emailsOpened, $"emailsOpened must not exceed emailsSent ({emailsSent}).");
        }

        SupportTickets = Guard.NonNegative(supportTickets);
        NegativeTickets = Guard.NonNegative(negativeTickets);
        if (negativeTickets > supportTickets)
        {
            throw new ArgumentOutOfRangeException(nameof(negativeTickets), negativeTickets, $"negativeTickets must not exceed supportTickets ({supportTickets}).");
        }

        DaysPaymentLate = Guard.NonNegative(daysPaymentLate);
        CompetitorVisits = Guard.NonNegative(competitorVisits);
        AlternativeSearches = Guard.NonNegative(alternativeSearches);
        CompetitorTrial = competitorTrial;
        ContractReview = contractReview;
        NegativeSocialMentions = Guard.NonNegative(negativeSocialMentions);
        UsageOfLimit = Guard.FiniteInRange(usageOfLimit, 0d, 1.5d);
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the month measured.</summary>
    public YearMonth Month { get; }

    /// <summary>Gets the logins in the month.</summary>
    public int Logins { get; }

    /// <summary>Gets the customer's normal monthly logins.</summary>
    public int BaselineLogins { get; }

    /// <summary>Gets the share of the plan's features used, 0–1.</summary>
    public double FeatureShare { get; }

    /// <summary>Gets the e-mails sent.</summary>
    public int EmailsSent { get; }

    /// <summary>Gets the e-mails opened.</summary>
    public int EmailsOpened { get; }

    /// <summary>Gets the support tickets opened.</summary>
    public int SupportTickets { get; }

    /// <summary>Gets the tickets with a negative tone.</summary>
    public int NegativeTickets { get; }

    /// <summary>Gets the days the payment was late.</summary>
    public int DaysPaymentLate { get; }

    /// <summary>Gets the visits to competitors' sites.</summary>
    public int CompetitorVisits { get; }

    /// <summary>Gets the searches for alternatives.</summary>
    public int AlternativeSearches { get; }

    /// <summary>Gets whether the customer started a competitor's trial.</summary>
    public bool CompetitorTrial { get; }

    /// <summary>Gets whether the customer asked to review their contract.</summary>
    public bool ContractReview { get; }

    /// <summary>Gets the negative social-media mentions.</summary>
    public int NegativeSocialMentions { get; }

    /// <summary>Gets usage against the plan's limit (1 = at the limit).</summary>
    public double UsageOfLimit { get; }
}

/// <summary>A piece of feedback: an NPS answer, a satisfaction survey answer, a comment — any of them may be missing.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Date">When it was given.</param>
/// <param name="Nps">The answer to "how likely are you to recommend us", 0–10; null if not asked.</param>
/// <param name="Satisfaction">A satisfaction survey answer, 1–10; null if not asked.</param>
/// <param name="Comment">A free-text comment (English or Spanish); null if none.</param>
public sealed record FeedbackRecord(CustomerId Customer, LocalDate Date, int? Nps, int? Satisfaction, string? Comment);

/// <summary>The ground truth of one churn: who left, when and why (known to the simulator, hidden from models).</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Date">The effective date of the cancellation.</param>
/// <param name="Reason">The reason recorded.</param>
/// <param name="HealthBefore">The customer's hidden health (0–1) in the month before they left.</param>
public sealed record ChurnTruth(CustomerId Customer, LocalDate Date, ChurnReason Reason, double HealthBefore);

/// <summary>One simulated enrolment of <see cref="SimulatedExperiment"/>: who, when, in which arm, with which true effect, and how it came out.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="StartedOn">The day of the enrolment.</param>
/// <param name="Control">Whether the customer was held out (not treated).</param>
/// <param name="Plan">The customer's plan at the enrolment (the segment the true effect depends on).</param>
/// <param name="HazardFactor">The true effect: the factor the treatment multiplies the churn hazard by for this customer (applied only if treated).</param>
/// <param name="Retained">Whether the customer was still a customer at the end of the window; null while the window is open at the end of the data.</param>
/// <param name="DecidedOn">The day the outcome was decided (the cancellation, or the window's last day); null while open.</param>
public sealed record InterventionRecord(CustomerId Customer, string Playbook, LocalDate StartedOn, bool Control, string Plan, double HazardFactor, bool? Retained, LocalDate? DecidedOn);
