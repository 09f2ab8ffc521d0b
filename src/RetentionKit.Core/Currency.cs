using System;

namespace RetentionKit;

/// <summary>
/// An ISO 4217 currency, identified by its three-letter alphabetic code (for example <c>USD</c>, <c>EUR</c>).
/// </summary>
/// <remarks>
/// <para>
/// The code is validated for shape (three ASCII letters, normalised to upper case), not against the list of
/// currencies in circulation, so a host can use a currency added to the standard after this library shipped.
/// </para>
/// <para>
/// <see cref="MinorUnits"/> gives the number of decimal places used when a <see cref="Money"/> value is rounded.
/// It is 2 unless the code is one of the ISO 4217 currencies with 0 or 3 minor units known to this library.
/// </para>
/// <para>The default value of this struct is <c>XXX</c>, the ISO code for "no currency".</para>
/// </remarks>
public readonly struct Currency : IEquatable<Currency>
{
    private const string NoCurrencyCode = "XXX";
    private readonly string? _code;

    /// <summary>Initializes a new instance of the <see cref="Currency"/> struct.</summary>
    /// <param name="code">A three-letter ISO 4217 alphabetic code; case is ignored.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not three ASCII letters.</exception>
    public Currency(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != 3 || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]) || !char.IsAsciiLetter(code[2]))
        {
            throw new ArgumentException($"code must be a three-letter ISO 4217 code such as \"USD\"; got \"{code}\".", nameof(code));
        }

        _code = code.ToUpperInvariant();
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
    public int MinorUnits => Code switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "ISK" or "JPY" or "KMF" or "KRW" or "PYG" or "RWF"
            or "UGX" or "UYI" or "VND" or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        NoCurrencyCode => 2,
        _ => 2,
    };

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
