using System;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using RetentionKit.Cli.Output;
using RetentionKit.Storage.PostgreSql;
using RetentionKit.Storage.Sqlite;

namespace RetentionKit.Cli.Commands;

/// <summary>
/// The database commands: <c>db script</c> (the SQL for DBAs who apply it themselves, SQLite or PostgreSQL) and
/// <c>db migrate</c> (apply it now, under the same lock the stores take).
/// </summary>
internal sealed partial class CliApplication
{
    private Command Db()
    {
        var from = new Option<int>("--from") { Description = "The schema version the database is at (0 for an empty one).", DefaultValueFactory = _ => 0 };
        var store = new Option<string>("--store") { Description = "The database: sqlite or postgresql.", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgresql");
        var schema = new Option<string>("--schema") { Description = "PostgreSQL only: the schema RetentionKit's objects live in.", DefaultValueFactory = _ => PostgreSqlSchema.DefaultSchema };
        var script = new Command("script", Help("Print the SQL that creates or migrates RetentionKit's schema (SQLite, or PostgreSQL with --store postgresql).", "retentionkit db script > schema.sql", "retentionkit db script --store postgresql")) { from, store, schema };
        script.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var version = parse.GetValue(from);
            var postgres = parse.GetValue(store) == "postgresql";
            var latest = postgres ? PostgreSqlSchema.Version : SqliteSchema.Version;
            if (version < 0 || version > latest)
            {
                throw new ConfigurationProblem(string.Create(CultureInfo.InvariantCulture, $"--from must be from 0 to {latest}, the schema versions this tool knows; got {version}"));
            }

            string sql;
            try
            {
                sql = postgres ? PostgreSqlSchema.Script(version, parse.GetValue(schema)!) : SqliteSchema.Script(version);
            }
            catch (ArgumentException ex) when (ex.ParamName == "schema")
            {
                throw new ConfigurationProblem("--schema: " + ex.Message.Split(" (Parameter")[0]);
            }

            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new DbScriptOutput(parse.GetValue(store)!, version, latest, sql), OutputJsonContext.Default.DbScriptOutput));
            }
            else
            {
                stdout.Write(sql);
            }

            return Success;
        }));

        var file = new Option<string?>("--db") { Description = "The SQLite file (created if missing)." };
        var postgresql = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string, instead of --db." };
        var migrate = new Command("migrate", Help("Create or migrate RetentionKit's schema in a SQLite file (--db) or a PostgreSQL database (--postgres).", "retentionkit db migrate --db state.db")) { file, postgresql, schema };
        migrate.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var connection = parse.GetValue(postgresql);
            if ((parse.GetValue(file) is null) == (connection is null))
            {
                throw new ConfigurationProblem("give one of --db FILE (SQLite) or --postgres CONNECTION-STRING");
            }

            string target;
            int before;
            int latest;
            try
            {
                if (connection is not null)
                {
                    var builder = new NpgsqlConnectionStringBuilder(connection);
                    target = string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database} schema {parse.GetValue(schema)}");
                    using var dataSource = NpgsqlDataSource.Create(connection);
                    before = PostgreSqlSchema.MigrateAsync(dataSource, parse.GetValue(schema)!).GetAwaiter().GetResult();
                    latest = PostgreSqlSchema.Version;
                }
                else
                {
                    target = Resolve(parse.GetValue(file)!);
                    before = SqliteSchema.Migrate($"Data Source={target}");
                    latest = SqliteSchema.Version;
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new ConfigurationProblem(ex.Message);
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationProblem(ex.Message.Split(" (Parameter")[0]);
            }

            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new DbMigrateOutput(target, before, latest), OutputJsonContext.Default.DbMigrateOutput));
            }
            else
            {
                stdout.WriteLine(before == latest
                    ? string.Create(CultureInfo.InvariantCulture, $"{target}: already at schema version {latest}")
                    : string.Create(CultureInfo.InvariantCulture, $"{target}: migrated from schema version {before} to {latest}"));
            }

            return Success;
        }));

        return new Command("db", Help("RetentionKit's database: the SQL schema and its migrations.", "retentionkit db script --help", "retentionkit db migrate --help")) { script, migrate };
    }
}
