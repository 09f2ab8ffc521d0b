using System;
using System.CommandLine;
using System.Globalization;
using RetentionKit.Storage.Sqlite;

namespace RetentionKit.Cli.Commands;

/// <summary>The database commands: <c>db script</c> (the SQL for DBAs who apply it themselves) and <c>db migrate</c>.</summary>
internal sealed partial class CliApplication
{
    private Command Db()
    {
        var from = new Option<int>("--from") { Description = "The schema version the database is at (0 for an empty one).", DefaultValueFactory = _ => 0 };
        var script = new Command("script", "Print the SQL that creates or migrates RetentionKit's SQLite schema.") { from };
        script.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var version = parse.GetValue(from);
            if (version < 0 || version > SqliteSchema.Version)
            {
                throw new ConfigurationProblem(string.Create(CultureInfo.InvariantCulture, $"--from must be from 0 to {SqliteSchema.Version}, the schema versions this tool knows; got {version}"));
            }

            var sql = SqliteSchema.Script(version);
            if (parse.GetValue(_json))
            {
                stdout.WriteLine(Json(w =>
                {
                    w.WriteNumber("from", version);
                    w.WriteNumber("to", SqliteSchema.Version);
                    w.WriteString("script", sql);
                }));
            }
            else
            {
                stdout.Write(sql);
            }

            return Success;
        }));

        var file = new Option<string>("--db") { Description = "The SQLite file (created if missing).", Required = true };
        var migrate = new Command("migrate", "Create or migrate RetentionKit's schema in a SQLite file.") { file };
        migrate.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var path = Resolve(parse.GetValue(file)!);
            int before;
            try
            {
                before = SqliteSchema.Migrate($"Data Source={path}");
            }
            catch (InvalidOperationException ex)
            {
                throw new ConfigurationProblem(ex.Message);
            }

            if (parse.GetValue(_json))
            {
                stdout.WriteLine(Json(w =>
                {
                    w.WriteString("database", path);
                    w.WriteNumber("from", before);
                    w.WriteNumber("to", SqliteSchema.Version);
                }));
            }
            else
            {
                stdout.WriteLine(before == SqliteSchema.Version
                    ? string.Create(CultureInfo.InvariantCulture, $"{path}: already at schema version {SqliteSchema.Version}")
                    : string.Create(CultureInfo.InvariantCulture, $"{path}: migrated from schema version {before} to {SqliteSchema.Version}"));
            }

            return Success;
        }));

        return new Command("db", "RetentionKit's database: the SQL schema and its migrations.") { script, migrate };
    }
}
