using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NodaTime;
using RetentionKit.Internal;
using RetentionKit.Playbooks.Internal;

namespace RetentionKit.Playbooks;

/// <summary>Whether an opportunity sells more of the same (upsell) or something else (cross-sell).</summary>
public enum OpportunityKind
{
    /// <summary>A bigger plan or more capacity.</summary>
    Upsell = 0,

    /// <summary>Another product, an add-on, another department.</summary>
    CrossSell = 1,
}

/// <summary>How the documents rank a moment (B10).</summary>
public enum OpportunityPriority
{
    /// <summary>Low.</summary>
    Low = 0,

    /// <summary>Medium.</summary>
    Medium = 1,

    /// <summary>High.</summary>
    High = 2,
}

/// <summary>The moments to sell (B10), each with the documents' conversion range and priority.</summary>
public enum OpportunityMoment
{
    /// <summary>Upsell after a positive ROI: 40–50 %, high.</summary>
    AfterPositiveRoi = 0,

    /// <summary>Upsell at a plan limit: 50–60 %, high.</summary>
    AtLimit = 1,

    /// <summary>Upsell after a success: 30–40 %, medium.</summary>
    AfterSuccess = 2,

    /// <summary>Upsell at the anniversary: 25–35 %, medium.</summary>
    Anniversary = 3,

    /// <summary>Upsell after positive feedback: 20–30 %, low.</summary>
    AfterPositiveFeedback = 4,

    /// <summary>Cross-sell on department expansion: 30–40 %, high.</summary>
    DepartmentExpansion = 5,

    /// <summary>Cross-sell after three months: 25–35 %, medium.</summary>
    AfterThreeMonths = 6,

    /// <summary>Cross-sell of a complementary product: 20–30 %, medium.</summary>
    Complementary = 7,

    /// <summary>Seasonal cross-sell: 15–25 %, low.</summary>
    Seasonal = 8,
}

/// <summary>An upsell or cross-sell opportunity: the moment, its expected conversion, and what it is worth.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Moment">The moment.</param>
/// <param name="Kind">Upsell or cross-sell.</param>
/// <param name="Priority">The documents' priority for the moment.</param>
/// <param name="Conversion">The expected conversion (the middle of the documents' range).</param>
/// <param name="MonthlyUplift">The revenue a conversion adds per month.</param>
/// <param name="ExpectedValue">Conversion × monthly uplift × margin × expected lifetime in months.</param>
public sealed record Opportunity(CustomerId Customer, OpportunityMoment Moment, OpportunityKind Kind, OpportunityPriority Priority, Rate Conversion, Money MonthlyUplift, Money ExpectedValue)
{
    /// <summary>Gets the expansion checklist's three phases — identify, present, close — that go with every opportunity.</summary>
    public System.Collections.Immutable.ImmutableArray<Checklist> Checklists { get; init; } = Playbooks.Checklists.Expansion;
}

/// <summary>The numbers behind opportunities' expected value.</summary>
public sealed class OpportunityOptions
{
    /// <summary>Gets or sets an upgrade's price increase as a share of the current monthly revenue (B8: +50–70 %; 0.6).</summary>
    public double UpgradePriceIncrease { get; set; } = 0.6;

    /// <summary>Gets or sets a cross-sell's price as a share of the current monthly revenue (0.3).</summary>
    public double CrossSellPriceShare { get; set; } = 0.3;

    /// <summary>Gets or sets the gross margin on added revenue (0.8).</summary>
    public double Margin { get; set; } = 0.8;

    /// <summary>Gets or sets the expected lifetime, in months, of added revenue when the customer's is unknown (24).</summary>
    public double ExpectedLifetimeMonths { get; set; } = 24;

    /// <summary>Gets or sets the ROI above which the "after a positive ROI" moment counts (0: any positive return; 1.0 asks for more than 100 %).</summary>
    public double PositiveRoiAbove { get; set; }

