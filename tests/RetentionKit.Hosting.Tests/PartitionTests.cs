using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace RetentionKit.Hosting.Tests;

public sealed class PartitionTests
{
    private static readonly LocalDate Jan20 = new(2026, 1, 20);

    [Fact]
    public void The_hash_is_fixed_across_machines_and_versions()
    {
        // Pinned values (checked against an independent Python implementation of FNV-1a + fmix32): a source that
        // selects partitions in SQL relies on them never changing.
        Assert.Equal([1, 7, 2, 6], new[] { "cust-0001", "cust-0002", "acme", "ñandú" }.Select(id => RunPartition.Of(new CustomerId(id), 8)));
    }

    [Property(MaxTest = 200)]
    public void Every_customer_is_in_exactly_one_partition(NonEmptyString id, PositiveInt n)
    {
        var count = (n.Get % 64) + 1;
        var customer = new CustomerId(id.Get.Trim() is { Length: > 0 } t ? t : "x");
        Assert.Single(Enumerable.Range(0, count), i => new RunPartition(i, count).Contains(customer));
    }

    [Fact]
    public void Customers_spread_evenly_over_the_partitions()
    {
        var counts = new int[16];
        for (var i = 0; i < 16_000; i++)
        {
            counts[RunPartition.Of(new CustomerId($"customer-{i}"), 16)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150)); // 1,000 expected; ±15 %
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 4)]
    [InlineData(4, 4)]
    public void A_partition_outside_its_count_is_refused(int index, int count) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new RunPartition(index, count));

    [Fact]
    public async Task Two_instances_on_one_store_share_the_partitions_and_no_customer_is_processed_twice()
    {
        var world = new World(customers: 120);
        var clock = Clocks.At(2026, 1, 20, 3);
        await using var a = world.Process(clock, o => { o.InstanceId = "worker-a"; o.Partitions = 16; });
        await using var b = world.Process(clock, o => { o.InstanceId = "worker-b"; o.Partitions = 16; });

        var runs = await Task.WhenAll(
            Task.Run(async () => await a.GetRequiredService<DailyRun>().RunAsync(Jan20)),
            Task.Run(async () => await b.GetRequiredService<DailyRun>().RunAsync(Jan20)));

        var summary = await a.GetRequiredService<DailyRun>().GetSummaryAsync(Jan20);
        Assert.True(summary.IsComplete);
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(1, n)); // each customer read (and so scored and planned) once
        Assert.All(world.Channels, c => Assert.Equal(0, c.Repeats));
        Assert.Equal(world.Source.Reads.Count, summary.Customers);
        Assert.Equal(16, summary.Completed.Select(p => p.Partition.Index).Distinct().Count());
        Assert.Equal(16, summary.Completed.Length); // one result a partition: none done by both instances

        // Which instance did how many depends on which starts first (on a loaded machine one may take them all), so
        // only that each partition was done by one of the two is asserted.
        Assert.All(summary.Completed, p => Assert.Contains(p.Instance, new[] { "worker-a", "worker-b" }));
        Assert.All(runs, r => Assert.True(r.Completed.Length <= 16));
    }

    [Fact]
    public async Task A_partition_leased_by_a_dead_instance_is_taken_over_once_the_lease_expires()
    {
        var world = new World(customers: 40);
        var clock = Clocks.At(2026, 1, 20, 3);
        var dead = new RunPartition(1, 4);
        Assert.True(await world.Runs.TryAcquireAsync(Jan20, dead, "worker-dead", clock.GetCurrentInstant(), clock.GetCurrentInstant() + Duration.FromMinutes(5)));
        await using var live = world.Process(clock, o => { o.InstanceId = "worker-live"; o.LeaseDuration = TimeSpan.FromMinutes(5); });
        var run = live.GetRequiredService<DailyRun>();

        var first = await run.RunAsync(Jan20);
        Assert.False(first.IsComplete);
        Assert.DoesNotContain(first.Completed, p => p.Partition == dead);

        clock.Advance(Duration.FromMinutes(4));
        Assert.False((await run.RunAsync(Jan20)).IsComplete); // not yet expired

        clock.Advance(Duration.FromMinutes(2));
        var second = await run.RunAsync(Jan20);
        Assert.True(second.IsComplete);
        Assert.Equal("worker-live", second.Completed.Single(p => p.Partition == dead).Instance);
        Assert.False(await world.Runs.RenewAsync(Jan20, dead, "worker-dead", clock.GetCurrentInstant() + Duration.FromMinutes(5)));
        Assert.All(world.Source.Reads.Values, n => Assert.Equal(1, n));
    }
}
