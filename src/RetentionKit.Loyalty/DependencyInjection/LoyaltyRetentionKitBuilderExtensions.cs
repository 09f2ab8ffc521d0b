using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tiers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Loyalty.</summary>
public static class LoyaltyRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="LoyaltyLedger"/> as a singleton on the registered <see cref="ILoyaltyLedgerStore"/> (the
    /// in-memory store unless the host registered its own) and the clock, the earning service, tiers, the reward
    /// catalogue and the <see cref="ReferralProgram"/> (on the registered <see cref="IReferralStore"/>, in memory by
    /// default), with <see cref="LoyaltyOptions"/> validated at start-up.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: changes the options after any configuration binding the host added.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>Bind configuration with <c>services.AddOptions&lt;LoyaltyOptions&gt;().BindConfiguration("RetentionKit:Loyalty")</c>. Calling this twice registers nothing twice.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddLoyalty(this IRetentionKitBuilder kit, Action<LoyaltyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Contains(LoyaltyMarker.Descriptor))
        {
            services.Add(LoyaltyMarker.Descriptor);
            services.AddOptions<LoyaltyOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoyaltyOptions>, LoyaltyOptionsValidator>());
            services.TryAddSingleton<ILoyaltyLedgerStore, InMemoryLoyaltyLedgerStore>();
            services.TryAddSingleton(sp => new LoyaltyLedger(
                sp.GetRequiredService<ILoyaltyLedgerStore>(),
                sp.GetRequiredService<IClock>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value,
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.TryAddSingleton(sp => new EarningService(
                sp.GetRequiredService<LoyaltyLedger>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value,
                sp.GetServices<IEarningRule>()));
            services.TryAddSingleton(sp => new TierService(
                sp.GetRequiredService<LoyaltyLedger>(),
                sp.GetRequiredService<IClock>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value));
            services.TryAddSingleton(sp => new ReferralFraudPipeline([.. ReferralFraudPipeline.BuiltIn, .. sp.GetServices<IReferralFraudCheck>()]));
            services.TryAddSingleton(sp => new RewardCatalog(
                sp.GetRequiredService<LoyaltyLedger>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value));
            services.TryAddSingleton<RetentionKit.Loyalty.Badges.IBadgeStore, RetentionKit.Loyalty.Badges.InMemoryBadgeStore>();
            services.TryAddSingleton(sp => new RetentionKit.Loyalty.Badges.BadgeService(
                sp.GetRequiredService<RetentionKit.Loyalty.Badges.IBadgeStore>(),
                sp.GetRequiredService<LoyaltyLedger>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value.Badges));
            services.TryAddSingleton<IReferralStore, InMemoryReferralStore>();
            services.TryAddSingleton(sp => new ReferralProgram(
                sp.GetRequiredService<IReferralStore>(),
                sp.GetRequiredService<LoyaltyLedger>(),
                sp.GetRequiredService<ReferralFraudPipeline>(),
                sp.GetService<IReferralSignalSource>(),
                sp.GetRequiredService<IClock>(),
                sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>Adds an earning rule of the host's own (L1); it replaces a configured rule of the same kind.</summary>
    /// <typeparam name="TRule">The rule type, built by the container.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddEarningRule<TRule>(this IRetentionKitBuilder kit)
        where TRule : class, IEarningRule
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEarningRule, TRule>());
        return kit;
    }

    /// <summary>Adds a referral fraud check of the host's own (L5); it runs after the built-in checks.</summary>
    /// <typeparam name="TCheck">The check type, built by the container; its name must be unique.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddReferralFraudCheck<TCheck>(this IRetentionKitBuilder kit)
        where TCheck : class, IReferralFraudCheck
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IReferralFraudCheck, TCheck>());
        return kit;
    }

    /// <summary>Adds the host's source of fraud signals for referrals (hashed e-mail, device, payment fingerprint).</summary>
    /// <typeparam name="TSource">The source type, built by the container; it replaces any registered before.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddReferralSignals<TSource>(this IRetentionKitBuilder kit)
        where TSource : class, IReferralSignalSource
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.Replace(ServiceDescriptor.Singleton<IReferralSignalSource, TSource>());
        return kit;
    }

    private sealed class LoyaltyMarker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new LoyaltyMarker());
    }
}

/// <summary>Validates <see cref="LoyaltyOptions"/>, listing every problem.</summary>
internal sealed class LoyaltyOptionsValidator : IValidateOptions<LoyaltyOptions>
{
    public ValidateOptionsResult Validate(string? name, LoyaltyOptions options)
    {
        var problems = LoyaltyOptionsValidation.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<LoyaltyOptions>("Loyalty", problems));
    }
}
