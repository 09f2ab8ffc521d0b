using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Playbooks;

namespace RetentionKit.Hosting.Tests;

/// <summary>
/// A crash at any point of a run — the host cancelled, or an exception from the source, a store or a channel — followed
/// by a restart leaves the same deliveries, enrolments and ledger postings as a run that was never interrupted.
/// </summary>
public sealed class CrashTests
{
    private static readonly LocalDate First = new(2026, 1, 19);
    private const int Days = 3;
    private const int Customers = 24;

    [Theory]
    [InlineData(CrashKind.Cancel)]
    [InlineData(CrashKind.Throw)]
    public async Task A_crash_at_every_call_in_turn_then_a_restart_equals_an_uninterrupted_run(CrashKind kind)
    {
        var calm = await NewWorldAsync();
        var calls = await RunDaysAsync(calm, crashAt: int.MaxValue, kind);
        Assert.True(calls > 100, $"{calls} calls to crash at");
        var expected = await StateOf(calm.World);
        Assert.NotEmpty(expected.Delivered);
        Assert.Contains(expected.Postings, p => p.Contains("Expire", StringComparison.Ordinal));

        var crashes = 0;
        for (var at = 1; at <= calls; at++)
        {
            var crashed = await NewWorldAsync();
            crashes += await RunDaysAsync(crashed, at, kind) < 0 ? 1 : 0;
            var actual = await StateOf(crashed.World);
            Assert.True(expected.Delivered.SequenceEqual(actual.Delivered), $"deliveries after a {kind} at call {at}");
            Assert.True(expected.Enrolments.SequenceEqual(actual.Enrolments), $"enrolments after a {kind} at call {at}");
            Assert.True(expected.Postings.SequenceEqual(actual.Postings), $"postings after a {kind} at call {at}");
        }

        Assert.True(crashes > calls / 3, $"{crashes} of {calls} injections stopped the run");
    }

    public enum CrashKind
    {
        Cancel,
        Throw,
    }

    private sealed record Setup(World World, FakeClock Clock, Injector Injector);

    private static async Task<Setup> NewWorldAsync()
    {
        var world = new World(Customers, new LocalDate(2025, 12, 20));
        var clock = new FakeClock(Instant.FromUtc(2025, 1, 18, 12, 0));
        var ledger = new LoyaltyLedger(world.Ledger, clock, new LoyaltyOptions());
        for (var i = 0; i < Customers; i += 2)
        {
            // Points earned a year before the run days expire on one of them.
            clock.Reset(Instant.FromUtc(2025, 1, 18 + (i % 3), 12, 0));
            await ledger.EarnAsync(SyntheticCustomerSource.Id(i), 100 + i, $"seed-{i}", "sign-up bonus");
        }

        var injector = new Injector();
        world.Source.OnRead = _ => injector.Tick();
        world.History.OnWrite = injector.Tick;
        foreach (var channel in world.Channels)
        {
            channel.FailWhen(_ => injector.Fail());
        }

        return new Setup(world, clock, injector);
    }

    /// <summary>Runs the days, restarting the "process" after a crash; returns the number of calls (or −1 when it crashed).</summary>
    private static async Task<int> RunDaysAsync(Setup setup, int crashAt, CrashKind kind)
    {
        var crashed = false;
        setup.Injector.Arm(crashAt, kind);
        for (var day = 0; day < Days; day++)
        {
            var date = First.PlusDays(day);
            setup.Clock.Reset(date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() + Duration.FromHours(3));
            while (true)
            {
                await using var process = setup.World.Process(setup.Clock, o => { o.InstanceId = "worker-1"; o.Retry.MaxAttempts = 2; }, Wrap(setup));
                try
                {
                    var summary = await process.GetRequiredService<DailyRun>().RunAsync(date, setup.Injector.Token);
                    Assert.True(summary.IsComplete);
                    Assert.Empty(summary.Failures);
                    break;
                }
                catch (Exception ex) when (ex is OperationCanceledException or InjectedCrash)
                {
                    crashed = true;
                    setup.Injector.Disarm(); // the restarted process runs undisturbed
                }
            }
        }

        return crashed ? -1 : setup.Injector.Calls;
    }

    private static Action<IServiceCollection> Wrap(Setup setup) => services =>
    {
        services.AddSingleton<IEnrolmentStore>(new CrashingEnrolments(setup.World.Enrolments, setup.Injector));
        services.AddSingleton<ILoyaltyLedgerStore>(new CrashingLedger(setup.World.Ledger, setup.Injector));
        services.AddSingleton<IDailyRunStore>(new CrashingRuns(setup.World.Runs, setup.Injector));
    };

    private sealed record State(string[] Delivered, string[] Enrolments, string[] Postings);

    private static async Task<State> StateOf(World world)
    {
        var postings = new List<string>();
        await foreach (var member in world.Ledger.MembersAsync())
        {
            foreach (var e in await world.Ledger.ReadAsync(member, 0))
            {
                postings.Add($"{member}|{e.Kind}|{e.Points}|{e.IdempotencyKey}");
            }
        }

        postings.Sort(StringComparer.Ordinal);
        return new State(world.DeliveredKeys, world.EnrolmentRows, [.. postings]);
    }

    private sealed class InjectedCrash() : Exception("injected crash");

    /// <summary>Counts calls and, at the armed one, cancels the host or throws.</summary>
    private sealed class Injector
    {
        private CancellationTokenSource _cts = new();
        private int _crashAt = int.MaxValue;
        private CrashKind _kind;

        public int Calls { get; private set; }

        public CancellationToken Token => _cts.Token;

        public void Arm(int at, CrashKind kind) => (_crashAt, _kind, Calls) = (at, kind, 0);

        public void Disarm()
        {
            _crashAt = int.MaxValue;
            _cts = new CancellationTokenSource();
        }

        public void Tick()
        {
            if (Fail() is { } ex)
            {
                throw ex;
            }
        }

        public Exception? Fail()
        {
            if (++Calls != _crashAt)
            {
                return null;
            }

            if (_kind == CrashKind.Throw)
            {
                return new InjectedCrash();
            }

            _cts.Cancel();
            return new OperationCanceledException(_cts.Token);
        }
    }

    private sealed class CrashingEnrolments(IEnrolmentStore inner, Injector injector) : IEnrolmentStore
    {
        public ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.GetAsync(customer, cancellationToken);
        }

        public ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.SaveAsync(enrolment, cancellationToken);
        }
    }

    private sealed class CrashingLedger(ILoyaltyLedgerStore inner, Injector injector) : ILoyaltyLedgerStore
    {
        public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) => inner.FindKeyAsync(member, key, cancellationToken);

        public ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.ReadAsync(member, afterSequence, cancellationToken);
        }

        public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);
        }

        public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => inner.MembersAsync(cancellationToken);
    }

    private sealed class CrashingRuns(IDailyRunStore inner, Injector injector) : IDailyRunStore
    {
        public ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.TryAcquireAsync(runDate, partition, instance, now, until, cancellationToken);
        }

        public ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.RenewAsync(runDate, partition, instance, until, cancellationToken);
        }

        public ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default)
        {
            injector.Tick();
            return inner.CompleteAsync(result, cancellationToken);
        }

        public ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default) => inner.GetCompletedAsync(runDate, partitions, cancellationToken);

        public ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default) => inner.ResetAsync(runDate, cancellationToken);

        public ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default) => inner.GetLatestCompletedAsync(partitions, onOrBefore, cancellationToken);
    }
}
