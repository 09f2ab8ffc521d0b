using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Internal;

namespace RetentionKit.Scoring.History;

/// <summary>The default override store: one override per customer, in memory, thread-safe.</summary>
internal sealed class InMemoryScoreOverrideStore : IScoreOverrideStore
{
    private readonly ConcurrentDictionary<CustomerId, ScoreOverride> _overrides = new();

    public ValueTask SetAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scoreOverride);
        cancellationToken.ThrowIfCancellationRequested();
        _overrides[scoreOverride.Customer] = scoreOverride;
        return ValueTask.CompletedTask;
    }

    public ValueTask<ScoreOverride?> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        Guard.Valid(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_overrides.TryGetValue(customer, out var value) ? value : null);
    }

    public ValueTask<bool> RemoveAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        Guard.Valid(customer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_overrides.TryRemove(customer, out _));
    }
}
