using System;
using System.IO;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RetentionKit.Storage.Sqlite;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary><c>retentionkit db script</c> and <c>db migrate</c>: the schema for DBAs who apply SQL themselves, and the migration as a deployment step.</summary>
public sealed class DbCommandTests : IDisposable
{
    private readonly CliWorkspace _workspace = new("rk-db-");

    private string Dir => _workspace.Dir;

    public void Dispose() => _workspace.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args) => _workspace.Run(args);

    [Fact]
    public void Script_PrintsTheSchema_AndAppliedByHandItIsAcceptedAsCurrent()
    {
        var (code, sql, _) = Run("db", "script");

        Assert.Equal(0, code);
        Assert.Equal(SqliteSchema.Script(), sql);
        var file = Path.Combine(Dir, "by-hand.db");
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        var (again, output, _) = Run("db", "migrate", "--db", "by-hand.db");
        Assert.Equal(0, again);
        Assert.Equal($"{file}: already at schema version {SqliteSchema.Version}\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Migrate_ANewFile_CreatesTheSchema_AndSaysFromWhichVersion_InJsonToo()
    {
        var (code, output, _) = Run("db", "migrate", "--db", "state.db", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal((0, SqliteSchema.Version), (json.RootElement.GetProperty("from").GetInt32(), json.RootElement.GetProperty("to").GetInt32()));
        Assert.Equal(Path.Combine(Dir, "state.db"), json.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public void Migrate_AnotherApplicationsDatabase_ExitsTwoNamingTheCause()
    {
        var file = Path.Combine(Dir, "other.db");
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY)";
            command.ExecuteNonQuery();
        }

        var (code, _, err) = Run("db", "migrate", "--db", "other.db");

        Assert.Equal(2, code);
        Assert.StartsWith("configuration error: The SQLite database", err, StringComparison.Ordinal);
        Assert.Contains("is not a RetentionKit database: it holds the tables invoices", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_FromAVersionItDoesNotKnow_ExitsTwo()
    {
        var (code, _, err) = Run("db", "script", "--from", "99");

        Assert.Equal(2, code);
        Assert.Contains($"--from must be from 0 to {SqliteSchema.Version}", err, StringComparison.Ordinal);
    }
}
