using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>
/// Regression (issue 19): the balance counted lots past their expiry until <see cref="LoyaltyLedger.ExpireAsync"/>
/// ran (250 before, 50 after in the host's test). Every read as of an instant leaves them out, with or without the
/// expiry posting, on both store paths.
/// </summary>
public class ExpiredPointsReadTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;

    public static TheoryData<bool> Paths => new() { false, true };

    private static async Task<LedgerFixture> HostScenario(bool throughInterface)
    {
        var f = new LedgerFixture(expireAfterDays: 30, store: throughInterface ? new PassThroughStore() : null);
        await f.Ledger.EarnAsync(Ana, 200, "e1", "welcome"); // expires on day 30
        f.AdvanceDays(20);
        await f.Ledger.EarnAsync(Ana, 50, "e2", "purchase"); // expires on day 50
        f.AdvanceDays(15); // day 35: the first lot has expired, its expiry posting not written
        return f;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task GetBalance_BeforeExpiryIsPosted_DoesNotCountExpiredPoints(bool throughInterface)
    {
        var f = await HostScenario(throughInterface);

        Assert.Equal(50, await f.Ledger.GetBalanceAsync(Ana));
        var account = await f.Ledger.GetAccountAsync(Ana);
        Assert.Equal(50, account.Balance);
        Assert.Equal([2L], account.Lots.Select(l => l.Id));
        Assert.Equal(2, (await f.Ledger.GetHistoryAsync(Ana)).Count); // reading wrote nothing

        Assert.Single(await f.Ledger.ExpireAsync(Ana));
        Assert.Equal(50, await f.Ledger.GetBalanceAsync(Ana));
        Assert.Equal(account with { Version = 3 }, await f.Ledger.GetAccountAsync(Ana), AccountComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task GetAccountAsOf_LeavesOutLotsExpiredByThen_AndKeepsThoseStillValid(bool throughInterface)
    {
        var f = await HostScenario(throughInterface);

        var day29 = LedgerFixture.Start + Duration.FromDays(29);
        var day30 = LedgerFixture.Start + Duration.FromDays(30);
        Assert.Equal(250, (await f.Ledger.GetAccountAsync(Ana, day29)).Balance);
        Assert.Equal(50, (await f.Ledger.GetAccountAsync(Ana, day30)).Balance); // the end of a lot's term is included
        Assert.Equal(250, LoyaltyLedger.Replay(Ana, await f.Ledger.GetHistoryAsync(Ana)).Balance); // the log as written
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Redeem_ExpiredPoints_IsRejectedAndTheResultBalanceLeavesThemOut(bool throughInterface)
    {
        var f = await HostScenario(throughInterface);

        var refused = await f.Ledger.RedeemAsync(Ana, 100, "r1", "reward");
        Assert.Equal(PostingStatus.InsufficientPoints, refused.Status);
        Assert.Equal(50, refused.Balance);

        f.AdvanceDays(20); // day 55: the second lot has expired too
        var earned = await f.Ledger.EarnAsync(Ana, 5, "e3", "login");
        Assert.Equal(5, earned.Balance);
        Assert.Equal(5, (await f.Ledger.EarnAsync(Ana, 5, "e3", "login")).Balance); // a replay answers the same
    }

    [Fact]
    public async Task TierBasis_DoesNotDependOnWhetherTheExpiryIsPosted()
    {
        var f = await HostScenario(throughInterface: false);
        var tiers = new TierService(f.Ledger, f.Clock, new LoyaltyOptions());

        var before = await tiers.GetStatusAsync(Ana);
        await f.Ledger.ExpireAsync(Ana);
        var after = await tiers.GetStatusAsync(Ana);

        Assert.Equal(250, before.Basis);
        Assert.Equal(before, after);
    }
}
