using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Scoring.Tests;

public sealed class KeyTests
{
    /// <summary>The value semantics every key type shares: ordinal equality, ordering, hashing, its name as text, and a default that names nothing.</summary>
    private static void ActsAsAKey<T>(Func<string, T> make, Func<T, T, bool> equal, Func<T, T, bool> notEqual, Func<T, T, bool> less, Func<T, T, bool> greater, Func<T, T, bool> atMost, Func<T, T, bool> atLeast, Func<T, string> name, Func<T, bool> isDefault)
        where T : struct, IEquatable<T>, IComparable<T>
    {
        T a = make("Alpha"), a2 = make("Alpha"), b = make("Beta"), lower = make("alpha");
        Assert.True(a.Equals(a2) && a.Equals((object)a2) && equal(a, a2) && !notEqual(a, a2));
        Assert.False(a.Equals(b) || a.Equals((object)"Alpha") || equal(a, b) || !notEqual(a, b));
        Assert.False(a.Equals(lower)); // ordinal: case matters
        Assert.Equal(a.GetHashCode(), a2.GetHashCode());
        Assert.True(less(a, b) && !less(b, a) && !less(a, a2));
        Assert.True(greater(b, a) && !greater(a, b) && !greater(a, a2));
        Assert.True(atMost(a, b) && atMost(a, a2) && !atMost(b, a));
        Assert.True(atLeast(b, a) && atLeast(a, a2) && !atLeast(a, b));
        Assert.True(a.CompareTo(b) < 0 && b.CompareTo(a) > 0 && a.CompareTo(a2) == 0);
        Assert.Equal("Alpha", a.ToString());
        Assert.Equal("Alpha", name(a));
        Assert.False(isDefault(a));
        Assert.True(isDefault(default));
        Assert.Equal(string.Empty, name(default));
        Assert.Equal(0, default(T).GetHashCode());
        Assert.True(default(T).CompareTo(a) < 0);
    }

    [Fact]
    public void SignalKey_IsAKey() => ActsAsAKey(n => new SignalKey(n), (x, y) => x == y, (x, y) => x != y, (x, y) => x < y, (x, y) => x > y, (x, y) => x <= y, (x, y) => x >= y, k => k.Name, k => k.IsDefault);

    [Fact]
    public void MeasureKey_IsAKey() => ActsAsAKey(n => new MeasureKey(n), (x, y) => x == y, (x, y) => x != y, (x, y) => x < y, (x, y) => x > y, (x, y) => x <= y, (x, y) => x >= y, k => k.Name, k => k.IsDefault);

    [Fact]
    public void ComponentKey_IsAKey() => ActsAsAKey(n => new ComponentKey(n), (x, y) => x == y, (x, y) => x != y, (x, y) => x < y, (x, y) => x > y, (x, y) => x <= y, (x, y) => x >= y, k => k.Name, k => k.IsDefault);

    [Fact]
    public void SignalAction_IsAKey() => ActsAsAKey(n => new SignalAction(n), (x, y) => x == y, (x, y) => x != y, (x, y) => x < y, (x, y) => x > y, (x, y) => x <= y, (x, y) => x >= y, k => k.Name, k => k.IsDefault);

    [Fact]
    public void EveryBuiltInSignal_HasItsOwnAction_AndEveryActionIsNamed()
    {
        var actions = Snapshots.DefaultEngine.Signals.Select(s => s.Action).ToList();

        Assert.Equal(15, actions.Distinct().Count());
        Assert.All(actions, a => Assert.False(string.IsNullOrEmpty(a.Name)));
        Assert.Equal(
            ["PersonalisedEmail", "SuccessCoaching", "ProactiveOutreach", "PaymentReminder", "ReEngagementCampaign", "PersonalOutreach", "EscalateToManager", "SocialMediaResponse", "FollowUpCall", "PriorityResolution", "CompetitiveOffer", "ValueReinforcement", "ComparisonContent", "RetentionOffer", "RenewalConversation"],
            actions.Select(a => a.Name));
    }
}

public sealed class SnapshotTests
{
    private static readonly LocalDate Day = Snapshots.Day;

    [Fact]
    public void ObservedOn_DefaultsToAsOf_AndMayNotBeLater()
    {
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Day);

        Assert.Equal(Day, snapshot.ObservedOn);
        Assert.Equal(Day.PlusDays(-3), (snapshot with { ObservedOn = Day.PlusDays(-3) }).ObservedOn);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => snapshot with { ObservedOn = Day.PlusDays(1) });
        Assert.Equal("ObservedOn", error.ParamName);
    }

    [Fact]
    public void AdditionalMeasures_RejectTheDefaultKey_NonFiniteValues_AndBuiltInMeasures()
    {
        var snapshot = new CustomerSnapshot(Snapshots.Customer, Day);

        Assert.Throws<ArgumentException>(() => snapshot with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(default, 1) });
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => snapshot with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("X"), double.NaN) });
        var builtIn = Assert.Throws<ArgumentException>(() => snapshot with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(Measures.Nps, 3) });
        Assert.Throws<ArgumentNullException>(() => snapshot with { AdditionalMeasures = null! });

        Assert.Equal("AdditionalMeasures", nan.ParamName);
        Assert.Contains("set the Nps property instead", builtIn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetMeasure_ReadsBuiltInAndAdditionalMeasures()
    {
        var extra = new MeasureKey("SeatsUsed");
        var snapshot = Snapshots.Healthy() with { Nps = 6, SurveySatisfaction = null, AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(extra, 12) };

        Assert.Equal(6, snapshot.GetMeasure(Measures.Nps));
        Assert.Null(snapshot.GetMeasure(Measures.SurveySatisfaction));
        Assert.Equal(12, snapshot.GetMeasure(extra));
        Assert.Null(snapshot.GetMeasure(new MeasureKey("Unknown")));
    }

    [Fact]
    public void Equality_IsByEveryValue()
    {
        var a = Snapshots.Healthy() with { Comments = ["fine"], AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("X"), 1) };
        var same = Snapshots.Healthy() with { Comments = ["fine"], AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("X"), 1) };

        Assert.Equal(a, same);
        Assert.True(a == same);
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.True(a.Equals(a));
        Assert.False(a.Equals(null));
        Assert.NotEqual(a, same with { Nps = 8 });
        Assert.NotEqual(a, same with { Comments = ["great"] });
        Assert.NotEqual(a, same with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("X"), 2) });
        Assert.NotEqual(a, same with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(new MeasureKey("Y"), 1) });
        Assert.NotEqual(a, same with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty });
        Assert.NotEqual(a, same with { ObservedOn = Day.PlusDays(-1) });
        Assert.NotEqual(a, new CustomerSnapshot(new CustomerId("other"), Day));
    }
}
