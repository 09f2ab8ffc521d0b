using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RetentionKit.Hosting;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Storage.Internal;
using RetentionKit.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Storage.PostgreSql.</summary>
public static class PostgreSqlRetentionKitBuilderExtensions
{
    /// <summary>
    /// Keeps RetentionKit's state in PostgreSQL: replaces the in-memory stores of the packages (the loyalty ledger, the
    /// referral programme, playbook enrolments, score history and overrides), whether this is called before or after
    /// their <c>Add*</c> calls. The database is, in this order: the options' connection string (set by
    /// <paramref name="configure"/> or bound from <c>RetentionKit:Storage:PostgreSql</c>), <c>ConnectionStrings:RetentionKit</c>
    /// of the registered <see cref="IConfiguration"/>, or an <see cref="NpgsqlDataSource"/> registered in the container.
    /// The options are validated, and the schema created or migrated, when the host starts.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: sets the options after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder UsePostgreSql(this IRetentionKitBuilder kit, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        Register(kit.Services, dataSource: null);
        if (configure is not null)
        {
            kit.Services.PostConfigure(configure);
        }

        return kit;
    }

    /// <summary>
    /// Keeps RetentionKit's state in PostgreSQL through the <see cref="NpgsqlDataSource"/> the application already has
    /// (its pool, its logging, its credentials); the host keeps ownership and disposes it. See the other overload.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="dataSource">The application's data source.</param>
    /// <param name="configure">Optional: the schema and migration options (the connection string is not used).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> or <paramref name="dataSource"/> is null.</exception>
    public static IRetentionKitBuilder UsePostgreSql(this IRetentionKitBuilder kit, NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(dataSource);
        Register(kit.Services, dataSource);
        if (configure is not null)
        {
            kit.Services.PostConfigure(configure);
        }

        return kit;
    }

    private static void Register(IServiceCollection services, NpgsqlDataSource? dataSource)
    {
        if (dataSource is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(new GivenDataSource(dataSource)));
        }

        if (services.Contains(Marker.Descriptor))
        {
            return;
        }

        services.Add(Marker.Descriptor);
        services.AddOptions<PostgreSqlStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PostgreSqlStoreOptions>, ConnectionStringFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(Create);
        services.TryAddSingleton(sp => new StoreTelemetry("RetentionKit.Storage.PostgreSql", "postgresql", sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.Replace(ServiceDescriptor.Singleton<ILoyaltyLedgerStore>(sp => new InstrumentedLedgerStore(new PostgreSqlLoyaltyLedgerStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IReferralStore>(sp => new InstrumentedReferralStore(new PostgreSqlReferralStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IEnrolmentStore>(sp => new InstrumentedEnrolmentStore(new PostgreSqlEnrolmentStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IFeedbackStore>(sp => new InstrumentedFeedbackStore(new PostgreSqlFeedbackStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<RetentionKit.Loyalty.Badges.IBadgeStore>(sp => new InstrumentedBadgeStore(new PostgreSqlBadgeStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IScoreHistoryStore>(sp => new InstrumentedScoreHistoryStore(new PostgreSqlScoreHistoryStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IScoreOverrideStore>(sp => new InstrumentedScoreOverrideStore(new PostgreSqlScoreOverrideStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.Replace(ServiceDescriptor.Singleton<IDailyRunStore>(sp => new InstrumentedDailyRunStore(new PostgreSqlDailyRunStore(sp.GetRequiredService<PostgreSqlDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlStartup>());
    }

    private static PostgreSqlDatabase Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        if (services.GetService<GivenDataSource>() is { } given)
        {
            return new PostgreSqlDatabase(given.DataSource, ownsDataSource: false, options.Schema, options.AutoMigrate);
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new PostgreSqlDatabase(NpgsqlDataSource.Create(options.ConnectionString), ownsDataSource: true, options.Schema, options.AutoMigrate);
        }

        var registered = services.GetService<NpgsqlDataSource>()
            ?? throw new InvalidOperationException("RetentionKit:Storage:PostgreSql:ConnectionString is not set, nor ConnectionStrings:RetentionKit, and no NpgsqlDataSource is registered: the PostgreSQL store needs a database.");
        return new PostgreSqlDatabase(registered, ownsDataSource: false, options.Schema, options.AutoMigrate);
    }

    private sealed class Marker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new Marker());
    }

    private sealed record GivenDataSource(NpgsqlDataSource DataSource);

    /// <summary>Takes <c>ConnectionStrings:RetentionKit</c> when nothing else set the connection string.</summary>
    private sealed class ConnectionStringFromConfiguration(IServiceProvider services) : IConfigureOptions<PostgreSqlStoreOptions>
    {
        public void Configure(PostgreSqlStoreOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString) && services.GetService<IConfiguration>() is { } configuration)
            {
                options.ConnectionString = configuration.GetConnectionString("RetentionKit");
            }
        }
    }

    /// <summary>Creates or migrates the schema when the host starts, so that a database that cannot be used stops the start with a clear message instead of failing the first customer's call.</summary>
    private sealed class PostgreSqlStartup(PostgreSqlDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.PrepareAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The store's options, checked at start-up with every problem listed.</summary>
    private sealed class PostgreSqlStoreOptionsValidator(IServiceProvider services) : IValidateOptions<PostgreSqlStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
        {
            var problems = new List<string>();
            if (!PostgreSqlSchema.IsValidSchemaName(options.Schema))
            {
                problems.Add($"Schema is '{options.Schema}'; it must be a plain lower-case identifier: a letter or underscore, then letters, digits or underscores, at most 63 characters.");
            }

            var given = services.GetService<GivenDataSource>() is not null;
            if (!given && !string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    problems.Add($"ConnectionString is not a PostgreSQL connection string: {ex.Message}");
                }
            }
            else if (!given && services.GetService<NpgsqlDataSource>() is null)
            {
                problems.Add("ConnectionString is not set, nor ConnectionStrings:RetentionKit, and no NpgsqlDataSource is registered; the PostgreSQL store needs a database, e.g. \"Host=localhost;Database=app;Username=app;Password=...\".");
            }

            return problems.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<PostgreSqlStoreOptions>("Storage:PostgreSql", problems));
        }
    }
}
