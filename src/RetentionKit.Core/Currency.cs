using System;
using RetentionKit.Internal;

namespace RetentionKit;

/// <summary>
/// An ISO 4217 currency, identified by its three-letter alphabetic code (for example <c>USD</c>, <c>EUR</c>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Currency(string)"/> accepts the codes ISO 4217 lists as active (List One, as amended to 2026, funds and
/// precious metals included) and refuses anything else, so a typo such as <c>USX</c> fails where it is written rather
/// than as a currency mismatch later. A code the standard does not list — a withdrawn one (<c>HRK</c>), a host's own
/// unit (a credit, a token) or one added after this library shipped — is created with <see cref="Custom"/>, which
/// says so at the call site. Two currencies are equal when their codes are equal, however they were created.
/// </para>
/// <para>
/// <see cref="MinorUnits"/> gives the number of decimal places used when a <see cref="Money"/> value is rounded:
/// the standard's number for an ISO code (2 for codes without a minor unit, such as <c>XAU</c>), the given number
/// for a custom one.
/// </para>
/// <para>The default value of this struct is <c>XXX</c>, the ISO code for "no currency".</para>
/// </remarks>
public readonly struct Currency : IEquatable<Currency>
{
    /// <summary>The most decimal places a currency may have (a <see cref="decimal"/> keeps 28).</summary>
    public const int MaxMinorUnits = 8;

    private const string NoCurrencyCode = "XXX";
    private readonly string? _code;
    private readonly byte _minorUnits;

    /// <summary>Initializes a new instance of the <see cref="Currency"/> struct from an active ISO 4217 code.</summary>
    /// <param name="code">A three-letter ISO 4217 alphabetic code that the standard lists as active; case is ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not three ASCII letters, or is not an active ISO 4217 code (use <see cref="Custom"/> for a code of your own).</exception>
    public Currency(string code)
    {
        var upper = Shape(code);
        if (!Iso4217.TryGetMinorUnits(upper, out var units))
        {
            throw new ArgumentException($"code must be an active ISO 4217 code such as \"USD\"; \"{code}\" is not one. For a code of your own (or one withdrawn from the standard) use Currency.Custom(\"{upper}\", minorUnits).", nameof(code));
        }

        _code = upper;
        _minorUnits = (byte)units;
    }

    private Currency(string upperCode, int minorUnits)
    {
        _code = upperCode;
        _minorUnits = (byte)minorUnits;
    }

    /// <summary>Gets the US dollar.</summary>
    public static Currency Usd { get; } = new("USD");

    /// <summary>Gets the euro.</summary>
    public static Currency Eur { get; } = new("EUR");

    /// <summary>Gets the pound sterling.</summary>
    public static Currency Gbp { get; } = new("GBP");

    /// <summary>Gets the upper-case three-letter code.</summary>
    public string Code => _code ?? NoCurrencyCode;

    /// <summary>Gets the number of decimal places of the currency's minor unit, used by <see cref="Money.Round()"/>.</summary>
    public int MinorUnits => _code is null ? 2 : _minorUnits;

    /// <summary>Gets whether the code is one ISO 4217 lists as active (false for a <see cref="Custom"/> code).</summary>
    public bool IsIso => Iso4217.TryGetMinorUnits(Code, out _);

    /// <summary>
    /// Creates a currency with a code the standard does not list as active: a host's own unit, a withdrawn code, or a
    /// code added after this library shipped.
    /// </summary>
    /// <param name="code">Three ASCII letters; case is ignored. An active ISO code is accepted too and keeps its standard minor units only if they match.</param>
    /// <param name="minorUnits">The decimal places of its minor unit, 0 to <see cref="MaxMinorUnits"/>.</param>
    /// <returns>The currency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not three ASCII letters, or names an ISO currency with other minor units.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minorUnits"/> is outside 0 to <see cref="MaxMinorUnits"/>.</exception>
    public static Currency Custom(string code, int minorUnits = 2)
    {
        var upper = Shape(code);
        if (minorUnits < 0 || minorUnits > MaxMinorUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(minorUnits), minorUnits, $"minorUnits must be from 0 to {MaxMinorUnits}.");
        }

        if (Iso4217.TryGetMinorUnits(upper, out var iso) && iso != minorUnits)
        {
            throw new ArgumentException($"code {upper} is an ISO 4217 currency with {iso} minor units, not {minorUnits}; create it with new Currency(\"{upper}\").", nameof(code));
        }

        return new Currency(upper, minorUnits);
    }

    /// <summary>Tries to create a currency from an active ISO 4217 code, without throwing.</summary>
    /// <param name="code">The code; case is ignored.</param>
    /// <param name="currency">The currency, or the default when the code is not an active ISO code.</param>
    /// <returns>Whether the code is an active ISO 4217 code.</returns>
    public static bool TryFromIso(string? code, out Currency currency)
    {
        if (code is { Length: 3 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) && char.IsAsciiLetter(code[2])
            && Iso4217.TryGetMinorUnits(code.ToUpperInvariant(), out var units))
        {
            currency = new Currency(code.ToUpperInvariant(), units);
            return true;
        }

        currency = default;
        return false;
    }

    /// <summary>Returns whether two currencies have the same code.</summary>
    public static bool operator ==(Currency left, Currency right) => left.Equals(right);

    /// <summary>Returns whether two currencies have different codes.</summary>
    public static bool operator !=(Currency left, Currency right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(Currency other) => string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Currency other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <summary>Returns the three-letter code.</summary>
    /// <returns>The code, for example <c>USD</c>.</returns>
    public override string ToString() => Code;

    private static string Shape(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != 3 || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]) || !char.IsAsciiLetter(code[2]))
        {
            throw new ArgumentException($"code must be three ASCII letters, an ISO 4217 code such as \"USD\"; got \"{code}\".", nameof(code));
        }

        return code.ToUpperInvariant();
    }

    internal static Currency Require(Currency left, Currency right, string paramName)
    {
        if (!left.Equals(right))
        {
            throw new ArgumentException(
                $"{paramName} is in {right.Code} but the operation is in {left.Code}; amounts in different currencies cannot be combined. Convert first.",
                paramName);
        }

        return left;
    }
}
