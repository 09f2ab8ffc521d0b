using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NodaTime;
using RetentionKit.Loyalty.Badges;

namespace RetentionKit.Storage.PostgreSql;

/// <summary>Badges in PostgreSQL: INSERT … ON CONFLICT DO NOTHING under the key (member, badge), so the first award stands.</summary>
internal sealed class PostgreSqlBadgeStore(PostgreSqlDatabase database) : IBadgeStore
{
    private readonly string _insert = $"""
        INSERT INTO {database.Schema}.badges (member, badge, awarded_at, awarded_ns, points) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (member, badge) DO NOTHING
        """;

    private readonly string _get = $"SELECT badge, awarded_at, awarded_ns, points FROM {database.Schema}.badges WHERE member = $1 ORDER BY awarded_at, awarded_ns, badge COLLATE \"C\"";

    public async ValueTask<bool> TryAwardAsync(BadgeAward award, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(award);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_insert, connection);
        var ticks = award.AwardedAt.ToUnixTimeTicks();
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = award.Member.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = award.Badge });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ticks });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (award.AwardedAt - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = award.Points });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<BadgeAward>> GetAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_get, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = member.Value });
        var awards = new List<BadgeAward>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            awards.Add(new BadgeAward(member, reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)).PlusNanoseconds(reader.GetInt32(2)), reader.GetInt64(3)));
        }

        return awards;
    }
}
