using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Segmentation;
using Xunit;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IFeedbackStore"/> must do: adding is idempotent on the feedback id and refuses another item
/// under a used id; every field comes back; completing and resolving change one item and keep it; open items come by
/// the day's priority, late ones by their earliest due action, a period's items by arrival; concurrent changes to one
/// item are all kept. Derive a test class and supply <see cref="CreateStore"/>.
/// </summary>
public abstract class FeedbackStoreContract
{
    private static readonly LocalDate Day = new(2026, 3, 2);
    private static readonly FeedbackAnalyzer Analyzer = new(new FeedbackOptions());

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IFeedbackStore CreateStore();

    private static FeedbackItem Item(string id, string text, int nps, LocalDate on, double? risk = null, ValueSegment? segment = null) =>
        Analyzer.Analyze(new FeedbackRecord(id, new CustomerId("c-" + id), on, FeedbackSource.Nps, text, nps), risk, segment);

    /// <summary>Add, then get, gives back every field; adding again gives the stored item; another item under the id is refused.</summary>
    [ContractFact]
    public async Task Add_IsIdempotent_AndKeepsEveryField()
    {
        var store = CreateStore();
        var item = Item("a", "Slow and broken, the support never answers", 3, Day, 0.7, ValueSegment.High);

        var added = await store.AddAsync(item);
        var again = await store.AddAsync(item);
        var read = (await store.GetAsync("a"))!;

        Assert.Equal(item.Feedback, added.Feedback);
        Assert.Equal(item.Feedback, again.Feedback);
        AssertSame(item, read);
        Assert.Null(await store.GetAsync("b"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddAsync(Item("a", "Other text", 9, Day)).AsTask());
        AssertSame(item, (await store.GetAsync("a"))!);
    }

    /// <summary>Completing and resolving change the stored item as the item's own methods do, and are idempotent.</summary>
    [ContractFact]
    public async Task CompleteAndResolve_ChangeTheStoredItem()
    {
        var store = CreateStore();
        var item = Item("a", "Terrible, it crashes every day", 1, Day);
        await store.AddAsync(item);

        var completed = await store.CompleteAsync("a", FeedbackActionKind.ImmediateResponse, Day);
        Assert.Same(completed, completed.Complete(FeedbackActionKind.ImmediateResponse, Day));
        await store.CompleteAsync("a", FeedbackActionKind.ImmediateResponse, Day);
        var resolved = await store.ResolveAsync("a", Day.PlusDays(2), "Fixed in 4.2.");
        await store.ResolveAsync("a", Day.PlusDays(2), "Fixed in 4.2.");

        var expected = item.Complete(FeedbackActionKind.ImmediateResponse, Day).Resolve(Day.PlusDays(2), "Fixed in 4.2.");
        AssertSame(expected, resolved);
        AssertSame(expected, (await store.GetAsync("a"))!);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ResolveAsync("a", Day.PlusDays(3), "Again.").AsTask());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CompleteAsync("b", FeedbackActionKind.ImmediateResponse, Day).AsTask());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.ResolveAsync("b", Day, "x").AsTask());
    }

    /// <summary>Open items come by the day's priority (an old urgent item falls behind a new one), received by then, resolved ones left out.</summary>
    [ContractFact]
    public async Task Open_IsByTheDaysPriority()
    {
        var store = CreateStore();
        var old = Item("old", "Terrible, slow and broken", 0, Day.PlusDays(-28), 0.9, ValueSegment.High);
        var fresh = Item("fresh", "The docs are confusing", 5, Day, 0.3, ValueSegment.Medium);
        var happy = Item("happy", "Love it", 10, Day);
        var done = Item("done", "Broken export", 2, Day.PlusDays(-1));
        foreach (var item in new[] { happy, done, old, fresh })
        {
            await store.AddAsync(item);
        }

        await store.ResolveAsync("done", Day, "Fixed.");

        Assert.Equal(["fresh", "old", "happy"], (await store.OpenAsync(Day)).Select(i => i.Feedback.Id).ToArray());
        Assert.Equal(["old"], (await store.OpenAsync(Day.PlusDays(-1))).Select(i => i.Feedback.Id).ToArray());
    }

    /// <summary>Late items are those with an action pending and due before the day, the earliest due first.</summary>
    [ContractFact]
    public async Task Overdue_IsByEarliestDueAction()
    {
        var store = CreateStore();
        await store.AddAsync(Item("old", "Terrible, slow and broken", 0, Day.PlusDays(-28)));
        await store.AddAsync(Item("fresh", "The docs are confusing", 5, Day));
        await store.AddAsync(Item("happy", "Love it", 10, Day));
        await store.CompleteAsync("happy", FeedbackActionKind.ImmediateResponse, Day);

        Assert.Equal(["old"], (await store.OverdueAsync(Day)).Select(i => i.Feedback.Id).ToArray());
        Assert.Equal(["old", "fresh"], (await store.OverdueAsync(Day.PlusDays(1))).Select(i => i.Feedback.Id).ToArray());

        await store.ResolveAsync("old", Day, "Fixed.");
        Assert.Equal(["old", "fresh"], (await store.OverdueAsync(Day.PlusDays(1))).Select(i => i.Feedback.Id).ToArray()); // its response and resolution message are still to send
        await store.CompleteAsync("old", FeedbackActionKind.ImmediateResponse, Day);
        await store.CompleteAsync("old", FeedbackActionKind.Resolution, Day);
        Assert.Equal(["fresh"], (await store.OverdueAsync(Day.PlusDays(1))).Select(i => i.Feedback.Id).ToArray());
    }

    /// <summary>A period's items come in order of arrival, then id; a period that ends before it starts is refused.</summary>
    [ContractFact]
    public async Task Received_IsAPeriodInOrderOfArrival()
    {
        var store = CreateStore();
        foreach (var (id, days) in new[] { ("b", 0), ("a", 0), ("c", -5), ("d", 3) })
        {
            await store.AddAsync(Item(id, "Slow", 5, Day.PlusDays(days)));
        }

        Assert.Equal(["c", "a", "b"], (await store.ReceivedAsync(Day.PlusDays(-5), Day)).Select(i => i.Feedback.Id).ToArray());
        Assert.Equal(["a", "b", "d"], (await store.ReceivedAsync(Day, Day.PlusDays(30))).Select(i => i.Feedback.Id).ToArray());
        Assert.Empty(await store.ReceivedAsync(Day.PlusDays(1), Day.PlusDays(2)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReceivedAsync(Day, Day.PlusDays(-1)).AsTask());
    }

    /// <summary>Changes to one item from many callers at once are all kept.</summary>
    [ContractFact]
    public async Task ConcurrentChanges_AreAllKept()
    {
        var store = CreateStore();
        await store.AddAsync(Item("a", "Terrible, it crashes", 1, Day));

        await Task.WhenAll(
            Task.Run(async () => await store.CompleteAsync("a", FeedbackActionKind.ImmediateResponse, Day)),
            Task.Run(async () => await store.CompleteAsync("a", FeedbackActionKind.Escalation, Day)),
            Task.Run(async () => await store.CompleteAsync("a", FeedbackActionKind.FollowUp, Day.PlusDays(3))));

        var item = (await store.GetAsync("a"))!;
        Assert.Equal([Day, Day, Day.PlusDays(3), (LocalDate?)null], item.Actions.Select(a => a.DoneOn).ToArray());
    }

    private static void AssertSame(FeedbackItem expected, FeedbackItem actual)
    {
        Assert.Equal(expected.Feedback, actual.Feedback);
        Assert.Equal(expected.Sentiment, actual.Sentiment);
        Assert.Equal(expected.Band, actual.Band);
        Assert.Equal(expected.Topics.ToArray(), actual.Topics.ToArray());
        Assert.Equal(expected.Area, actual.Area);
        Assert.Equal(expected.Team, actual.Team);
        Assert.Equal(expected.Urgency, actual.Urgency);
        Assert.Equal(expected.HalfLifeDays, actual.HalfLifeDays);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.Actions.ToArray(), actual.Actions.ToArray());
        Assert.Equal(expected.ResolvedOn, actual.ResolvedOn);
        Assert.Equal(expected.Resolution, actual.Resolution);
    }
}
