namespace RetentionKit.Loyalty.Ledger;

/// <summary>What a ledger entry does to a member's points.</summary>
public enum PostingKind
{
    /// <summary>Points earned: credits the member from <see cref="SystemAccount.Issued"/> and opens a lot.</summary>
    Earn = 0,

    /// <summary>Points spent on a reward: debits the member's lots, earliest expiry first, to <see cref="SystemAccount.Redeemed"/>.</summary>
    Redeem = 1,

    /// <summary>What remained of a lot at its expiry: debited to <see cref="SystemAccount.Expired"/>.</summary>
    Expire = 2,

    /// <summary>A correction that undoes (part of) an earlier earn or redemption; it references the original.</summary>
    Reverse = 3,

    /// <summary>A manual correction by a person, with a reason: credit opens a lot, debit consumes lots.</summary>
    Adjust = 4,
}

/// <summary>The system side of every posting: with these accounts all postings sum to zero (LI-1).</summary>
public enum SystemAccount
{
    /// <summary>Where earned points come from.</summary>
    Issued = 0,

    /// <summary>Where redeemed points go.</summary>
    Redeemed = 1,

    /// <summary>Where expired points go.</summary>
    Expired = 2,

    /// <summary>Where clawed-back points go when an earn is reversed.</summary>
    ClawedBack = 3,

    /// <summary>The other side of manual adjustments.</summary>
    Adjustments = 4,
}
