using System;
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

    /// <summary>Gets the last day simulated (the as-of date of the data).</summary>
    public LocalDate End => Start.PlusMonths(Months).PlusDays(-1);
}
