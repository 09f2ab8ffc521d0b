using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;

namespace RetentionKit.Playbooks;

/// <summary>Where enrolments are kept between runs. A database store keys them by <see cref="Enrolment.Id"/>.</summary>
public interface IEnrolmentStore
{
    /// <summary>Gets every enrolment of a customer, active and ended.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enrolments, oldest start first.</returns>
    ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default);

    /// <summary>Adds an enrolment, or replaces the one with the same <see cref="Enrolment.Id"/>.</summary>
    /// <param name="enrolment">The enrolment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IEnrolmentStore"/>: in memory, thread-safe, gone when the process ends.</summary>
public sealed class InMemoryEnrolmentStore : IEnrolmentStore
{
    private readonly ConcurrentDictionary<CustomerId, ImmutableArray<Enrolment>> _byCustomer = new();

    /// <inheritdoc/>
    public ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_byCustomer.TryGetValue(customer, out var enrolments) ? enrolments : []);
    }

    /// <inheritdoc/>
    public ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        cancellationToken.ThrowIfCancellationRequested();
        _byCustomer.AddOrUpdate(
            enrolment.Customer,
            static (_, e) => [e],
            static (_, existing, e) =>
            {
                var id = e.Id;
                for (var i = 0; i < existing.Length; i++)
                {
                    if (string.Equals(existing[i].Id, id, StringComparison.Ordinal))
                    {
                        return existing.SetItem(i, e);
                    }
                }

                var added = existing.Add(e);
                return added.Sort(static (a, b) => a.StartedOn != b.StartedOn ? a.StartedOn.CompareTo(b.StartedOn) : string.CompareOrdinal(a.Playbook, b.Playbook));
            },
            enrolment);
        return ValueTask.CompletedTask;
    }

    /// <summary>Gets every customer with at least one enrolment.</summary>
    public IEnumerable<CustomerId> Customers => _byCustomer.Keys;
}
