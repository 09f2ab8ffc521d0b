using System;
using System.Collections.Immutable;
using System.Linq;
using FsCheck.Xunit;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

public class IncentiveExperimentTests
{
    private static readonly ImmutableArray<IncentiveVariant> HalfHalf = [new("30 % off for 3 months", 1), new("$100 credit", 1)];

    // The hash is fixed by design: these points were computed outside .NET (Python hashlib, SHA-256 of
    // name + U+001F + id, first 53 bits). If this fails, every customer's variant would move between releases.
    [Theory]
    [InlineData("referral-incentive-2026", "C000123", 0.9106754810862067)]
    [InlineData("exp", "c1", 0.6176081421559205)]
    public void UnitPoint_IsSha256OfNameAndId(string experiment, string id, double expected) =>
        Assert.Equal(expected, IncentiveExperiment.UnitPoint(experiment, id));

    [Property]
    public bool Assign_IsDeterministic_AcrossInstances(int n)
    {
        var customer = new CustomerId($"C{n}");
        var first = new IncentiveExperiment("exp", HalfHalf).Assign(customer);
        var second = new IncentiveExperiment("exp", [.. HalfHalf]).Assign(customer);
        return first == second && HalfHalf.Contains(first);
    }

    [Fact]
    public void Assign_FollowsTheWeights_AndExperimentsSplitIndependently()
    {
        var weighted = new IncentiveExperiment("weights", [new("A", 1), new("B", 3)]);
        var x = new IncentiveExperiment("x", HalfHalf);
        var y = new IncentiveExperiment("y", HalfHalf);
        var customers = Enumerable.Range(0, 40_000).Select(i => new CustomerId($"C{i:D6}")).ToList();

        var shareA = customers.Count(c => weighted.Assign(c).Name == "A") / (double)customers.Count;
        var bothFirst = customers.Count(c => x.Assign(c) == HalfHalf[0] && y.Assign(c) == HalfHalf[0]) / (double)customers.Count;

        Assert.InRange(shareA, 0.24, 0.26); // 1 of 4, within about 4.6 standard errors
        Assert.InRange(bothFirst, 0.24, 0.26); // independent halves: a quarter in the first variant of both
    }

    [Fact]
    public void Guards()
    {
        Assert.Throws<ArgumentException>("name", () => new IncentiveExperiment(" ", HalfHalf));
        Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("e", [new("only", 1)]));
        Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("e", [new("a", 1), new("a", 2)]));
        Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("e", [new("a", 1), new("b", 0)]));
        Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("e", [new("a", 1), new("b", double.NaN)]));
        Assert.Throws<ArgumentException>("variants", () => new IncentiveExperiment("e", default));
        Assert.Throws<ArgumentException>("customer", () => new IncentiveExperiment("e", HalfHalf).Assign(default));
    }
}
