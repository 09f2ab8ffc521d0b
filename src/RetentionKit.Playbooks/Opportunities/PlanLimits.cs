using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Playbooks;

/// <summary>A plan's monthly allowance of one measure (1,000 documents a month on the basic plan, say).</summary>
/// <param name="Measure">What is counted (documents, contacts, API calls …).</param>
/// <param name="MonthlyLimit">The allowance per month, at least 1.</param>
public sealed record PlanLimit(string Measure, long MonthlyLimit);

/// <summary>How much of a plan's allowances a customer used this month, by the measure closest to its limit.</summary>
/// <param name="Share">The highest share used (0.8 = 80 %; above 1 when over a limit): what <see cref="CustomerState.LimitUsage"/> holds.</param>
/// <param name="Measure">The measure with that share.</param>
/// <param name="Used">What was used of it.</param>
/// <param name="Limit">Its limit.</param>
public sealed record LimitUsage(double Share, string Measure, long Used, long Limit);

/// <summary>Plans' usage limits as data, and usage measured against them: the input of the need-based upsell (B8).</summary>
public sealed class PlanLimits
{
    private readonly ImmutableDictionary<string, ImmutableArray<PlanLimit>> _plans;

    /// <summary>Initializes a new instance of the <see cref="PlanLimits"/> class.</summary>
    /// <param name="plans">Each plan's limits, by plan name; a plan may have none (unlimited).</param>
    /// <exception cref="ArgumentNullException"><paramref name="plans"/> is null.</exception>
    /// <exception cref="ArgumentException">A plan name or measure is blank, a measure appears twice in a plan, or a limit is below 1.</exception>
    public PlanLimits(IReadOnlyDictionary<string, IReadOnlyList<PlanLimit>> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var builder = ImmutableDictionary.CreateBuilder<string, ImmutableArray<PlanLimit>>(OptionKeyComparer.Instance);
        foreach (var (plan, limits) in plans)
        {
            if (string.IsNullOrWhiteSpace(plan) || limits is null)
            {
                throw new ArgumentException("plans must not have a blank plan name or a null list of limits.", nameof(plans));
            }

            if (limits.Any(l => l is null || string.IsNullOrWhiteSpace(l.Measure) || l.MonthlyLimit < 1))
            {
                throw new ArgumentException($"plans[{plan}] holds a limit that is null, without a measure, or below 1.", nameof(plans));
            }

            if (limits.GroupBy(l => l.Measure, OptionKeyComparer.Instance).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new ArgumentException($"plans[{plan}] limits '{twice.Key}' twice.", nameof(plans));
            }

            builder[plan] = [.. limits];
        }

        _plans = builder.ToImmutable();
    }

    /// <summary>Gets the documents' example: the basic plan allows 1,000 documents a month, pro 10,000 (B8).</summary>
    public static PlanLimits DocumentExample { get; } = new(new Dictionary<string, IReadOnlyList<PlanLimit>>
    {
        ["basic"] = [new PlanLimit("documents", 1_000)],
        ["pro"] = [new PlanLimit("documents", 10_000)],
    });

    /// <summary>Returns a plan's limits.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>Its limits; empty for a plan without limits.</returns>
    /// <exception cref="KeyNotFoundException">The plan is not known.</exception>
    public ImmutableArray<PlanLimit> Of(string plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return _plans.TryGetValue(plan, out var limits) ? limits : throw new KeyNotFoundException($"The plan '{plan}' has no limits defined; known plans: {string.Join(", ", _plans.Keys.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>Measures a month's usage against a plan's limits.</summary>
    /// <param name="plan">The customer's plan.</param>
    /// <param name="used">This month's usage by measure; a measure missing counts as 0.</param>
    /// <returns>The measure closest to (or furthest over) its limit; null for a plan without limits.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A usage is negative.</exception>
    /// <exception cref="KeyNotFoundException">The plan is not known.</exception>
    public LimitUsage? Usage(string plan, IReadOnlyDictionary<string, long> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        if (used.FirstOrDefault(u => u.Value < 0) is { Key: not null } negative)
        {
            throw new ArgumentOutOfRangeException(nameof(used), negative.Value, $"used[{negative.Key}] must not be negative.");
        }

        var byMeasure = used.ToDictionary(u => u.Key, u => u.Value, OptionKeyComparer.Instance);
        return Of(plan)
            .Select(l => (Limit: l, Used: byMeasure.GetValueOrDefault(l.Measure)))
            .Select(x => new LimitUsage((double)x.Used / x.Limit.MonthlyLimit, x.Limit.Measure, x.Used, x.Limit.MonthlyLimit))
            .OrderByDescending(u => u.Share).ThenBy(u => u.Measure, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
