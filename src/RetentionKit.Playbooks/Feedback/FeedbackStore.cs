using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>Keeps feedback items and their actions: what is open, by priority, and what is late.</summary>
/// <remarks>Every change is atomic per item; adding the same item twice is harmless (idempotent on the feedback's id).</remarks>
public interface IFeedbackStore
{
    /// <summary>Adds an analysed item; the stored item when one with the same feedback id is already there.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored item.</returns>
    /// <exception cref="InvalidOperationException">An item with the same id but other feedback is stored.</exception>
    ValueTask<FeedbackItem> AddAsync(FeedbackItem item, CancellationToken cancellationToken = default);

    /// <summary>Returns an item, or null.</summary>
    /// <param name="id">The feedback's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The item, or null.</returns>
    ValueTask<FeedbackItem?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Marks an action of an item done (see <see cref="FeedbackItem.Complete"/>).</summary>
    /// <param name="id">The feedback's id.</param>
    /// <param name="kind">The action.</param>
    /// <param name="day">The day it was done.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The item as stored now.</returns>
    /// <exception cref="KeyNotFoundException">No item has that id.</exception>
    ValueTask<FeedbackItem> CompleteAsync(string id, FeedbackActionKind kind, LocalDate day, CancellationToken cancellationToken = default);

    /// <summary>Resolves an item (see <see cref="FeedbackItem.Resolve"/>).</summary>
    /// <param name="id">The feedback's id.</param>
    /// <param name="day">The day it was resolved.</param>
    /// <param name="resolution">What was done, as told to the customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The item as stored now.</returns>
    /// <exception cref="KeyNotFoundException">No item has that id.</exception>
    ValueTask<FeedbackItem> ResolveAsync(string id, LocalDate day, string resolution, CancellationToken cancellationToken = default);

    /// <summary>Returns the open items, highest priority on the day first (ties: older first, then by id).</summary>
    /// <param name="asOf">The day the priorities are taken on.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open items received on or before the day.</returns>
    ValueTask<IReadOnlyList<FeedbackItem>> OpenAsync(LocalDate asOf, CancellationToken cancellationToken = default);

    /// <summary>Returns the items with an action pending and due before a day, the longest late first.</summary>
    /// <param name="asOf">The day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    ValueTask<IReadOnlyList<FeedbackItem>> OverdueAsync(LocalDate asOf, CancellationToken cancellationToken = default);

    /// <summary>Returns the items received in a range of days, in order of arrival.</summary>
    /// <param name="first">The first day.</param>
    /// <param name="last">The last day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    ValueTask<IReadOnlyList<FeedbackItem>> ReceivedAsync(LocalDate first, LocalDate last, CancellationToken cancellationToken = default);
}

/// <summary>The in-memory feedback store: for tests and single-process hosts that do not need the items after a restart.</summary>
public sealed class InMemoryFeedbackStore : IFeedbackStore
{
    private readonly Dictionary<string, FeedbackItem> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<FeedbackItem> AddAsync(FeedbackItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            if (_items.TryGetValue(item.Feedback.Id, out var stored))
            {
                return stored.Feedback == item.Feedback
                    ? ValueTask.FromResult(stored)
                    : throw new InvalidOperationException($"Feedback {item.Feedback.Id} is already stored with other content; feedback ids must be unique.");
            }

            _items.Add(item.Feedback.Id, item);
            return ValueTask.FromResult(item);
        }
    }

    /// <inheritdoc />
    public ValueTask<FeedbackItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return ValueTask.FromResult(_items.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<FeedbackItem> CompleteAsync(string id, FeedbackActionKind kind, LocalDate day, CancellationToken cancellationToken = default) =>
        Change(id, item => item.Complete(kind, day));

    /// <inheritdoc />
    public ValueTask<FeedbackItem> ResolveAsync(string id, LocalDate day, string resolution, CancellationToken cancellationToken = default) =>
        Change(id, item => item.Resolve(day, resolution));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<FeedbackItem>> OpenAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<FeedbackItem> open = [.. FeedbackQueries.ByPriority(_items.Values.Where(i => i.IsOpen && i.Feedback.ReceivedOn <= asOf), asOf)];
            return ValueTask.FromResult(open);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<FeedbackItem>> OverdueAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<FeedbackItem> late = [.. FeedbackQueries.ByLateness(_items.Values, asOf)];
            return ValueTask.FromResult(late);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<FeedbackItem>> ReceivedAsync(LocalDate first, LocalDate last, CancellationToken cancellationToken = default)
    {
        if (last < first)
        {
            throw new ArgumentException($"last ({last:uuuu-MM-dd}) must not be before first ({first:uuuu-MM-dd}).", nameof(last));
        }

        lock (_gate)
        {
            IReadOnlyList<FeedbackItem> received = [.. _items.Values
                .Where(i => i.Feedback.ReceivedOn >= first && i.Feedback.ReceivedOn <= last)
                .OrderBy(i => i.Feedback.ReceivedOn).ThenBy(i => i.Feedback.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(received);
        }
    }

    private ValueTask<FeedbackItem> Change(string id, Func<FeedbackItem, FeedbackItem> change)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_items.TryGetValue(id, out var item))
            {
                throw new KeyNotFoundException($"No feedback item has the id {id}.");
            }

            var changed = change(item);
            _items[id] = changed;
            return ValueTask.FromResult(changed);
        }
    }
}

/// <summary>The orderings of <see cref="IFeedbackStore"/>'s queries, for stores to share (a host's own store included).</summary>
public static class FeedbackQueries
{
    /// <summary>Orders items as <see cref="IFeedbackStore.OpenAsync"/> does: highest priority on the day first, then older, then by id.</summary>
    /// <param name="items">The items, received on or before <paramref name="asOf"/>.</param>
    /// <param name="asOf">The day the priorities are taken on.</param>
    /// <returns>The items in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public static IEnumerable<FeedbackItem> ByPriority(IEnumerable<FeedbackItem> items, LocalDate asOf) =>
        (items ?? throw new ArgumentNullException(nameof(items))).OrderByDescending(i => i.PriorityOn(asOf)).ThenBy(i => i.Feedback.ReceivedOn).ThenBy(i => i.Feedback.Id, StringComparer.Ordinal);

    /// <summary>Keeps and orders items as <see cref="IFeedbackStore.OverdueAsync"/> does: those with an action pending and due before the day, the earliest due first, then by id.</summary>
    /// <param name="items">The items.</param>
    /// <param name="asOf">The day.</param>
    /// <returns>The late items in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public static IEnumerable<FeedbackItem> ByLateness(IEnumerable<FeedbackItem> items, LocalDate asOf) =>
        (items ?? throw new ArgumentNullException(nameof(items))).Select(i => (Item: i, Late: i.OverdueOn(asOf)))
            .Where(x => !x.Late.IsEmpty)
            .OrderBy(x => x.Late.Min(a => a.Due)).ThenBy(x => x.Item.Feedback.Id, StringComparer.Ordinal)
            .Select(x => x.Item);
}