    /// <summary>Gets or sets the share of a plan limit from which the "at a limit" moment counts (B8: 0.8).</summary>
    public double LimitUsageFrom { get; set; } = 0.8;

    /// <summary>Gets or sets how many user roles count as "several roles" for department expansion (3; the documents give no number).</summary>
    public int SeveralRoles { get; set; } = 3;

    /// <summary>Gets or sets the yearly growth that counts as "a growing company" for department expansion (0.2; the documents give no number).</summary>
    public double GrowingCompany { get; set; } = 0.2;

    /// <summary>Gets or sets the NPS above which a customer of three months or more is offered complementary products (B9: 60, on the account NPS scale of −100 to 100).</summary>
    public int ComplementaryNpsAbove { get; set; } = 60;
}

/// <summary>The cheaper of two ways to pay for more, and by how much.</summary>
/// <param name="Cheaper">Which option is cheaper ("upgrade" or "add-on"; "per seat" or "team plan").</param>
/// <param name="FirstCost">The first option's monthly cost.</param>
/// <param name="SecondCost">The second option's monthly cost.</param>
/// <param name="Saving">How much the cheaper one saves per month.</param>
public sealed record PriceComparison(string Cheaper, Money FirstCost, Money SecondCost, Money Saving);

/// <summary>Upsell and cross-sell opportunities (B8–B10): found from the customer's state, ranked by moment and by expected value.</summary>
public static class Opportunities
{
    /// <summary>Gets the documents' conversion range and priority for a moment (B10).</summary>
    /// <param name="moment">The moment.</param>
    /// <returns>The range and the priority.</returns>
    public static (Rate Low, Rate High, OpportunityPriority Priority, OpportunityKind Kind) Of(OpportunityMoment moment) => moment switch
    {
        OpportunityMoment.AfterPositiveRoi => (Rate.FromPercent(40), Rate.FromPercent(50), OpportunityPriority.High, OpportunityKind.Upsell),
        OpportunityMoment.AtLimit => (Rate.FromPercent(50), Rate.FromPercent(60), OpportunityPriority.High, OpportunityKind.Upsell),
        OpportunityMoment.AfterSuccess => (Rate.FromPercent(30), Rate.FromPercent(40), OpportunityPriority.Medium, OpportunityKind.Upsell),
        OpportunityMoment.Anniversary => (Rate.FromPercent(25), Rate.FromPercent(35), OpportunityPriority.Medium, OpportunityKind.Upsell),
        OpportunityMoment.AfterPositiveFeedback => (Rate.FromPercent(20), Rate.FromPercent(30), OpportunityPriority.Low, OpportunityKind.Upsell),
        OpportunityMoment.DepartmentExpansion => (Rate.FromPercent(30), Rate.FromPercent(40), OpportunityPriority.High, OpportunityKind.CrossSell),
        OpportunityMoment.AfterThreeMonths => (Rate.FromPercent(25), Rate.FromPercent(35), OpportunityPriority.Medium, OpportunityKind.CrossSell),
        OpportunityMoment.Complementary => (Rate.FromPercent(20), Rate.FromPercent(30), OpportunityPriority.Medium, OpportunityKind.CrossSell),
        OpportunityMoment.Seasonal => (Rate.FromPercent(15), Rate.FromPercent(25), OpportunityPriority.Low, OpportunityKind.CrossSell),
        _ => throw new ArgumentOutOfRangeException(nameof(moment), moment, "Unknown moment."),
    };

