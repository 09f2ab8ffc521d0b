using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// Feedback items in PostgreSQL, one row per feedback id. Adding is idempotent (INSERT … ON CONFLICT DO NOTHING, then
/// the stored row is compared); completing and resolving read the row FOR UPDATE, change the item and write it in one
/// transaction, so concurrent changes to one item never lose each other.
/// </summary>
internal sealed class PostgreSqlFeedbackStore(PostgreSqlDatabase database) : IFeedbackStore
{
    private readonly string _insert = $"""
        INSERT INTO {database.Schema}.feedback (id, customer, received, open, next_due, body) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO NOTHING
        """;

    private readonly string _update = $"UPDATE {database.Schema}.feedback SET customer = $2, received = $3, open = $4, next_due = $5, body = $6 WHERE id = $1";
    private readonly string _get = $"SELECT body::text FROM {database.Schema}.feedback WHERE id = $1";
    private readonly string _lock = $"SELECT body::text FROM {database.Schema}.feedback WHERE id = $1 FOR UPDATE";
    private readonly string _open = $"SELECT body::text FROM {database.Schema}.feedback WHERE open AND received <= $1";
    private readonly string _overdue = $"SELECT body::text FROM {database.Schema}.feedback WHERE next_due < $1";
    private readonly string _received = $"SELECT body::text FROM {database.Schema}.feedback WHERE received >= $1 AND received <= $2 ORDER BY received, id COLLATE \"C\"";

    public async ValueTask<FeedbackItem> AddAsync(FeedbackItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(_insert, connection))
        {
            Bind(insert, item);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return item;
            }
        }

        var stored = (await ReadAsync(connection, null, _get, item.Feedback.Id, cancellationToken).ConfigureAwait(false))!;
        return stored.Feedback == item.Feedback
            ? stored
            : throw new InvalidOperationException($"Feedback {item.Feedback.Id} is already stored with other content; feedback ids must be unique.");
    }

    public async ValueTask<FeedbackItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, _get, id, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<FeedbackItem> CompleteAsync(string id, FeedbackActionKind kind, LocalDate day, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, item => item.Complete(kind, day), cancellationToken);

    public ValueTask<FeedbackItem> ResolveAsync(string id, LocalDate day, string resolution, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, item => item.Resolve(day, resolution), cancellationToken);

    public async ValueTask<IReadOnlyList<FeedbackItem>> OpenAsync(LocalDate asOf, CancellationToken cancellationToken = default) =>
        [.. FeedbackQueries.ByPriority(await QueryAsync(_open, Days.Of(asOf), null, cancellationToken).ConfigureAwait(false), asOf)];

    public async ValueTask<IReadOnlyList<FeedbackItem>> OverdueAsync(LocalDate asOf, CancellationToken cancellationToken = default) =>
        [.. FeedbackQueries.ByLateness(await QueryAsync(_overdue, Days.Of(asOf), null, cancellationToken).ConfigureAwait(false), asOf)];

    public async ValueTask<IReadOnlyList<FeedbackItem>> ReceivedAsync(LocalDate first, LocalDate last, CancellationToken cancellationToken = default)
    {
        if (last < first)
        {
            throw new ArgumentException($"last ({last:uuuu-MM-dd}) must not be before first ({first:uuuu-MM-dd}).", nameof(last));
        }

        return await QueryAsync(_received, Days.Of(first), Days.Of(last), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<FeedbackItem> ChangeAsync(string id, Func<FeedbackItem, FeedbackItem> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var item = await ReadAsync(connection, transaction, _lock, id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No feedback item has the id {id}.");
        var changed = change(item);
        if (!ReferenceEquals(changed, item))
        {
            await using var update = new NpgsqlCommand(_update, connection, transaction);
            Bind(update, changed);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async ValueTask<List<FeedbackItem>> QueryAsync(string sql, long a, long? b, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)a) });
        if (b is { } second)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)second) });
        }

        var items = new List<FeedbackItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(RecordJson.ReadFeedback(reader.GetString(0)));
        }

        return items;
    }

    private static async ValueTask<FeedbackItem?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string body ? RecordJson.ReadFeedback(body) : null;
    }

    private static void Bind(NpgsqlCommand command, FeedbackItem item)
    {
        var pending = item.Actions.Where(a => a.IsPending).Select(a => (LocalDate?)a.Due).Min();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Feedback.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Feedback.Customer.Value });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(item.Feedback.ReceivedOn)) });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = item.IsOpen });
        command.Parameters.Add(pending is { } due
            ? new NpgsqlParameter<int> { TypedValue = checked((int)Days.Of(due)) }
            : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = RecordJson.Write(item) });
    }
}
