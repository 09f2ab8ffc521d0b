using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Tests.Ledger;

/// <summary>
/// Model-based test: random sequences of operations (earn, redeem, adjust, reverse, advance the clock, expire, read
/// without running expiry, retry with the same key, reuse a key for another request) run against the ledger and against a deliberately simple
/// reference model. After every step the outcome, the balance, the qualifying points and every open lot agree, and
/// the invariants hold: conservation (LI-1), nothing negative (LI-2), idempotency (LI-3, LI-4), dense append-only
/// sequence (LI-6), replay (LI-7), FIFO expiry (LI-8), reversal bounds (LI-9), tiers on qualifying points (LI-11).
/// </summary>
public sealed class LedgerModelTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly CustomerId Member = new("m");

    public enum OpKind
    {
        Earn,
        Redeem,
        Adjust,
        Reverse,
        ReverseAll,
        Advance,
        Expire,
        Retry,
        Conflict,
        Restart,
        Read,
    }

    public sealed record Op(OpKind Kind, long Points, int Target)
    {
        public override string ToString() => $"{Kind}({Points},{Target})";
    }

    /// <summary>A run: the options, whether the ledger sees the in-memory store only through the interface (its general path), and the operations.</summary>
    public sealed record Scenario(int ExpiryDays, ReversalShortfallPolicy Policy, bool ThroughInterface, Op[] Ops)
    {
        public override string ToString() => $"expiry {ExpiryDays}, {Policy}, {(ThroughInterface ? "through the interface" : "in-memory path")}: {string.Join(" ", Ops.Select(o => o.ToString()))}";
    }

    public static class Scenarios
    {
        private static readonly Gen<Op> OpGen = Gen.Frequency(
            (6, Gen.Choose(1, 200).Select(p => new Op(OpKind.Earn, p, 0))),
            (4, Gen.Choose(1, 300).Select(p => new Op(OpKind.Redeem, p, 0))),
            (2, Gen.Choose(-100, 100).Where(p => p != 0).Select(p => new Op(OpKind.Adjust, p, 0))),
            (2, Gen.Choose(1, 150).SelectMany(p => Gen.Choose(1, 40).Select(t => new Op(OpKind.Reverse, p, t)))),
            (2, Gen.Choose(1, 40).Select(t => new Op(OpKind.ReverseAll, 0, t))),
            (3, Gen.Choose(0, 40).Select(d => new Op(OpKind.Advance, d, 0))),
            (1, Gen.Constant(new Op(OpKind.Expire, 0, 0))),
            (3, Gen.Choose(0, 1000).Select(t => new Op(OpKind.Retry, 0, t))),
            (1, Gen.Choose(0, 1000).Select(t => new Op(OpKind.Conflict, 0, t))),
            (1, Gen.Elements(0, 5, 20, 60).Select(d => new Op(OpKind.Restart, d, 0))),
            (3, Gen.Choose(0, 40).Select(d => new Op(OpKind.Read, d, 0))));

        public static Arbitrary<Scenario> All() =>
            (from expiry in Gen.Elements(0, 10, 30)
             from policy in Gen.Elements(ReversalShortfallPolicy.TakeFromOtherPoints, ReversalShortfallPolicy.WriteOff)
             from through in Gen.Elements(false, true)
             from count in Gen.Choose(1, 80)
             from ops in Gen.ArrayOf(OpGen, count)
             select new Scenario(expiry, policy, through, ops)).ToArbitrary();
    }

    /// <summary>The number of operations the property has run (written to the test output).</summary>
    public static long OperationsRun;

    /// <summary>Reports how many operations the property ran (<c>dotnet test --logger "console;verbosity=detailed"</c>).</summary>
    public void Dispose() => output.WriteLine($"Ledger model test: {System.Threading.Interlocked.Read(ref OperationsRun)} operations checked against the model.");

    [Property(Arbitrary = [typeof(Scenarios)], MaxTest = 400)]
    public void EveryStep_AgreesWithTheModel_AndKeepsTheInvariants(Scenario scenario) =>
        RunAsync(scenario).GetAwaiter().GetResult();

    private static async Task RunAsync(Scenario scenario)
    {
        var f = new LedgerFixture(scenario.ExpiryDays, scenario.Policy, scenario.ThroughInterface ? new PassThroughStore() : null);
        var model = new Model(scenario.ExpiryDays, scenario.Policy);
        var issued = new List<Issued>(); // every request issued so far, for retries and conflicts
        for (var step = 0; step < scenario.Ops.Length; step++)
        {
            var op = scenario.Ops[step];
            var key = $"k{step}";
            System.Threading.Interlocked.Increment(ref OperationsRun);
            switch (op.Kind)
            {
                case OpKind.Advance:
                    f.AdvanceDays((int)op.Points);
                    model.Now += Duration.FromDays(op.Points);
                    break;
                case OpKind.Restart:
                    // A restart with another expiry term: later lots may now expire before earlier ones, and the
                    // new instance must read the member's log from the store.
                    f.Restart((int)op.Points, scenario.Policy);
                    model.ExpiryDays = (int)op.Points;
                    break;
                case OpKind.Expire:
                    var expired = await f.Ledger.ExpireAsync(Member);
                    Assert.Equal(model.ExpireDue(), expired.Length);
                    break;
                case OpKind.Read:
                    // Read without running expiry: the points past their date are gone from every read, and no read
                    // writes the expiry (the log, the model and the tier basis stay as they were).
                    var before = model.Version;
                    Assert.Equal(model.SpendableAt(model.Now), await f.Ledger.GetBalanceAsync(Member));
                    var past = model.Now - Duration.FromDays(op.Points);
                    var then = await f.Ledger.GetAccountAsync(Member, past);
                    Assert.Equal(then.Lots.Sum(l => l.Remaining), then.Balance);
                    Assert.DoesNotContain(then.Lots, l => l.ExpiresAt <= past);
                    Assert.Equal(before, (await f.Ledger.GetHistoryAsync(Member)).Count);
                    Assert.Equal(model.Qualifying, (await f.Ledger.GetAccountAsync(Member)).QualifyingPoints);
                    break;
                case OpKind.Retry when issued.Count > 0:
                    var again = issued[op.Target % issued.Count];
                    var replay = await Issue(f, again);
                    Assert.True(replay.Replayed, $"step {step}: a retry of {again.Key} must be a replay");
                    Assert.Equal(again.Status, replay.Status);
                    Assert.Equal(again.Sequence, replay.Entry?.Sequence);
                    break;
                case OpKind.Conflict when issued.Count > 0:
                    var used = issued[op.Target % issued.Count];
                    var other = used with { Points = used.Points == -1 ? -2 : used.Points + 1 };
                    await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await Issue(f, other));
                    break;
                case OpKind.Retry or OpKind.Conflict:
                    break;
                default:
                    var request = new Issued(op.Kind, op.Kind == OpKind.Reverse ? op.Points : op.Kind == OpKind.ReverseAll ? 0 : op.Points, op.Target, key, PostingStatus.Posted, null);
                    var result = await Issue(f, request);
                    var (status, sequence) = model.Apply(op, key);
                    Assert.False(result.Replayed);
                    Assert.True(status == result.Status, $"step {step} {op}: model says {status}, ledger {result.Status}");
                    Assert.Equal(sequence, result.Entry?.Sequence);
                    issued.Add(request with { Status = status, Sequence = sequence });
                    break;
            }

            await AssertAgrees(f, model, step, op);
        }
    }

    private static ValueTask<PostingResult> Issue(LedgerFixture f, Issued r) => r.Kind switch
    {
        OpKind.Earn => f.Ledger.EarnAsync(Member, r.Points, r.Key, "earn"),
        OpKind.Redeem => f.Ledger.RedeemAsync(Member, r.Points, r.Key, "redeem"),
        OpKind.Adjust => f.Ledger.AdjustAsync(Member, r.Points, r.Key, "adjust"),
        OpKind.Reverse => f.Ledger.ReverseAsync(Member, r.Target, r.Points, r.Key, "reverse"),
        _ => f.Ledger.ReverseAsync(Member, r.Target, r.Points == 0 ? null : r.Points, r.Key, "reverse"),
    };

    private static async Task AssertAgrees(LedgerFixture f, Model model, int step, Op op)
    {
        var account = await f.Ledger.GetAccountAsync(Member);
        var history = await f.Ledger.GetHistoryAsync(Member);
        var where = $"after step {step} ({op})";
        var spendable = model.SpendableAt(model.Now);
        Assert.True(model.Version == account.Version, $"{where}: version {account.Version}, model {model.Version}");
        Assert.True(spendable == account.Balance, $"{where}: balance {account.Balance}, model {spendable} (written {model.Balance})");
        Assert.True(model.Qualifying == account.QualifyingPoints, $"{where}: qualifying {account.QualifyingPoints}, model {model.Qualifying}");
        Assert.Equal(model.OpenLots().Where(l => !(l.ExpiresAt <= model.Now)).Select(l => new Lot(l.Id, l.Original, l.Remaining, l.OpenedAt, l.ExpiresAt)), account.Lots);
        Assert.Equal(spendable, await f.Ledger.GetBalanceAsync(Member));

        // LI-1 conservation (the log as written; the points past their date are what the expiry will post),
        // LI-2 never negative, LI-6 dense sequence, LI-7 replay.
        Assert.Equal(model.Balance, history.Sum(e => e.Points));
        Assert.Equal(account.Lots.Sum(l => l.Remaining), account.Balance);
        Assert.True(account.Balance >= 0 && account.Lots.All(l => l.Remaining > 0 && l.Remaining <= l.Original));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
        Assert.Equal(account, LoyaltyLedger.Replay(Member, history, model.Now), AccountComparer.Instance);
        Assert.Equal(model.Balance, LoyaltyLedger.Replay(Member, history).Balance);

        // LI-9: reversals of an entry never exceed it.
        foreach (var group in history.Where(e => e.Reverses is not null).GroupBy(e => e.Reverses!.Value))
        {
            var original = history[(int)group.Key - 1];
            Assert.True(group.Sum(e => Math.Abs(e.Points) + e.Shortfall) <= Math.Abs(original.Points), $"{where}: entry {group.Key} over-reversed");
        }
    }

    private sealed record Issued(OpKind Kind, long Points, int Target, string Key, PostingStatus Status, long? Sequence);

    /// <summary>The reference: lots in a plain list, sorted each time they are needed.</summary>
    private sealed class Model(int expiryDays, ReversalShortfallPolicy policy)
    {
        public int ExpiryDays { get; set; } = expiryDays;

        private readonly List<ModelLot> _lots = [];
        private readonly List<ModelEntry> _entries = [];

        public Instant Now { get; set; } = LedgerFixture.Start;

        public long Version => _entries.Count;

        public long Balance { get; private set; }

        public long Qualifying { get; private set; }

        public IEnumerable<ModelLot> OpenLots() =>
            _lots.Where(l => l.Remaining > 0).OrderBy(l => l.ExpiresAt ?? Instant.MaxValue).ThenBy(l => l.Id);

        /// <summary>What the member holds at an instant: the written balance less what remains of lots past their date.</summary>
        public long SpendableAt(Instant at) => Balance - OpenLots().Where(l => l.ExpiresAt <= at).Sum(l => l.Remaining);

        public int ExpireDue()
        {
            var count = 0;
            foreach (var lot in OpenLots().Where(l => l.ExpiresAt <= Now).ToList())
            {
                Balance -= lot.Remaining;
                lot.Remaining = 0;
                _entries.Add(new ModelEntry(PostingKind.Expire, 0, []));
                count++;
            }

            return count;
        }

        public (PostingStatus Status, long? Sequence) Apply(Op op, string key)
        {
            switch (op.Kind)
            {
                case OpKind.Earn:
                    return Credit(op.Points, earn: true);
                case OpKind.Adjust when op.Points > 0:
                    return Credit(op.Points, earn: false);
                case OpKind.Adjust:
                    ExpireDue();
                    return Debit(PostingKind.Adjust, -op.Points);
                case OpKind.Redeem:
                    ExpireDue();
                    return Debit(PostingKind.Redeem, op.Points);
                default:
                    ExpireDue();
                    return Reverse(op.Target, op.Kind == OpKind.ReverseAll ? null : op.Points);
            }
        }

        private (PostingStatus, long?) Credit(long points, bool earn)
        {
            var id = Version + 1;
            _lots.Add(new ModelLot(id, points, Now, ExpiryDays == 0 ? null : Now + Duration.FromDays(ExpiryDays)) { Remaining = points });
            _entries.Add(new ModelEntry(earn ? PostingKind.Earn : PostingKind.Adjust, points, []));
            Balance += points;
            Qualifying += earn ? points : 0;
            return (PostingStatus.Posted, id);
        }

        private (PostingStatus, long?) Debit(PostingKind kind, long points)
        {
            if (OpenLots().Sum(l => l.Remaining) < points)
            {
                return (PostingStatus.InsufficientPoints, null);
            }

            var taken = new List<(long Lot, long Points)>();
            var left = points;
            foreach (var lot in OpenLots().ToList())
            {
                var take = Math.Min(left, lot.Remaining);
                lot.Remaining -= take;
                taken.Add((lot.Id, take));
                left -= take;
                if (left == 0)
                {
                    break;
                }
            }

            _entries.Add(new ModelEntry(kind, -points, taken));
            Balance -= points;
            return (PostingStatus.Posted, Version);
        }

        private (PostingStatus, long?) Reverse(int target, long? points)
        {
            if (target > Version)
            {
                return (PostingStatus.EntryNotFound, null);
            }

            var original = _entries[target - 1];
            if (original.Kind is PostingKind.Expire or PostingKind.Reverse)
            {
                return (PostingStatus.NotReversible, null);
            }

            var reversible = Math.Abs(original.Points) - original.Reversed;
            var wanted = points ?? reversible;
            if (reversible == 0 || wanted > reversible)
            {
                return (PostingStatus.ExceedsReversible, null);
            }

            original.Reversed += wanted;
            var restored = new List<(long Lot, long Points)>();
            if (original.Points > 0)
            {
                var own = _lots.Single(l => l.Id == target);
                var fromOwn = Math.Min(wanted, own.Remaining);
                own.Remaining -= fromOwn;
                var taken = fromOwn;
                if (policy == ReversalShortfallPolicy.TakeFromOtherPoints)
                {
                    foreach (var lot in OpenLots().Where(l => l.Id != target).ToList())
                    {
                        var take = Math.Min(wanted - taken, lot.Remaining);
                        lot.Remaining -= take;
                        taken += take;
                    }
                }

                Balance -= taken;
                Qualifying -= original.Kind == PostingKind.Earn ? wanted : 0;
            }
            else
            {
                var left = wanted;
                foreach (var (lotId, took) in original.Allocations)
                {
                    var already = original.Restored.GetValueOrDefault(lotId);
                    var give = Math.Min(left, took - already);
                    if (give > 0)
                    {
                        _lots.Single(l => l.Id == lotId).Remaining += give;
                        original.Restored[lotId] = already + give;
                        left -= give;
                    }
                }

                Balance += wanted;
            }

            _entries.Add(new ModelEntry(PostingKind.Reverse, 0, restored));
            return (PostingStatus.Posted, Version);
        }
    }

    private sealed class ModelLot(long id, long original, Instant openedAt, Instant? expiresAt)
    {
        public long Id { get; } = id;

        public long Original { get; } = original;

        public Instant OpenedAt { get; } = openedAt;

        public Instant? ExpiresAt { get; } = expiresAt;

        public long Remaining { get; set; }
    }

    private sealed class ModelEntry(PostingKind kind, long points, List<(long Lot, long Points)> allocations)
    {
        public PostingKind Kind { get; } = kind;

        public long Points { get; } = points;

        public List<(long Lot, long Points)> Allocations { get; } = allocations;

        public long Reversed { get; set; }

        public Dictionary<long, long> Restored { get; } = [];
    }
}
