using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Scoring.History;

namespace RetentionKit.Scoring.Tests.History;

public sealed class StoreTests
{
    private static readonly CustomerId Customer = new("c-1");
    private static readonly LocalDate Day = new(2026, 3, 31);

    private static ScoreRecord Record(int day, double score) =>
        new(Customer, Day.PlusDays(day), Day.PlusDays(day), score, RetentionBand.Medium, 10, RiskLevel.Low, 0.1);

    [Fact]
    public async Task History_KeepsOneRecordPerDay_TheLatestWritten_AndReturnsARangeInDateOrder()
    {
        var store = new InMemoryScoreHistoryStore();
        await store.RecordAsync(Record(2, 70));
        await store.RecordAsync(Record(0, 60));
        await store.RecordAsync(Record(1, 65));
        await store.RecordAsync(Record(1, 66)); // the same day again replaces it

        var all = await store.GetAsync(Customer, Day, Day.PlusDays(2));
        var middle = await store.GetAsync(Customer, Day.PlusDays(1), Day.PlusDays(1));
        var nobody = await store.GetAsync(new CustomerId("c-2"), Day, Day.PlusDays(2));

        Assert.Equal([60d, 66d, 70d], all.Select(r => r.RetentionScore!.Value));
        Assert.Equal(66, Assert.Single(middle).RetentionScore);
        Assert.Empty(nobody);
    }

    [Fact]
    public async Task History_RejectsAnUpsideDownRange_AndHonoursCancellation()
    {
        var store = new InMemoryScoreHistoryStore();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var range = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetAsync(Customer, Day, Day.PlusDays(-1)));
        Assert.Equal("lastDate", range.ParamName);
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await store.RecordAsync(Record(0, 1), cancelled.Token));
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await store.GetAsync(Customer, Day, Day, cancelled.Token));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.RecordAsync(null!));
    }

    [Fact]
    public async Task History_ConcurrentWriters_LoseNothing()
    {
        var store = new InMemoryScoreHistoryStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var d = 0; d < 250; d++)
            {
                await store.RecordAsync(Record((t * 250) + d, d));
            }
        })));

        Assert.Equal(2000, (await store.GetAsync(Customer, Day, Day.PlusDays(2000))).Count);
    }

    [Fact]
    public async Task Overrides_AreSetReadAndRemovedPerCustomer()
    {
        var store = new InMemoryScoreOverrideStore();
        var scoreOverride = new ScoreOverride(Customer, new Score(90), null, "renewal signed", "cs-lead", Day.PlusDays(30));

        await store.SetAsync(scoreOverride);

        Assert.Same(scoreOverride, await store.GetAsync(Customer));
        Assert.Null(await store.GetAsync(new CustomerId("c-2")));
        Assert.True(await store.RemoveAsync(Customer));
        Assert.False(await store.RemoveAsync(Customer));
        Assert.Null(await store.GetAsync(Customer));
    }
}
