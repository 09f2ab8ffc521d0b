using System;
using RetentionKit.Internal;

namespace RetentionKit.Metrics;

/// <summary>What-if analysis: the effect of a different churn rate on CLV and revenue (SPEC M16).</summary>
public static class WhatIf
{
    /// <summary>
    /// Compares CLV and the revenue of today's customer base over a horizon under the current and a new monthly churn
    /// rate ("5 % → 3 % monthly": CLV $1,600 → $2,666.67 at $100 ARPU and 80 % margin).
    /// </summary>
    /// <param name="customers">Customers today; not negative.</param>
    /// <param name="monthlyArpu">Average revenue per customer per month; not negative.</param>
    /// <param name="grossMargin">Gross margin on revenue.</param>
    /// <param name="currentMonthlyChurn">Today's monthly churn; greater than zero.</param>
    /// <param name="newMonthlyChurn">The churn to compare with; greater than zero.</param>
    /// <param name="horizonMonths">Months of revenue counted; greater than zero.</param>
    /// <returns>Both scenarios side by side.</returns>
    /// <remarks>
    /// Revenue over the horizon is that of today's customers only (no new sign-ups), each paying at the start of every
    /// month they remain: customers × ARPU × Σ (1 − churn)^t for t = 0 … horizon − 1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A count or amount is negative, a churn rate is zero, or the horizon is not positive.</exception>
    public static ChurnScenario ChurnChange(long customers, Money monthlyArpu, Rate grossMargin, Rate currentMonthlyChurn, Rate newMonthlyChurn, int horizonMonths)
    {
        Guard.NonNegative(customers);
        Guard.NonNegative(monthlyArpu.Amount, nameof(monthlyArpu));
        Guard.Positive(horizonMonths);
        var clvBefore = CustomerLifetimeValue.Simple(monthlyArpu, grossMargin, currentMonthlyChurn);
        var clvAfter = CustomerLifetimeValue.Simple(monthlyArpu, grossMargin, newMonthlyChurn);
        var revenueBefore = CustomerLifetimeValue.Discounted(monthlyArpu * customers, Rate.One, currentMonthlyChurn, Rate.Zero, 0d, horizonMonths);
        var revenueAfter = CustomerLifetimeValue.Discounted(monthlyArpu * customers, Rate.One, newMonthlyChurn, Rate.Zero, 0d, horizonMonths);
        return new ChurnScenario(clvBefore, clvAfter, revenueBefore, revenueAfter, horizonMonths);
    }
}

/// <summary>Two churn scenarios side by side.</summary>
/// <param name="ClvBefore">CLV at the current churn.</param>
/// <param name="ClvAfter">CLV at the new churn.</param>
/// <param name="RevenueBefore">Revenue of today's customers over the horizon at the current churn.</param>
/// <param name="RevenueAfter">Revenue of today's customers over the horizon at the new churn.</param>
/// <param name="HorizonMonths">The horizon.</param>
public sealed record ChurnScenario(Money ClvBefore, Money ClvAfter, Money RevenueBefore, Money RevenueAfter, int HorizonMonths)
{
    /// <summary>Gets the change in CLV.</summary>
    public Money ClvChange => ClvAfter - ClvBefore;

    /// <summary>Gets the change in revenue over the horizon.</summary>
    public Money RevenueChange => RevenueAfter - RevenueBefore;
}
