using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RetentionKit.Cli.Commands;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>
/// <c>analyze --db FILE</c>: the programme's state kept in SQLite between runs. The same data again posts, enrols and
/// delivers nothing new; more data (a later as-of date) continues from the stored state and ends where one run over all
/// of it ends; an earlier as-of date than the file has run through is refused.
/// </summary>
public sealed class KeptStateTests : IDisposable
{
    private readonly CliWorkspace _workspace = new("rk-kept-");

    private string Dir => _workspace.Dir;

    public void Dispose() => _workspace.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args) => _workspace.Run(args);

    private JsonElement Analyze(string data, string? db)
    {
        var (code, output, error) = db is null
            ? Run("analyze", "--data", data, "--out", "report-" + Guid.NewGuid().ToString("N"), "--json")
            : Run("analyze", "--data", data, "--db", db, "--out", "report-" + Guid.NewGuid().ToString("N"), "--json");
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private long Count(string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Dir, "state.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void Analyze_WithDb_MoreDataContinues_TheSameDataAgainAddsNothing_AnEarlierDateIsRefused()
    {
        Assert.Equal(0, Run("simulate", "--customers", "160", "--months", "9", "--seed", "11", "--out", "full").Code);
        var months = File.ReadLines(Path.Combine(Dir, "full", "activity.csv")).Skip(1).Select(l => l.Split(',')[1][..7]).Distinct().Order(StringComparer.Ordinal).ToList();
        Truncate("full", "part", months[5]);

        var first = Analyze("part", "state.db");
        var entriesAfterFirst = Count("ledger_entries");
        var continued = Analyze("full", "state.db");
        var entriesAfterContinued = Count("ledger_entries");
        var enrolmentsAfterContinued = Count("enrolments");
        var again = Analyze("full", "state.db");
        var atOnce = Analyze("full", db: null);
        var (refused, _, message) = Run("analyze", "--data", "part", "--db", "state.db", "--out", "r-refused");

        Assert.True(entriesAfterContinued > entriesAfterFirst, "the later run should post the months the first had not seen");
        foreach (var figure in new[] { "members", "postings", "redemptions", "outstandingPoints" })
        {
            Assert.Equal(atOnce.GetProperty("loyalty").GetProperty(figure).GetInt64(), continued.GetProperty("loyalty").GetProperty(figure).GetInt64());
            Assert.Equal(continued.GetProperty("loyalty").GetProperty(figure).GetInt64(), again.GetProperty("loyalty").GetProperty(figure).GetInt64());
        }

        Assert.Equal(atOnce.GetProperty("loyalty").GetProperty("referrals").GetRawText(), continued.GetProperty("loyalty").GetProperty("referrals").GetRawText());
        Assert.True(first.GetProperty("playbooks").GetProperty("enrolmentsStarted").GetInt32() + continued.GetProperty("playbooks").GetProperty("enrolmentsStarted").GetInt32() > 0);
        Assert.Equal(0, again.GetProperty("playbooks").GetProperty("enrolmentsStarted").GetInt32());
        Assert.Equal(0, again.GetProperty("playbooks").GetProperty("stepsDue").GetInt32());
        Assert.Equal(entriesAfterContinued, Count("ledger_entries"));
        Assert.Equal(enrolmentsAfterContinued, Count("enrolments"));
        Assert.Equal(2L, Count("retentionkit_tool_runs"));
        Assert.True(Count("score_history") > 0);
        Assert.Equal(CliApplication.UsageError, refused);
        Assert.Contains("has already run through", message, StringComparison.Ordinal);
    }

    /// <summary>Copies the data set, keeping the rows dated in or before <paramref name="lastMonth"/> (yyyy-MM).</summary>
    private void Truncate(string from, string to, string lastMonth)
    {
        var target = Directory.CreateDirectory(Path.Combine(Dir, to)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(Dir, from), "*.csv"))
        {
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(',');
            var column = Array.FindIndex(header, h => h is "effective_date" or "month" or "date" or "signup_date");
            var kept = lines.Skip(1).Where(l => column < 0 || string.CompareOrdinal(l.Split(',', column + 2)[column][..7], lastMonth) <= 0);
            File.WriteAllLines(Path.Combine(target, Path.GetFileName(file)), [lines[0], .. kept]);
        }
    }
}
