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

    /// <summary>Gets a customer's records from one date to another, both included, oldest first.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="firstDate">The first date.</param>
    /// <param name="lastDate">The last date.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records, oldest first; empty when there are none.</returns>
    ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default);
}
