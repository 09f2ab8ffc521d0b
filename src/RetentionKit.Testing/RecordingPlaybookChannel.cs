using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Playbooks;

namespace RetentionKit.Testing;

/// <summary>
/// A fake <see cref="IPlaybookChannel"/> for a host's tests: it records every delivery, honours the idempotency key the
/// way a real channel should (a key seen before is counted as a repeat, not a second message) and can be told to fail
/// for chosen deliveries, to test retries and fault isolation. Thread-safe.
/// </summary>
/// <param name="channel">The channel it stands for.</param>
public sealed class RecordingPlaybookChannel(PlaybookChannel channel) : IPlaybookChannel
{
    private readonly Lock _gate = new();
    private readonly List<StepDelivery> _attempts = [];
    private readonly Dictionary<string, StepDelivery> _delivered = new(StringComparer.Ordinal);
    private Func<StepDelivery, Exception?>? _failure;
    private int _failed;

    /// <inheritdoc />
    public PlaybookChannel Channel { get; } = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>Gets every call, repeats and failures included, in order.</summary>
    public ImmutableArray<StepDelivery> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Gets the messages a customer would have received: one per idempotency key, the first call of each, in order.</summary>
    public ImmutableArray<StepDelivery> Delivered
    {
        get
        {
            lock (_gate)
            {
                return [.. _delivered.Values];
            }
        }
    }

    /// <summary>Gets how many calls repeated a key already delivered (harmless when the key is honoured).</summary>
    public int Repeats
    {
        get
        {
            lock (_gate)
            {
                return _attempts.Count - _delivered.Count - _failed;
            }
        }
    }

    /// <summary>Makes the channel fail, from now on, for the deliveries <paramref name="failure"/> returns an exception for (null to deliver).</summary>
    /// <param name="failure">Decides per delivery; null stops failing.</param>
    public void FailWhen(Func<StepDelivery, Exception?>? failure)
    {
        lock (_gate)
        {
            _failure = failure;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="delivery"/> is null.</exception>
    public ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _attempts.Add(delivery);
            if (_failure?.Invoke(delivery) is { } error)
            {
                _failed++;
                return ValueTask.FromException(error);
            }

            _delivered.TryAdd(delivery.IdempotencyKey, delivery);
            return ValueTask.CompletedTask;
        }
    }
}
