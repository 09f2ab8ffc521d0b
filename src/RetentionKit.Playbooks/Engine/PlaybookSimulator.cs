using System;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>One day of a simulated journey: what the engine did for the customer that day.</summary>
/// <param name="Day">The date.</param>
/// <param name="Plan">The engine's plan; null for a day without changes.</param>
/// <param name="Enrolments">Every enrolment of the customer at the end of the day, in the order they started.</param>
public sealed record SimulatedDay(LocalDate Day, CustomerPlan? Plan, ImmutableArray<Enrolment> Enrolments);

/// <summary>
/// A dry run: one customer through the engine day by day on a fake clock, with enrolments kept in memory and nothing
/// delivered. It returns the exact schedule the engine would follow — the tests read it, and users preview a
/// playbook's timeline with it.
/// </summary>
public static class PlaybookSimulator
{
    /// <summary>Runs a customer from a date for a number of days.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="from">The first day, in the customer's zone.</param>
    /// <param name="days">How many days, 1 to 3,650.</param>
    /// <param name="stateOn">The customer's state on each day (the simulation's script: usage falling, an answer on day 3…).</param>
    /// <param name="enrolments">The customer's enrolments before the first day (default: none), to see what lies ahead of a customer already in playbooks.</param>
    /// <returns>Every day's plan, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is out of range.</exception>
    public static ImmutableArray<SimulatedDay> Run(PlaybookEngine engine, LocalDate from, int days, Func<LocalDate, CustomerState> stateOn, ImmutableArray<Enrolment> enrolments = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(stateOn);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 3_650);
        var known = enrolments.IsDefault ? [] : enrolments;
        var result = ImmutableArray.CreateBuilder<SimulatedDay>(days);
        for (var d = 0; d < days; d++)
        {
            var today = from.PlusDays(d);
            var state = stateOn(today) ?? throw new InvalidOperationException($"The script gave no state for {today}.");
            var plan = engine.Plan(state, known, today);
            known = plan?.ApplyTo(known) ?? known;
            result.Add(new SimulatedDay(today, plan, known));
        }

        return result.MoveToImmutable();
    }

    /// <summary>The schedule of a simulation: every delivered step with its day, in order.</summary>
    /// <param name="days">The simulated days.</param>
    /// <returns>(day, playbook id, step id) for each delivery.</returns>
    public static ImmutableArray<(LocalDate Day, string Playbook, string Step)> Schedule(ImmutableArray<SimulatedDay> days)
    {
        var schedule = ImmutableArray.CreateBuilder<(LocalDate, string, string)>();
        foreach (var day in days)
        {
            foreach (var planned in day.Plan?.Enrolments ?? [])
            {
                foreach (var due in planned.Deliver)
                {
                    schedule.Add((day.Day, planned.After.Playbook, due.Step.Id));
                }
            }
        }

        return schedule.ToImmutable();
    }
}
