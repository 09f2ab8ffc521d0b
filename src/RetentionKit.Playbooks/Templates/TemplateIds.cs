namespace RetentionKit.Playbooks;

/// <summary>
/// The ids of the built-in message templates (each in Spanish and English), for steps, overrides and tests that name a
/// template: <c>TemplateIds.RetentionOfferOffer</c> rather than the string <c>"retention-offer.offer"</c>. An id with
/// <c>#</c> is a variant the engine picks by the customer's churn reason, or by the retention offer chosen.
/// </summary>
public static class TemplateIds
{
    /// <summary>The template <c>re-engagement.activity-summary</c>.</summary>
    public const string ReEngagementActivitySummary = "re-engagement.activity-summary";

    /// <summary>The template <c>re-engagement.premium-trial</c>.</summary>
    public const string ReEngagementPremiumTrial = "re-engagement.premium-trial";

    /// <summary>The template <c>re-engagement.outreach</c>.</summary>
    public const string ReEngagementOutreach = "re-engagement.outreach";

    /// <summary>The template <c>success-coaching.invitation</c>.</summary>
    public const string SuccessCoachingInvitation = "success-coaching.invitation";

    /// <summary>The template <c>success-coaching.session</c>.</summary>
    public const string SuccessCoachingSession = "success-coaching.session";

    /// <summary>The template <c>success-coaching.follow-up</c>.</summary>
    public const string SuccessCoachingFollowUp = "success-coaching.follow-up";

    /// <summary>The template <c>retention-offer.offer</c>.</summary>
    public const string RetentionOfferOffer = "retention-offer.offer";

    /// <summary>The template <c>retention-offer.call</c>.</summary>
    public const string RetentionOfferCall = "retention-offer.call";

    /// <summary>The template <c>retention-offer.escalation</c>.</summary>
    public const string RetentionOfferEscalation = "retention-offer.escalation";

    /// <summary>The template <c>win-back.we-miss-you</c>.</summary>
    public const string WinBackWeMissYou = "win-back.we-miss-you";

    /// <summary>The template <c>retention-offer.offer#upgrade-month</c> (the variant for the retention offer's free month of the next plan).</summary>
    public const string RetentionOfferOfferUpgradeMonth = "retention-offer.offer#upgrade-month";

    /// <summary>The template <c>retention-offer.offer#premium-feature</c> (the variant for the retention offer's premium feature included).</summary>
    public const string RetentionOfferOfferPremiumFeature = "retention-offer.offer#premium-feature";

    /// <summary>The template <c>retention-offer.call#upgrade-month</c> (the variant for the call after a free-month offer).</summary>
    public const string RetentionOfferCallUpgradeMonth = "retention-offer.call#upgrade-month";

    /// <summary>The template <c>retention-offer.call#premium-feature</c> (the variant for the call after a premium-feature offer).</summary>
    public const string RetentionOfferCallPremiumFeature = "retention-offer.call#premium-feature";

    /// <summary>The template <c>retention-offer.escalation#improved-discount</c> (the variant for the escalation with a deeper discount).</summary>
    public const string RetentionOfferEscalationImprovedDiscount = "retention-offer.escalation#improved-discount";

    /// <summary>The template <c>retention-offer.escalation#improved-upgrade-month</c> (the variant for the escalation with more free months of the next plan).</summary>
    public const string RetentionOfferEscalationImprovedUpgradeMonth = "retention-offer.escalation#improved-upgrade-month";

    /// <summary>The template <c>retention-offer.escalation#improved-premium-feature</c> (the variant for the escalation with the premium feature for longer).</summary>
    public const string RetentionOfferEscalationImprovedPremiumFeature = "retention-offer.escalation#improved-premium-feature";

    /// <summary>The template <c>win-back.half-price#price</c> (the variant for a churn reason: price).</summary>
    public const string WinBackHalfPricePrice = "win-back.half-price#price";

    /// <summary>The template <c>win-back.last-offer#price</c> (the variant for a churn reason: price).</summary>
    public const string WinBackLastOfferPrice = "win-back.last-offer#price";

    /// <summary>The template <c>win-back.half-price#product</c> (the variant for a churn reason: product).</summary>
    public const string WinBackHalfPriceProduct = "win-back.half-price#product";

    /// <summary>The template <c>win-back.last-offer#product</c> (the variant for a churn reason: product).</summary>
    public const string WinBackLastOfferProduct = "win-back.last-offer#product";

