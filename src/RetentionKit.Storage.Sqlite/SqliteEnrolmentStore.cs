using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// Playbook enrolments in SQLite, upserted by id under the primary key (customer, id): saving the same enrolment twice
/// leaves one row, and the steps it records are written with it. A customer's enrolments come back in the order they
/// started (then by playbook id). Thread-safe; processes may share the file.
/// </summary>
internal sealed class SqliteEnrolmentStore(SqliteDatabase database) : IEnrolmentStore
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    public async ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM enrolments WHERE customer = $customer ORDER BY started_day, playbook";
            command.Parameters.AddWithValue("$customer", customer.Value);
            var enrolments = ImmutableArray.CreateBuilder<Enrolment>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                enrolments.Add(RecordJson.ReadEnrolment(reader.GetString(0)));
            }

            return enrolments.ToImmutable();
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO enrolments (customer, id, started_day, playbook, body) VALUES ($customer, $id, $day, $playbook, $body)
                ON CONFLICT (customer, id) DO UPDATE SET body = excluded.body
                """;
            command.Parameters.AddWithValue("$customer", enrolment.Customer.Value);
            command.Parameters.AddWithValue("$id", enrolment.Id);
            command.Parameters.AddWithValue("$day", Period.Between(Epoch, enrolment.StartedOn, PeriodUnits.Days).Days);
            command.Parameters.AddWithValue("$playbook", enrolment.Playbook);
            command.Parameters.AddWithValue("$body", RecordJson.Write(enrolment));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }
}
