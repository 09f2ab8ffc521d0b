using System.Collections.Generic;
using System.Linq;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>Accounts are equal when every figure and every lot is (the record compares its lot array by reference).</summary>
internal sealed class AccountComparer : IEqualityComparer<LoyaltyAccount>
{
    public static readonly AccountComparer Instance = new();

    public bool Equals(LoyaltyAccount? x, LoyaltyAccount? y) =>
        x is not null && y is not null
        && (x.Member, x.Version, x.Balance, x.QualifyingPoints) == (y.Member, y.Version, y.Balance, y.QualifyingPoints)
        && x.Lots.SequenceEqual(y.Lots);

    public int GetHashCode(LoyaltyAccount obj) => obj.Balance.GetHashCode();
}
