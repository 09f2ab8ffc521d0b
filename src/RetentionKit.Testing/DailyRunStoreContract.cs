using System;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Hosting;
using Xunit;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IDailyRunStore"/> must do: a lease taken by one instance at a time until it expires, taken
/// back at once by its own instance, a result recorded only by the lease holder and read back whole, a date complete
/// only when all its partitions are, and a reset that lets a date run again. Derive a test class and supply
/// <see cref="CreateStore"/>.
/// </summary>
public abstract class DailyRunStoreContract
{
    private static readonly LocalDate Day = new(2026, 3, 2);
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 2, 0);
    private static readonly RunPartition First = new(0, 2);
    private static readonly RunPartition Second = new(1, 2);

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IDailyRunStore CreateStore();

    /// <summary>A lease is one instance's until it expires; its own instance takes it again at once.</summary>
    [ContractFact]
    public async Task Acquire_HoldsUntilExpiry_AndItsOwnInstanceTakesItBack()
    {
        var store = CreateStore();
        Assert.True(await store.TryAcquireAsync(Day, First, "a", Now, Now + Duration.FromMinutes(5)));
        Assert.False(await store.TryAcquireAsync(Day, First, "b", Now + Duration.FromMinutes(4), Now + Duration.FromMinutes(9)));
        Assert.True(await store.TryAcquireAsync(Day, First, "a", Now + Duration.FromMinutes(1), Now + Duration.FromMinutes(6)));
        Assert.True(await store.TryAcquireAsync(Day, Second, "b", Now, Now + Duration.FromMinutes(5)));
        Assert.True(await store.TryAcquireAsync(Day, First, "b", Now + Duration.FromMinutes(6), Now + Duration.FromMinutes(11)));
        Assert.False(await store.RenewAsync(Day, First, "a", Now + Duration.FromMinutes(20)));
        Assert.True(await store.RenewAsync(Day, First, "b", Now + Duration.FromMinutes(20)));
        Assert.False(await store.TryAcquireAsync(Day, First, "a", Now + Duration.FromMinutes(12), Now + Duration.FromMinutes(15)));
    }

    /// <summary>Leases are per date and per partition count.</summary>
    [ContractFact]
    public async Task Acquire_KeysByDateAndPartitionCount()
    {
        var store = CreateStore();
        Assert.True(await store.TryAcquireAsync(Day, First, "a", Now, Now + Duration.FromMinutes(5)));
        Assert.True(await store.TryAcquireAsync(Day.PlusDays(1), First, "b", Now, Now + Duration.FromMinutes(5)));
        Assert.True(await store.TryAcquireAsync(Day, new RunPartition(0, 3), "b", Now, Now + Duration.FromMinutes(5)));
    }

    /// <summary>Only the lease holder records a result; it reads back whole; a completed partition is not leased again.</summary>
    [ContractFact]
    public async Task Complete_OnlyByTheHolder_ReadsBackWhole_AndEndsTheLease()
    {
        var store = CreateStore();
        Assert.True(await store.TryAcquireAsync(Day, First, "a", Now, Now + Duration.FromMinutes(5)));
        Assert.False(await store.CompleteAsync(Result(First, "b")));
        var result = Result(First, "a");
        Assert.True(await store.CompleteAsync(result));
        Assert.False(await store.CompleteAsync(result));
        Assert.False(await store.TryAcquireAsync(Day, First, "a", Now + Duration.FromDays(1), Now + Duration.FromDays(2)));
        Assert.False(await store.RenewAsync(Day, First, "a", Now + Duration.FromDays(2)));

        var read = Assert.Single(await store.GetCompletedAsync(Day, 2));
        Assert.Equal(result with { Failures = [], Steps = [] }, read with { Failures = [], Steps = [] });
        Assert.Equal(result.Failures.ToArray(), read.Failures.ToArray());
        Assert.Equal(result.Steps.ToArray(), read.Steps.ToArray());
        Assert.Empty(await store.GetCompletedAsync(Day, 3));
    }

    /// <summary>A result for a partition nobody leased is refused.</summary>
    [ContractFact]
    public async Task Complete_WithoutALease_IsRefused() => Assert.False(await CreateStore().CompleteAsync(Result(First, "a")));

    /// <summary>The latest completed date is the latest with every partition completed, on or before the date asked.</summary>
    [ContractFact]
    public async Task LatestCompleted_NeedsEveryPartition()
    {
        var store = CreateStore();
        Assert.Null(await store.GetLatestCompletedAsync(2, Day.PlusDays(5)));
        await CompleteAsync(store, Day, First);
        Assert.Null(await store.GetLatestCompletedAsync(2, Day.PlusDays(5)));
        await CompleteAsync(store, Day, Second);
        await CompleteAsync(store, Day.PlusDays(1), First);
        await CompleteAsync(store, Day.PlusDays(2), First);
        await CompleteAsync(store, Day.PlusDays(2), Second);
        Assert.Equal(Day.PlusDays(2), await store.GetLatestCompletedAsync(2, Day.PlusDays(5)));
        Assert.Equal(Day, await store.GetLatestCompletedAsync(2, Day.PlusDays(1)));
        Assert.Null(await store.GetLatestCompletedAsync(2, Day.PlusDays(-1)));
        Assert.Null(await store.GetLatestCompletedAsync(1, Day.PlusDays(5)));
    }

    /// <summary>A reset forgets a date's leases and results, and only that date's.</summary>
    [ContractFact]
    public async Task Reset_ForgetsOneDate()
    {
        var store = CreateStore();
        await CompleteAsync(store, Day, First);
        await CompleteAsync(store, Day.PlusDays(1), First);
        await store.ResetAsync(Day);
        Assert.Empty(await store.GetCompletedAsync(Day, 2));
        Assert.Single(await store.GetCompletedAsync(Day.PlusDays(1), 2));
        Assert.True(await store.TryAcquireAsync(Day, First, "b", Now, Now + Duration.FromMinutes(5)));
    }

    /// <summary>Many instances racing for the same free partition: exactly one wins.</summary>
    [ContractFact]
    public async Task Acquire_Racing_ExactlyOneWins()
    {
        var store = CreateStore();
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.TryAcquireAsync(Day, First, $"instance-{i}", Now, Now + Duration.FromMinutes(5)))));
        Assert.Equal(1, wins.Count(w => w));
    }

    /// <summary>Bad leases are refused by name.</summary>
    [ContractFact]
    public async Task Acquire_BadArguments_AreRefused()
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<ArgumentException>("until", async () => await store.TryAcquireAsync(Day, First, "a", Now, Now));
        await Assert.ThrowsAsync<ArgumentException>("instance", async () => await store.TryAcquireAsync(Day, First, " ", Now, Now + Duration.FromMinutes(1)));
    }

    private static async Task CompleteAsync(IDailyRunStore store, LocalDate date, RunPartition partition)
    {
        Assert.True(await store.TryAcquireAsync(date, partition, "a", Now, Now + Duration.FromMinutes(5)));
        Assert.True(await store.CompleteAsync(Result(partition, "a") with { Date = date }));
    }

    private static PartitionResult Result(RunPartition partition, string instance) => new()
    {
        Date = Day,
        Partition = partition,
        Instance = instance,
        StartedAt = Now,
        CompletedAt = Now + Duration.FromSeconds(42) + Duration.FromNanoseconds(17),
        Customers = 120,
        Scored = 118,
        Alerts = 7,
        PointsExpired = 3,
        EnrolmentsStarted = 9,
        Delivered = 14,
        Failures = [new RunFailure(new CustomerId("ana"), RunSteps.Playbooks, "IOException: mailbox full", 3), new RunFailure(new CustomerId("bo"), RunSteps.Read, "the source gave the customer twice", 1)],
        Steps = [new StepTiming(RunSteps.Read, Duration.FromMilliseconds(12.5)), new StepTiming(RunSteps.Score, Duration.FromNanoseconds(1))],
    };
}
