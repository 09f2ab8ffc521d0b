using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RetentionKit.Metrics;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Metrics.</summary>
public static class MetricsRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="SubscriptionAnalyzer"/> and <see cref="KpiScorecard"/> as singletons built from
    /// <see cref="MetricsOptions"/>, with the options validated at start-up.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: changes the options after any configuration binding the host added.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// Bind configuration with <c>services.AddOptions&lt;MetricsOptions&gt;().BindConfiguration("RetentionKit:Metrics")</c>.
    /// Services are added with <c>TryAdd</c>: a host's own registration wins, and calling this twice registers nothing
    /// twice (each call's <paramref name="configure"/> still applies, in order).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddMetrics(this IRetentionKitBuilder kit, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Contains(MetricsMarker.Descriptor))
        {
            services.Add(MetricsMarker.Descriptor);
            services.AddOptions<MetricsOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>>(new RetentionKit.Internal.QualifiedValidator<MetricsOptions>(new MetricsOptionsValidator(), "Metrics")));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsCrossFieldValidator>());
            services.TryAddSingleton(sp => new SubscriptionAnalyzer(sp.GetRequiredService<IOptions<MetricsOptions>>().Value.Subscriptions));
            services.TryAddSingleton(sp => new KpiScorecard(sp.GetRequiredService<IOptions<MetricsOptions>>().Value.Targets));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    private sealed class MetricsMarker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new MetricsMarker());
    }
}
