using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RetentionKit.Hosting;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Storage.Internal;
using RetentionKit.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Storage.Sqlite.</summary>
public static class SqliteRetentionKitBuilderExtensions
{
    /// <summary>
    /// Keeps RetentionKit's state in one SQLite file: replaces the in-memory stores of the packages (the loyalty
    /// ledger, the referral programme, playbook enrolments, score history and overrides, the daily run's leases and results), whether this is called before or after their <c>Add*</c> calls. The connection string comes from
    /// <paramref name="configure"/>, else <c>RetentionKit:Storage:Sqlite:ConnectionString</c> as bound by the host, else
    /// <c>ConnectionStrings:RetentionKit</c> of the registered <see cref="IConfiguration"/>; the options are validated and
    /// the schema created or migrated when the host starts (or on first use without a host; see <see cref="SqliteStoreOptions.AutoMigrate"/>).
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: sets the options after any configuration binding.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder UseSqlite(this IRetentionKitBuilder kit, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Contains(Marker.Descriptor))
        {
            services.Add(Marker.Descriptor);
            services.AddOptions<SqliteStoreOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SqliteStoreOptions>, ConnectionStringFromConfiguration>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
            services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
            services.TryAddSingleton(sp => new StoreTelemetry("RetentionKit.Storage.Sqlite", "sqlite", sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.Replace(ServiceDescriptor.Singleton<ILoyaltyLedgerStore>(sp => new InstrumentedLedgerStore(new SqliteLoyaltyLedgerStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IReferralStore>(sp => new InstrumentedReferralStore(new SqliteReferralStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IEnrolmentStore>(sp => new InstrumentedEnrolmentStore(new SqliteEnrolmentStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IFeedbackStore>(sp => new InstrumentedFeedbackStore(new SqliteFeedbackStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<RetentionKit.Loyalty.Badges.IBadgeStore>(sp => new InstrumentedBadgeStore(new SqliteBadgeStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IScoreHistoryStore>(sp => new InstrumentedScoreHistoryStore(new SqliteScoreHistoryStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IScoreOverrideStore>(sp => new InstrumentedScoreOverrideStore(new SqliteScoreOverrideStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.Replace(ServiceDescriptor.Singleton<IDailyRunStore>(sp => new InstrumentedDailyRunStore(new SqliteDailyRunStore(sp.GetRequiredService<SqliteDatabase>()), sp.GetRequiredService<StoreTelemetry>())));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteStartup>());
        }

        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        return kit;
    }

    /// <summary>Opens and migrates the file when the host starts, so that a file that cannot be used stops the start with a clear message instead of failing the first customer's call.</summary>
    private sealed class SqliteStartup(SqliteDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            database.Prepare();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class Marker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new Marker());
    }

    /// <summary>Takes <c>ConnectionStrings:RetentionKit</c> when nothing else set the connection string.</summary>
    private sealed class ConnectionStringFromConfiguration(IServiceProvider services) : IConfigureOptions<SqliteStoreOptions>
    {
        public void Configure(SqliteStoreOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString) && services.GetService<IConfiguration>() is { } configuration)
            {
                options.ConnectionString = configuration.GetConnectionString("RetentionKit");
            }
        }
    }
}

/// <summary>The store's options, checked at start-up with every problem listed.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var problems = new System.Collections.Generic.List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("ConnectionString is not set, nor ConnectionStrings:RetentionKit; the SQLite store needs a file, e.g. \"Data Source=retentionkit.db\".");
        }
        else
        {
            try
            {
                _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"ConnectionString is not a SQLite connection string: {ex.Message}");
            }
        }

        if (options.BusyTimeout < TimeSpan.FromMilliseconds(1) || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"BusyTimeout is {options.BusyTimeout}; it must be from 1 millisecond to 10 minutes.");
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<SqliteStoreOptions>("Storage:Sqlite", problems));
    }
}
