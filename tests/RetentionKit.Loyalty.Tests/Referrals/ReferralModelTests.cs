using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

/// <summary>
/// Property over random histories of the programme (issue codes, attribute with codes seen up to 40 days before,
/// qualify, refund, review, retries, advance the clock), on four referrers and eight new customers. After every step:
/// a customer is attributed at most once, to the first valid attribution (RI-5); nobody refers themselves; points
/// stand for exactly the qualified referrals not withheld by the limit, and reversed referrals net to zero (RI-6);
/// no referrer is rewarded more than the limit in any period (RI-7); every points posting is keyed by referral and kind.
/// </summary>
public class ReferralModelTests
{
    private const int Limit = 3;
    private const int PeriodDays = 20;

    public enum OpKind
    {
        Issue,
        Attribute,
        Qualify,
        Refund,
        Review,
        Advance,
    }

    public sealed record Op(OpKind Kind, int Referrer, int Referred, int Days, bool Flag)
    {
        public override string ToString() => $"{Kind}(r{Referrer},n{Referred},{Days},{Flag})";
    }

    public static class Histories
    {
        private static readonly Gen<Op> OpGen =
            from kind in Gen.Frequency((2, Gen.Constant(OpKind.Issue)), (5, Gen.Constant(OpKind.Attribute)), (5, Gen.Constant(OpKind.Qualify)), (2, Gen.Constant(OpKind.Refund)), (2, Gen.Constant(OpKind.Review)), (3, Gen.Constant(OpKind.Advance)))
            from referrer in Gen.Choose(0, 3)
            from referred in Gen.Choose(0, 7)
            from days in Gen.Choose(0, 40)
            from flag in Gen.Elements(true, false, false, false)
            select new Op(kind, referrer, referred, days, flag);

        public static Arbitrary<Op[]> All() => Gen.Choose(1, 60).SelectMany(n => Gen.ArrayOf(OpGen, n)).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 150)]
    public void EveryStep_KeepsTheReferralInvariants(Op[] history) => RunAsync(history).GetAwaiter().GetResult();

    private static async Task RunAsync(Op[] history)
    {
        var f = new ReferralFixture(
            o =>
            {
                o.Referrals.RewardLimitPerReferrer = Limit;
                o.Referrals.RewardLimitPeriodDays = PeriodDays;
            },
            expireAfterDays: 0);
        var referrers = Enumerable.Range(0, 4).Select(i => new CustomerId($"r{i}")).ToArray();
        var people = Enumerable.Range(0, 8).Select(i => new CustomerId($"n{i}")).ToArray();
        var firstValid = new Dictionary<CustomerId, CustomerId>();
        var codes = new Dictionary<CustomerId, ReferralCode>();
        foreach (var op in history)
        {
            var referrer = referrers[op.Referrer];
            var referred = people[op.Referred];
            switch (op.Kind)
            {
                case OpKind.Issue:
                    var code = await f.Program.IssueCodeAsync(referrer);
                    Assert.Equal(codes.TryGetValue(referrer, out var had) ? had : code, code);
                    codes[referrer] = code;
                    break;
                case OpKind.Attribute:
                    if (op.Flag)
                    {
                        f.Signals.ByReferred[referred] = (r, d) => new ReferralSignals(r, d, ReferrerDevice: "dev", ReferredDevice: "dev");
                    }

                    var text = codes.TryGetValue(referrer, out var c) ? c.ToString() : ReferralCode.NewCode().ToString();
                    var seen = f.Now - Duration.FromDays(op.Days);
                    var result = await f.Program.AttributeAsync(text, referred, seen);
                    var valid = codes.ContainsKey(referrer) && op.Days <= 30;
                    if (valid && !firstValid.ContainsKey(referred))
                    {
                        firstValid[referred] = referrer;
                        Assert.Equal((ReferralOutcome.Attributed, true), (result.Outcome, result.Changed));
                    }
                    else
                    {
                        Assert.False(result.Changed);
                    }

                    break;
                case OpKind.Qualify:
                    var before = await f.Program.GetReferralAsync(referred);
                    var qualified = await f.Program.QualifyAsync(referred, ReferralFixture.Payment);
                    if (before is { Status: ReferralStatus.Attributed } && f.Now - before.AttributedAt <= Duration.FromDays(90))
                    {
                        var held = f.Signals.ByReferred.ContainsKey(referred) && !before.Reviewed;
                        Assert.Equal(held ? ReferralOutcome.HeldForReview : ReferralOutcome.Qualified, qualified.Outcome);
                    }

                    break;
                case OpKind.Refund:
                    await f.Program.RefundAsync(referred, "refund-" + op.Days);
                    break;
                case OpKind.Review:
                    await f.Program.ReviewAsync(referred, op.Flag, "reviewed");
                    break;
                case OpKind.Advance:
                    f.Advance(Duration.FromDays(op.Days));
                    break;
            }

            await CheckAsync(f, referrers, people, firstValid);
        }
    }

    private static async Task CheckAsync(ReferralFixture f, CustomerId[] referrers, CustomerId[] people, Dictionary<CustomerId, CustomerId> firstValid)
    {
        var referrals = new List<Referral>();
        foreach (var person in people)
        {
            var referral = await f.Program.GetReferralAsync(person);
            Assert.Equal(firstValid.TryGetValue(person, out var first) ? first : (CustomerId?)null, referral?.Referrer);
            if (referral is not null)
            {
                Assert.NotEqual(referral.Referrer, referral.Referred);
                referrals.Add(referral);
            }
        }

        foreach (var referrer in referrers)
        {
            var mine = referrals.Where(r => r.Referrer == referrer).ToList();
            var standing = mine.Count(r => r.Status == ReferralStatus.Qualified && !r.ReferrerLimitReached);
            Assert.Equal(100L * standing, await f.Ledger.GetBalanceAsync(referrer));
            var history = await f.Ledger.GetHistoryAsync(referrer);
            Assert.All(history, e => Assert.StartsWith("~referral:n", e.IdempotencyKey, StringComparison.Ordinal));
            Assert.Equal(history.Count, history.Select(e => e.IdempotencyKey).Distinct().Count());
            Assert.Equal(mine.Count(r => r.Status == ReferralStatus.Reversed && !r.ReferrerLimitReached), history.Count(e => e.Kind == PostingKind.Reverse));
            if (await f.Store.FindReferrerAsync(referrer) is { } account)
            {
                foreach (var claim in account.Claims)
                {
                    Assert.InRange(account.Claims.Count(o => o.At <= claim.At && claim.At - o.At < Duration.FromDays(PeriodDays)), 1, Limit);
                }
            }
        }
    }
}
