using System;
using System.Collections.Generic;
using System.Globalization;

namespace RetentionKit;

/// <summary>
/// An amount of money: a <see cref="decimal"/> amount in a <see cref="RetentionKit.Currency"/>.
/// </summary>
/// <remarks>
/// <para>
/// Arithmetic and comparison are defined only between amounts in the same currency; mixing currencies throws
/// <see cref="ArgumentException"/>. Money is never converted implicitly.
/// </para>
/// <para>
/// Rounding: arithmetic keeps full <see cref="decimal"/> precision (28–29 significant digits) and never rounds on
/// its own, so sums reconcile exactly. Call <see cref="Round()"/> to round to the currency's minor unit, which uses
/// banker's rounding (<see cref="MidpointRounding.ToEven"/>) unless another mode is given.
/// </para>
/// <para>Amounts may be negative (a refund, a contraction); APIs that need a non-negative amount say so.</para>
/// </remarks>
public readonly struct Money : IEquatable<Money>, IComparable<Money>, IFormattable
{
    /// <summary>Initializes a new instance of the <see cref="Money"/> struct.</summary>
    /// <param name="amount">The amount in units of <paramref name="currency"/> (dollars, not cents).</param>
    /// <param name="currency">The currency of the amount.</param>
    public Money(decimal amount, Currency currency)
    {
        Amount = amount;
        Currency = currency;
    }

    /// <summary>Gets the amount, in units of <see cref="Currency"/>.</summary>
    public decimal Amount { get; }

    /// <summary>Gets the currency of the amount.</summary>
    public Currency Currency { get; }

    /// <summary>Gets whether the amount is zero.</summary>
    public bool IsZero => Amount == 0m;

    /// <summary>Gets whether the amount is below zero. <c>-0m</c> is not negative.</summary>
    public bool IsNegative => Amount < 0m;

    /// <summary>Returns zero in the given currency.</summary>
    /// <param name="currency">The currency.</param>
    /// <returns>An amount of zero.</returns>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>Creates an amount in US dollars.</summary>
    /// <param name="amount">The amount in dollars.</param>
    /// <returns>The amount.</returns>
    public static Money Usd(decimal amount) => new(amount, Currency.Usd);

    /// <summary>Creates an amount in euros.</summary>
    /// <param name="amount">The amount in euros.</param>
    /// <returns>The amount.</returns>
    public static Money Eur(decimal amount) => new(amount, Currency.Eur);

    /// <summary>Adds two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, Currency.Require(left.Currency, right.Currency, nameof(right)));

    /// <summary>Subtracts two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, Currency.Require(left.Currency, right.Currency, nameof(right)));

    /// <summary>Negates an amount.</summary>
    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    /// <summary>Multiplies an amount by a factor.</summary>
    public static Money operator *(Money left, decimal factor) => new(left.Amount * factor, left.Currency);

    /// <summary>Multiplies an amount by a factor.</summary>
    public static Money operator *(decimal factor, Money right) => new(right.Amount * factor, right.Currency);

    /// <summary>Divides an amount by a divisor, keeping full decimal precision.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divisor"/> is zero.</exception>
    /// <exception cref="OverflowException">The quotient is outside the range of <see cref="decimal"/>.</exception>
    public static Money operator /(Money left, decimal divisor) =>
        divisor == 0m
            ? throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "divisor must not be zero: an amount divided by zero is undefined.")
            : new(left.Amount / divisor, left.Currency);

    /// <summary>Returns whether two amounts have the same currency and numeric value.</summary>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Returns whether two amounts differ in currency or numeric value.</summary>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Compares two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Adds amounts that must all be in <paramref name="currency"/>.</summary>
    /// <param name="amounts">The amounts; may be empty.</param>
    /// <param name="currency">The currency of the result and of every amount.</param>
    /// <returns>The total; zero for an empty sequence.</returns>
    /// <exception cref="ArgumentException">An amount is in another currency.</exception>
    public static Money Sum(IEnumerable<Money> amounts, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = 0m;
        foreach (var amount in amounts)
        {
            Currency.Require(currency, amount.Currency, nameof(amounts));
            total += amount.Amount;
        }

        return new Money(total, currency);
    }

    /// <summary>Adds an amount in the same currency.</summary>
    /// <param name="other">The amount to add.</param>
    /// <returns>The sum.</returns>
    public Money Add(Money other) => this + other;

    /// <summary>Subtracts an amount in the same currency.</summary>
    /// <param name="other">The amount to subtract.</param>
    /// <returns>The difference.</returns>
    public Money Subtract(Money other) => this - other;

    /// <summary>Multiplies by a factor.</summary>
    /// <param name="factor">The factor.</param>
    /// <returns>The product.</returns>
    public Money Multiply(decimal factor) => this * factor;

    /// <summary>Divides by a divisor.</summary>
    /// <param name="divisor">The divisor; not zero.</param>
    /// <returns>The quotient, unrounded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divisor"/> is zero.</exception>
    public Money Divide(decimal divisor) => this / divisor;

    /// <summary>Returns the negated amount.</summary>
    /// <returns>The amount with the opposite sign.</returns>
    public Money Negate() => -this;

    /// <summary>Rounds to the currency's minor unit with banker's rounding.</summary>
    /// <returns>The rounded amount.</returns>
    public Money Round() => Round(MidpointRounding.ToEven);

    /// <summary>Rounds to the currency's minor unit with the given midpoint rule.</summary>
    /// <param name="mode">How a value exactly half-way between two minor units is rounded.</param>
    /// <returns>The rounded amount.</returns>
    public Money Round(MidpointRounding mode) => new(Math.Round(Amount, Currency.MinorUnits, mode), Currency);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        Currency.Require(Currency, other.Currency, nameof(other));
        return Amount.CompareTo(other.Amount);
    }

    /// <inheritdoc />
    public bool Equals(Money other) => Currency.Equals(other.Currency) && Amount == other.Amount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Currency, Amount);

    /// <summary>Formats as the invariant-culture amount followed by the currency code, for example <c>1600.00 USD</c>.</summary>
    /// <returns>The formatted amount.</returns>
    public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Formats the amount with a standard or custom .NET numeric format string.</summary>
    /// <param name="format">
    /// A <see cref="decimal"/> format string. <c>C</c> (currency, as in <c>{amount:C}</c>) uses the culture's currency
    /// pattern with this amount's code in place of the culture's symbol and, without a precision, the currency's
    /// <see cref="Currency.MinorUnits"/> (<c>"USD 1,200.00"</c> in the invariant culture, <c>"1.200,00 EUR"</c> in
    /// de-DE); any other format is applied to the amount and followed by a space and the code (<c>"1200.00 USD"</c>
    /// for <c>F2</c>); null keeps the amount's own scale.
    /// </param>
    /// <param name="formatProvider">The culture; null means the current culture.</param>
    /// <returns>The formatted amount.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (format is { Length: > 0 } && (format[0] == 'C' || format[0] == 'c'))
        {
            var numbers = (NumberFormatInfo)NumberFormatInfo.GetInstance(formatProvider).Clone();
            numbers.CurrencySymbol = Currency.Code;
            numbers.CurrencyDecimalDigits = Currency.MinorUnits;
            return Amount.ToString(format, numbers);
        }

        return Amount.ToString(format, formatProvider) + " " + Currency.Code;
    }
}
