using System;
using FsCheck;
using FsCheck.Xunit;

namespace RetentionKit.Core.Tests;

/// <summary>OptionKeyComparer: keys match without regard to case, '-' and '_'; equality, hashing and order agree.</summary>
public sealed class OptionKeyComparerTests
{
    private static readonly OptionKeyComparer Keys = OptionKeyComparer.Instance;

    [Theory]
    [InlineData("premium-feature", "PREMIUMFEATURE")]
    [InlineData("premium-feature", "Premium_Feature")]
    [InlineData("LowEmailEngagement", "LOWEMAILENGAGEMENT")]
    [InlineData("retention-offer", "retention_offer")]
    [InlineData("a-", "A")]
    [InlineData("", "--")]
    public void SameKey_Matches_WithTheSameHash(string x, string y)
    {
        Assert.True(Keys.Equals(x, y));
        Assert.Equal(0, Keys.Compare(x, y));
        Assert.Equal(Keys.GetHashCode(x), Keys.GetHashCode(y));
    }

    [Theory]
    [InlineData("premium-feature", "premium-features")]
    [InlineData("beta-access", "betaaccesss")]
    [InlineData("ab", "ba")]
    [InlineData("a", "")]
    public void OtherKeys_DoNotMatch(string x, string y)
    {
        Assert.False(Keys.Equals(x, y));
        Assert.NotEqual(0, Keys.Compare(x, y));
        Assert.Equal(-Math.Sign(Keys.Compare(x, y)), Math.Sign(Keys.Compare(y, x)));
    }

    [Fact]
    public void Null_ComesFirst_AndHashingNullIsRefused()
    {
        Assert.True(Keys.Compare(null, "a") < 0);
        Assert.True(Keys.Equals(null, null));
        Assert.Throws<ArgumentNullException>(() => Keys.GetHashCode(null!));
    }

    /// <summary>Property: equal keys hash alike, equality is symmetric, and the order is antisymmetric.</summary>
    [Property(MaxTest = 500)]
    public bool EqualityHashAndOrder_Agree(NonNull<string> a, NonNull<string> b)
    {
        var (x, y) = (a.Get, b.Get);
        var equal = Keys.Equals(x, y);
        return equal == Keys.Equals(y, x)
            && (!equal || Keys.GetHashCode(x) == Keys.GetHashCode(y))
            && Math.Sign(Keys.Compare(x, y)) == -Math.Sign(Keys.Compare(y, x))
            && Keys.Equals(x, x.ToUpperInvariant().Replace("-", "_", StringComparison.Ordinal));
    }
}
