using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Scoring;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>
/// Model-based test of the engine over random day-by-day histories (every built-in playbook, usage rising and falling,
/// risk coming and going, churn, replies, upgrades, requests): no step is delivered before its day, none twice; a
/// customer has at most one active enrolment per playbook and one intervention at a time; nothing is sold to a customer
/// at risk; the caps hold in every window; and the same history gives the same schedule.
/// </summary>
public class EngineModelTests
{
    private static readonly string[] EventKinds =
    [
        CustomerEvents.Replied, CustomerEvents.AcceptedOffer, CustomerEvents.Upgraded, CustomerEvents.BoughtAddOn, CustomerEvents.CancellationRequested,
        CustomerEvents.AskedForHigherPlan, CustomerEvents.OtherDepartmentsAsked, CustomerEvents.NegativeFeedback, CustomerEvents.FeedbackResolved,
    ];

    /// <summary>One day's facts.</summary>
    public sealed record DayFacts(double Engagement, double Adoption, double Churn, RetentionBand Band, double Limit, int Nps, double Roi, int Event, bool Active);

    /// <summary>A customer's history: when they signed up (relative to day 0), whether and when they churn, and each day's facts.</summary>
    public sealed record History(int SignedUpDaysAgo, int? ChurnDay, int MaxEmails, DayFacts[] Days)
    {
        public override string ToString() => $"signed up {SignedUpDaysAgo} days before, churn on {ChurnDay?.ToString() ?? "never"}, {Days.Length} days, max e-mails {MaxEmails}";
    }

    public static class Histories
    {
        private static readonly Gen<DayFacts> Facts =
            from engagement in Gen.Elements(0.2, 0.45, 0.6, 0.9)
            from adoption in Gen.Elements(0.1, 0.25, 0.5, 0.85)
            from churn in Gen.Elements(0.1, 0.5, 0.75, 0.9)
            from band in Gen.Elements(RetentionBand.AtRisk, RetentionBand.Low, RetentionBand.Medium, RetentionBand.High)
            from limit in Gen.Elements(0.2, 0.85)
            from nps in Gen.Elements(40, 65, 80)
            from roi in Gen.Elements(0.5, 2.5)
            from e in Gen.Choose(-20, EventKinds.Length - 1)
            from active in Gen.Elements(true, true, true, false)
            select new DayFacts(engagement, adoption, churn, band, limit, nps, roi, e, active);

