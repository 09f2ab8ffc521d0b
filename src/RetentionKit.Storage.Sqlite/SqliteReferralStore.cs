using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.Sqlite;

/// <summary>
/// Referrers and referrals in SQLite. RI-1 (one code per referrer, one referrer per code) and RI-5 (one referral per
/// referred customer) rest on the tables' primary keys and the unique code; an update is one IMMEDIATE transaction
/// conditional on the version read. The records are JSON beside their keys. Thread-safe; processes may share the file.
/// </summary>
internal sealed class SqliteReferralStore(SqliteDatabase database) : IReferralStore
{
    public async ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ReferralStoreRules.RequireFirstVersion(account.Version, nameof(account));
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (Scalar(connection, transaction, "SELECT 1 FROM referrers WHERE referrer = $id", account.Referrer.Value) is not null)
            {
                return AddReferrerStatus.ReferrerExists;
            }

            if (Scalar(connection, transaction, "SELECT 1 FROM referrers WHERE code = $id", account.Code.Value) is not null)
            {
                return AddReferrerStatus.CodeTaken;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO referrers (referrer, code, version, body) VALUES ($referrer, $code, $version, $body)";
            command.Parameters.AddWithValue("$referrer", account.Referrer.Value);
            command.Parameters.AddWithValue("$code", account.Code.Value);
            command.Parameters.AddWithValue("$version", account.Version);
            command.Parameters.AddWithValue("$body", RecordJson.Write(account));
            command.ExecuteNonQuery();
            transaction.Commit();
            return AddReferrerStatus.Added;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default) =>
        await FindAsync("SELECT body FROM referrers WHERE referrer = $id", referrer.Value, RecordJson.ReadReferrer, cancellationToken).ConfigureAwait(false);

    public async ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default) =>
        await FindAsync("SELECT body FROM referrers WHERE code = $id", code.Value, RecordJson.ReadReferrer, cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ReferralStoreRules.RequireNextVersion(account.Version, expectedVersion, nameof(account));
        return await TryUpdateAsync(
            "referrers", "referrer", "code", account.Referrer.Value, account.Code.Value, expectedVersion, account.Version, RecordJson.Write(account),
            () => new ArgumentException("A referrer's code never changes (RI-1).", nameof(account)),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ReferralStoreRules.RequireFirstVersion(referral.Version, nameof(referral));
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO referrals (referred, referrer, code, version, body) VALUES ($referred, $referrer, $code, $version, $body) ON CONFLICT (referred) DO NOTHING";
            command.Parameters.AddWithValue("$referred", referral.Referred.Value);
            command.Parameters.AddWithValue("$referrer", referral.Referrer.Value);
            command.Parameters.AddWithValue("$code", referral.Code.Value);
            command.Parameters.AddWithValue("$version", referral.Version);
            command.Parameters.AddWithValue("$body", RecordJson.Write(referral));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default) =>
        await FindAsync("SELECT body FROM referrals WHERE referred = $id", referred.Value, RecordJson.ReadReferral, cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ReferralStoreRules.RequireNextVersion(referral.Version, expectedVersion, nameof(referral));
        return await TryUpdateAsync(
            "referrals", "referred", "referrer || ' ' || code", referral.Referred.Value, $"{referral.Referrer.Value} {referral.Code.Value}", expectedVersion, referral.Version, RecordJson.Write(referral),
            () => new ArgumentException("A referral's referrer and code never change (RI-5).", nameof(referral)),
            cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<ReferrerAccount> ReferrersAsync(CancellationToken cancellationToken = default) =>
        AllAsync("SELECT body FROM referrers ORDER BY referrer", RecordJson.ReadReferrer, cancellationToken);

    public IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default) =>
        AllAsync("SELECT body FROM referrals ORDER BY referred", RecordJson.ReadReferral, cancellationToken);

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, string id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar();
    }

    /// <summary>
    /// One conditional update in an IMMEDIATE transaction: false when the row is missing or not at the expected version;
    /// the error from <paramref name="identityChanged"/> when the columns that must never change (the code, the referrer)
    /// differ from the record's.
    /// </summary>
    private async ValueTask<bool> TryUpdateAsync(string table, string key, string identity, string id, string expectedIdentity, long expectedVersion, long version, string body, Func<ArgumentException> identityChanged, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT version, {identity} FROM {table} WHERE {key} = $id";
            command.Parameters.AddWithValue("$id", id);
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read() || reader.GetInt64(0) != expectedVersion)
                {
                    return false;
                }

                if (!string.Equals(reader.GetString(1), expectedIdentity, StringComparison.Ordinal))
                {
                    throw identityChanged();
                }
            }

            command.CommandText = $"UPDATE {table} SET version = $version, body = $body WHERE {key} = $id";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$body", body);
            command.ExecuteNonQuery();
            transaction.Commit();
            return true;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    private async ValueTask<T?> FindAsync<T>(string sql, string id, Func<string, T> read, CancellationToken cancellationToken)
        where T : class
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string body ? read(body) : null;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    private async IAsyncEnumerable<T> AllAsync<T>(string sql, Func<string, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return read(reader.GetString(0));
        }
    }
}
