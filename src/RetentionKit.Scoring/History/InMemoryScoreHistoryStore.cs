using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Scoring.History;

/// <summary>
/// The default score history: a sorted list of records per customer, in memory, thread-safe. For one process and for
/// tests; a host that restarts, or runs on several machines, registers a durable store (SQLite, PostgreSQL).
/// </summary>
public sealed class InMemoryScoreHistoryStore : IScoreHistoryStore
{
    private readonly ConcurrentDictionary<CustomerId, SortedList<LocalDate, ScoreRecord>> _records = new();

    /// <inheritdoc/>
    public ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var list = _records.GetOrAdd(record.Customer, _ => []);
        lock (list)
        {
            list[record.Date] = record;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default)
    {
        Guard.Valid(customer);
        if (lastDate < firstDate)
        {
            throw new ArgumentOutOfRangeException(nameof(lastDate), lastDate, $"lastDate must not be before firstDate ({firstDate:uuuu-MM-dd}).");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_records.TryGetValue(customer, out var list))
        {
            return ValueTask.FromResult<IReadOnlyList<ScoreRecord>>([]);
        }

        lock (list)
        {
            return ValueTask.FromResult<IReadOnlyList<ScoreRecord>>([.. list.Values.Where(r => r.Date >= firstDate && r.Date <= lastDate)]);
        }
    }
}
