using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// Feedback items in SQLite, one row per feedback id. Adding is idempotent (INSERT … ON CONFLICT DO NOTHING, then the
/// stored row is compared); completing and resolving read, change and write the item in one IMMEDIATE transaction, so
/// concurrent changes to one item never lose each other. Thread-safe; processes may share the file.
/// </summary>
internal sealed class SqliteFeedbackStore(SqliteDatabase database) : IFeedbackStore
{
    public async ValueTask<FeedbackItem> AddAsync(FeedbackItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO feedback (id, customer, received, open, next_due, body) VALUES ($id, $customer, $received, $open, $due, $body)
                ON CONFLICT (id) DO NOTHING
                """;
            Bind(insert, item);
            if (insert.ExecuteNonQuery() == 1)
            {
                transaction.Commit();
                return item;
            }

            var stored = Read(connection, transaction, item.Feedback.Id)!;
            transaction.Commit();
            return stored.Feedback == item.Feedback
                ? stored
                : throw new InvalidOperationException($"Feedback {item.Feedback.Id} is already stored with other content; feedback ids must be unique.");
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<FeedbackItem?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Read(connection, null, id);
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public ValueTask<FeedbackItem> CompleteAsync(string id, FeedbackActionKind kind, LocalDate day, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, item => item.Complete(kind, day), cancellationToken);

    public ValueTask<FeedbackItem> ResolveAsync(string id, LocalDate day, string resolution, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, item => item.Resolve(day, resolution), cancellationToken);

    public async ValueTask<IReadOnlyList<FeedbackItem>> OpenAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        var items = await QueryAsync("SELECT body FROM feedback WHERE open = 1 AND received <= $a", Days.Of(asOf), null, cancellationToken).ConfigureAwait(false);
        return [.. FeedbackQueries.ByPriority(items, asOf)];
    }

    public async ValueTask<IReadOnlyList<FeedbackItem>> OverdueAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        var items = await QueryAsync("SELECT body FROM feedback WHERE next_due < $a", Days.Of(asOf), null, cancellationToken).ConfigureAwait(false);
        return [.. FeedbackQueries.ByLateness(items, asOf)];
    }

    public async ValueTask<IReadOnlyList<FeedbackItem>> ReceivedAsync(LocalDate first, LocalDate last, CancellationToken cancellationToken = default)
    {
        if (last < first)
        {
            throw new ArgumentException($"last ({last:uuuu-MM-dd}) must not be before first ({first:uuuu-MM-dd}).", nameof(last));
        }

        return await QueryAsync("SELECT body FROM feedback WHERE received >= $a AND received <= $b ORDER BY received, id", Days.Of(first), Days.Of(last), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<FeedbackItem> ChangeAsync(string id, Func<FeedbackItem, FeedbackItem> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock before the read
            var item = Read(connection, transaction, id) ?? throw new KeyNotFoundException($"No feedback item has the id {id}.");
            var changed = change(item);
            if (!ReferenceEquals(changed, item))
            {
                using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = "UPDATE feedback SET customer = $customer, received = $received, open = $open, next_due = $due, body = $body WHERE id = $id";
                Bind(update, changed);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
            return changed;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    private async ValueTask<IReadOnlyList<FeedbackItem>> QueryAsync(string sql, long a, long? b, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$a", a);
            if (b is { } second)
            {
                command.Parameters.AddWithValue("$b", second);
            }

            var items = new List<FeedbackItem>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items.Add(RecordJson.ReadFeedback(reader.GetString(0)));
            }

            return items;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    private static FeedbackItem? Read(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT body FROM feedback WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string body ? RecordJson.ReadFeedback(body) : null;
    }

    private static void Bind(SqliteCommand command, FeedbackItem item)
    {
        var pending = item.Actions.Where(a => a.IsPending).Select(a => (LocalDate?)a.Due).Min();
        command.Parameters.AddWithValue("$id", item.Feedback.Id);
        command.Parameters.AddWithValue("$customer", item.Feedback.Customer.Value);
        command.Parameters.AddWithValue("$received", Days.Of(item.Feedback.ReceivedOn));
        command.Parameters.AddWithValue("$open", item.IsOpen ? 1 : 0);
        command.Parameters.AddWithValue("$due", pending is { } due ? Days.Of(due) : DBNull.Value);
        command.Parameters.AddWithValue("$body", RecordJson.Write(item));
    }
}
