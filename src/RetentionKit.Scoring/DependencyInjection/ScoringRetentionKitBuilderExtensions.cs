using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RetentionKit.Scoring;
using RetentionKit.Scoring.History;
using RetentionKit.Scoring.Internal;
using RetentionKit.Scoring.Sentiment;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Scoring.</summary>
public static class ScoringRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ScoringEngine"/> and <see cref="ScoringService"/> as singletons built from <see cref="ScoringOptions"/>
    /// (validated at start-up, every problem listed), with the in-memory history and override stores and the lexicon
    /// sentiment analyser as replaceable defaults.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: changes the options after any configuration binding the host added.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// Bind configuration with <c>services.AddOptions&lt;ScoringOptions&gt;().BindConfiguration("RetentionKit:Scoring")</c>.
    /// Defaults are added with <c>TryAdd</c>: a host's own <see cref="IScoreHistoryStore"/>, <see cref="IScoreOverrideStore"/>
    /// or <see cref="ISentimentAnalyzer"/> wins. Calling this twice registers nothing twice.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddScoring(this IRetentionKitBuilder kit, Action<ScoringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Contains(ScoringMarker.Descriptor))
        {
            services.Add(ScoringMarker.Descriptor);
            // Reading the options checks their single-field rules. At start-up every rule, including those that need the
            // registered signals, components and red flags, runs once on a separate marker options type, so that every
            // problem is listed together and a host's signal may itself depend on IOptions<ScoringOptions> without a cycle.
            services.AddOptions<ScoringOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoringOptions>>(new RetentionKit.Internal.QualifiedValidator<ScoringOptions>(new ScoringOptionsValidator(), "Scoring")));
            services.AddOptions<ScoringRegistrationCheck>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoringRegistrationCheck>, ScoringOptionsStartupValidator>());
            services.TryAddSingleton<ISentimentAnalyzer, LexiconSentimentAnalyzer>();
            services.TryAddSingleton<IScoreHistoryStore, InMemoryScoreHistoryStore>();
            services.TryAddSingleton<IScoreOverrideStore, InMemoryScoreOverrideStore>();
            services.TryAddSingleton(sp => new ScoringEngine(
                sp.GetRequiredService<IOptions<ScoringOptions>>().Value,
                sp.GetServices<IChurnSignal>(),
                sp.GetServices<IRetentionScoreComponent>(),
                sp.GetServices<IRedFlagRule>(),
                sp.GetRequiredService<ISentimentAnalyzer>(),
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
                sp.GetServices<ChurnFeature>(),
                sp.GetService<IChurnModel>()));
            services.TryAddSingleton<ScoringService>();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>Adds a signal of the host's own (S8). Give it a weight under <see cref="ScoringOptions.Signals"/>.</summary>
    /// <typeparam name="TSignal">The signal type, built by the container.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddSignal<TSignal>(this IRetentionKitBuilder kit)
        where TSignal : class, IChurnSignal
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IChurnSignal, TSignal>());
        return kit;
    }

    /// <summary>Adds one instance of a signal of the host's own (S8); many instances of one type may be added, each with its own key.</summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="signal">The signal. Give it a weight under <see cref="ScoringOptions.Signals"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddSignal(this IRetentionKitBuilder kit, IChurnSignal signal)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(signal);
        kit.Services.AddSingleton(signal);
        return kit;
    }

    /// <summary>Adds a signal of the host's own made by a factory from the container (for signals that need services); many may be added.</summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="factory">Makes the signal.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddSignal(this IRetentionKitBuilder kit, Func<IServiceProvider, IChurnSignal> factory)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(factory);
        kit.Services.AddSingleton(factory);
        return kit;
    }

    /// <summary>Adds a model feature (a number, a yes/no or a categorical value) beside those in <see cref="ScoringOptions.Features"/>.</summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="feature">The feature.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IRetentionKitBuilder AddChurnFeature(this IRetentionKitBuilder kit, ChurnFeature feature)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(feature);
        kit.Services.AddSingleton(feature);
        return kit;
    }

    /// <summary>Makes the host's own churn model give the churn probability (instead of the rule of thumb or a configured calibration).</summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="model">The model.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>One model is used; adding another replaces it.</remarks>
    public static IRetentionKitBuilder AddChurnModel(this IRetentionKitBuilder kit, IChurnModel model)
    {
        ArgumentNullException.ThrowIfNull(kit);
        ArgumentNullException.ThrowIfNull(model);
        kit.Services.Replace(ServiceDescriptor.Singleton(model));
        return kit;
    }

    /// <summary>Adds a retention-score component of the host's own (S8). Give it a weight under <see cref="RetentionScoreOptions.ComponentWeights"/>.</summary>
    /// <typeparam name="TComponent">The component type, built by the container.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddScoreComponent<TComponent>(this IRetentionKitBuilder kit)
        where TComponent : class, IRetentionScoreComponent
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRetentionScoreComponent, TComponent>());
        return kit;
    }

    /// <summary>Adds a red-flag rule of the host's own (S3), beside those in the options.</summary>
    /// <typeparam name="TRule">The rule type, built by the container.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddRedFlag<TRule>(this IRetentionKitBuilder kit)
        where TRule : class, IRedFlagRule
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRedFlagRule, TRule>());
        return kit;
    }

    private sealed class ScoringMarker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new ScoringMarker());
    }
}

/// <summary>A marker options type: validating it at start-up validates the scoring options against the registrations.</summary>
internal sealed class ScoringRegistrationCheck
{
}

/// <summary>Validates the options together with the registered signals, components and red flags, listing every problem.</summary>
/// <remarks>
/// The options are built from their configure and post-configure steps as the options factory would build them, but
/// without its validation, which would stop at the single-field rules and hide the cross-field ones.
/// </remarks>
internal sealed class ScoringOptionsStartupValidator(
    IEnumerable<IConfigureOptions<ScoringOptions>> configures,
    IEnumerable<IPostConfigureOptions<ScoringOptions>> postConfigures,
    IEnumerable<IChurnSignal> signals,
    IEnumerable<IRetentionScoreComponent> components,
    IEnumerable<IRedFlagRule> redFlags,
    IEnumerable<ChurnFeature> features,
    IEnumerable<IChurnModel> models) : IValidateOptions<ScoringRegistrationCheck>
{
    public ValidateOptionsResult Validate(string? name, ScoringRegistrationCheck check)
    {
        var options = new ScoringOptions();
        foreach (var configure in configures)
        {
            if (configure is IConfigureNamedOptions<ScoringOptions> named)
            {
                named.Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
            }
            else
            {
                configure.Configure(options);
            }
        }

        foreach (var postConfigure in postConfigures)
        {
            postConfigure.PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);
        }

        var problems = ScoringOptionsValidation.Problems(options, new ScoringRegistrations(signals.ToList(), components.ToList(), redFlags.ToList(), features.ToList(), models.Any()));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<ScoringOptions>("Scoring", problems));
    }
}
