using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace RetentionKit.Hosting;

/// <summary>
/// Where the daily run keeps its leases and results: which instance works on which partition of which date, until
/// when, and what each completed partition did. Shared by every instance of a host (the SQLite and PostgreSQL stores
/// implement it; the default is in memory, for one process).
/// </summary>
/// <remarks>
/// Every method is atomic. A lease is keyed by (date, partition count, partition): changing the number of partitions
/// starts a date afresh, which is safe because the run is idempotent.
/// </remarks>
public interface IDailyRunStore
{
    /// <summary>
    /// Takes a partition's lease for a date until <paramref name="until"/>: succeeds when the partition has no lease, its
    /// lease has expired (at <paramref name="now"/>), or it is already <paramref name="instance"/>'s; fails when another
    /// instance holds it or it has completed.
    /// </summary>
    /// <param name="runDate">The run's date.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="instance">The instance taking it.</param>
    /// <param name="now">Now.</param>
    /// <param name="until">When the lease ends unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the lease is now <paramref name="instance"/>'s.</returns>
    ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease this instance holds.</summary>
    /// <param name="runDate">The run's date.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="instance">The instance holding it.</param>
    /// <param name="until">The new end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the lease is no longer this instance's (it expired and another took it): stop working on the partition.</returns>
    ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default);

    /// <summary>Records a partition as completed with its result, if the lease is still the result's instance's.</summary>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the lease was lost (the result is not recorded; the instance that holds it records its own).</returns>
    ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default);

    /// <summary>Gets a date's completed partitions, for a number of partitions.</summary>
    /// <param name="runDate">The date.</param>
    /// <param name="partitions">How many partitions the date is split into.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, by partition index.</returns>
    ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default);

    /// <summary>Forgets a date's leases and results, so that the date runs again (on purpose: it is idempotent).</summary>
    /// <param name="runDate">The date.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are gone.</returns>
    ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default);

    /// <summary>Gets the latest date on or before <paramref name="onOrBefore"/> whose partitions have all completed, for a number of partitions.</summary>
    /// <param name="partitions">How many partitions.</param>
    /// <param name="onOrBefore">The latest date to consider.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The date; null when no date has completed.</returns>
    ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IDailyRunStore"/>: in memory, for one process; gone when it ends (so a restart runs today again, idempotently).</summary>
public sealed class InMemoryDailyRunStore : IDailyRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(LocalDate Date, int Count, int Index), Entry> _entries = [];

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default)
    {
        DailyRunStoreRules.RequireLease(instance, now, until);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (runDate, partition.Count, partition.Index);
            if (_entries.TryGetValue(key, out var entry) && (entry.Result is not null || (entry.Instance != instance && entry.Until > now)))
            {
                return ValueTask.FromResult(false);
            }

            _entries[key] = new Entry(instance, until, null);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (runDate, partition.Count, partition.Index);
            if (!_entries.TryGetValue(key, out var entry) || entry.Instance != instance || entry.Result is not null)
            {
                return ValueTask.FromResult(false);
            }

            _entries[key] = entry with { Until = until };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (result.Date, result.Partition.Count, result.Partition.Index);
            if (!_entries.TryGetValue(key, out var entry) || entry.Instance != result.Instance || entry.Result is not null)
            {
                return ValueTask.FromResult(false);
            }

            _entries[key] = entry with { Result = result };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_entries
                .Where(e => e.Key.Date == runDate && e.Key.Count == partitions && e.Value.Result is not null)
                .OrderBy(static e => e.Key.Index)
                .Select(static e => e.Value.Result!)
                .ToImmutableArray());
        }
    }

    /// <inheritdoc/>
    public ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k.Date == runDate).ToList())
            {
                _entries.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var dates = _entries
                .Where(e => e.Key.Count == partitions && e.Key.Date <= onOrBefore && e.Value.Result is not null)
                .GroupBy(static e => e.Key.Date)
                .Where(g => g.Count() == partitions)
                .Select(static g => (LocalDate?)g.Key);
            return ValueTask.FromResult(dates.DefaultIfEmpty(null).Max());
        }
    }

    private sealed record Entry(string Instance, Instant Until, PartitionResult? Result);
}

/// <summary>The argument rules every run store applies, public so that a host's own store applies the same ones.</summary>
public static class DailyRunStoreRules
{
    /// <summary>Checks a lease request.</summary>
    /// <param name="instance">The instance; not empty.</param>
    /// <param name="now">Now.</param>
    /// <param name="until">The lease's end; after <paramref name="now"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="instance"/> is empty, or <paramref name="until"/> is not after <paramref name="now"/>.</exception>
    public static void RequireLease(string instance, Instant now, Instant until)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instance);
        if (until <= now)
        {
            throw new ArgumentException($"A lease must end after now ({now}); it ends at {until}.", nameof(until));
        }
    }
}
