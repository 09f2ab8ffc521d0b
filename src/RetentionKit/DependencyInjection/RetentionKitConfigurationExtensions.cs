using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RetentionKit.Hosting;
using RetentionKit.Internal;
using RetentionKit.Loyalty;
using RetentionKit.Metrics;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using RetentionKit.Storage.PostgreSql;
using RetentionKit.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers every RetentionKit package from one configuration section.</summary>
public static class RetentionKitConfigurationExtensions
{
    /// <summary>
    /// Registers Metrics, Scoring, Segmentation, Loyalty and Playbooks, binds their options from
    /// <paramref name="configuration"/> (the <c>RetentionKit</c> section: <c>Metrics</c>, <c>Scoring</c>,
    /// <c>Segmentation</c>, <c>Loyalty</c>, <c>Playbooks</c>, <c>Storage</c>, <c>Run</c>), keeps the state where
    /// <c>Storage:Provider</c> says (<c>InMemory</c>, <c>Sqlite</c> or <c>PostgreSql</c>), then lets
    /// <paramref name="configure"/> add the host's own parts (channels, signals, the daily run's source). At start-up
    /// every problem is listed once, together: the packages' rules, keys that bind to nothing (<c>RetentionKit:Reprot</c>),
    /// values that are not of their setting's type, and singletons that would capture a scoped service.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>RetentionKit</c> section, e.g. <c>builder.Configuration.GetSection("RetentionKit")</c>; given the whole configuration, its <c>RetentionKit</c> section is used.</param>
    /// <param name="configure">Adds the host's parts; may be null. Options set here win over configuration.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <remarks>
    /// Keys are matched without regard to case, and the keys of option maps (rewards, earning rules, signals, red flags,
    /// playbooks) also without regard to <c>-</c> and <c>_</c>, so environment variables such as
    /// <c>RETENTIONKIT__LOYALTY__REWARDS__PREMIUMFEATURE__POINTS</c> change the reward <c>premium-feature</c>. A store the
    /// host registers scoped (inside <paramref name="configure"/> or before this call) makes the services that use it
    /// scoped too. Call it once.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddRetentionKit(this IServiceCollection services, IConfiguration configuration, Action<IRetentionKitBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration is not IConfigurationSection)
        {
            configuration = configuration.GetSection(OptionPaths.Root); // the whole configuration was passed: take its RetentionKit section
        }

        // The key check runs first at start-up, so that its problems are listed before an options type is even made.
        services.AddOptions<ConfigurationCheckResult>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfigurationCheckResult>>(new StartupCheck(configuration, services)));

        Bind<MetricsOptions>(services, configuration.GetSection("Metrics"));
        Bind<ScoringOptions>(services, configuration.GetSection("Scoring"));
        Bind<SegmentationOptions>(services, configuration.GetSection("Segmentation"));
        Bind<LoyaltyOptions>(services, configuration.GetSection("Loyalty"));
        Bind<PlaybookOptions>(services, configuration.GetSection("Playbooks"));
        Bind<RunOptions>(services, configuration.GetSection("Run"));
        Bind<SqliteStoreOptions>(services, configuration.GetSection("Storage:Sqlite"));
        Bind<PostgreSqlStoreOptions>(services, configuration.GetSection("Storage:PostgreSql"));

        services.AddRetentionKit(kit =>
        {
            kit.AddMetrics().AddScoring().AddSegmentation().AddLoyalty().AddPlaybooks();
            var provider = configuration["Storage:Provider"];
            if (string.Equals(provider, StorageSection.SqliteProvider, StringComparison.OrdinalIgnoreCase))
            {
                kit.UseSqlite();
            }
            else if (string.Equals(provider, StorageSection.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase))
            {
                kit.UsePostgreSql();
            }

            configure?.Invoke(kit);
        });
        ServiceLifetimes.ScopeConsumersOfScopedStores(services);
        return services;
    }

    /// <summary>Binds a section; a value the binder cannot convert is left for the start-up check to report with the rest.</summary>
    private static void Bind<TOptions>(IServiceCollection services, IConfigurationSection section)
        where TOptions : class =>
        services.AddSingleton<IConfigureOptions<TOptions>>(new ConfigureNamedOptions<TOptions>(Options.Options.DefaultName, options =>
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException)
            {
                // Reported by StartupCheck, which lists every unconvertible value, not only the first.
            }
        }));

    /// <summary>The start-up check: configuration keys and values, the storage provider, captive dependencies.</summary>
    private sealed class StartupCheck(IConfiguration configuration, IServiceCollection services) : IValidateOptions<ConfigurationCheckResult>
    {
        private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Metrics"] = typeof(MetricsOptions),
            ["Scoring"] = typeof(ScoringOptions),
            ["Segmentation"] = typeof(SegmentationOptions),
            ["Loyalty"] = typeof(LoyaltyOptions),
            ["Playbooks"] = typeof(PlaybookOptions),
            ["Storage"] = typeof(StorageSection),
            ["Run"] = typeof(RunOptions),
        };

        public ValidateOptionsResult Validate(string? name, ConfigurationCheckResult options)
        {
            var root = configuration is IConfigurationSection section ? section.Path : OptionPaths.Root;
            var problems = ConfigurationCheck.Problems(configuration, root, Sections);
            if (configuration["Storage:Provider"] is { } provider && !StorageSection.IsKnown(provider))
            {
                problems.Add($"{root}:Storage:Provider is '{provider}'; it must be {StorageSection.InMemoryProvider}, {StorageSection.SqliteProvider} or {StorageSection.PostgreSqlProvider}.");
            }

            problems.AddRange(ServiceLifetimes.CaptiveDependencies(services));
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>The marker options type whose validation at start-up runs the configuration check.</summary>
internal sealed class ConfigurationCheckResult
{
}

/// <summary>The shape of <c>RetentionKit:Storage</c>, for the key check.</summary>
internal sealed class StorageSection
{
    public const string InMemoryProvider = "InMemory";
    public const string SqliteProvider = "Sqlite";
    public const string PostgreSqlProvider = "PostgreSql";

    /// <summary>Gets or sets where the state is kept: InMemory (the default), Sqlite or PostgreSql.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the SQLite store's options.</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();

    /// <summary>Gets or sets the PostgreSQL store's options.</summary>
    public PostgreSqlStoreOptions PostgreSql { get; set; } = new();

    public static bool IsKnown(string provider) =>
        string.Equals(provider, InMemoryProvider, StringComparison.OrdinalIgnoreCase) || string.Equals(provider, SqliteProvider, StringComparison.OrdinalIgnoreCase) || string.Equals(provider, PostgreSqlProvider, StringComparison.OrdinalIgnoreCase);
}
