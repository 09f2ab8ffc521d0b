using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tiers;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Internal;

/// <summary>
/// Scoped stores (a host's store over a <c>DbContext</c>) and the singletons that would capture them. The packages
/// register their services as singletons over their stores; when the host registers a store scoped, the services that
/// use it, directly or through another, are registered scoped too, so that each scope (a request, a daily run) gets
/// its own. A singleton of the host's that still takes a scoped service is a captive dependency: start-up fails,
/// in every environment, where the container checks it only in Development.
/// </summary>
internal static class ServiceLifetimes
{
    /// <summary>The packages' services and what each takes from the container (their registrations are factories, so this is said here).</summary>
    private static readonly (Type Service, Type[] Uses)[] Consumers =
    [
        (typeof(LoyaltyLedger), [typeof(ILoyaltyLedgerStore)]),
        (typeof(EarningService), [typeof(LoyaltyLedger)]),
        (typeof(TierService), [typeof(LoyaltyLedger)]),
        (typeof(RewardCatalog), [typeof(LoyaltyLedger)]),
        (typeof(ReferralProgram), [typeof(IReferralStore), typeof(LoyaltyLedger), typeof(IReferralSignalSource)]),
        (typeof(PlaybookRunner), [typeof(IEnrolmentStore)]),
        (typeof(ScoringService), [typeof(IScoreHistoryStore), typeof(IScoreOverrideStore), typeof(ScoringEngine)]),
    ];

    /// <summary>Re-registers as scoped every package service that uses a scoped service, to a fixed point.</summary>
    /// <returns>The services made scoped, in order.</returns>
    public static List<Type> ScopeConsumersOfScopedStores(IServiceCollection services)
    {
        var changed = new List<Type>();
        bool again;
        do
        {
            again = false;
            foreach (var (service, uses) in Consumers)
            {
                var descriptor = Last(services, service);
                if (descriptor is { Lifetime: ServiceLifetime.Singleton, ImplementationInstance: null } && uses.Any(u => Last(services, u)?.Lifetime == ServiceLifetime.Scoped))
                {
                    services[services.IndexOf(descriptor)] = descriptor.ImplementationFactory is { } factory
                        ? ServiceDescriptor.Scoped(service, factory)
                        : ServiceDescriptor.Scoped(service, descriptor.ImplementationType!);
                    changed.Add(service);
                    again = true;
                }
            }
        }
        while (again);

        return changed;
    }

    /// <summary>Every singleton that takes a scoped service, directly or through transient services: one problem each.</summary>
    public static List<string> CaptiveDependencies(IServiceCollection services)
    {
        var problems = new List<string>();
        var lifetimes = services.GroupBy(d => d.ServiceType).ToDictionary(g => g.Key, g => g.Last());
        foreach (var (service, uses) in Consumers)
        {
            if (lifetimes.GetValueOrDefault(service) is { Lifetime: ServiceLifetime.Singleton, ImplementationInstance: null }
                && uses.FirstOrDefault(u => lifetimes.GetValueOrDefault(u)?.Lifetime == ServiceLifetime.Scoped) is { } scoped)
            {
                problems.Add($"{service.Name} is a singleton that uses the scoped {scoped.Name}: register {scoped.Name} inside AddRetentionKit (kit.Services) or before it, so that {service.Name} is made scoped too.");
            }
        }

        foreach (var descriptor in services.Where(d => d is { Lifetime: ServiceLifetime.Singleton, IsKeyedService: false, ImplementationType: not null }))
        {
            if (ScopedDependency(descriptor.ImplementationType!, lifetimes, []) is { } path)
            {
                problems.Add($"{Name(descriptor.ServiceType)} is a singleton ({Name(descriptor.ImplementationType!)}) that takes the scoped {path}: it would keep one instance for the life of the process. Register it scoped, or take IServiceScopeFactory and resolve the scoped service per operation.");
            }
        }

        return problems;
    }

    /// <summary>The first scoped service a type's constructor takes, through transient services; null when none.</summary>
    private static string? ScopedDependency(Type type, Dictionary<Type, ServiceDescriptor> lifetimes, HashSet<Type> seen)
    {
        if (!seen.Add(type) || type.IsGenericTypeDefinition)
        {
            return null;
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        foreach (var parameter in constructor?.GetParameters() ?? [])
        {
            var wanted = parameter.ParameterType;
            if (wanted.IsGenericType && wanted.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            {
                wanted = wanted.GetGenericArguments()[0];
            }

            if (!lifetimes.TryGetValue(wanted, out var dependency))
            {
                continue;
            }

            if (dependency.Lifetime == ServiceLifetime.Scoped)
            {
                return Name(wanted);
            }

            if (dependency is { Lifetime: ServiceLifetime.Transient, ImplementationType: { } implementation }
                && ScopedDependency(implementation, lifetimes, seen) is { } deeper)
            {
                return $"{deeper} (through {Name(wanted)})";
            }
        }

        return null;
    }

    private static ServiceDescriptor? Last(IServiceCollection services, Type service)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == service && !services[i].IsKeyedService)
            {
                return services[i];
            }
        }

        return null;
    }

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}
