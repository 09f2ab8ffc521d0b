using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Hosting;

/// <summary>One customer's data for a day: the measures to score and the facts the playbooks read.</summary>
/// <param name="Snapshot">The measures (Scoring); its date is the run's date.</param>
/// <param name="State">
/// The playbook facts (Playbooks); the run fills in <see cref="CustomerState.Score"/> and, when the history has it,
/// <see cref="CustomerState.RetentionScoreChange"/>, so the source leaves them empty.
/// </param>
public sealed record CustomerDay(CustomerSnapshot Snapshot, CustomerState State);

/// <summary>
/// Where the daily run reads the customers, implemented by the host (a query over its own database, a file, an API).
/// Called once per partition a run takes, possibly on several instances at once; each customer once per date.
/// </summary>
/// <remarks>
/// A source may select only the partition's customers (<see cref="RunPartition.Contains"/>, or the same hash in SQL);
/// the run skips any it returns from other partitions, so returning everyone is correct, only slower. Registered scoped
/// or transient, it is resolved in the run's scope.
/// </remarks>
public interface ICustomerDataSource
{
    /// <summary>Reads a partition's customers as they stood on a date.</summary>
    /// <param name="runDate">The run's date.</param>
    /// <param name="partition">The partition being run.</param>
    /// <param name="cancellationToken">Cancels the read (host shutdown).</param>
    /// <returns>The customers, each once.</returns>
    IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one customer as they stood on a date, for the runs of a single customer (<see cref="DailyRun.RunCustomerAsync"/>:
    /// steps sent at their own time by RetentionKit.Orleans' reminders). The default reads the customer's partition of
    /// 1,024 and picks the customer out: correct for every source, but a source over a database should answer it with
    /// a query for the one customer.
    /// </summary>
    /// <param name="runDate">The date.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The customer's day; null when the source does not have the customer on the date.</returns>
    async ValueTask<CustomerDay?> ReadCustomerAsync(LocalDate runDate, CustomerId customer, CancellationToken cancellationToken)
    {
        const int Slices = 1024;
        await foreach (var day in ReadAsync(runDate, new RunPartition(RunPartition.Of(customer, Slices), Slices), cancellationToken).ConfigureAwait(false))
        {
            if (day.Snapshot.Customer == customer)
            {
                return day;
            }
        }

        return null;
    }
}
