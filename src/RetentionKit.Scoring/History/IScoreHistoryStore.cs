using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace RetentionKit.Scoring;

/// <summary>Keeps customers' daily score records (S6). The default keeps them in memory; a host supplies a durable one.</summary>
/// <remarks>Implementations must be thread-safe. One record per customer and date: recording a date again replaces it.</remarks>
public interface IScoreHistoryStore
{
    /// <summary>Records a day's scores, replacing any record of the same customer and date.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records many records at once (a day's scores for the whole base), each replacing any record of the same
    /// customer and date; a later record of the same customer and date in <paramref name="records"/> wins. Durable
    /// stores write them in bulk (one transaction, or COPY); the default records them one by one.
    /// </summary>
    /// <param name="records">The records; none null (checked before anything is written).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every record is stored.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="records"/> holds a null record; nothing was written.</exception>
    async ValueTask RecordManyAsync(IEnumerable<ScoreRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var record in ScoreHistoryRules.RequireRecords(records))
        {
            await RecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gets a customer's records from one date to another, both included, oldest first.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="firstDate">The first date.</param>
    /// <param name="lastDate">The last date.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records, oldest first; empty when there are none.</returns>
    ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default);
}

/// <summary>The argument rules every score-history store applies, public so that a host's own store applies the same ones.</summary>
public static class ScoreHistoryRules
{
    /// <summary>Materialises a bulk write's records, refusing null ones before anything is written.</summary>
    /// <param name="records">The records.</param>
    /// <returns>The records, as a list.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="records"/> is null.</exception>
    /// <exception cref="System.ArgumentException">A record is null (the message gives its position).</exception>
    public static IReadOnlyList<ScoreRecord> RequireRecords(IEnumerable<ScoreRecord> records)
    {
        System.ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<ScoreRecord> ?? [.. records];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new System.ArgumentException($"records[{i}] is null; every record must be given. Nothing was written.", nameof(records));
            }
        }

        return list;
    }
}
