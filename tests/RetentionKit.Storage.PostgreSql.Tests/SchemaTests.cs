using System;
using System.Linq;
using System.Threading.Tasks;

namespace RetentionKit.Storage.PostgreSql.Tests;

/// <summary>The schema: created and migrated by the library under an advisory lock, in a configurable schema, refused when newer or foreign.</summary>
public sealed class SchemaTests
{
    [PostgreSqlFact]
    public async Task EightInstancesStartingTogether_MigrateOnce()
    {
        var schema = PostgreSql.NewSchema();

        var before = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgreSql.Database(schema).PrepareAsync(default))));

        Assert.Single(before, v => v == 0); // exactly one instance found the schema empty and migrated it
        Assert.All(before.Where(v => v != 0), v => Assert.Equal(PostgreSqlSchema.Version, v));
        Assert.Equal((long)PostgreSqlSchema.Version, await ScalarAsync($"SELECT count(*) FROM {schema}.schema_version")); // one row per version
        Assert.Equal(12L, await ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}'")); // nine of version 1, the run's partitions of version 2, feedback and badges of version 3
    }

    [PostgreSqlFact]
    public async Task ANewerSchema_IsRefused_NamingBothVersions()
    {
        var schema = PostgreSql.NewSchema();
        await PostgreSql.Database(schema).PrepareAsync(default);
        await ScalarAsync($"INSERT INTO {schema}.schema_version (version) VALUES (99) RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSql.Database(schema).PrepareAsync(default));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {PostgreSqlSchema.Version}", error.Message, StringComparison.Ordinal);
        Assert.Contains(schema, error.Message, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task ASchemaOfAnotherApplication_IsRefused_NamingItsTables()
    {
        var schema = PostgreSql.NewSchema();
        await ScalarAsync($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.invoices (id int); SELECT 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSql.Database(schema).PrepareAsync(default));

        Assert.Contains("not RetentionKit's", error.Message, StringComparison.Ordinal);
        Assert.Contains("invoices", error.Message, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task AutoMigrateOff_OnAnEmptySchema_FailsNamingTheScript_ThenTheDbasScriptMakesItWork()
    {
        var schema = PostgreSql.NewSchema();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSql.Database(schema, autoMigrate: false).PrepareAsync(default));
        await ScalarAsync(PostgreSqlSchema.Script(0, schema) + "SELECT 1");

        Assert.Contains("automatic migration is off", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlSchema.Script(0", error.Message, StringComparison.Ordinal);
        Assert.Equal(PostgreSqlSchema.Version, await PostgreSql.Database(schema, autoMigrate: false).PrepareAsync(default));
    }

    [PostgreSqlFact]
    public async Task MigrateAsync_ThenAgain_ReportsTheVersionItFound()
    {
        var schema = PostgreSql.NewSchema();

        Assert.Equal(0, await PostgreSqlSchema.MigrateAsync(PostgreSql.DataSource, schema));
        Assert.Equal(PostgreSqlSchema.Version, await PostgreSqlSchema.MigrateAsync(PostgreSql.DataSource, schema));
    }

    [Fact]
    public void Script_PutsEveryObjectInTheSchema_AndRefusesUnsafeNames()
    {
        var script = PostgreSqlSchema.Script(0, "loyalty_prod");

        Assert.DoesNotContain("__schema__", script, StringComparison.Ordinal);
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS loyalty_prod;", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE loyalty_prod.ledger_entries", script, StringComparison.Ordinal);
        Assert.Contains("CREATE FUNCTION loyalty_prod.ledger_append", script, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO loyalty_prod.schema_version (version) VALUES (1);", script, StringComparison.Ordinal);
        Assert.Equal(string.Empty, PostgreSqlSchema.Script(PostgreSqlSchema.Version));
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => PostgreSqlSchema.Script(0, "x; DROP TABLE y")).ParamName);
        Assert.Equal("schema", Assert.Throws<ArgumentException>(() => PostgreSqlSchema.Script(0, "Mixed")).ParamName);
        Assert.Equal("fromVersion", Assert.Throws<ArgumentOutOfRangeException>(() => PostgreSqlSchema.Script(PostgreSqlSchema.Version + 1)).ParamName);
    }

    private static async Task<object?> ScalarAsync(string sql)
    {
        await using var command = PostgreSql.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
