using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests.Experiments;

/// <summary>Control groups: held-out customers run through a playbook as if treated, recorded, never contacted; outcomes by the playbook's rule.</summary>
public class HoldoutTests
{
    private static readonly PlaybookOptions HalfHeldOut = new() { HoldoutShare = 0.5 };

    // Engagement low enough to enrol in re-engagement on day 0, and stays low.
    private static CustomerState Disengaged(CustomerId id, LocalDate day) =>
        new CustomerState(id, Madrid, Day0.PlusDays(-400)) with { Engagement = new UsageLevel(0.3, DaysBelowLow: 14 + Period.Between(Day0, day, PeriodUnits.Days).Days) };

    private static (CustomerId Control, CustomerId Treated) OneOfEach(PlaybookEngine engine, string playbook)
    {
        var ids = Enumerable.Range(0, 100).Select(i => new CustomerId($"c{i}")).ToArray();
        return (ids.First(c => engine.IsHeldOut(c, playbook)), ids.First(c => !engine.IsHeldOut(c, playbook)));
    }

    [Fact]
    public void AHeldOutCustomer_RunsThePlaybookDayByDay_ButNothingIsDelivered()
    {
        var engine = Engine(HalfHeldOut, BuiltInPlaybooks.ReEngagement);
        var (control, treated) = OneOfEach(engine, BuiltInPlaybooks.ReEngagement);

        var controlDays = PlaybookSimulator.Run(engine, Day0, 25, d => Disengaged(control, d));
        var treatedDays = PlaybookSimulator.Run(engine, Day0, 25, d => Disengaged(treated, d));

        Assert.Empty(PlaybookSimulator.Schedule(controlDays));
        Assert.Equal(3, PlaybookSimulator.Schedule(treatedDays).Length);

        // The same steps fall due on the same days: delivered for one, withheld for the other.
        var withheld = controlDays.SelectMany(d => (d.Plan?.Enrolments ?? []).SelectMany(p => p.Withheld.Select(w => (d.Day, w.Step.Id)))).ToArray();
        Assert.Equal(PlaybookSimulator.Schedule(treatedDays).Select(s => (s.Day, s.Step)), withheld);
        var enrolment = Assert.Single(controlDays[^1].Enrolments);
        Assert.True(enrolment.IsControl);
        Assert.Equal(EnrolmentStatus.Completed, enrolment.Status);
        Assert.All(enrolment.Steps, s => Assert.True(s.Withheld));
        Assert.False(Assert.Single(treatedDays[^1].Enrolments).IsControl);
        Assert.All(Assert.Single(treatedDays[^1].Enrolments).Steps, s => Assert.False(s.Withheld));
    }

    [Fact]
    public void AControl_HoldsTheInterventionSlotAndTheCaps_AsIfTreated()
    {
        // Retention offer (priority 90) running as a control: the re-engagement trigger waits behind it exactly as it
        // would behind a treated one, so the two groups see the same competition.
        var engine = Engine(HalfHeldOut, BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer);
        var ids = Enumerable.Range(0, 200).Select(i => new CustomerId($"c{i}")).ToArray();
        var control = ids.First(c => engine.IsHeldOut(c, BuiltInPlaybooks.RetentionOffer) && !engine.IsHeldOut(c, BuiltInPlaybooks.ReEngagement));
        var treated = ids.First(c => !engine.IsHeldOut(c, BuiltInPlaybooks.RetentionOffer) && !engine.IsHeldOut(c, BuiltInPlaybooks.ReEngagement));
        CustomerState State(CustomerId id, LocalDate d) => BuiltInTimelineTests.AtRisk(Disengaged(id, d));

        var a = PlaybookSimulator.Run(engine, Day0, 5, d => State(control, d));
        var b = PlaybookSimulator.Run(engine, Day0, 5, d => State(treated, d));

        string[] Declined(IEnumerable<SimulatedDay> days) => [.. days.SelectMany(d => d.Plan?.Declined ?? []).Select(x => $"{x.Playbook}: {x.Reason}")];
        Assert.NotEmpty(Declined(a));
        Assert.Equal(Declined(b), Declined(a));
        Assert.Equal(b.Select(d => d.Enrolments.Length), a.Select(d => d.Enrolments.Length));
        Assert.True(a[^1].Enrolments.Single(e => e.Playbook == BuiltInPlaybooks.RetentionOffer).IsControl);
        Assert.False(b[^1].Enrolments.Single(e => e.Playbook == BuiltInPlaybooks.RetentionOffer).IsControl);
    }

