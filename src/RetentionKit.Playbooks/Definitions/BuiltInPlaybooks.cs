using System.Collections.Immutable;
using RetentionKit.Scoring;

namespace RetentionKit.Playbooks;

/// <summary>
/// The playbooks of the source documents (B1–B13) with their timings, as data. Day numbers count from the enrolment's
/// start in the customer's time zone; where the documents give days counted from something else (B1's "day 14" of low
/// engagement, B4's "day 30" after churn), the trigger's start date makes them line up — see docs/playbooks.md.
/// </summary>
public static class BuiltInPlaybooks
{
    /// <summary>B1 re-engagement (medium risk).</summary>
    public const string ReEngagement = "re-engagement";

    /// <summary>B2 success coaching (medium-high risk).</summary>
    public const string SuccessCoaching = "success-coaching";

    /// <summary>B3 retention offer (high risk).</summary>
    public const string RetentionOffer = "retention-offer";

    /// <summary>B4 win-back after churn.</summary>
    public const string WinBack = "win-back";

    /// <summary>B5 onboarding.</summary>
    public const string Onboarding = "onboarding";

    /// <summary>B6 value-realisation milestones.</summary>
    public const string ValueMilestones = "value-milestones";

    /// <summary>B7 30-day success check-in.</summary>
    public const string CheckIn30 = "check-in-30";

    /// <summary>B7 90-day value and ROI check-in.</summary>
    public const string CheckIn90 = "check-in-90";

    /// <summary>B7 renewal check-in.</summary>
    public const string RenewalCheckIn = "renewal-check-in";

    /// <summary>B8 upsell by usage.</summary>
    public const string UpsellUsage = "upsell-usage";

    /// <summary>B8 upsell by results.</summary>
    public const string UpsellResults = "upsell-results";

    /// <summary>B8 upsell by need.</summary>
    public const string UpsellNeed = "upsell-need";

    /// <summary>B9 complementary-product cross-sell.</summary>
    public const string CrossSellComplementary = "cross-sell-complementary";

    /// <summary>B9 seasonal cross-sell.</summary>
    public const string CrossSellSeasonal = "cross-sell-seasonal";

    /// <summary>B9 department-expansion cross-sell.</summary>
    public const string CrossSellDepartments = "cross-sell-departments";

    /// <summary>B11 reactivation after 30 days without use.</summary>
    public const string Reactivation = "reactivation";

    /// <summary>B11 save conversation on a cancellation request.</summary>
    public const string SaveConversation = "save-conversation";

    /// <summary>B12 value reinforcement for the medium retention band.</summary>
    public const string ValueReinforcement = "value-reinforcement";

    /// <summary>B12 advocacy for the high retention band (success stories, referrals).</summary>
    public const string Advocacy = "advocacy";

    /// <summary>B13 feedback loop.</summary>
    public const string FeedbackLoop = "feedback-loop";

