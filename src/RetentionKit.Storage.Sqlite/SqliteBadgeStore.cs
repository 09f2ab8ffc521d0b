using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Loyalty.Badges;

namespace RetentionKit.Storage.Sqlite;

/// <summary>Badges in SQLite: INSERT … ON CONFLICT DO NOTHING under the key (member, badge), so the first award stands. Thread-safe; processes may share the file.</summary>
internal sealed class SqliteBadgeStore(SqliteDatabase database) : IBadgeStore
{
    public async ValueTask<bool> TryAwardAsync(BadgeAward award, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(award);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO badges (member, badge, awarded_at, awarded_ns, points) VALUES ($member, $badge, $at, $ns, $points)
                ON CONFLICT (member, badge) DO NOTHING
                """;
            var ticks = award.AwardedAt.ToUnixTimeTicks();
            command.Parameters.AddWithValue("$member", award.Member.Value);
            command.Parameters.AddWithValue("$badge", award.Badge);
            command.Parameters.AddWithValue("$at", ticks);
            command.Parameters.AddWithValue("$ns", (award.AwardedAt - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds);
            command.Parameters.AddWithValue("$points", award.Points);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }

    public async ValueTask<IReadOnlyList<BadgeAward>> GetAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT badge, awarded_at, awarded_ns, points FROM badges WHERE member = $member ORDER BY awarded_at, awarded_ns, badge";
            command.Parameters.AddWithValue("$member", member.Value);
            var awards = new List<BadgeAward>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                awards.Add(new BadgeAward(member, reader.GetString(0), Instant.FromUnixTimeTicks(reader.GetInt64(1)).PlusNanoseconds(reader.GetInt64(2)), reader.GetInt64(3)));
            }

            return awards;
        }
        catch (SqliteException ex) when (SqliteDatabase.IsBusy(ex))
        {
            throw database.Busy(ex);
        }
    }
}