    /// <summary>The template <c>win-back.half-price#support</c> (the variant for a churn reason: support).</summary>
    public const string WinBackHalfPriceSupport = "win-back.half-price#support";

    /// <summary>The template <c>win-back.last-offer#support</c> (the variant for a churn reason: support).</summary>
    public const string WinBackLastOfferSupport = "win-back.last-offer#support";

    /// <summary>The template <c>win-back.half-price#competitor</c> (the variant for a churn reason: competitor).</summary>
    public const string WinBackHalfPriceCompetitor = "win-back.half-price#competitor";

    /// <summary>The template <c>win-back.last-offer#competitor</c> (the variant for a churn reason: competitor).</summary>
    public const string WinBackLastOfferCompetitor = "win-back.last-offer#competitor";

    /// <summary>The template <c>win-back.half-price#payment</c> (the variant for a churn reason: payment).</summary>
    public const string WinBackHalfPricePayment = "win-back.half-price#payment";

    /// <summary>The template <c>win-back.last-offer#payment</c> (the variant for a churn reason: payment).</summary>
    public const string WinBackLastOfferPayment = "win-back.last-offer#payment";

    /// <summary>The template <c>win-back.we-miss-you#price</c> (the variant for a churn reason: price).</summary>
    public const string WinBackWeMissYouPrice = "win-back.we-miss-you#price";

    /// <summary>The template <c>win-back.we-miss-you#product</c> (the variant for a churn reason: product).</summary>
    public const string WinBackWeMissYouProduct = "win-back.we-miss-you#product";

    /// <summary>The template <c>win-back.we-miss-you#support</c> (the variant for a churn reason: support).</summary>
    public const string WinBackWeMissYouSupport = "win-back.we-miss-you#support";

    /// <summary>The template <c>win-back.we-miss-you#competitor</c> (the variant for a churn reason: competitor).</summary>
    public const string WinBackWeMissYouCompetitor = "win-back.we-miss-you#competitor";

    /// <summary>The template <c>win-back.we-miss-you#payment</c> (the variant for a churn reason: payment).</summary>
    public const string WinBackWeMissYouPayment = "win-back.we-miss-you#payment";

    /// <summary>The template <c>win-back.half-price</c>.</summary>
    public const string WinBackHalfPrice = "win-back.half-price";

    /// <summary>The template <c>win-back.call</c>.</summary>
    public const string WinBackCall = "win-back.call";

    /// <summary>The template <c>win-back.last-offer</c>.</summary>
    public const string WinBackLastOffer = "win-back.last-offer";

    /// <summary>The template <c>onboarding.welcome</c>.</summary>
    public const string OnboardingWelcome = "onboarding.welcome";

    /// <summary>The template <c>onboarding.first-success</c>.</summary>
    public const string OnboardingFirstSuccess = "onboarding.first-success";

    /// <summary>The template <c>onboarding.check-in</c>.</summary>
    public const string OnboardingCheckIn = "onboarding.check-in";

    /// <summary>The template <c>onboarding.results</c>.</summary>
    public const string OnboardingResults = "onboarding.results";

    /// <summary>The template <c>onboarding.growth-plan</c>.</summary>
    public const string OnboardingGrowthPlan = "onboarding.growth-plan";

    /// <summary>The template <c>milestones.week-1</c>.</summary>
    public const string MilestonesWeek1 = "milestones.week-1";

    /// <summary>The template <c>milestones.month-1</c>.</summary>
    public const string MilestonesMonth1 = "milestones.month-1";

    /// <summary>The template <c>milestones.quarter-1</c>.</summary>
    public const string MilestonesQuarter1 = "milestones.quarter-1";

    /// <summary>The template <c>milestones.year-1</c>.</summary>
    public const string MilestonesYear1 = "milestones.year-1";

    /// <summary>The template <c>check-in.30-day</c>.</summary>
    public const string CheckIn30Day = "check-in.30-day";

    /// <summary>The template <c>check-in.90-day</c>.</summary>
    public const string CheckIn90Day = "check-in.90-day";

    /// <summary>The template <c>check-in.renewal</c>.</summary>
    public const string CheckInRenewal = "check-in.renewal";

    /// <summary>The template <c>upsell.usage-offer</c>.</summary>
    public const string UpsellUsageOffer = "upsell.usage-offer";

    /// <summary>The template <c>upsell.usage-reminder</c>.</summary>
    public const string UpsellUsageReminder = "upsell.usage-reminder";

    /// <summary>The template <c>upsell.results-offer</c>.</summary>
    public const string UpsellResultsOffer = "upsell.results-offer";

