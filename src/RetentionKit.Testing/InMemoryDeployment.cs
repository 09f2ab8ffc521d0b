using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using RetentionKit.Hosting;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Scoring.History;

namespace RetentionKit.Testing;

/// <summary>
/// What the processes of one deployment share, in memory, for a host's tests: the stores (enrolments, ledger, score
/// history, daily-run leases and results) and a <see cref="RecordingPlaybookChannel"/> per built-in channel. Register
/// it in several service collections — a host's instances, a cluster's silos — and they see one database and one set
/// of channels; compare two deployments fed the same customers by <see cref="DeliveredKeys"/> and <see cref="EnrolmentRows"/>.
/// </summary>
/// <param name="history">The score history to share; null for an <see cref="InMemoryScoreHistoryStore"/>.</param>
public sealed class InMemoryDeployment(IScoreHistoryStore? history = null)
{
    /// <summary>Gets the channels, one per built-in channel.</summary>
    public ImmutableArray<RecordingPlaybookChannel> Channels { get; } = [.. PlaybookChannel.BuiltIn.Select(c => new RecordingPlaybookChannel(c))];

    /// <summary>Gets the enrolment store.</summary>
    public InMemoryEnrolmentStore Enrolments { get; } = new();

    /// <summary>Gets the loyalty ledger store.</summary>
    public InMemoryLoyaltyLedgerStore Ledger { get; } = new();

    /// <summary>Gets the score history.</summary>
    public IScoreHistoryStore History { get; } = history ?? new InMemoryScoreHistoryStore();

    /// <summary>Gets the daily run's store of leases and results.</summary>
    public InMemoryDailyRunStore Runs { get; } = new();

    /// <summary>Gets every step delivered (by idempotency key, once each), in ordinal order.</summary>
    public string[] DeliveredKeys => [.. Channels.SelectMany(c => c.Delivered).Select(d => d.IdempotencyKey).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Gets every enrolment, by customer, as <c>id|status|ended|step@date,…</c> (<c>~</c> marks a skipped step).</summary>
    public string[] EnrolmentRows => [.. Enrolments.Customers.Order()
        .SelectMany(c => Enrolments.GetAsync(c).AsTask().GetAwaiter().GetResult())
        .Select(e => $"{e.Id}|{e.Status}|{e.EndedOn}|{string.Join(",", e.Steps.Select(s => s.Step + "@" + s.On + (s.Skipped ? "~" : "")))}")];

    /// <summary>Registers the stores and channels as singletons, before <c>AddRetentionKit</c> (whose defaults they replace).</summary>
    /// <param name="services">The services of one process or silo.</param>
    /// <returns>The same services, for chaining.</returns>
    public IServiceCollection AddTo(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IEnrolmentStore>(Enrolments);
        services.AddSingleton<ILoyaltyLedgerStore>(Ledger);
        services.AddSingleton(History);
        services.AddSingleton<IDailyRunStore>(Runs);
        foreach (var channel in Channels)
        {
            services.AddSingleton<IPlaybookChannel>(channel);
        }

        return services;
    }
}
