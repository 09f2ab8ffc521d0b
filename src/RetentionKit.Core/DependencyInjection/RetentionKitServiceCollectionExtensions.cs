using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit with a service collection.</summary>
public static class RetentionKitServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services every RetentionKit package shares and lets <paramref name="configure"/> add packages:
    /// <c>services.AddRetentionKit(kit =&gt; kit.AddMetrics())</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds packages through their extension methods on <see cref="IRetentionKitBuilder"/>; may be null.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <remarks>
    /// Registers <see cref="IClock"/> as <c>SystemClock.Instance</c> with <c>TryAdd</c>, so a clock the host
    /// registered first (a <c>FakeClock</c> in tests, say) wins. Calling this method more than once registers nothing twice.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddRetentionKit(this IServiceCollection services, Action<IRetentionKitBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

#pragma warning disable RS0030 // The single place where the system clock is allowed: the default registration.
        services.TryAddSingleton<IClock>(SystemClock.Instance);
#pragma warning restore RS0030

        configure?.Invoke(new RetentionKitBuilder(services));
        return services;
    }

    private sealed class RetentionKitBuilder(IServiceCollection services) : IRetentionKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
