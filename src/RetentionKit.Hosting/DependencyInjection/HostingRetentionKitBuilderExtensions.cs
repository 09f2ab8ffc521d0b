using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Polly;
using Polly.Registry;
using Polly.Retry;
using RetentionKit.Hosting;
using RetentionKit.Hosting.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Hosting.</summary>
public static class HostingRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds the daily run: <see cref="DailyRun"/>, the hosted service that runs it on its schedule, the host's
    /// <typeparamref name="TSource"/> (scoped) as its input, the in-memory run store unless another is registered
    /// (<c>UseSqlite</c>/<c>UsePostgreSql</c> register theirs), and the retry pipeline. Options are bound from
    /// <c>RetentionKit:Run</c> by the meta package, set by <paramref name="configure"/>, and validated at start.
    /// </summary>
    /// <typeparam name="TSource">The host's source of the day's customer data.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: sets the options.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddDailyRun<TSource>(this IRetentionKitBuilder kit, Action<RunOptions>? configure = null)
        where TSource : class, ICustomerDataSource
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        services.TryAddScoped<ICustomerDataSource, TSource>();
        if (!services.Contains(Marker.Descriptor))
        {
            services.Add(Marker.Descriptor);
            services.AddOptions<RunOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunOptions>, RunOptionsValidator>());
            services.TryAddSingleton<IDailyRunStore, InMemoryDailyRunStore>();
            services.TryAddSingleton(sp => new DailyRun(
                sp.GetRequiredService<IServiceScopeFactory>(),
                sp.GetRequiredService<IClock>(),
                sp.GetRequiredService<IOptions<RunOptions>>().Value,
                RetryPipeline(sp),
                sp.GetService<ILogger<DailyRun>>(),
                sp.GetRequiredService<HostingTelemetry>()));
            services.TryAddSingleton(sp => new HostingTelemetry(sp.GetService<IMeterFactory>()));
            services.TryAddSingleton(sp => new DailyRunService(
                sp.GetRequiredService<DailyRun>(),
                sp.GetRequiredService<IClock>(),
                sp.GetRequiredService<IOptions<RunOptions>>().Value,
                sp.GetService<ILogger<DailyRunService>>()));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DailyRunService>(sp => sp.GetRequiredService<DailyRunService>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>
    /// The host's pipeline registered under <see cref="DailyRun.RetryPipelineKey"/> (Polly's registry), else the retry the
    /// options describe, built without Polly's logging: its records carry results and exception messages, which may hold
    /// personal data. Retries are counted on the run's meter and logged by exception type instead.
    /// </summary>
    private static ResiliencePipeline RetryPipeline(IServiceProvider services)
    {
        if (services.GetService<ResiliencePipelineProvider<string>>() is { } registry && registry.TryGetPipeline(DailyRun.RetryPipelineKey, out var hosts))
        {
            return hosts;
        }

        var options = services.GetRequiredService<IOptions<RunOptions>>().Value.Retry;
        return new ResiliencePipelineBuilder().AddRetry(RetryOf(options, services.GetService<ILoggerFactory>()?.CreateLogger<DailyRun>())).Build();
    }

    /// <summary>The retry strategy the options describe: exponential backoff, jitter, every error but cancellation.</summary>
    internal static RetryStrategyOptions RetryOf(RunRetryOptions options, ILogger? logger) => new()
    {
        MaxRetryAttempts = options.MaxAttempts - 1,
        Delay = options.Delay,
        MaxDelay = options.MaxDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = options.UseJitter,
        ShouldHandle = new PredicateBuilder().Handle<Exception>(static ex => ex is not OperationCanceledException),
        OnRetry = args =>
        {
            if (logger is not null && args.Outcome.Exception is { } ex)
            {
                Log.Retrying(logger, args.AttemptNumber + 2, ex.GetType());
            }

            return default;
        },
    };

    private sealed class Marker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new Marker());
    }
}

/// <summary>The run's options, checked at start-up with every problem listed.</summary>
internal sealed class RunOptionsValidator : IValidateOptions<RunOptions>
{
    public ValidateOptionsResult Validate(string? name, RunOptions options)
    {
        var problems = new List<string>();
        if (!RunSchedule.TimePattern.Parse(options.At ?? string.Empty).Success)
        {
            problems.Add($"At is '{options.At}'; it must be a time of day as HH:mm, e.g. \"02:30\".");
        }

        if (options.TimeZone is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) is null)
        {
            problems.Add($"TimeZone is '{options.TimeZone}', which is not an IANA time zone id (e.g. \"Europe/Madrid\", \"UTC\").");
        }

        Range(problems, nameof(options.CatchUpDays), options.CatchUpDays, 0, 366);
        Range(problems, nameof(options.Partitions), options.Partitions, 1, 4096);
        Range(problems, nameof(options.BatchSize), options.BatchSize, 1, 1_000_000);
        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromDays(1))
        {
            problems.Add($"LeaseDuration is {options.LeaseDuration}; it must be from 1 second to 1 day.");
        }

        if (options.InstanceId is { Length: > 200 })
        {
            problems.Add($"InstanceId is {options.InstanceId.Length} characters long; at most 200.");
        }

        var retry = options.Retry;
        Range(problems, "Retry.MaxAttempts", retry.MaxAttempts, 1, 100);
        if (retry.Delay < TimeSpan.Zero || retry.Delay > retry.MaxDelay)
        {
            problems.Add($"Retry.Delay is {retry.Delay}; it must be from 0 to Retry.MaxDelay ({retry.MaxDelay}).");
        }

        if (retry.MaxDelay > TimeSpan.FromHours(1))
        {
            problems.Add($"Retry.MaxDelay is {retry.MaxDelay}; at most 1 hour (a customer's retries hold up the partition).");
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<RunOptions>("Run", problems));
    }

    private static void Range(List<string> problems, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{name} is {value}; it must be from {min} to {max}.");
        }
    }
}
