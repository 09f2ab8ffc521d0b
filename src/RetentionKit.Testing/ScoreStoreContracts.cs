using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Scoring;
using Xunit;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IScoreHistoryStore"/> must do (S6): one record per customer and date — recording a date again
/// replaces it — every field kept, ranges read with both ends included, oldest first. Derive and supply <see cref="CreateStore"/>.
/// </summary>
public abstract class ScoreHistoryStoreContract
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly LocalDate Day = new(2026, 3, 2);

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IScoreHistoryStore CreateStore();

    private static ScoreRecord Record(LocalDate date, double? retention = 61.5, double? probability = 0.25) =>
        new(Ana, date, date.PlusDays(-1), retention, retention is null ? null : RetentionBand.Medium, 37.25, RiskLevel.Medium, probability);

    /// <summary>Record, then get, keeps every field, unknown values included.</summary>
    [ContractFact]
    public async Task Record_ThenGet_KeepsEveryField()
    {
        var store = CreateStore();
        var full = Record(Day);
        var unknown = Record(Day.PlusDays(1), retention: null, probability: null) with { RiskScore = null, Level = RiskLevel.Unknown };

        await store.RecordAsync(full);
        await store.RecordAsync(unknown);

        Assert.Equal([full, unknown], await store.GetAsync(Ana, Day, Day.PlusDays(1)));
    }

    /// <summary>Recording a date again replaces its record.</summary>
    [ContractFact]
    public async Task Record_SameDateAgain_Replaces()
    {
        var store = CreateStore();
        await store.RecordAsync(Record(Day, retention: 10));
        var again = Record(Day, retention: 90);

        await store.RecordAsync(again);

        Assert.Equal([again], await store.GetAsync(Ana, Day, Day));
    }

    /// <summary>A range includes both ends, runs oldest first, and keeps customers apart.</summary>
    [ContractFact]
    public async Task Get_Range_IncludesBothEnds_OldestFirst_PerCustomer()
    {
        var store = CreateStore();
        foreach (var d in new[] { 5, 1, 3, 2, 4 })
        {
            await store.RecordAsync(Record(Day.PlusDays(d)));
        }

        await store.RecordAsync(Record(Day.PlusDays(3)) with { Customer = new CustomerId("bo") });

        Assert.Equal([2, 3, 4], (await store.GetAsync(Ana, Day.PlusDays(2), Day.PlusDays(4))).Select(r => Period.Between(Day, r.Date, PeriodUnits.Days).Days));
        Assert.Empty(await store.GetAsync(Ana, Day.PlusDays(6), Day.PlusDays(9)));
        Assert.Single(await store.GetAsync(new CustomerId("bo"), Day, Day.PlusDays(9)));
    }

    /// <summary>A bulk write stores every record, replaces older ones of the same date, and the later of two in one call wins.</summary>
    [ContractFact]
    public async Task RecordMany_StoresEveryRecord_LaterOfTheSameDateWins()
    {
        var store = CreateStore();
        await store.RecordAsync(Record(Day, retention: 5));
        var many = Enumerable.Range(0, 2_500).Select(i => Record(Day) with { Customer = new CustomerId($"c{i:D5}"), RiskScore = i }).ToList();
        var replacement = Record(Day, retention: 77);
        many.Add(Record(Day, retention: 40));
        many.Add(replacement);

        await store.RecordManyAsync(many);

        Assert.Equal([replacement], await store.GetAsync(Ana, Day, Day));
        Assert.Equal([many[1_234]], await store.GetAsync(new CustomerId("c01234"), Day, Day));
        Assert.Equal([many[2_499]], await store.GetAsync(new CustomerId("c02499"), Day.PlusDays(-3), Day.PlusDays(3)));
    }

    /// <summary>A bulk write with a null record is refused before anything is written.</summary>
    [ContractFact]
    public async Task RecordMany_NullRecord_WritesNothing()
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.RecordManyAsync([Record(Day), null!]));

        Assert.Equal("records", error.ParamName);
        Assert.Contains("records[1]", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetAsync(Ana, Day, Day));
    }

    /// <summary>A range that ends before it starts is refused naming lastDate.</summary>
    [ContractFact]
    public async Task Get_LastDateBeforeFirst_Throws() =>
        Assert.Equal("lastDate", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await CreateStore().GetAsync(Ana, Day, Day.PlusDays(-1)))).ParamName);

    /// <summary>Record of null is refused naming the argument.</summary>
    [ContractFact]
    public async Task Record_Null_Throws() =>
        Assert.Equal("record", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await CreateStore().RecordAsync(null!))).ParamName);
}

/// <summary>
/// What every <see cref="IScoreOverrideStore"/> must do: one override per customer (setting again replaces it), every
/// field kept, removal that says whether there was one. Derive and supply <see cref="CreateStore"/>.
/// </summary>
public abstract class ScoreOverrideStoreContract
{
    private static readonly CustomerId Ana = new("ana");

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IScoreOverrideStore CreateStore();

    /// <summary>Set, get, set again, remove.</summary>
    [ContractFact]
    public async Task Set_Get_Replace_Remove()
    {
        var store = CreateStore();
        var first = new ScoreOverride(Ana, new Score(72.5), RiskLevel.Low, "renewed for 3 years", "csm@example.com", new LocalDate(2026, 6, 30));
        var second = new ScoreOverride(Ana, null, RiskLevel.High, "champion left", "csm@example.com", new LocalDate(2026, 4, 1));

        Assert.Null(await store.GetAsync(Ana));
        await store.SetAsync(first);
        var read = await store.GetAsync(Ana);
        await store.SetAsync(second);
        var replaced = await store.GetAsync(Ana);

        Assert.Equal((first.RetentionScore, first.RiskLevel, first.Reason, first.Author, first.ValidUntil), (read!.RetentionScore, read.RiskLevel, read.Reason, read.Author, read.ValidUntil));
        Assert.Equal((second.RetentionScore, second.RiskLevel, second.ValidUntil), (replaced!.RetentionScore, replaced.RiskLevel, replaced.ValidUntil));
        Assert.True(await store.RemoveAsync(Ana));
        Assert.False(await store.RemoveAsync(Ana));
        Assert.Null(await store.GetAsync(Ana));
    }

    /// <summary>Customers are kept apart.</summary>
    [ContractFact]
    public async Task Customers_AreKeptApart()
    {
        var store = CreateStore();
        await store.SetAsync(new ScoreOverride(Ana, new Score(10), null, "r", "a", new LocalDate(2026, 1, 1)));

        Assert.Null(await store.GetAsync(new CustomerId("bo")));
        Assert.False(await store.RemoveAsync(new CustomerId("bo")));
        Assert.NotNull(await store.GetAsync(Ana));
    }

    /// <summary>Set of null is refused naming the argument.</summary>
    [ContractFact]
    public async Task Set_Null_Throws() =>
        Assert.Equal("scoreOverride", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await CreateStore().SetAsync(null!))).ParamName);
}
