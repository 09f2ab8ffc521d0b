using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Hosting.Tests;

/// <summary>The state a run leaves behind, shared by every "process" of a test: the stores and the channels.</summary>
internal sealed class World
{
    private readonly InMemoryDeployment _shared;

    public World(int customers = 60, LocalDate? firstSignup = null)
    {
        Source = new SyntheticCustomerSource(customers, firstSignup ?? new LocalDate(2026, 1, 1));
        _shared = new InMemoryDeployment(History);
    }

    public SyntheticCustomerSource Source { get; }

    public ImmutableArray<RecordingPlaybookChannel> Channels => _shared.Channels;

    public InMemoryEnrolmentStore Enrolments => _shared.Enrolments;

    public InMemoryLoyaltyLedgerStore Ledger => _shared.Ledger;

    public SharedHistory History { get; } = new();

    public InMemoryDailyRunStore Runs => _shared.Runs;

    /// <summary>Gets every step delivered (by idempotency key, once each), in key order.</summary>
    public string[] DeliveredKeys => _shared.DeliveredKeys;

    /// <summary>Gets every enrolment, rendered, in order.</summary>
    public string[] EnrolmentRows => _shared.EnrolmentRows;

    /// <summary>Builds one "process": a service provider over the shared state, with its own clock view and options.</summary>
    public ServiceProvider Process(IClock clock, Action<RunOptions>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        _shared.AddTo(services);
        services.AddSingleton<ICustomerDataSource>(Source);
        services.AddLogging();
        services.AddMetrics();
        more?.Invoke(services);
        services.AddRetentionKit(kit => kit
            .AddScoring()
            .AddLoyalty()
            .AddPlaybooks()
            .AddDailyRun<SyntheticCustomerSource>(o =>
            {
                o.Partitions = 4;
                o.Retry.Delay = TimeSpan.Zero;
                o.Retry.UseJitter = false;
                configure?.Invoke(o);
            }));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

/// <summary>A clock for tests that starts at an instant.</summary>
internal static class Clocks
{
    public static FakeClock At(int year, int month, int day, int hour = 12) => new(Instant.FromUtc(year, month, day, hour, 0));
}

/// <summary>A logger provider whose records tests read.</summary>
internal static class Logs
{
    public static (FakeLoggerProvider Provider, Action<IServiceCollection> Register) Capture()
    {
        var provider = new FakeLoggerProvider();
        return (provider, services => services.AddLogging(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Debug)));
    }
}

/// <summary>A score history shared by the "processes" of a test.</summary>
internal sealed class SharedHistory : IScoreHistoryStore
{
    private readonly ConcurrentDictionary<(CustomerId, LocalDate), ScoreRecord> _records = new();

    /// <summary>Called for every write (crash injection).</summary>
    public Action? OnWrite { get; set; }

    public int Count => _records.Count;

    public ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default)
    {
        OnWrite?.Invoke();
        _records[(record.Customer, record.Date)] = record;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ScoreRecord>>([.. _records.Values.Where(r => r.Customer == customer && r.Date >= firstDate && r.Date <= lastDate).OrderBy(r => r.Date)]);
}
