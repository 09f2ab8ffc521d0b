using System;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tests.Ledger;

namespace RetentionKit.Loyalty.Tests.Rewards;

public class RewardCatalogTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    [Theory]
    [InlineData("premium-feature", 500)]
    [InlineData("training-session", 300)]
    [InlineData("priority-support", 200)]
    [InlineData("beta-access", 1_000)]
    [InlineData("custom-feature", 2_000)]
    public void Catalogue_HasThePricesOfL2(string reward, long points) =>
        Assert.Equal(points, new RewardCatalog(new LedgerFixture().Ledger, new LoyaltyOptions()).Rewards[reward].Points);

    [Fact]
    public async Task Redeem_PostsThePrice_AndGrantsTheReward_Once()
    {
        var f = new LedgerFixture();
        var catalog = new RewardCatalog(f.Ledger, new LoyaltyOptions());
        await f.Ledger.EarnAsync(Ana, 600, "e1", "referral");

        var result = await catalog.RedeemAsync(Ana, "priority-support", "order-1");
        var retry = await catalog.RedeemAsync(Ana, "priority-support", "order-1");

        Assert.Equal(RedemptionStatus.Granted, result.Status);
        Assert.Equal(new RewardGrant(Ana, "priority-support", "Priority support", 200, 2, LedgerFixture.Start), result.Grant);
        Assert.Equal(("reward:priority-support", -200L), (result.Posting!.Entry!.Reference, result.Posting.Entry.Points));
        Assert.Equal(result.Grant, retry.Grant);
        Assert.True(retry.Posting!.Replayed);
        Assert.Equal(400, (await f.Ledger.GetAccountAsync(Ana)).Balance);
        Assert.Equal(new[] { result.Grant! }, await catalog.GrantsAsync(Ana));
    }

    [Fact]
    public async Task Redeem_TooFewPoints_OrUnknownReward_WritesNothing()
    {
        var f = new LedgerFixture();
        var catalog = new RewardCatalog(f.Ledger, new LoyaltyOptions());
        await f.Ledger.EarnAsync(Ana, 999, "e1", "referral");

        var tooFew = await catalog.RedeemAsync(Ana, "beta-access", "order-1");
        var unknown = await catalog.RedeemAsync(Ana, "yacht", "order-2");

        Assert.Equal((RedemptionStatus.InsufficientPoints, (RewardGrant?)null), (tooFew.Status, tooFew.Grant));
        Assert.Equal((RedemptionStatus.RewardNotFound, (PostingResult?)null), (unknown.Status, unknown.Posting));
        Assert.Equal(999, (await f.Ledger.GetAccountAsync(Ana)).Balance);
        Assert.Empty(await catalog.GrantsAsync(Ana));
    }

    [Fact]
    public async Task Grants_LeaveOutFullyReversedRedemptions()
    {
        var f = new LedgerFixture();
        var catalog = new RewardCatalog(f.Ledger, new LoyaltyOptions());
        await f.Ledger.EarnAsync(Ana, 1_000, "e1", "referral");
        var kept = (await catalog.RedeemAsync(Ana, "training-session", "o1")).Grant!;
        var undone = (await catalog.RedeemAsync(Ana, "priority-support", "o2")).Grant!;
        var partly = (await catalog.RedeemAsync(Ana, "priority-support", "o3")).Grant!;

        await f.Ledger.ReverseAsync(Ana, undone.Entry, null, "cancel-o2", "order cancelled");
        await f.Ledger.ReverseAsync(Ana, partly.Entry, 50, "cancel-o3", "partial refund");

        Assert.Equal(new[] { kept, partly }, await catalog.GrantsAsync(Ana));
    }

    [Fact]
    public void Catalogue_Rules_AreChecked()
    {
        var options = new LoyaltyOptions();
        options.Rewards["premium-feature"].Points = 0;
        options.Rewards["swag"] = new RewardOptions { Name = " ", Points = 10 };

        var error = Assert.Throws<ArgumentException>("options", () => new RewardCatalog(new LedgerFixture().Ledger, options));

        Assert.Contains("Rewards:premium-feature:Points is 0; it must be at least 1.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Rewards:swag: the key and Name must not be blank.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grants_AddUpPartialReversals_AndDropARedemptionReversedInParts()
    {
        var f = new LedgerFixture();
        var catalog = new RewardCatalog(f.Ledger, new LoyaltyOptions());
        await f.Ledger.EarnAsync(Ana, 1_000, "e1", "referral");
        var grant = (await catalog.RedeemAsync(Ana, "priority-support", "o1")).Grant!;

        await f.Ledger.ReverseAsync(Ana, grant.Entry, 100, "part-1", "partial refund");
        Assert.Single(await catalog.GrantsAsync(Ana));
        await f.Ledger.ReverseAsync(Ana, grant.Entry, 100, "part-2", "partial refund");

        Assert.Empty(await catalog.GrantsAsync(Ana));
        Assert.Equal(string.Empty, new RewardOptions().Name);
    }
}