        public static Arbitrary<History> All() =>
            (from signedUp in Gen.Choose(0, 400)
             from churns in Gen.Elements(false, false, true)
             from churnDay in Gen.Choose(5, 80)
             from maxEmails in Gen.Elements(1, 3, 10)
             from length in Gen.Choose(20, 120)
             from stretch in Gen.Choose(1, 10) // facts hold for a few days at a time, so the day counts behind triggers build up
             from days in Gen.ArrayOf(Facts, (length / stretch) + 1)
             select new History(signedUp, churns ? churnDay : null, maxEmails, [.. Enumerable.Range(0, length).Select(d => days[d / stretch])])).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Histories)], MaxTest = 200)]
    public void EveryHistory_KeepsTheEngineInvariants(History history)
    {
        var options = new PlaybookOptions { MaxEmails = history.MaxEmails };
        var engine = new PlaybookEngine(BuiltInPlaybooks.All, options);
        var states = States(history);
        var days = PlaybookSimulator.Run(engine, Day0, history.Days.Length, d => states[Period.Between(Day0, d, PeriodUnits.Days).Days]);

        var delivered = new HashSet<string>(StringComparer.Ordinal);
        var sent = new List<(LocalDate Day, PlaybookChannel Channel)>();
        foreach (var day in days)
        {
            foreach (var planned in day.Plan?.Enrolments ?? [])
            {
                foreach (var due in planned.Deliver)
                {
                    Assert.True(day.Day >= planned.After.StartedOn.PlusDays(due.Step.Day), $"{due.IdempotencyKey} delivered on {day.Day}, before its day");
                    Assert.True(delivered.Add(due.IdempotencyKey), $"{due.IdempotencyKey} delivered twice");
                    Assert.False(planned.Playbook!.IsExpansion && PlaybookEngine.IsAtRisk(states[Period.Between(Day0, day.Day, PeriodUnits.Days).Days]), $"{due.IdempotencyKey} sold to a customer at risk");
                    sent.Add((day.Day, due.Step.Channel));
                }
            }

            var active = day.Enrolments.Where(e => e.IsActive).ToList();
            Assert.Equal(active.Count, active.Select(e => e.Playbook).Distinct().Count());
            Assert.True(active.Count(e => engine.Find(e.Playbook)!.IsIntervention) <= 1, $"two interventions on {day.Day}");
            foreach (var channel in PlaybookChannel.BuiltIn)
            {
                var inWindow = sent.Count(s => s.Channel == channel && s.Day > day.Day.PlusDays(-options.CapWindowDays));
                Assert.True(inWindow <= options.CapOf(channel), $"{inWindow} {channel} deliveries in the window ending {day.Day}");
            }
        }

        var again = PlaybookSimulator.Run(new PlaybookEngine(BuiltInPlaybooks.All.Reverse(), options), Day0, history.Days.Length, d => states[Period.Between(Day0, d, PeriodUnits.Days).Days]);
        var (x, y) = (PlaybookSimulator.Schedule(days), PlaybookSimulator.Schedule(again));
        var first = Enumerable.Range(0, Math.Min(x.Length, y.Length)).FirstOrDefault(i => x[i] != y[i], -1);
        Assert.True(x.SequenceEqual(y), $"schedules differ at {first}: {(first >= 0 ? x[first] : default)} vs {(first >= 0 ? y[first] : default)}; lengths {x.Length} {y.Length}");
    }

    /// <summary>Each day's customer state, with the day counts behind the usage triggers built from the facts.</summary>
    private static CustomerState[] States(History history)
    {
        var states = new CustomerState[history.Days.Length];
        int lowEngagement = 0, lowAdoption = 0, highAdoption = 0;
        LocalDate? lastActive = null;
        var events = new List<CustomerEvent>();
        for (var d = 0; d < history.Days.Length; d++)
        {
            var f = history.Days[d];
            var today = Day0.PlusDays(d);
            lowEngagement = f.Engagement < 0.5 ? lowEngagement + 1 : 0;
            lowAdoption = f.Adoption < 0.3 ? lowAdoption + 1 : 0;
            highAdoption = f.Adoption > 0.8 ? highAdoption + 1 : 0;
            lastActive = f.Active ? today : lastActive ?? Day0.PlusDays(-40);
            if (f.Event >= 0)
            {
                events.Add(new CustomerEvent(EventKinds[f.Event], today));
            }

            var level = f.Churn > 0.7 ? RiskLevel.High : f.Churn > 0.4 ? RiskLevel.Medium : RiskLevel.Low;
            states[d] = Customer(since: Day0.PlusDays(-history.SignedUpDaysAgo)) with
            {
                ChurnedOn = history.ChurnDay is { } c && c <= d ? Day0.PlusDays(c) : null,
                LastActiveOn = lastActive,
                Engagement = new UsageLevel(f.Engagement, DaysBelowLow: lowEngagement),
                FeatureAdoption = new UsageLevel(f.Adoption, DaysBelowLow: lowAdoption, DaysAboveHigh: highAdoption),
                Score = Scores.WithRisk(level, f.Churn, f.Band),
                LimitUsage = f.Limit,
                Nps = f.Nps,
                Roi = f.Roi,
                MonthlyRevenue = Money.Usd(100m),
                LifetimeValue = Money.Usd(d % 2 == 0 ? 5_000m : 100m),
                RenewalOn = Day0.PlusDays(90),
                Events = [.. events],
            };
        }

        return states;
    }
}
