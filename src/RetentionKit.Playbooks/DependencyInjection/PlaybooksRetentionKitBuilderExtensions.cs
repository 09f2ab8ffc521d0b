using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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
    /// <see cref="IEnrolmentStore"/> (in memory by default) and the registered <see cref="IPlaybookChannel"/>s, the
    /// <see cref="TemplateCatalog"/> (the built-in templates and those added with <see cref="AddPlaybookTemplates"/>),
    /// with <see cref="PlaybookOptions"/> validated at start-up — including that every step of every enabled playbook
    /// names a template the catalogue has.
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
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybookOptions>, PlaybookTemplateValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybookOptions>, PlaybookChannelValidator>());
            services.TryAddSingleton(sp => TemplateCatalog.BuiltIn.With(sp.GetServices<PlaybookTemplates>().SelectMany(t => t.Templates)));
            services.TryAddSingleton<IEnrolmentStore, InMemoryEnrolmentStore>();
            services.TryAddSingleton<IFeedbackStore, InMemoryFeedbackStore>();
            services.TryAddSingleton<ITopicClassifier>(sp => new PhraseTopicClassifier(sp.GetRequiredService<IOptions<PlaybookOptions>>().Value.Feedback));
            services.TryAddSingleton(sp => new FeedbackAnalyzer(
                sp.GetRequiredService<IOptions<PlaybookOptions>>().Value.Feedback,
                sp.GetService<RetentionKit.Scoring.ISentimentAnalyzer>(),
                sp.GetRequiredService<ITopicClassifier>()));
            services.TryAddSingleton(sp =>
            {
                return new PlaybookEngine(Playbooks(sp), sp.GetRequiredService<IOptions<PlaybookOptions>>().Value);
            });
            services.TryAddSingleton(sp => new PlaybookRunner(
                sp.GetRequiredService<PlaybookEngine>(),
                sp.GetRequiredService<IEnrolmentStore>(),
                sp.GetServices<IPlaybookChannel>(),
                sp.GetRequiredService<IClock>(),
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
                sp.GetService<IPlaybookStepScheduler>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>The built-in playbooks and the host's own; one of the host's with a built-in's id replaces the built-in.</summary>
    internal static Playbook[] Playbooks(IServiceProvider services)
    {
        var own = services.GetServices<Playbook>().ToList();
        var ids = own.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return [.. BuiltInPlaybooks.All.Where(p => !ids.Contains(p.Id)), .. own];
    }

    /// <summary>
    /// At start-up: when the host registers channels (it runs deliveries), every step of an enabled playbook must have
    /// one — found when the host starts, not on the day the step first falls due. A host that registers none only plans.
    /// </summary>
    private sealed class PlaybookChannelValidator(IServiceProvider services) : IValidateOptions<PlaybookOptions>
    {
        public ValidateOptionsResult Validate(string? name, PlaybookOptions options)
        {
            var channels = services.GetServices<IPlaybookChannel>().Select(c => c.Channel).ToList();
            if (channels.Count == 0)
            {
                return ValidateOptionsResult.Skip;
            }

            if (channels.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                return ValidateOptionsResult.Fail($"RetentionKit:Playbooks: two channels are registered under the name '{twice.Key.Name}'; register one per name.");
            }

            PlaybookEngine engine;
            try
            {
                engine = new PlaybookEngine(Playbooks(services), options);
            }
            catch (ArgumentException)
            {
                return ValidateOptionsResult.Skip; // the options' own problems are reported by the other validators
            }

            return PlaybookRunner.MissingChannel(engine, channels) is { } missing
                ? ValidateOptionsResult.Fail("RetentionKit:Playbooks: " + missing)
                : ValidateOptionsResult.Success;
        }
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

    /// <summary>
    /// Adds a playbook of the host's own built by a factory when the engine is first resolved, so its trigger and goal
    /// can use the host's services; one with a built-in's id replaces the built-in.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="factory">Builds the playbook from the container (once: the engine is a singleton).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddPlaybook(this IRetentionKitBuilder kit, Func<IServiceProvider, Playbook> factory)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(factory);
        kit.Services.AddSingleton(sp => factory(sp) ?? throw new InvalidOperationException("A playbook factory registered with AddPlaybook returned null."));
        return kit;
    }

    /// <summary>
    /// Adds a playbook of the host's own whose trigger is built by the container — its constructor receives the host's
    /// services (a registered <typeparamref name="TTrigger"/> is used as it is) — and handed to <paramref name="build"/>,
    /// which makes the playbook around it: <c>kit.AddPlaybook&lt;RenewalRiskTrigger&gt;(trigger =&gt; new Playbook("renewal-risk", PlaybookKind.Retention, trigger, steps))</c>.
    /// </summary>
    /// <typeparam name="TTrigger">The trigger type.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="build">Makes the playbook around the trigger.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddPlaybook<TTrigger>(this IRetentionKitBuilder kit, Func<TTrigger, Playbook> build)
        where TTrigger : class, IPlaybookTrigger
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(build);
        return kit.AddPlaybook(sp => build(sp.GetService<TTrigger>() ?? ActivatorUtilities.CreateInstance<TTrigger>(sp)));
    }

    /// <summary>
    /// Adds message templates to the registered <see cref="TemplateCatalog"/> (replacing a built-in with the same id and
    /// language): the templates of the host's own playbooks, or its wording of the built-in ones.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="templates">The templates.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A template's id, language, subject or body is blank.</exception>
    public static IRetentionKitBuilder AddPlaybookTemplates(this IRetentionKitBuilder kit, IEnumerable<MessageTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(templates);
        var list = templates.ToImmutableArray();
        _ = TemplateCatalog.BuiltIn.With(list); // checks every template now, where the host wrote it
        kit.Services.AddSingleton(new PlaybookTemplates(list));
        return kit;
    }

    /// <summary>Adds a channel the host implements; one per channel name (<see cref="IPlaybookChannel.Channel"/>).</summary>
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

    /// <summary>
    /// Adds a channel built by a factory: for one implementation serving several names (a webhook channel for
    /// <c>"slack"</c> and another for <c>"teams"</c>). Two channels with one name fail start-up.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="factory">Builds the channel.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> or <paramref name="factory"/> is null.</exception>
    public static IRetentionKitBuilder AddPlaybookChannel(this IRetentionKitBuilder kit, Func<IServiceProvider, IPlaybookChannel> factory)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(factory);
        kit.Services.AddSingleton(factory);
        return kit;
    }
}
