using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Testing;

namespace RetentionKit.Storage.PostgreSql.Tests;

/// <summary>Two hosts on one PostgreSQL database share a date's partitions through the store's leases.</summary>
public sealed class DailyRunOnPostgreSqlTests
{
    private static readonly LocalDate Date = new(2026, 4, 14);

    [PostgreSqlFact]
    public async Task Two_hosts_on_one_database_take_every_partition_once_and_no_customer_twice()
    {
        var schema = PostgreSql.NewSchema();
        var source = new CountingSource(300);
        var channels = PlaybookChannel.BuiltIn.Select(c => new RecordingPlaybookChannel(c)).ToImmutableArray();
        var clock = new FakeClock(Date.At(new LocalTime(3, 0)).InUtc().ToInstant());
        await using var a = Host("host-a", schema, source, channels, clock);
        await using var b = Host("host-b", schema, source, channels, clock);

        await Task.WhenAll(
            Task.Run(async () => await a.GetRequiredService<DailyRun>().RunAsync(Date)),
            Task.Run(async () => await b.GetRequiredService<DailyRun>().RunAsync(Date)));

        var summary = await b.GetRequiredService<DailyRun>().GetSummaryAsync(Date);
        Assert.True(summary.IsComplete);
        Assert.Equal(12, summary.Completed.Select(p => p.Partition.Index).Distinct().Count());
        Assert.Equal(300, summary.Customers);
        Assert.All(source.Reads.Values, n => Assert.Equal(1, n));
        Assert.Equal(300, source.Reads.Count);
        Assert.True(summary.Delivered > 0);
        Assert.All(channels, c => Assert.Equal(0, c.Repeats));
        Assert.Equal(summary.Delivered, channels.Sum(c => c.Delivered.Length));

        // The date is complete for a third host too, which then runs nothing.
        await using var c = Host("host-c", schema, source, channels, clock);
        var again = await c.GetRequiredService<DailyRun>().RunAsync(Date);
        Assert.True(again.IsComplete);
        Assert.All(source.Reads.Values, n => Assert.Equal(1, n));
    }

    private static ServiceProvider Host(string name, string schema, ICustomerDataSource source, ImmutableArray<RecordingPlaybookChannel> channels, IClock clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(source);
        foreach (var channel in channels)
        {
            services.AddSingleton<IPlaybookChannel>(channel);
        }

        services.AddRetentionKit(kit => kit
            .AddScoring()
            .AddLoyalty()
            .AddPlaybooks()
            .UsePostgreSql(o => { o.ConnectionString = PostgreSql.ConnectionString; o.Schema = schema; })
            .AddDailyRun<CountingSource>(o => { o.InstanceId = name; o.Partitions = 12; o.Retry.Delay = TimeSpan.Zero; }));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Customers who signed up the week before, so onboarding steps fall due; counts reads.</summary>
    private sealed class CountingSource(int customers) : ICustomerDataSource
    {
        public ConcurrentDictionary<CustomerId, int> Reads { get; } = new();

        public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            for (var i = 0; i < customers; i++)
            {
                var id = new CustomerId($"pg-{i:000}");
                if (!partition.Contains(id))
                {
                    continue;
                }

                Reads.AddOrUpdate(id, 1, static (_, n) => n + 1);
                yield return new CustomerDay(
                    new CustomerSnapshot(id, runDate) { Logins = 10 + (i % 10), BaselineLogins = 15, FeatureShare = 0.4 },
                    new CustomerState(id, DateTimeZone.Utc, runDate.PlusDays(-(i % 7)-1)) { LastActiveOn = runDate });
            }
        }
    }
}
