using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Playbooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Playbooks.</summary>
public static class PlaybooksRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="PlaybookEngine"/> over the built-in playbooks and every <see cref="Playbook"/> the host
    /// registered (a host playbook with a built-in's id replaces it), the <see cref="PlaybookRunner"/> on the registered
    /// <see cref="IEnrolmentStore"/> (in memory by default) and the registered <see cref="IPlaybookChannel"/>s, with
    /// <see cref="PlaybookOptions"/> validated at start-up.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: changes the options after any configuration binding the host added.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>Bind configuration with <c>services.AddOptions&lt;PlaybookOptions&gt;().BindConfiguration("RetentionKit:Playbooks")</c>. Calling this twice registers nothing twice.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddPlaybooks(this IRetentionKitBuilder kit, Action<PlaybookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Any(d => d.ServiceType == typeof(PlaybookEngine)))
        {
            services.AddOptions<PlaybookOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybookOptions>, PlaybookOptionsValidator>());
            services.TryAddSingleton<IEnrolmentStore, InMemoryEnrolmentStore>();
            services.TryAddSingleton(sp =>
            {
                var own = sp.GetServices<Playbook>().ToList();
                var ids = own.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
                return new PlaybookEngine([.. BuiltInPlaybooks.All.Where(p => !ids.Contains(p.Id)), .. own], sp.GetRequiredService<IOptions<PlaybookOptions>>().Value);
            });
            services.TryAddSingleton(sp => new PlaybookRunner(
                sp.GetRequiredService<PlaybookEngine>(),
                sp.GetRequiredService<IEnrolmentStore>(),
                sp.GetServices<IPlaybookChannel>(),
                sp.GetRequiredService<IClock>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>Adds a playbook of the host's own (its own trigger, steps and goal); one with a built-in's id replaces the built-in.</summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="playbook">The playbook.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddPlaybook(this IRetentionKitBuilder kit, Playbook playbook)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(playbook);
        kit.Services.AddSingleton(playbook);
        return kit;
    }

    /// <summary>Adds a channel the host implements; one per <see cref="PlaybookChannel"/>.</summary>
    /// <typeparam name="TChannel">The channel type, built by the container.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddPlaybookChannel<TChannel>(this IRetentionKitBuilder kit)
        where TChannel : class, IPlaybookChannel
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaybookChannel, TChannel>());
        return kit;
    }
}
