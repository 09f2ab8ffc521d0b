using System;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The programme's state kept between runs with <c>--db FILE</c>: the library's SQLite stores (ledger, referrals,
/// enrolments, score history) and the date the tool last ran through, kept in a table of the tool's own in the same
/// file. A run posts, enrols and delivers only what happened after that date; what came before is in the stores.
/// </summary>
internal sealed class ProgrammeState(string file, ILoyaltyLedgerStore ledger, IReferralStore referrals, IEnrolmentStore enrolments, IScoreHistoryStore history)
{
    private const string Table = "retentionkit_tool_runs";

    public string File { get; } = file;

    public ILoyaltyLedgerStore Ledger { get; } = ledger;

    public IReferralStore Referrals { get; } = referrals;

    public IEnrolmentStore Enrolments { get; } = enrolments;

    public IScoreHistoryStore History { get; } = history;

    /// <summary>The as-of date of the latest run kept in the file, or null for a new file.</summary>
    public LocalDate? LastAsOf()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT as_of FROM {Table} ORDER BY as_of DESC LIMIT 1";
        return command.ExecuteScalar() is string text ? LocalDatePattern.Iso.Parse(text).Value : null;
    }

    /// <summary>Refuses a run that would go back in time: the stores already hold what happened after its as-of date.</summary>
    public void RequireNotBefore(LocalDate asOf)
    {
        if (LastAsOf() is { } last && asOf < last)
        {
            throw new StateConflictException(string.Create(CultureInfo.InvariantCulture, $"--db: {File} has already run through {last:uuuu-MM-dd}; this run's as-of date {asOf:uuuu-MM-dd} is before it. Use another file for an earlier date."));
        }
    }

    /// <summary>Records that the programme ran through <paramref name="asOf"/>.</summary>
    public void Completed(LocalDate asOf)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {Table} (as_of) VALUES ($asOf) ON CONFLICT (as_of) DO NOTHING";
        command.Parameters.AddWithValue("$asOf", LocalDatePattern.Iso.Format(asOf));
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        // The library's schema first: the store refuses a file whose only table is not its own.
        RetentionKit.Storage.Sqlite.SqliteSchema.Migrate($"Data Source={File}");
        var connection = new SqliteConnection($"Data Source={File}");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = $"CREATE TABLE IF NOT EXISTS {Table} (as_of TEXT NOT NULL PRIMARY KEY)";
        create.ExecuteNonQuery();
        return connection;
    }
}

/// <summary>A run the kept state cannot take (its as-of date is before the state's); a usage error.</summary>
internal sealed class StateConflictException(string message) : Exception(message);