    [Property(MaxTest = 20)]
    public Property TheHoldout_IsStable_IndependentOfTheVariant_AndNearItsShare() =>
        Prop.ForAll(Gen.Elements(0.05, 0.1, 0.25, 0.5).ToArbitrary(), share =>
        {
            var options = new PlaybookOptions { HoldoutShare = share };
            options.Variants[BuiltInPlaybooks.ReEngagement] = ["a", "b"];
            var engine = Engine(options, BuiltInPlaybooks.ReEngagement);
            var again = Engine(options, BuiltInPlaybooks.ReEngagement);
            var ids = Enumerable.Range(0, 8_000).Select(i => new CustomerId($"customer-{i}")).ToArray();

            var held = ids.Where(c => engine.IsHeldOut(c, BuiltInPlaybooks.ReEngagement)).ToArray();
            var sigma = Math.Sqrt(share * (1 - share) / ids.Length);

            Assert.InRange(held.Length / (double)ids.Length, share - (4 * sigma), share + (4 * sigma));
            Assert.All(ids, c => Assert.Equal(engine.IsHeldOut(c, BuiltInPlaybooks.ReEngagement), again.IsHeldOut(c, BuiltInPlaybooks.ReEngagement)));

            // Within the controls the variants split as they do overall: the two hashes are independent.
            var variantA = held.Count(c => engine.VariantOf(c, BuiltInPlaybooks.ReEngagement) == "a") / (double)held.Length;
            Assert.InRange(variantA, 0.5 - (4 * Math.Sqrt(0.25 / held.Length)), 0.5 + (4 * Math.Sqrt(0.25 / held.Length)));
        });

    [Fact]
    public void HoldoutShares_OverrideTheShareForOnePlaybook_AndZeroHoldsNobodyOut()
    {
        var options = new PlaybookOptions { HoldoutShare = 0 };
        options.HoldoutShares[BuiltInPlaybooks.RetentionOffer] = 0.5;
        var engine = Engine(options, BuiltInPlaybooks.ReEngagement, BuiltInPlaybooks.RetentionOffer);
        var ids = Enumerable.Range(0, 1_000).Select(i => new CustomerId($"c{i}")).ToArray();

        Assert.DoesNotContain(ids, c => engine.IsHeldOut(c, BuiltInPlaybooks.ReEngagement));
        Assert.InRange(ids.Count(c => engine.IsHeldOut(c, BuiltInPlaybooks.RetentionOffer)), 430, 570);
    }

    [Fact]
    public void TheOutcome_SucceedsOnTheDayTheRuleIsMet_ForControlsAndTreatedAlike()
    {
        var engine = Engine(HalfHeldOut, BuiltInPlaybooks.ReEngagement);
        var (control, treated) = OneOfEach(engine, BuiltInPlaybooks.ReEngagement);
        CustomerState State(CustomerId id, LocalDate d) => d >= Day0.PlusDays(3) ? Disengaged(id, d) with { Engagement = new UsageLevel(0.6) } : Disengaged(id, d);

        foreach (var id in new[] { control, treated })
        {
            var days = PlaybookSimulator.Run(engine, Day0, 10, d => State(id, d));
            var enrolment = Assert.Single(days[^1].Enrolments);

            Assert.Equal(new EnrolmentOutcome(true, Day0.PlusDays(3), $"succeeded by day 3 of 34: engagement at least 50 %"), enrolment.Outcome);
            Assert.Equal((EnrolmentStatus.Exited, Day0.PlusDays(3)), (enrolment.Status, enrolment.EndedOn));
            Assert.Null(days[2].Enrolments.Single().Outcome);
        }
    }