    /// <summary>
    /// Finds a customer's opportunities today, ranked: by the moment's priority, then by expected value. None for a
    /// customer at risk (<see cref="PlaybookEngine.IsAtRisk"/>) or without a monthly revenue to grow.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="today">Today in the customer's zone.</param>
    /// <param name="options">The numbers behind expected value.</param>
    /// <returns>The opportunities, best first.</returns>
    public static ImmutableArray<Opportunity> Find(CustomerState customer, LocalDate today, OpportunityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        options ??= new OpportunityOptions();
        RetentionKit.Internal.Guard.Finite(options.PositiveRoiAbove, "options.PositiveRoiAbove");
        if (!(options.LimitUsageFrom > 0 && double.IsFinite(options.LimitUsageFrom)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LimitUsageFrom, "options.LimitUsageFrom must be a finite share above 0.");
        }

        if (PlaybookEngine.IsAtRisk(customer) || customer.MonthlyRevenue is not { Amount: > 0m } revenue)
        {
            return [];
        }

        var tenure = Days.Between(customer.CustomerSince, today);
        var found = new List<OpportunityMoment>();
        void When(bool condition, OpportunityMoment moment)
        {
            if (condition)
            {
                found.Add(moment);
            }
        }

        When(customer.Roi > options.PositiveRoiAbove || HadMoment(customer, CustomerMomentKind.PositiveRoi, today), OpportunityMoment.AfterPositiveRoi);
        When(Triggers.NeedsMore(customer, today, options.LimitUsageFrom), OpportunityMoment.AtLimit);
        When(HadMoment(customer, CustomerMomentKind.FirstSuccess, today) || HadMoment(customer, CustomerMomentKind.KpiImproved, today), OpportunityMoment.AfterSuccess);
        When(HadMoment(customer, CustomerMomentKind.Anniversary, today) || (tenure >= 365 && customer.CustomerSince.Month == today.Month && Math.Abs(customer.CustomerSince.Day - today.Day) <= 7), OpportunityMoment.Anniversary);
        When(HadMoment(customer, CustomerMomentKind.PositiveFeedback, today), OpportunityMoment.AfterPositiveFeedback);
        When(Triggers.Expanding(customer, today, 14, options.SeveralRoles, options.GrowingCompany), OpportunityMoment.DepartmentExpansion);
        When(tenure is >= 90 and < 120, OpportunityMoment.AfterThreeMonths);
        When(tenure >= 90 && customer.Nps > options.ComplementaryNpsAbove, OpportunityMoment.Complementary);
        When(today.Month >= 10, OpportunityMoment.Seasonal);

        var lifetime = options.ExpectedLifetimeMonths;
        var opportunities = ImmutableArray.CreateBuilder<Opportunity>(found.Count);
        foreach (var moment in found)
        {
            var (low, high, priority, kind) = Of(moment);
            var conversion = Rate.FromFraction((low.Fraction + high.Fraction) / 2);
            var uplift = revenue * (decimal)(kind == OpportunityKind.Upsell ? options.UpgradePriceIncrease : options.CrossSellPriceShare);
            opportunities.Add(new Opportunity(customer.Customer, moment, kind, priority, conversion, uplift, ExpectedValue(conversion, uplift, Rate.FromFraction(options.Margin), lifetime)));
        }

        opportunities.Sort(static (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : b.ExpectedValue.Amount != a.ExpectedValue.Amount ? b.ExpectedValue.Amount.CompareTo(a.ExpectedValue.Amount) : a.Moment.CompareTo(b.Moment));
        return opportunities.MoveToImmutable();
    }

    /// <summary>Ranks opportunities (of many customers) purely by expected value, highest first.</summary>
    /// <param name="opportunities">The opportunities.</param>
    /// <returns>The ranking.</returns>
    public static ImmutableArray<Opportunity> ByExpectedValue(IEnumerable<Opportunity> opportunities)
    {
        ArgumentNullException.ThrowIfNull(opportunities);
        var all = opportunities.ToImmutableArray().Sort(static (a, b) => b.ExpectedValue.Amount != a.ExpectedValue.Amount ? b.ExpectedValue.Amount.CompareTo(a.ExpectedValue.Amount) : string.CompareOrdinal(a.Customer.Value, b.Customer.Value));
        return all;
    }

    /// <summary>An opportunity's expected value: conversion × monthly revenue uplift × margin × expected lifetime in months.</summary>
    /// <param name="conversion">The chance it converts.</param>
    /// <param name="monthlyUplift">The revenue a conversion adds per month; not negative.</param>
    /// <param name="margin">The gross margin.</param>
    /// <param name="expectedLifetimeMonths">How many months the added revenue is expected to last; not negative.</param>
    /// <returns>The expected value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite.</exception>
    public static Money ExpectedValue(Rate conversion, Money monthlyUplift, Rate margin, double expectedLifetimeMonths)
    {
        Guard.NonNegative(monthlyUplift.Amount, nameof(monthlyUplift));
        Guard.FiniteNonNegative(expectedLifetimeMonths);
        return monthlyUplift * (decimal)(conversion.Fraction * margin.Fraction * expectedLifetimeMonths);
    }

    /// <summary>Upgrade or usage add-on (B8): the next plan up against paying for the extra units on the current plan.</summary>
    /// <param name="currentPlan">The current plan's monthly price.</param>
    /// <param name="upgradePlan">The next plan's monthly price.</param>
    /// <param name="addOnPerUnit">The add-on's monthly price per extra unit.</param>
    /// <param name="extraUnits">The extra units needed; not negative.</param>
    /// <returns>The cheaper option ("upgrade" or "add-on"; the first cost is the upgrade's) and the saving.</returns>
    public static PriceComparison UpgradeOrAddOn(Money currentPlan, Money upgradePlan, Money addOnPerUnit, int extraUnits)
    {
        Guard.NonNegative(extraUnits);
        Guard.NonNegative(currentPlan.Amount, nameof(currentPlan));
        Guard.NonNegative(upgradePlan.Amount, nameof(upgradePlan));
        Guard.NonNegative(addOnPerUnit.Amount, nameof(addOnPerUnit));
        var addOn = currentPlan + (addOnPerUnit * extraUnits);
        return upgradePlan <= addOn
            ? new PriceComparison("upgrade", upgradePlan, addOn, addOn - upgradePlan)
            : new PriceComparison("add-on", upgradePlan, addOn, upgradePlan - addOn);
    }

    /// <summary>Per-seat or team plan (B8): paying each seat against a team plan that covers up to a number of seats.</summary>
    /// <param name="seats">The seats needed; at least 1.</param>
    /// <param name="pricePerSeat">The monthly price per seat.</param>
    /// <param name="teamPlan">The team plan's monthly price.</param>
    /// <param name="teamPlanSeats">The seats the team plan covers; at least 1.</param>
    /// <returns>The cheaper option ("per seat" or "team plan"; the first cost is per seat) and the saving; "per seat" when the team plan covers too few seats.</returns>
    public static PriceComparison SeatsOrTeamPlan(int seats, Money pricePerSeat, Money teamPlan, int teamPlanSeats)
    {
        Guard.Positive(seats);
        Guard.Positive(teamPlanSeats);
        Guard.NonNegative(pricePerSeat.Amount, nameof(pricePerSeat));
        Guard.NonNegative(teamPlan.Amount, nameof(teamPlan));
        var perSeat = pricePerSeat * seats;
        return seats <= teamPlanSeats && teamPlan < perSeat
            ? new PriceComparison("team plan", perSeat, teamPlan, perSeat - teamPlan)
            : new PriceComparison("per seat", perSeat, teamPlan, seats <= teamPlanSeats ? teamPlan - perSeat : Money.Zero(pricePerSeat.Currency));
    }

    private static bool HadMoment(CustomerState customer, CustomerMomentKind kind, LocalDate today)
    {
        foreach (var m in customer.Moments)
        {
            if (m.Kind == kind && Days.Between(m.On, today) is >= 0 and <= 7)
            {
                return true;
            }
        }

        return false;
    }
}
