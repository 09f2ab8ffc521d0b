using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Orleans.Tests;

/// <summary>
/// The customer grain on a 3-silo in-process cluster against the single-process ledger: random operation sequences
/// (earn, redeem, reverse, expire, replayed keys) for many customers at once end in the same ledgers.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerGrainClusterTests : IAsyncLifetime
{
    // The silos of an in-process cluster share these, as the silos of a real cluster share their PostgreSQL.
    internal static readonly InMemoryLoyaltyLedgerStore Store = new();
    internal static readonly FakeClock Clock = new(Instant.FromUtc(2026, 3, 2, 9, 0));
    internal static readonly InMemoryReferralStore Referrals = new();
    internal static readonly SharedReminderTable Reminders = new();

    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = new TestClusterBuilder(3).AddSiloBuilderConfigurator<SharedStores>().Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RandomOperations_FromManyCallersAtOnce_EndInTheLedgersOfOneProcess()
    {
        var customers = Enumerable.Range(0, 24).Select(i => $"cluster-{i}").ToArray();
        var scripts = customers.ToDictionary(c => c, c => Script(new Random(c.GetHashCode(StringComparison.Ordinal) ^ 17), 30));
        var reference = new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), Clock, new LoyaltyOptions());

        // Phase by phase (the clock moves between them, so points expire), every customer's script runs at once
        // through the cluster; one process then runs the same scripts on its own ledger.
        for (var phase = 0; phase < 3; phase++)
        {
            var p = phase;
            await Task.WhenAll(customers.Select(c => RunAsync(_cluster.GrainFactory.GetGrain<ICustomerGrain>(c), scripts[c].Where(o => o.Phase == p))));
            foreach (var c in customers)
            {
                await RunReferenceAsync(reference, new CustomerId(c), scripts[c].Where(o => o.Phase == p));
            }

            Clock.Advance(Duration.FromDays(200));
        }

        foreach (var c in customers)
        {
            var grain = _cluster.GrainFactory.GetGrain<ICustomerGrain>(c);
            var expected = (await reference.GetHistoryAsync(new CustomerId(c))).Select(LedgerLine.From).ToArray();
            var actual = await grain.GetHistoryAsync();

            Assert.Equal(expected, actual.AsEnumerable());
            Assert.Equal(await reference.GetBalanceAsync(new CustomerId(c)), await grain.GetBalanceAsync());
        }

        // Every replayed key came back as a replay, not a second posting: the ledgers have one entry per distinct key.
        Assert.All(customers, c => Assert.Equal(
            Store.ReadAsync(new CustomerId(c), 0).AsTask().GetAwaiter().GetResult().Select(e => e.IdempotencyKey).Distinct().Count(),
            Store.ReadAsync(new CustomerId(c), 0).AsTask().GetAwaiter().GetResult().Count));
    }

    [Fact]
    public async Task ASiloKilledAndOneAddedMidRun_LoseAndRepeatNothing()
    {
        var customers = Enumerable.Range(0, 30).Select(i => $"killed-{i}").ToArray();
        var scripts = customers.ToDictionary(c => c, c => Script(new Random(c.GetHashCode(StringComparison.Ordinal) ^ 29), 200).Select(o => o with { Phase = 0 }).ToList());
        var reference = new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), Clock, new LoyaltyOptions());

        // The scripts run with retries (a call lost with its silo is sent again under the same key, as a client would);
        // meanwhile a silo is killed outright and another joins.
        var running = Task.WhenAll(customers.Select(c => RunAsync(_cluster.GrainFactory.GetGrain<ICustomerGrain>(c), scripts[c], retries: 10)));
        while (customers.Sum(c => Store.ReadAsync(new CustomerId(c), 0).AsTask().GetAwaiter().GetResult().Count) < 200)
        {
            await Task.Delay(5);
        }

        await KillASiloAndAddOneWhileAsync(running, "the scripts");
        foreach (var c in customers)
        {
            await RunReferenceAsync(reference, new CustomerId(c), scripts[c]);
        }

        foreach (var c in customers)
        {
            var expected = (await reference.GetHistoryAsync(new CustomerId(c))).Select(LedgerLine.From).ToArray();
            var entries = await Store.ReadAsync(new CustomerId(c), 0);

            Assert.Equal(expected, (await _cluster.GrainFactory.GetGrain<ICustomerGrain>(c).GetHistoryAsync()).AsEnumerable());
            Assert.Equal(entries.Select(e => e.IdempotencyKey).Distinct().Count(), entries.Count);
            Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence)); // no gap, no duplicate
        }

        Assert.Equal(3, _cluster.Silos.Count);
    }

    [Fact]
    public async Task AGrainThatMovesToAnotherSilo_ReadsItsAccountFromTheStore()
    {
        // A customer whose grain was placed on a silo other than the primary (placement is random).
        var management = _cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        ICustomerGrain grain = null!;
        LedgerPosting first = null!;
        SiloAddress? host = null;
        for (var i = 0; host is null || host.Equals(_cluster.Primary!.SiloAddress); i++)
        {
            grain = _cluster.GrainFactory.GetGrain<ICustomerGrain>($"mover-{i}");
            first = await grain.EarnAsync(40, "order-1", "purchase");
            host = (await management.GetDetailedGrainStatistics()).Single(g => g.GrainId.Key.ToString() == $"mover-{i}").SiloAddress;
        }

        // That silo goes away; the next call activates the grain on another one, which reads the same store.
        await _cluster.StopSiloAsync(_cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        var again = await grain.EarnAsync(40, "order-1", "purchase");
        var now = (await management.GetDetailedGrainStatistics()).Single(g => g.GrainId.Key.ToString() == grain.GetPrimaryKeyString()).SiloAddress;
        Assert.NotEqual(host, now);
        var second = await grain.EarnAsync(10, "order-2", "purchase");

        Assert.Equal(("Posted", false), (first.Status, first.Replayed));
        Assert.True(again.Replayed);
        Assert.Equal(50, second.Balance);
        Assert.Equal(["order-1", "order-2"], (await grain.GetHistoryAsync()).Select(l => l.IdempotencyKey));
    }

    [Fact]
    public async Task AReferredCustomer_IsAttributedExactlyOnce_WhateverSiloAndHowManyCallsAtOnce()
    {
        var referrers = Enumerable.Range(0, 5).Select(i => _cluster.GrainFactory.GetGrain<ICustomerGrain>($"referrer-{i}")).ToArray();
        var codes = await Task.WhenAll(referrers.Select(r => r.IssueReferralCodeAsync()));
        var seen = Clock.GetCurrentInstant().ToDateTimeOffset();

        // Ten new customers, each attributed 12 times at once, with the five referrers' codes in turn.
        var referred = Enumerable.Range(0, 10).Select(i => _cluster.GrainFactory.GetGrain<ICustomerGrain>($"referred-{i}")).ToArray();
        var results = await Task.WhenAll(referred.SelectMany(g => Enumerable.Range(0, 12).Select(k => g.AttributeReferralAsync(codes[k % codes.Length], seen))));

        // One change per customer; every other call is a replay (the same code: the referral as it stands) or refused
        // (another code: already referred) — never a second referral.
        Assert.Equal(referred.Length, results.Count(r => r.Changed));
        Assert.All(results.Where(r => !r.Changed), r => Assert.True(r.Outcome is "AlreadyReferred" or "Attributed" or "HeldForReview", r.Outcome));
        Assert.Equal(codes, await Task.WhenAll(referrers.Select(r => r.IssueReferralCodeAsync()))); // a code is issued once per referrer
        for (var i = 0; i < referred.Length; i++)
        {
            var stored = await Referrals.FindReferralAsync(new CustomerId(referred[i].GetPrimaryKeyString()));
            var mine = results.Skip(12 * i).Take(12).ToArray();
            Assert.Equal(mine.Single(r => r.Changed).Referrer, stored!.Referrer.Value);
            Assert.All(mine.Where(r => r.Outcome != "AlreadyReferred"), r => Assert.Equal(stored.Referrer.Value, r.Referrer));
        }
    }

    [Fact]
    public async Task LoyaltyAndReferralScripts_FromFourClientsAtOnce_WithASiloKilledMidRun_EndAsInOneProcess()
    {
        // 8 referrers and 16 referred customers. Phase 1: everyone's loyalty script. Phase 2: each referred customer
        // is attributed (with retries of the same call), pays (qualifies; the referrer is credited), and one in three
        // is refunded (the credit is clawed back) — while a silo is killed and another joins. Every call goes through
        // one of four clients (the external client and each silo's grain factory) and is retried on another when its
        // silo goes away. One process then runs the same scripts.
        var referrers = Enumerable.Range(0, 8).Select(i => $"ref-{i}").ToArray();
        var referred = Enumerable.Range(0, 16).Select(i => $"new-{i}").ToArray();
        var everyone = referrers.Concat(referred).ToArray();
        var loyalty = everyone.ToDictionary(c => c, c => Script(new Random(c.GetHashCode(StringComparison.Ordinal) ^ 41), 40).Select(o => o with { Phase = 0 }).ToList());
        var random = new Random(7);
        var codes = new Dictionary<string, string>();
        foreach (var r in referrers)
        {
            codes[r] = await CallAsync(random, r, g => g.IssueReferralCodeAsync());
        }

        var accounts = await Task.WhenAll(referrers.Select(async r => (await Referrals.FindReferrerAsync(new CustomerId(r)))!));

        var seen = Clock.GetCurrentInstant().ToDateTimeOffset();
        await Task.WhenAll(everyone.Select(c => RunAsync(c, loyalty[c], new Random(c.Length * 31 + c[^1]))));

        var referrals = referred.ToDictionary(c => c, c => ReferralScript(c, codes[referrers[int.Parse(c[4..], System.Globalization.CultureInfo.InvariantCulture) % 8]], new Random(c.GetHashCode(StringComparison.Ordinal))));
        var phase2 = Task.WhenAll(referred.Select((c, i) => RunReferralAsync(c, referrals[c], seen, new Random(c.Length * 17 + c[^1]), TimeSpan.FromMilliseconds(20 * i))));
        while (await Referrals.FindReferralAsync(new CustomerId(referred[5])) is null)
        {
            await Task.Delay(5);
        }

        await KillASiloAndAddOneWhileAsync(phase2, "the referral scripts");

        // The same in one process.
        var referenceReferrals = new InMemoryReferralStore();
        var services = new ServiceCollection().AddSingleton<IClock>(Clock).AddSingleton<IReferralStore>(referenceReferrals).AddRetentionKit(kit => kit.AddLoyalty()).BuildServiceProvider();
        var ledger = services.GetRequiredService<LoyaltyLedger>();
        var program = services.GetRequiredService<ReferralProgram>();
        foreach (var account in accounts)
        {
            await referenceReferrals.TryAddReferrerAsync(account); // codes are random: the reference takes the cluster's as they were issued
            Assert.Equal(codes[account.Referrer.Value], (await program.IssueCodeAsync(account.Referrer)).ToString());
        }

        foreach (var c in everyone)
        {
            await RunReferenceAsync(ledger, new CustomerId(c), loyalty[c]);
        }

        foreach (var c in referred)
        {
            foreach (var step in referrals[c])
            {
                _ = step.Kind switch
                {
                    "attribute" => (await program.AttributeAsync(step.Key, new CustomerId(c), Instant.FromDateTimeOffset(seen))).Outcome,
                    "qualify" => (await program.QualifyAsync(new CustomerId(c), new ReferralPayment(step.Key, Money.Usd(49m)))).Outcome,
                    _ => (await program.RefundAsync(new CustomerId(c), step.Key)).Outcome,
                };
            }
        }

        // Every ledger holds the same postings (the order of two referred customers' credits on their referrer's ledger
        // may differ, so entries are compared by key, a reversal by the key of what it reverses), one per key, without gaps.
        foreach (var c in everyone)
        {
            var expected = await ledger.GetHistoryAsync(new CustomerId(c));
            var actual = await Store.ReadAsync(new CustomerId(c), 0);
            Assert.Equal(Normalised(expected), Normalised(actual));
            Assert.Equal(Enumerable.Range(1, actual.Count).Select(i => (long)i), actual.Select(e => e.Sequence));
            Assert.Equal(await ledger.GetBalanceAsync(new CustomerId(c)), await _cluster.GrainFactory.GetGrain<ICustomerGrain>(c).GetBalanceAsync());
        }

        foreach (var c in referred)
        {
            var expected = await program.GetReferralAsync(new CustomerId(c));
            var actual = await Referrals.FindReferralAsync(new CustomerId(c));
            Assert.Equal((expected!.Referrer, expected.Status, expected.Rewards.Length), (actual!.Referrer, actual.Status, actual.Rewards.Length));
        }

        var credited = await Task.WhenAll(referrers.Select(async r => (await Store.ReadAsync(new CustomerId(r), 0)).Count(e => e.IdempotencyKey.Contains("referral", StringComparison.OrdinalIgnoreCase))));
        Assert.True(credited.Sum() >= referred.Length, $"{credited.Sum()} referral postings on the referrers' ledgers");
        var statuses = await Task.WhenAll(referred.Select(async c => (await Referrals.FindReferralAsync(new CustomerId(c)))!.Status));
        Assert.Contains(ReferralStatus.Reversed, statuses);
        Assert.Contains(ReferralStatus.Qualified, statuses);
    }

    private static string[] Normalised(IReadOnlyList<LedgerEntry> entries)
    {
        var keyOf = entries.ToDictionary(e => e.Sequence, e => e.IdempotencyKey);
        return [.. entries.Select(e => $"{e.IdempotencyKey}|{e.Kind}|{e.Points}|{e.At}|{e.ExpiresAt}|{(e.Reverses is { } r ? keyOf[r] : null)}").Order(StringComparer.Ordinal)];
    }

    private sealed record ReferralStep(string Kind, string Key);

    private static List<ReferralStep> ReferralScript(string customer, string code, Random random)
    {
        var script = new List<ReferralStep> { new("attribute", code) };
        if (random.NextDouble() < 0.5)
        {
            script.Add(new("attribute", code)); // a retry
        }

        script.Add(new("qualify", $"pay-{customer}"));
        if (random.NextDouble() < 0.5)
        {
            script.Add(new("qualify", $"pay-{customer}"));
        }

        if (customer.GetHashCode(StringComparison.Ordinal) % 3 == 0 || customer == "new-1")
        {
            script.Add(new("refund", $"refund-{customer}"));
            script.Add(new("refund", $"refund-{customer}"));
        }

        return script;
    }

    private async Task RunReferralAsync(string customer, List<ReferralStep> script, DateTimeOffset seen, Random random, TimeSpan start)
    {
        await Task.Delay(start); // staggered, so that the kill (once the sixth is attributed) finds most still to run
        foreach (var step in script)
        {
            _ = await CallAsync(random, customer, g => step.Kind switch
            {
                "attribute" => g.AttributeReferralAsync(step.Key, seen),
                "qualify" => g.QualifyReferralAsync(step.Key, 49m, "USD"),
                _ => g.RefundReferralAsync(step.Key),
            });
        }
    }

    private async Task RunAsync(string customer, List<Operation> script, Random random)
    {
        foreach (var o in script)
        {
            _ = await CallAsync(random, customer, g => ApplyAsync(g, o));
        }
    }

    /// <summary>One operation of a script on a customer's grain; its status (or the expiries posted).</summary>
    private static async Task<string> ApplyAsync(ICustomerGrain grain, Operation o) => o.Kind switch
    {
        "earn" => (await grain.EarnAsync(o.Points, o.Key, "purchase")).Status,
        "redeem" => (await grain.RedeemAsync(o.Points, o.Key, "reward")).Status,
        "reverse" => (await grain.ReverseAsync(o.Points, null, o.Key, "refund")).Status,
        _ => (await grain.ExpireAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Kills a silo other than the primary outright while <paramref name="running"/> is still going, starts another, and waits for the run.</summary>
    private async Task KillASiloAndAddOneWhileAsync(Task running, string what)
    {
        Assert.False(running.IsCompleted, $"{what} ended before the kill: the test would prove nothing");
        await _cluster.KillSiloAsync(_cluster.Silos.First(s => s != _cluster.Primary));
        await _cluster.StartAdditionalSiloAsync();
        await running;
    }

    /// <summary>One call through one of the clients (the external one or a live silo's grain factory), retried on another when its silo goes away.</summary>
    private async Task<T> CallAsync<T>(Random random, string customer, Func<ICustomerGrain, Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            IGrainFactory[] clients = [_cluster.Client, .. _cluster.Silos.OfType<InProcessSiloHandle>().Where(s => s.IsActive).Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>())];
            IGrainFactory client;
            lock (random)
            {
                client = clients[random.Next(clients.Length)];
            }

            try
            {
                return await call(client.GetGrain<ICustomerGrain>(customer));
            }
            catch (Exception e) when (attempt < 20 && e is OrleansException or TimeoutException or ObjectDisposedException or OperationCanceledException)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task StepReminders_TheEarlierTimeWins_AndInASiloWithoutTheDailyRunTheReminderRemovesItself()
    {
        // This cluster registers loyalty only: a reminder for steps cannot read the customer, so it goes, once.
        // An earlier time replaces a later one; a later one leaves the earlier pending.
        var grain = _cluster.GrainFactory.GetGrain<ICustomerGrain>("no-daily-run");
        var now = Clock.GetCurrentInstant();
        await grain.ScheduleStepsAsync((now + Duration.FromMinutes(10)).ToDateTimeOffset());
        await grain.ScheduleStepsAsync((now + Duration.FromMinutes(15)).ToDateTimeOffset());
        Assert.Equal((now + Duration.FromMinutes(10)).ToDateTimeOffset(), await grain.GetScheduledAsync());
        await grain.ScheduleStepsAsync((now + Duration.FromSeconds(1)).ToDateTimeOffset());
        Assert.Equal((now + Duration.FromSeconds(1)).ToDateTimeOffset(), await grain.GetScheduledAsync());
        Assert.Equal(1, Reminders.Count); // one reminder per customer, moved

        for (var waited = 0; Reminders.Count > 0 && waited < 80; waited++)
        {
            await Task.Delay(250);
        }

        Assert.Equal(0, Reminders.Count);
        Assert.Null(await grain.GetScheduledAsync());
    }

    private sealed record Operation(int Phase, string Kind, long Points, string Key);

    private static List<Operation> Script(Random random, int count)
    {
        var script = new List<Operation>();
        for (var i = 0; i < count; i++)
        {
            var phase = i * 3 / count;
            var roll = random.NextDouble();
            script.Add(roll switch
            {
                < 0.45 => new(phase, "earn", random.Next(1, 200), $"earn-{i}"),
                < 0.65 => new(phase, "redeem", random.Next(1, 150), $"redeem-{i}"),
                < 0.75 => new(phase, "reverse", random.Next(1, i + 2), $"reverse-{i}"),
                < 0.85 => new(phase, "expire", 0, string.Empty),
                _ when script.Count > 0 => script[random.Next(script.Count)] with { Phase = phase }, // a retry of an earlier call
                _ => new(phase, "earn", 5, $"earn-{i}"),
            });
        }

        return script;
    }

    private static async Task RunAsync(ICustomerGrain grain, IEnumerable<Operation> operations, int retries = 0)
    {
        foreach (var o in operations)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    _ = await ApplyAsync(grain, o);
                    break;
                }
                catch (Exception e) when (attempt < retries && e is OrleansException or TimeoutException)
                {
                    await Task.Delay(50); // the silo went away with the call: send it again, same key
                }
            }
        }
    }

    private static async Task RunReferenceAsync(LoyaltyLedger ledger, CustomerId customer, IEnumerable<Operation> operations)
    {
        foreach (var o in operations)
        {
            _ = o.Kind switch
            {
                "earn" => (await ledger.EarnAsync(customer, o.Points, o.Key, "purchase")).Status.ToString(),
                "redeem" => (await ledger.RedeemAsync(customer, o.Points, o.Key, "reward")).Status.ToString(),
                "reverse" => (await ledger.ReverseAsync(customer, o.Points, null, o.Key, "refund")).Status.ToString(),
                _ => (await ledger.ExpireAsync(customer)).Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
    }

    private sealed class SharedStores : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ILoyaltyLedgerStore>(Store).AddSingleton<IReferralStore>(Referrals).AddSingleton<IClock>(Clock);
            siloBuilder.AddReminders();
            siloBuilder.Services.AddSingleton<IReminderTable>(Reminders);
            siloBuilder.AddRetentionKit(kit => kit.AddLoyalty());
        }
    }
}