    [Fact]
    public void TheOutcome_FailsWhenTheWindowCloses_AndIsThenKept()
    {
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.ReEngagement);
        var engine = Engine(BuiltInPlaybooks.ReEngagement);
        var window = playbook.OutcomeWindowDays;

        // Never re-engages within the window; re-engages the day after it closed (too late to count).
        var days = PlaybookSimulator.Run(engine, Day0, window + 5, d => d > Day0.PlusDays(window) ? Disengaged(Ana, d) with { Engagement = new UsageLevel(0.9) } : Disengaged(Ana, d));
        var outcomes = days.Select(d => d.Enrolments.Single(e => e.StartedOn == Day0).Outcome).ToArray();

        Assert.Equal(playbook.LengthInDays + 30, window);
        Assert.All(outcomes[..window], Assert.Null);
        Assert.Equal(new EnrolmentOutcome(false, Day0.PlusDays(window), $"did not succeed by day {window} of {window}: engagement at least 50 %"), outcomes[window]);
        Assert.All(outcomes[window..], o => Assert.Equal(outcomes[window], o));
    }

    [Fact]
    public void TheOutcome_IsDecidedAfterTheEnrolmentEnded_WhileTheWindowIsOpen()
    {
        var engine = Engine(BuiltInPlaybooks.ReEngagement);
        var days = PlaybookSimulator.Run(engine, Day0, 30, d => d >= Day0.PlusDays(25) ? Disengaged(Ana, d) with { Engagement = new UsageLevel(0.6) } : Disengaged(Ana, d));

        var completed = days[20].Enrolments.Single();
        var decided = days[25].Enrolments.Single();

        Assert.Equal((EnrolmentStatus.Completed, (EnrolmentOutcome?)null), (completed.Status, completed.Outcome));
        Assert.Equal((EnrolmentStatus.Completed, true, Day0.PlusDays(25)), (decided.Status, decided.Outcome!.Succeeded, decided.Outcome.DecidedOn));
        Assert.Null(days[26].Plan); // decided once: nothing more to do
    }

    [Fact]
    public void Retained_FailsTheDayTheCustomerChurns()
    {
        var engine = Engine(BuiltInPlaybooks.RetentionOffer);
        var days = PlaybookSimulator.Run(engine, Day0, 12, d => d >= Day0.PlusDays(10)
            ? BuiltInTimelineTests.AtRisk(Customer()) with { ChurnedOn = Day0.PlusDays(10) }
            : BuiltInTimelineTests.AtRisk(Customer()));

        var outcome = days[^1].Enrolments.Single().Outcome;

        Assert.Equal((false, Day0.PlusDays(10)), (outcome!.Succeeded, outcome.DecidedOn));
        Assert.Contains("still a customer at the end of the window", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARuleThatLeavesTheOutcomeOpenPastItsWindow_IsRefusedNamingIt()
    {
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.ReEngagement) with
        {
            Outcome = OutcomeRules.When("never answers", (_, _, _, _) => null),
            OutcomeWindowDays = 3,
        };
        var engine = new PlaybookEngine([playbook], new PlaybookOptions());

        var e = Assert.Throws<InvalidOperationException>(() => PlaybookSimulator.Run(engine, Day0, 5, d => Disengaged(Ana, d)));

        Assert.Contains("The outcome rule of playbook 're-engagement' (never answers) left enrolment 'ana/re-engagement/2026-03-02' open after its 3-day window closed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3_651)]
    public void OutcomeWindowDays_OutOfRange_IsRefused(int days) =>
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => BuiltInPlaybooks.All[0] with { OutcomeWindowDays = days }).ParamName);

    [Fact]
    public void TheOptions_RefuseAHoldoutAboveHalfOrBelowZero_NamingIt()
    {
        var options = new PlaybookOptions { HoldoutShare = 0.6 };
        options.HoldoutShares["win-back"] = -0.1;

        var result = new PlaybookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("HoldoutShare must be 0 to 0.5 (was 0.6)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("HoldoutShares:win-back must be 0 to 0.5 (was -0.1)", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { HoldoutShare = 0.5 }).Succeeded);
    }
}
