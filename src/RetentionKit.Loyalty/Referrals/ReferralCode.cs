using System;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>
/// A referral code (L5): 13 symbols of Crockford base32 drawn from a cryptographic random source (65 random bits, less
/// a fifth of a bit for the check below; never derived from ids, e-mails or time — RI-2), then a check symbol. Shown as
/// <c>XXXXX-XXXXX-XXXX</c>.
/// </summary>
/// <remarks>
/// The check symbol is the code's value modulo 37 (Crockford's check). Because 37 is a prime above 32, it catches every
/// single substitution and every transposition of two adjacent symbols (RI-3). Codes are drawn again until the check
/// is below 32, so every symbol of an issued code is an ordinary base32 symbol (no <c>*~$=U</c>). Parsing is tolerant —
/// case, hyphens and spaces are ignored; I and L read as 1, O as 0 — and <see cref="TryParse"/> never throws (RI-4).
/// </remarks>
public readonly struct ReferralCode : IEquatable<ReferralCode>
{
    /// <summary>The number of random symbols.</summary>
    public const int RandomSymbols = 13;

    /// <summary>The number of symbols including the check symbol.</summary>
    public const int Length = RandomSymbols + 1;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    // Random bytes are drawn from the cryptographic source a block at a time per thread and each used once: one call
    // per code cost a large programme a third of a second of its replay.
    private const int RandomBlock = 32 * RandomSymbols;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomUsed;

    private readonly string? _symbols;

    private ReferralCode(string symbols) => _symbols = symbols;

    /// <summary>Gets the 14 symbols without separators, upper case; empty for a default instance.</summary>
    public string Value => _symbols ?? string.Empty;

    /// <summary>Gets whether this is the default instance rather than a code.</summary>
    public bool IsDefault => _symbols is null;

    /// <summary>Draws a new code from the cryptographic random source.</summary>
    /// <returns>The code.</returns>
    public static ReferralCode NewCode()
    {
        Span<char> symbols = stackalloc char[Length];
        Span<byte> random = stackalloc byte[RandomSymbols];
        while (true)
        {
            NextRandom(random);
            var check = 0;
            for (var i = 0; i < RandomSymbols; i++)
            {
                var value = random[i] & 31; // 256 is a multiple of 32: the low five bits are uniform
                symbols[i] = Alphabet[value];
                check = ((check * 32) + value) % 37;
            }

            if (check < 32)
            {
                symbols[RandomSymbols] = Alphabet[check];
                return new ReferralCode(new string(symbols));
            }
        }
    }

    private static void NextRandom(Span<byte> destination)
    {
        var block = t_random;
        if (block is null || t_randomUsed + destination.Length > block.Length)
        {
            block = t_random ??= new byte[RandomBlock];
            RandomNumberGenerator.Fill(block);
            t_randomUsed = 0;
        }

        var taken = block.AsSpan(t_randomUsed, destination.Length);
        taken.CopyTo(destination);
        taken.Clear(); // a byte handed out once is not kept
        t_randomUsed += destination.Length;
    }

    /// <summary>Reads a code as a person may type it; never throws.</summary>
    /// <param name="text">The text: any case, with or without hyphens and spaces; I and L read as 1, O as 0.</param>
    /// <param name="code">The code, when the text is one.</param>
    /// <returns>Whether the text is a well-formed code with the right check symbol.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ReferralCode code)
    {
        code = default;
        if (text is null || text.Length > 64)
        {
            return false;
        }

        Span<char> symbols = stackalloc char[Length];
        var count = 0;
        var check = 0;
        foreach (var raw in text)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var value = ValueOf(raw);
            if (value < 0 || count == Length)
            {
                return false;
            }

            if (count < RandomSymbols)
            {
                check = ((check * 32) + value) % 37;
            }
            else if (value != check)
            {
                return false;
            }

            symbols[count++] = Alphabet[value];
        }

        if (count != Length)
        {
            return false;
        }

        code = new ReferralCode(new string(symbols));
        return true;
    }

    /// <summary>Reads a code, throwing when the text is not one.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The code.</returns>
    /// <exception cref="FormatException">The text is not a well-formed code with the right check symbol.</exception>
    public static ReferralCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not a referral code: 14 Crockford base32 symbols, the last a check symbol.");

    /// <inheritdoc/>
    public bool Equals(ReferralCode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReferralCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Gets the code as shown to people: <c>XXXXX-XXXXX-XXXX</c>.</summary>
    public override string ToString() => _symbols is null ? string.Empty : $"{_symbols[..5]}-{_symbols[5..10]}-{_symbols[10..]}";

    /// <summary>Compares two codes.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are the same code.</returns>
    public static bool operator ==(ReferralCode left, ReferralCode right) => left.Equals(right);

    /// <summary>Compares two codes.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ReferralCode left, ReferralCode right) => !left.Equals(right);

    private static int ValueOf(char c) => char.ToUpperInvariant(c) switch
    {
        >= '0' and <= '9' => c - '0',
        'O' => 0,
        'I' or 'L' => 1,
        var u and >= 'A' and <= 'Z' when u != 'U' => Alphabet.IndexOf(u, StringComparison.Ordinal),
        _ => -1,
    };
}
