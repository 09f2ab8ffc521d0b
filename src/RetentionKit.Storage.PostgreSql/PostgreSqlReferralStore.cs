using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Storage.Internal;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>
/// Referrers and referrals in PostgreSQL. RI-1 (one code per referrer, one referrer per code) and RI-5 (one referral
/// per referred customer) rest on the primary keys and the unique code: an insert that would break one does nothing,
/// whichever instance races it. An update is one statement conditional on the version. The records are JSON (jsonb).
/// </summary>
internal sealed class PostgreSqlReferralStore(PostgreSqlDatabase database) : IReferralStore
{
    private readonly string _schema = database.Schema;

    public async ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ReferralStoreRules.RequireFirstVersion(account.Version, nameof(account));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // ON CONFLICT DO NOTHING without a target covers both unique keys; which one held is read afterwards.
        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.referrers (referrer, code, version, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Referrer.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Code.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = account.Version });
        command.Parameters.Add(Json(RecordJson.Write(account)));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
        {
            return AddReferrerStatus.Added;
        }

        await using var which = new NpgsqlCommand($"SELECT 1 FROM {_schema}.referrers WHERE referrer = $1", connection);
        which.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account.Referrer.Value });
        return await which.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null ? AddReferrerStatus.ReferrerExists : AddReferrerStatus.CodeTaken;
    }

    public async ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default) =>
        await FindAsync($"SELECT body::text FROM {_schema}.referrers WHERE referrer = $1", referrer.Value, RecordJson.ReadReferrer, cancellationToken).ConfigureAwait(false);

    public async ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default) =>
        await FindAsync($"SELECT body::text FROM {_schema}.referrers WHERE code = $1", code.Value, RecordJson.ReadReferrer, cancellationToken).ConfigureAwait(false);

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
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"INSERT INTO {_schema}.referrals (referred, referrer, code, version, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (referred) DO NOTHING", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referral.Referred.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referral.Referrer.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referral.Code.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = referral.Version });
        command.Parameters.Add(Json(RecordJson.Write(referral)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default) =>
        await FindAsync($"SELECT body::text FROM {_schema}.referrals WHERE referred = $1", referred.Value, RecordJson.ReadReferral, cancellationToken).ConfigureAwait(false);

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
        AllAsync($"SELECT body::text FROM {_schema}.referrers ORDER BY referrer COLLATE \"C\"", RecordJson.ReadReferrer, cancellationToken);

    public IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default) =>
        AllAsync($"SELECT body::text FROM {_schema}.referrals ORDER BY referred COLLATE \"C\"", RecordJson.ReadReferral, cancellationToken);

    private static NpgsqlParameter Json(string body) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = body };

    /// <summary>
    /// One conditional update: the row at the expected version is locked and compared, then written; false when the row
    /// is missing or not at the expected version; the error from <paramref name="identityChanged"/> when the columns
    /// that must never change differ from the record's.
    /// </summary>
    private async ValueTask<bool> TryUpdateAsync(string table, string key, string identity, string id, string expectedIdentity, long expectedVersion, long version, string body, Func<ArgumentException> identityChanged, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand($"SELECT version, {identity} FROM {_schema}.{table} WHERE {key} = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) != expectedVersion)
            {
                return false;
            }

            if (!string.Equals(reader.GetString(1), expectedIdentity, StringComparison.Ordinal))
            {
                throw identityChanged();
            }
        }

        await using (var write = new NpgsqlCommand($"UPDATE {_schema}.{table} SET version = $1, body = $2 WHERE {key} = $3", connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
            write.Parameters.Add(Json(body));
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<T?> FindAsync<T>(string sql, string id, Func<string, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string body ? read(body) : null;
    }

    private async IAsyncEnumerable<T> AllAsync<T>(string sql, Func<string, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return read(reader.GetString(0));
        }
    }
}
