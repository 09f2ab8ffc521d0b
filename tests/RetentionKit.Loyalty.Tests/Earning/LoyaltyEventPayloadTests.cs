using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Tests.Ledger;

namespace RetentionKit.Loyalty.Tests.Earning;

/// <summary>Regression (issue 19): an event carried no payload, so no rule could grant points per dollar spent or per unit.</summary>
public class LoyaltyEventPayloadTests
{
    private static readonly CustomerId Ana = LedgerFixture.Ana;
    private static readonly Instant At = Instant.FromUtc(2026, 3, 10, 12, 0);

    /// <summary>A host's rule: one point per whole dollar of a purchase, two per seat, nothing for another currency.</summary>
    private sealed class PurchaseRule : IEarningRule
    {
        public string Kind => "purchase";

        public EarningAward? Award(LoyaltyEvent loyaltyEvent)
        {
            var points = 0L;
            if (loyaltyEvent.Amount is { } amount && amount.Currency == Currency.Usd)
            {
                points += (long)decimal.Floor(amount.Amount);
            }

            points += 2 * (long)(loyaltyEvent.Quantity ?? 0m);
            var reason = loyaltyEvent.Attributes.TryGetValue("plan", out var plan) ? $"purchase ({plan})" : "purchase";
            return points > 0 ? new EarningAward(points, null, reason) : null;
        }
    }

    [Fact]
    public async Task EarningRule_ReadsAmountQuantityAndAttributes()
    {
        var f = new LedgerFixture();
        var service = new EarningService(f.Ledger, new LoyaltyOptions(), [new PurchaseRule()]);
        var order = new LoyaltyEvent("order-81", Ana, "purchase", At, DateTimeZone.Utc)
        {
            Amount = Money.Usd(42.50m),
            Quantity = 3,
            Attributes = new Dictionary<string, string> { ["plan"] = "team" },
        };

        var result = await service.EarnAsync(order);
        var euros = await service.EarnAsync(new LoyaltyEvent("order-82", Ana, "purchase", At, DateTimeZone.Utc) { Amount = Money.Eur(10m) });

        Assert.Equal(EarningStatus.Awarded, result.Status);
        Assert.Equal((48L, "purchase (team)"), (result.Posting!.Entry!.Points, result.Posting.Entry.Reason));
        Assert.Equal(EarningStatus.NotEarning, euros.Status);
        Assert.True((await service.EarnAsync(order)).Posting!.Replayed);
    }

    [Fact]
    public async Task BuiltInRules_IgnoreThePayload()
    {
        var f = new LedgerFixture();
        var service = new EarningService(f.Ledger, new LoyaltyOptions(), []);
        var share = new LoyaltyEvent("s1", Ana, LoyaltyEventKinds.SocialShare, At, DateTimeZone.Utc) { Amount = Money.Usd(1_000m), Quantity = 50 };

        Assert.Equal(15, (await service.EarnAsync(share)).Posting!.Entry!.Points);
    }

    [Fact]
    public void Payload_DefaultsAreEmpty_AndAttributesAreCopied()
    {
        var names = new Dictionary<string, string> { ["plan"] = "team" };
        var e = new LoyaltyEvent("e1", Ana, "purchase", At, DateTimeZone.Utc) { Attributes = names };
        names["plan"] = "changed";

        Assert.Null(new LoyaltyEvent("e0", Ana, "purchase", At, DateTimeZone.Utc).Amount);
        Assert.Empty(new LoyaltyEvent("e0", Ana, "purchase", At, DateTimeZone.Utc).Attributes);
        Assert.Equal("team", e.Attributes["plan"]);
    }

    [Fact]
    public void Payload_BadValues_ThrowNamingTheProperty()
    {
        Assert.Throws<ArgumentOutOfRangeException>("Amount", () => new LoyaltyEvent("e", Ana, "k", At, DateTimeZone.Utc) { Amount = Money.Usd(-1m) });
        Assert.Throws<ArgumentOutOfRangeException>("Quantity", () => new LoyaltyEvent("e", Ana, "k", At, DateTimeZone.Utc) { Quantity = -0.5m });
        var blank = Assert.Throws<ArgumentException>("Attributes", () => new LoyaltyEvent("e", Ana, "k", At, DateTimeZone.Utc) { Attributes = new Dictionary<string, string> { [" "] = "x" } });
        Assert.Contains("not blank", blank.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("Attributes", () => new LoyaltyEvent("e", Ana, "k", At, DateTimeZone.Utc) { Attributes = null! });
        Assert.NotNull(new LoyaltyEvent("e", Ana, "k", At, DateTimeZone.Utc) { Amount = Money.Usd(-0m), Quantity = 0m });
    }
}
