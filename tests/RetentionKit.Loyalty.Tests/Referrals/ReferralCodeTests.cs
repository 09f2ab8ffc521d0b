using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

public class ReferralCodeTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static class Codes
    {
        public static Arbitrary<ReferralCode> New() => Gen.Fresh(ReferralCode.NewCode).ToArbitrary();
    }

    [Fact]
    public void NewCode_HasTheShape_AndIsUnique()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => ReferralCode.NewCode()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c =>
        {
            Assert.Equal(ReferralCode.Length, c.Value.Length);
            Assert.All(c.Value, ch => Assert.Contains(ch, Alphabet));
            Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{4}$", c.ToString());
        });

        // Every symbol appears in every random position: the source is not stuck (a loose check, not a randomness test).
        for (var position = 0; position < ReferralCode.RandomSymbols; position++)
        {
            Assert.Equal(32, codes.Select(c => c.Value[position]).Distinct().Count());
        }
    }

    // RI-4: format → parse round-trips, tolerant of case, separators and the look-alike letters.
    [Property(Arbitrary = [typeof(Codes)])]
    public bool Parse_RoundTrips_TheWaysPeopleTypeIt(ReferralCode code)
    {
        var text = code.ToString();
        var sloppy = text.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal).Replace('1', 'l').Replace('0', 'o');
        return ReferralCode.Parse(text) == code
            && ReferralCode.TryParse(code.Value, out var compact) && compact == code
            && ReferralCode.TryParse(sloppy, out var typed) && typed == code
            && ReferralCode.TryParse($" {code.Value[..7]}-{code.Value[7..]} ", out var spaced) && spaced == code;
    }

    // RI-3: every single substitution is caught.
    [Property(Arbitrary = [typeof(Codes)], MaxTest = 30)]
    public bool EverySingleSubstitution_IsRejected(ReferralCode code)
    {
        for (var position = 0; position < ReferralCode.Length; position++)
        {
            foreach (var symbol in Alphabet)
            {
                if (symbol == code.Value[position])
                {
                    continue;
                }

                var changed = code.Value[..position] + symbol + code.Value[(position + 1)..];
                if (ReferralCode.TryParse(changed, out _))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // RI-3: every transposition of two different adjacent symbols is caught.
    [Property(Arbitrary = [typeof(Codes)], MaxTest = 300)]
    public bool EveryAdjacentTransposition_IsRejected(ReferralCode code)
    {
        var s = code.Value;
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (s[i] != s[i + 1] && ReferralCode.TryParse(s[..i] + s[i + 1] + s[i] + s[(i + 2)..], out _))
            {
                return false;
            }
        }

        return true;
    }

    // RI-4: parsing never throws, whatever the string.
    [Property(MaxTest = 2_000)]
    public bool TryParse_NeverThrows(string? text)
    {
        var parsed = ReferralCode.TryParse(text, out var code);
        return parsed ? code.Value.Length == ReferralCode.Length : code.IsDefault;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCDE")]
    [InlineData("UUUUU-UUUUU-UUUU")]
    [InlineData("ABCDE-FGHJK-MNPQ-R")]
    [InlineData("ÀBCDE-FGHJK-MNPQ")]
    [InlineData("*BCDE-FGHJK-MNPQ")]
    public void TryParse_NotACode_IsFalse(string? text)
    {
        Assert.False(ReferralCode.TryParse(text, out var code));
        Assert.True(code.IsDefault);
    }

    [Fact]
    public void Parse_NotACode_ThrowsFormatException_AndDefaultIsEmpty()
    {
        var error = Assert.Throws<FormatException>(() => ReferralCode.Parse("nope"));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, default(ReferralCode).ToString());
        Assert.True(default(ReferralCode) == default);
        var code = ReferralCode.NewCode();
        Assert.True(code != default && code.Equals((object)ReferralCode.Parse(code.ToString())) && code.GetHashCode() == ReferralCode.Parse(code.Value).GetHashCode());
    }
}
