namespace RetentionKit.Loyalty.Ledger;

/// <summary>One earn of <see cref="LoyaltyLedger.EarnManyAsync"/>: the arguments of <see cref="LoyaltyLedger.EarnAsync"/>.</summary>
/// <param name="Member">The member.</param>
/// <param name="Points">The points, at least 1.</param>
/// <param name="IdempotencyKey">The key, unique per member.</param>
/// <param name="Reason">Why (the rule's name).</param>
/// <param name="Reference">What the points are for outside the ledger, if anything.</param>
public readonly record struct EarnRequest(CustomerId Member, long Points, string IdempotencyKey, string Reason, string? Reference = null);