    /// <summary>The template <c>upsell.results-call</c>.</summary>
    public const string UpsellResultsCall = "upsell.results-call";

    /// <summary>The template <c>upsell.need-upgrade-now</c>.</summary>
    public const string UpsellNeedUpgradeNow = "upsell.need-upgrade-now";

    /// <summary>The template <c>upsell.need-email</c>.</summary>
    public const string UpsellNeedEmail = "upsell.need-email";

    /// <summary>The template <c>cross-sell.bundle</c>.</summary>
    public const string CrossSellBundle = "cross-sell.bundle";

    /// <summary>The template <c>cross-sell.seasonal</c>.</summary>
    public const string CrossSellSeasonal = "cross-sell.seasonal";

    /// <summary>The template <c>cross-sell.departments</c>.</summary>
    public const string CrossSellDepartments = "cross-sell.departments";

    /// <summary>The template <c>cross-sell.departments-call</c>.</summary>
    public const string CrossSellDepartmentsCall = "cross-sell.departments-call";

    /// <summary>The template <c>reactivation.come-back</c>.</summary>
    public const string ReactivationComeBack = "reactivation.come-back";

    /// <summary>The template <c>reactivation.whats-new</c>.</summary>
    public const string ReactivationWhatsNew = "reactivation.whats-new";

    /// <summary>The template <c>reactivation.call</c>.</summary>
    public const string ReactivationCall = "reactivation.call";

    /// <summary>The template <c>save.call</c>.</summary>
    public const string SaveCall = "save.call";

    /// <summary>The template <c>save.escalation</c>.</summary>
    public const string SaveEscalation = "save.escalation";

    /// <summary>The template <c>band.value-recap</c>.</summary>
    public const string BandValueRecap = "band.value-recap";

    /// <summary>The template <c>band.feature-tip</c>.</summary>
    public const string BandFeatureTip = "band.feature-tip";

    /// <summary>The template <c>band.success-story</c>.</summary>
    public const string BandSuccessStory = "band.success-story";

    /// <summary>The template <c>band.referral-ask</c>.</summary>
    public const string BandReferralAsk = "band.referral-ask";

    /// <summary>The template <c>feedback.response</c>.</summary>
    public const string FeedbackResponse = "feedback.response";

    /// <summary>The template <c>feedback.escalation</c>.</summary>
    public const string FeedbackEscalation = "feedback.escalation";

    /// <summary>The template <c>feedback.follow-up</c>.</summary>
    public const string FeedbackFollowUp = "feedback.follow-up";

    /// <summary>The template <c>feedback.resolution</c>.</summary>
    public const string FeedbackResolution = "feedback.resolution";

    /// <summary>The template <c>feedback.thanks</c>.</summary>
    public const string FeedbackThanks = "feedback.thanks";

    /// <summary>The customer-facing script <c>script.success-check-in</c>: the 30-day success check-in.</summary>
    public const string ScriptSuccessCheckIn = "script.success-check-in";

    /// <summary>The customer-facing script <c>script.value-check-in</c>: the 90-day value check-in.</summary>
    public const string ScriptValueCheckIn = "script.value-check-in";

    /// <summary>The customer-facing script <c>script.renewal-check-in</c>: the renewal check-in.</summary>
    public const string ScriptRenewalCheckIn = "script.renewal-check-in";

    /// <summary>The customer-facing script <c>script.expansion-usage</c>: expansion by usage: a higher plan or a usage add-on.</summary>
    public const string ScriptExpansionUsage = "script.expansion-usage";

    /// <summary>The customer-facing script <c>script.expansion-need</c>: expansion by need.</summary>
    public const string ScriptExpansionNeed = "script.expansion-need";

    /// <summary>The customer-facing script <c>script.expansion-new-feature</c>: expansion by a new feature.</summary>
    public const string ScriptExpansionNewFeature = "script.expansion-new-feature";

    /// <summary>The customer-facing script <c>script.reactivation</c>: reactivation after 30 days without use.</summary>
    public const string ScriptReactivation = "script.reactivation";

    /// <summary>The customer-facing script <c>script.save</c>: the save conversation for a cancellation request.</summary>
    public const string ScriptSave = "script.save";

    /// <summary>The customer-facing script <c>script.upsell-results</c>: upsell by results.</summary>
    public const string ScriptUpsellResults = "script.upsell-results";

    /// <summary>The customer-facing script <c>script.upsell-team</c>: upsell by team: individual seats or the team plan.</summary>
    public const string ScriptUpsellTeam = "script.upsell-team";
}
