using System;
using System.Linq;
using NodaTime;

namespace RetentionKit.Simulation;

/// <summary>What to simulate: how many customers, over how many months, from which date, with which seed.</summary>
/// <remarks>The same settings always produce the same customer base, byte for byte.</remarks>
public sealed record SimulationSettings
{
    /// <summary>Initializes a new instance of the <see cref="SimulationSettings"/> class.</summary>
    /// <param name="customers">Customers who sign up during the window; 1 to 10,000,000.</param>
    /// <param name="months">Months simulated; 1 to 240.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="start">The first day of the first month; must be the first of a month.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range or <paramref name="start"/> is not the first of a month.</exception>
    public SimulationSettings(int customers, int months, int seed, LocalDate start)
    {
        if (customers is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(customers), customers, "customers must be between 1 and 10,000,000.");
        }

        if (months is < 1 or > 240)
        {
            throw new ArgumentOutOfRangeException(nameof(months), months, "months must be between 1 and 240.");
        }

        if (start.Day != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "start must be the first day of a month.");
        }

        Customers = customers;
        Months = months;
        Seed = seed;
        Start = start;
    }

    /// <summary>Gets the bundled default: 5,000 customers over 24 months from 2024-01-01, seed 42.</summary>
    public static SimulationSettings Default { get; } = new(5_000, 24, 42, new LocalDate(2024, 1, 1));

    /// <summary>Gets the number of customers who sign up during the window.</summary>
    public int Customers { get; }

    /// <summary>Gets the number of months simulated.</summary>
    public int Months { get; }

    /// <summary>Gets the random seed.</summary>
    public int Seed { get; }

    /// <summary>Gets the first day of the first month.</summary>
    public LocalDate Start { get; }

    /// <summary>Gets an intervention experiment run on the simulated customers, with its true effects; null (the default) for none, and then the data are the same as without this property.</summary>
    public SimulatedExperiment? Experiment { get; init; }

    /// <summary>Gets the last day simulated (the as-of date of the data).</summary>
    public LocalDate End => Start.PlusMonths(Months).PlusDays(-1);
}

/// <summary>
/// An intervention experiment inside the simulation: a customer whose health falls below a threshold is enrolled once
/// in a playbook, held out as a control with the holdout share (a random stream of its own, so the rest of the data
/// does not move), and a treated customer's monthly churn hazard is multiplied by the true effect of their plan for the
/// window's months. The outcome is whether the customer is still a customer at the end of the window.
/// </summary>
public sealed record SimulatedExperiment
{
    /// <summary>Gets the playbook's id the enrolments are recorded under; "retention-offer" by default.</summary>
    public string Playbook { get; init; } = "retention-offer";

    /// <summary>Gets the share of enrolled customers held out as controls, in (0, 1); 0.2 by default.</summary>
    public double HoldoutShare { get; init; } = 0.2;

    /// <summary>Gets the health below which a customer is enrolled (the simulator's health is 0–1; churn becomes likely below about 0.4); 0.45 by default.</summary>
    public double HealthBelow { get; init; } = 0.45;

    /// <summary>Gets the months the treatment lasts and the outcome is watched (the enrolment's month counts); 3 by default.</summary>
    public int WindowMonths { get; init; } = 3;

    /// <summary>
    /// Gets the true effect by plan: the factor a treated customer's churn hazard is multiplied by (below 1 helps, 1 does
    /// nothing, above 1 harms). Plans not listed get <see cref="DefaultHazardFactor"/>.
    /// </summary>
    public System.Collections.Immutable.ImmutableDictionary<string, double> HazardFactors { get; init; } = System.Collections.Immutable.ImmutableDictionary<string, double>.Empty;

    /// <summary>Gets the hazard factor of plans not in <see cref="HazardFactors"/>; 0.6 by default.</summary>
    public double DefaultHazardFactor { get; init; } = 0.6;

    /// <summary>Gets the bundled example: a retention offer that cuts the churn hazard by half on starter, by a quarter on professional and not at all on enterprise (a zero effect).</summary>
    public static SimulatedExperiment Example { get; } = new()
    {
        HazardFactors = System.Collections.Immutable.ImmutableDictionary.CreateRange(new System.Collections.Generic.Dictionary<string, double> { ["starter"] = 0.5, ["professional"] = 0.75, ["enterprise"] = 1.0 }),
    };

    /// <summary>Gets the hazard factor of a plan.</summary>
    /// <param name="plan">The plan's name.</param>
    /// <returns>The factor.</returns>
    public double FactorOf(string plan) => HazardFactors.TryGetValue(plan, out var f) ? f : DefaultHazardFactor;

    /// <summary>Checks the experiment's values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The holdout share, threshold, window or a factor is out of range.</exception>
    public void Validate()
    {
        if (!(HoldoutShare is > 0 and < 1) || !(HealthBelow is > 0 and <= 1) || WindowMonths is < 1 or > 24 || !(DefaultHazardFactor >= 0 && double.IsFinite(DefaultHazardFactor)) || HazardFactors.Values.Any(f => !(f >= 0 && double.IsFinite(f))))
        {
            throw new ArgumentOutOfRangeException(nameof(SimulationSettings.Experiment), "The experiment needs a holdout share in (0, 1), a health threshold in (0, 1], a window of 1 to 24 months and finite hazard factors that are not negative.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Playbook, nameof(Playbook));
    }
}
