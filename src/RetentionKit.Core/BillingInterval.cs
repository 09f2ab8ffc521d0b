using System;

namespace RetentionKit;

/// <summary>How often a subscription is billed, as a whole number of months.</summary>
/// <remarks>
/// <para>
/// Normalisation to a monthly amount (for MRR) divides the amount billed per interval by the number of months,
/// at full <see cref="decimal"/> precision and without rounding: an annual plan of 1,200 is 100 a month, a
/// quarterly plan of 100 is 33.333… a month. Round only for display.
/// </para>
/// <para>The default value is <see cref="Monthly"/>.</para>
/// </remarks>
public readonly struct BillingInterval : IEquatable<BillingInterval>
{
    private readonly int _monthsMinusOne;

    private BillingInterval(int months) => _monthsMinusOne = months - 1;

    /// <summary>Gets the interval of one month.</summary>
    public static BillingInterval Monthly => default;

    /// <summary>Gets the interval of three months.</summary>
    public static BillingInterval Quarterly { get; } = new(3);

    /// <summary>Gets the interval of six months.</summary>
    public static BillingInterval SemiAnnual { get; } = new(6);

    /// <summary>Gets the interval of twelve months.</summary>
    public static BillingInterval Annual { get; } = new(12);

    /// <summary>Gets the number of months in one interval (at least 1).</summary>
    public int Months => _monthsMinusOne + 1;

    /// <summary>Creates an interval of a whole number of months.</summary>
    /// <param name="months">The number of months; between 1 and 120.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="months"/> is outside [1, 120].</exception>
    public static BillingInterval FromMonths(int months)
    {
        if (months is < 1 or > 120)
        {
            throw new ArgumentOutOfRangeException(nameof(months), months, "months must be between 1 and 120.");
        }

        return new BillingInterval(months);
    }

    /// <summary>Returns whether two intervals have the same length.</summary>
    public static bool operator ==(BillingInterval left, BillingInterval right) => left.Equals(right);

    /// <summary>Returns whether two intervals differ in length.</summary>
    public static bool operator !=(BillingInterval left, BillingInterval right) => !left.Equals(right);

    /// <summary>Normalises an amount billed once per interval to its monthly equivalent.</summary>
    /// <param name="amountPerInterval">The amount billed each interval.</param>
    /// <returns>The amount ÷ <see cref="Months"/>, unrounded.</returns>
    public Money ToMonthly(Money amountPerInterval) => amountPerInterval / Months;

    /// <summary>Returns the amount billed per interval for a monthly amount.</summary>
    /// <param name="monthlyAmount">The monthly amount.</param>
    /// <returns>The monthly amount × <see cref="Months"/>.</returns>
    public Money FromMonthly(Money monthlyAmount) => monthlyAmount * Months;

    /// <inheritdoc />
    public bool Equals(BillingInterval other) => _monthsMinusOne == other._monthsMinusOne;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BillingInterval other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Months;

    /// <summary>Returns "monthly", "quarterly", "semiannual", "annual" or "every N months".</summary>
    /// <returns>The name of the interval.</returns>
    public override string ToString() => Months switch
    {
        1 => "monthly",
        3 => "quarterly",
        6 => "semiannual",
        12 => "annual",
        _ => $"every {Months} months",
    };
}
