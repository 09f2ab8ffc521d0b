using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Simulation.Tests;

/// <summary>The simulator's intervention experiment: controls by a stream of their own, a true effect on the churn hazard by plan, outcomes over the window.</summary>
public class ExperimentSimulationTests
{
    private static readonly SimulationSettings Plain = new(6_000, 24, 7, new LocalDate(2024, 1, 1));
    private static readonly SimulatedCustomerBase Without = CustomerBaseSimulator.Run(Plain);
    private static readonly SimulatedCustomerBase With = CustomerBaseSimulator.Run(Plain with { Experiment = SimulatedExperiment.Example });

    [Fact]
    public void WithoutAnExperiment_ThereAreNoInterventions()
    {
        Assert.Empty(Without.Interventions);
        Assert.NotEmpty(With.Interventions);
    }

    [Fact]
    public void ControlsAndCustomersNeverEnrolled_HaveTheSameDataAsWithoutTheExperiment()
    {
        var treated = With.Interventions.Where(i => !i.Control).Select(i => i.Customer).ToHashSet();

        Assert.Equal(Without.Customers.AsEnumerable(), With.Customers.AsEnumerable());
        var (a, b) = (Without.SubscriptionEvents.Where(e => !treated.Contains(e.Customer)).ToArray(), With.SubscriptionEvents.Where(e => !treated.Contains(e.Customer)).ToArray());
        var firstDiff = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => !a[i].Equals(b[i]), -1);
        Assert.True(firstDiff < 0 && a.Length == b.Length, firstDiff < 0 ? $"{a.Length} vs {b.Length}" : $"{a[firstDiff]} vs {b[firstDiff]}");
        Assert.Equal(Without.Activity.Where(a => !treated.Contains(a.Customer)), With.Activity.Where(a => !treated.Contains(a.Customer)));
    }

    [Fact]
    public void TheHoldout_IsItsShare_AndEveryOutcomeFallsInItsWindow()
    {
        var all = With.Interventions;
        var share = all.Count(i => i.Control) / (double)all.Length;
        var sigma = Math.Sqrt(0.2 * 0.8 / all.Length);

        Assert.InRange(share, 0.2 - (4 * sigma), 0.2 + (4 * sigma));
        Assert.Equal(all.Length, all.Select(i => i.Customer).Distinct().Count()); // once per customer
        Assert.All(all.Where(i => i.Retained is not null), i => Assert.InRange(i.DecidedOn!.Value, i.StartedOn, i.StartedOn.PlusMonths(3).PlusDays(-1)));
        Assert.All(all.Where(i => i.Retained is null), i => Assert.True(i.StartedOn.PlusMonths(3) > Plain.End.PlusDays(1), $"{i} is open, but its window closed before the data's end"));
        Assert.All(all, i => Assert.Equal(SimulatedExperiment.Example.FactorOf(i.Plan), i.HazardFactor));
    }

    [Fact]
    public void TheTreatment_KeepsMoreCustomersWhereItsTrueEffectIsStrong()
    {
        double Retained(string plan, bool control)
        {
            var group = With.Interventions.Where(i => i.Plan == plan && i.Control == control && i.Retained is not null).ToArray();
            return group.Count(i => i.Retained == true) / (double)group.Length;
        }

        // starter: the hazard halved; the treated keep clearly more customers than the controls.
        Assert.True(Retained("starter", control: false) > Retained("starter", control: true) + 0.05, $"treated {Retained("starter", false):P1}, controls {Retained("starter", true):P1}");
    }

    [Fact]
    public void AnExperimentOutOfRange_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CustomerBaseSimulator.Run(new SimulationSettings(10, 3, 1, new LocalDate(2024, 1, 1)) { Experiment = new SimulatedExperiment { HoldoutShare = 0 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CustomerBaseSimulator.Run(new SimulationSettings(10, 3, 1, new LocalDate(2024, 1, 1)) { Experiment = new SimulatedExperiment { HazardFactors = ImmutableDictionary<string, double>.Empty.Add("starter", -1) } }));
    }
}
