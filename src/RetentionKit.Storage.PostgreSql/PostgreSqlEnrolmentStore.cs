using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using RetentionKit.Playbooks;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// Playbook enrolments in PostgreSQL, upserted by id under the primary key (customer, id): saving the same enrolment
/// twice leaves one row, and the steps it records are written with it. A customer's enrolments come back in the order
/// they started (then by playbook id).
/// </summary>
internal sealed class PostgreSqlEnrolmentStore(PostgreSqlDatabase database) : IEnrolmentStore
{
    private readonly string _get = $"SELECT body::text FROM {database.Schema}.enrolments WHERE customer = $1 ORDER BY started_day, playbook COLLATE \"C\"";
    private readonly string _save = $"""
        INSERT INTO {database.Schema}.enrolments (customer, id, started_day, playbook, body) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (customer, id) DO UPDATE SET body = excluded.body
        """;

    public async ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_get, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customer.Value });
        var enrolments = ImmutableArray.CreateBuilder<Enrolment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            enrolments.Add(RecordJson.ReadEnrolment(reader.GetString(0)));
        }

        return enrolments.ToImmutable();
    }

    public async ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_save, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = enrolment.Customer.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = enrolment.Id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(enrolment.StartedOn)) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = enrolment.Playbook });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = RecordJson.Write(enrolment) });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
