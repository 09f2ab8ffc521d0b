namespace RetentionKit.Storage.PostgreSql;

/// <summary>Where and how RetentionKit keeps its state in PostgreSQL; bind <c>RetentionKit:Storage:PostgreSql</c>.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</summary>
    /// <value>
    /// The default value is null: <c>ConnectionStrings:RetentionKit</c> of the host's configuration is used, else an
    /// <c>NpgsqlDataSource</c> registered in the container. Not used when a data source is passed to <c>UsePostgreSql</c>.
    /// </value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema every RetentionKit table, index and function lives in.</summary>
    /// <value>The default value is <c>retentionkit</c>; lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters.</value>
    public string Schema { get; set; } = PostgreSqlSchema.DefaultSchema;

    /// <summary>Gets or sets whether the library creates and migrates its schema at start-up.</summary>
    /// <value>The default value is true. Set false when your DBAs apply <see cref="PostgreSqlSchema.Script"/> themselves.</value>
    public bool AutoMigrate { get; set; } = true;
}
