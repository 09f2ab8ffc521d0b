using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>An entry read back from a database (new arrays, new strings) equals the one appended.</summary>
public class LedgerEntryTests
{
    private static LedgerEntry Entry(params LotAllocation[] allocations) => new()
    {
        Member = new CustomerId("ana"), Sequence = 3, IdempotencyKey = new string('k', 3), Kind = PostingKind.Redeem, Points = -5,
        Counterparty = SystemAccount.Redeemed, At = Instant.FromUtc(2026, 1, 1, 0, 0), Allocations = [.. allocations], Reason = "reward",
    };

    [Fact]
    public void Equals_ComparesAllocationsItemByItem_NotByArray()
    {
        var a = Entry(new LotAllocation(1, 2), new LotAllocation(2, 3));
        var b = Entry(new LotAllocation(1, 2), new LotAllocation(2, 3));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Entry(new LotAllocation(1, 2), new LotAllocation(2, 4)));
        Assert.NotEqual(a, Entry(new LotAllocation(1, 2)));
        Assert.NotEqual(a, b with { Reference = "x" });
        Assert.NotEqual(a, b with { ExpiresAt = Instant.FromUtc(2027, 1, 1, 0, 0) });
        Assert.False(a.Equals(null));
    }
}