    /// <summary>Gets every built-in playbook.</summary>
    public static ImmutableArray<Playbook> All { get; } =
    [
        new(ReEngagement, PlaybookKind.Engagement, Triggers.LowEngagement(0.5, 14),
        [
            new("activity-summary", 0, PlaybookChannel.Email, "re-engagement.activity-summary"),
            new("premium-trial", 2, PlaybookChannel.InApp, "re-engagement.premium-trial"),
            new("success-manager-outreach", 4, PlaybookChannel.Call, "re-engagement.outreach", OwnerRole.SuccessManager),
        ])
        {
            Goal = Goals.Any(Goals.EngagementAtLeast(0.5), Goals.Churned()),
            Outcome = OutcomeRules.Reaches(Goals.EngagementAtLeast(0.5)),
            ExpectedSuccess = (Rate.FromPercent(30), Rate.FromPercent(40)),
            Priority = 50,
            CooldownDays = 60,
            Aim = "engagement back above 50 %",
        },
        new(SuccessCoaching, PlaybookKind.Coaching, Triggers.LowAdoption(0.3, 30),
        [
            new("coaching-email", 0, PlaybookChannel.Email, "success-coaching.invitation"),
            new("coaching-session", 2, PlaybookChannel.Call, "success-coaching.session", OwnerRole.SuccessManager),
            new("follow-up", 7, PlaybookChannel.Email, "success-coaching.follow-up"),
        ])
        {
            Goal = Goals.Any(Goals.AdoptionAtLeast(0.6), Goals.Churned()),
            Outcome = OutcomeRules.Reaches(Goals.AdoptionAtLeast(0.6)),
            StartDelayDays = 1,
            ExpectedSuccess = (Rate.FromPercent(50), Rate.FromPercent(60)),
            Priority = 60,
            CooldownDays = 90,
            Aim = "60 %+ of features used",
        },
        new(RetentionOffer, PlaybookKind.Retention, Triggers.ChurnProbabilityAbove(0.7),
        [
            new("offer", 0, PlaybookChannel.Email, "retention-offer.offer"),
            new("manager-call", 1, PlaybookChannel.Call, "retention-offer.call", OwnerRole.AccountManager),
            new("director-escalation", 3, PlaybookChannel.Task, "retention-offer.escalation", OwnerRole.Director) { UnlessEvent = CustomerEvents.Replied },
        ])
        {
            Goal = Goals.Any(Goals.EventSinceStart(CustomerEvents.AcceptedOffer), Goals.Churned()),
            Outcome = OutcomeRules.Retained(),
            HasOffer = true,
            ExpectedSuccess = (Rate.FromPercent(40), Rate.FromPercent(50)),
            Priority = 90,
            CooldownDays = 180,
            Aim = "the customer stays",
        },
        new(WinBack, PlaybookKind.WinBack, Triggers.Churned(30),
        [
            new("we-miss-you", 30, PlaybookChannel.Email, "win-back.we-miss-you"),
            new("half-price", 37, PlaybookChannel.Email, "win-back.half-price"),
            new("personal-call", 45, PlaybookChannel.Call, "win-back.call", OwnerRole.AccountManager),
            new("last-offer", 60, PlaybookChannel.Email, "win-back.last-offer"),
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.Reactivated),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.Reactivated)),
            ExpectedSuccess = (Rate.FromPercent(10), Rate.FromPercent(20)),
            Priority = 80,
            CooldownDays = 365,
            Aim = "the customer comes back (50 % off for 3 months)",
        },
        new(Onboarding, PlaybookKind.Onboarding, Triggers.SignedUp(7),
        [
            new("welcome", 1, PlaybookChannel.Email, "onboarding.welcome"),
            new("first-success", 3, PlaybookChannel.InApp, "onboarding.first-success"),
            new("check-in", 7, PlaybookChannel.Email, "onboarding.check-in"),
            new("results", 14, PlaybookChannel.Email, "onboarding.results"),
            new("growth-plan", 30, PlaybookChannel.Call, "onboarding.growth-plan", OwnerRole.SuccessManager),
        ])
        {
            Once = true,
            ExpectedSuccess = (Rate.FromPercent(70), Rate.FromPercent(90)),
            Aim = "90 %+ finish the tutorial, NPS above 50 on day 7, 2+ features by day 14, D30 retention above 70 %",
        },
        new(ValueMilestones, PlaybookKind.Milestones, Triggers.SignedUp(7),
        [
            new("week-1", 7, PlaybookChannel.InApp, "milestones.week-1"),
            new("month-1", 30, PlaybookChannel.Email, "milestones.month-1"),
            new("quarter-1", 90, PlaybookChannel.Task, "milestones.quarter-1", OwnerRole.SuccessManager),
            new("year-1", 365, PlaybookChannel.Email, "milestones.year-1"),
        ])
        {
            Once = true,
            Aim = "first KPI improved in week 1, ROI above 100 % in month 1, 3+ KPIs improved in a quarter, ROI above 500 % in year 1",
        },
        new(CheckIn30, PlaybookKind.CheckIn, Triggers.CustomerForDays(30),
        [
            new("success-check-in", 0, PlaybookChannel.Call, "check-in.30-day", OwnerRole.SuccessManager) { Checklists = [Checklists.CheckIn30] },
        ])
        {
            Once = true,
        },
        new(CheckIn90, PlaybookKind.CheckIn, Triggers.CustomerForDays(90),
        [
            new("value-check-in", 0, PlaybookChannel.Call, "check-in.90-day", OwnerRole.SuccessManager) { Checklists = [Checklists.CheckIn90] },
        ])
        {
            Once = true,
        },
        new(RenewalCheckIn, PlaybookKind.CheckIn, Triggers.BeforeRenewal(60),
        [
            new("renewal-check-in", 0, PlaybookChannel.Call, "check-in.renewal", OwnerRole.AccountManager) { Checklists = [Checklists.Renewal] },
        ])
        {
            CooldownDays = 300,
        },
        new(UpsellUsage, PlaybookKind.Upsell, Triggers.HeavyUsage(0.8, 30),
        [
            new("upgrade-offer", 0, PlaybookChannel.Email, "upsell.usage-offer"),
            new("in-app-reminder", 3, PlaybookChannel.InApp, "upsell.usage-reminder"),
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.Upgraded),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.Upgraded)),
            ExpectedSuccess = (Rate.FromPercent(25), Rate.FromPercent(35)),
            Priority = 40,
            CooldownDays = 90,
            Aim = "upgrade to the plan with 2× the features and 3× the capacity (+50–70 %, first month 20 % off)",
        },
        new(UpsellResults, PlaybookKind.Upsell, Triggers.StrongResults(2.0, 3, 70),
        [
            new("results-offer", 0, PlaybookChannel.Email, "upsell.results-offer"),
            new("account-manager-call", 2, PlaybookChannel.Call, "upsell.results-call", OwnerRole.AccountManager) { Checklists = Checklists.Expansion },
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.Upgraded),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.Upgraded)),
            ExpectedSuccess = (Rate.FromPercent(40), Rate.FromPercent(50)),
            Priority = 44,
            CooldownDays = 90,
            Aim = "upgrade to 5× the capacity at 2–3× the price, first month free",
        },
        new(UpsellNeed, PlaybookKind.Upsell, Triggers.AtLimit(0.8),
        [
            new("upgrade-now", 0, PlaybookChannel.InApp, "upsell.need-upgrade-now"),
            new("upgrade-email", 1, PlaybookChannel.Email, "upsell.need-email"),
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.Upgraded),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.Upgraded)),
            ExpectedSuccess = (Rate.FromPercent(50), Rate.FromPercent(60)),
            Priority = 46,
            CooldownDays = 30,
            Aim = "upgrade now, before the limit blocks the work",
        },
        new(CrossSellComplementary, PlaybookKind.CrossSell, Triggers.EstablishedAndHappy(3, 60),
        [
            new("bundle-offer", 0, PlaybookChannel.Email, "cross-sell.bundle"),
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.BoughtAddOn),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.BoughtAddOn)),
            ExpectedSuccess = (Rate.FromPercent(20), Rate.FromPercent(30)),
            Priority = 32,
            CooldownDays = 180,
            Aim = "the complementary product, bundled at 30 % off",
        },
        new(CrossSellSeasonal, PlaybookKind.CrossSell, Triggers.Season(10, 12),
        [
            new("seasonal-offer", 0, PlaybookChannel.Email, "cross-sell.seasonal"),
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.BoughtAddOn),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.BoughtAddOn)),
            ExpectedSuccess = (Rate.FromPercent(15), Rate.FromPercent(25)),
            Priority = 30,
            CooldownDays = 300,
            Aim = "3-month access at 50 % off, or permanent at 20 % off",
        },
        new(CrossSellDepartments, PlaybookKind.CrossSell, Triggers.DepartmentExpansion(14, 3, 0.2),
        [
            new("volume-offer", 0, PlaybookChannel.Email, "cross-sell.departments"),
            new("expansion-call", 2, PlaybookChannel.Call, "cross-sell.departments-call", OwnerRole.AccountManager) { Checklists = Checklists.Expansion },
        ])
        {
            Goal = Goals.EventSinceStart(CustomerEvents.BoughtAddOn),
            Outcome = OutcomeRules.Reaches(Goals.EventSinceStart(CustomerEvents.BoughtAddOn)),
            ExpectedSuccess = (Rate.FromPercent(30), Rate.FromPercent(40)),
            Priority = 35,
            CooldownDays = 90,
            Aim = "other departments on board, at a 20–30 % volume discount",
        },
        new(Reactivation, PlaybookKind.Engagement, Triggers.Inactive(30),
        [
            new("come-back", 0, PlaybookChannel.Email, "reactivation.come-back"),
            new("whats-new", 3, PlaybookChannel.Email, "reactivation.whats-new"),
            new("success-manager-call", 7, PlaybookChannel.Call, "reactivation.call", OwnerRole.SuccessManager),
        ])
        {
            Goal = Goals.Any(Goals.When("used the product again", (c, started, _) => c.LastActiveOn >= started), Goals.Churned()),
            Outcome = OutcomeRules.Reaches(Goals.When("used the product again", (c, started, _) => c.LastActiveOn >= started)),
            ExpectedSuccess = (Rate.FromPercent(20), Rate.FromPercent(30)),
            Priority = 52,
            CooldownDays = 60,
            Aim = "the customer uses the product again",
        },
        new(SaveConversation, PlaybookKind.Retention, Triggers.Event(CustomerEvents.CancellationRequested, 3),
        [
            new("save-call", 0, PlaybookChannel.Call, "save.call", OwnerRole.SuccessManager),
            new("director-escalation", 2, PlaybookChannel.Task, "save.escalation", OwnerRole.Director) { UnlessEvent = CustomerEvents.Replied },
        ])
        {
            Goal = Goals.Any(Goals.EventSinceStart(CustomerEvents.AcceptedOffer), Goals.Churned()),
            Outcome = OutcomeRules.Retained(),
            ExpectedSuccess = (Rate.FromPercent(20), Rate.FromPercent(40)),
            Priority = 95,
            CooldownDays = 30,
            Aim = "the customer withdraws the cancellation",
        },
        new(ValueReinforcement, PlaybookKind.Engagement, Triggers.RetentionBandIs(RetentionBand.Medium),
        [
            new("value-recap", 0, PlaybookChannel.Email, "band.value-recap"),
            new("feature-tip", 7, PlaybookChannel.InApp, "band.feature-tip"),
        ])
        {
            Outcome = OutcomeRules.Reaches(Goals.When("in the high retention band", (c, _, _) => c.Score?.Retention.Band == RetentionBand.High)),
            ExpectedSuccess = (Rate.FromPercent(20), Rate.FromPercent(30)),
            Priority = 20,
            CooldownDays = 90,
            Aim = "from the medium band to the high band",
        },
        new(Advocacy, PlaybookKind.Engagement, Triggers.RetentionBandIs(RetentionBand.High),
        [
            new("success-story", 0, PlaybookChannel.Email, "band.success-story"),
            new("referral-ask", 7, PlaybookChannel.InApp, "band.referral-ask"),
        ])
        {
            ExpectedSuccess = (Rate.FromPercent(10), Rate.FromPercent(20)),
            Priority = 10,
            CooldownDays = 180,
            Aim = "a success story, a review or a referral",
        },
        new(FeedbackLoop, PlaybookKind.Feedback, Triggers.Event(CustomerEvents.NegativeFeedback, 2),
        [
            new("immediate-response", 0, PlaybookChannel.Email, "feedback.response"),
            new("escalation", 0, PlaybookChannel.Task, "feedback.escalation", OwnerRole.Support),
            new("follow-up", 3, PlaybookChannel.Email, "feedback.follow-up") { UnlessEvent = CustomerEvents.FeedbackResolved },
            new("resolution", 7, PlaybookChannel.Email, "feedback.resolution"),
        ])
        {
            CooldownDays = 14,
            Aim = "the problem solved and the customer told so",
        },
    ];

    /// <summary>Gets the playbooks for a retention-score band (B12, S5): what the band's guidance calls for.</summary>
    /// <param name="band">The band.</param>
    /// <returns>The ids, the band's own playbook first.</returns>
    public static ImmutableArray<string> ForBand(RetentionBand band) => band switch
    {
        RetentionBand.AtRisk => [RetentionOffer, SaveConversation, SuccessCoaching],
        RetentionBand.Low => [ReEngagement, SuccessCoaching, Reactivation],
        RetentionBand.Medium => [ValueReinforcement, ReEngagement],
        RetentionBand.High => [Advocacy, UpsellUsage, UpsellResults, CrossSellComplementary],
        _ => throw new System.ArgumentOutOfRangeException(nameof(band), band, "Unknown band."),
    };
}
