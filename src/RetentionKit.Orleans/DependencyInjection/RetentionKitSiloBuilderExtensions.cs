using System;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;


namespace RetentionKit.Orleans;

/// <summary>Registers RetentionKit in an Orleans silo, the way Orleans' own features register (<c>siloBuilder.AddXyz(...)</c>).</summary>
public static class RetentionKitSiloBuilderExtensions
{
    /// <summary>
    /// Adds RetentionKit's services to the silo (the same registration as <c>services.AddRetentionKit(configure)</c>),
    /// so the grains use the packages' engines and the stores the host registers — PostgreSQL for a cluster, whose
    /// every silo must see the same data. The grain classes are found by Orleans from this assembly.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">The packages to add (at least <c>kit.AddLoyalty()</c> for the customer grain) and their stores.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISiloBuilder AddRetentionKit(this ISiloBuilder builder, Action<IRetentionKitBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddRetentionKit(configure);
        return builder;
    }
}
