using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The playbook engine's daily run (B15): 1,000,000 customers, every built-in playbook's trigger evaluated, active
/// enrolments advanced and due steps found, on one core. Goal: at most 1 s.
/// </summary>
[MemoryDiagnoser]
public class PlaybookBenchmarks
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 8, 0);
    private CustomerState[] _customers = [];
    private ImmutableArray<Enrolment>[] _enrolments = [];
    private PlaybookEngine _engine = null!;

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // A seeded mix like a real base on an ordinary day: most customers quiet (the playbook of their band ran
        // before and is in its cooldown), some with falling usage, some at risk, some growing, new sign-ups, recent
        // churns, and one in ten already in a playbook.
        var random = new Random(42);
        string[] zoneIds = ["Europe/Madrid", "America/Mexico_City", "America/New_York", "Europe/London"];
        var zones = Array.ConvertAll(zoneIds, id => DateTimeZoneProviders.Tzdb[id]);
        var today = new LocalDate(2026, 3, 2);
        var scores = new Dictionary<(RiskLevel, RetentionBand), CustomerScore>();
        CustomerScore ScoreOf(RiskLevel level, RetentionBand band, double p) => scores.TryGetValue((level, band), out var s) ? s : scores[(level, band)] = new CustomerScore(
            new CustomerId("x"), today, today, new RiskAssessment(50, level, level, p, [], [], null, null), new RetentionScore(50, 50, band, [], null), default);

        int CooldownOf(string id) => BuiltInPlaybooks.All.Single(p => p.Id == id).CooldownDays;
        _customers = new CustomerState[Customers];
        _enrolments = new ImmutableArray<Enrolment>[Customers];
        for (var i = 0; i < Customers; i++)
        {
            var kind = random.Next(100);
            var since = today.PlusDays(-random.Next(kind < 3 ? 7 : 1_000));
            var (level, band, p) = kind switch
            {
                < 10 => (RiskLevel.High, RetentionBand.AtRisk, 0.8),
                < 30 => (RiskLevel.Medium, RetentionBand.Low, 0.5),
                < 70 => (RiskLevel.Low, RetentionBand.Medium, 0.2),
                _ => (RiskLevel.Low, RetentionBand.High, 0.1),
            };
            var customer = new CustomerState(new CustomerId($"c{i}"), zones[i % zones.Length], since)
            {
                Score = ScoreOf(level, band, p),
                Engagement = new UsageLevel(random.NextDouble(), DaysBelowLow: random.Next(20)),
                FeatureAdoption = new UsageLevel(random.NextDouble(), DaysBelowLow: random.Next(40), DaysAboveHigh: random.Next(40)),
                LastActiveOn = today.PlusDays(-random.Next(40)),
                ChurnedOn = kind == 99 ? today.PlusDays(-random.Next(60)) : null,
                MonthlyRevenue = Money.Usd(100m),
                LifetimeValue = Money.Usd(random.Next(100, 10_000)),
                LimitUsage = random.NextDouble(),
                Nps = random.Next(100),
                Roi = random.NextDouble() * 4,
            };
            _customers[i] = customer;
            // A steady state: the playbook of the customer's band ran before and most are still in its cooldown.
            var usual = customer.Score!.Retention.Band switch
            {
                RetentionBand.AtRisk => BuiltInPlaybooks.RetentionOffer,
                RetentionBand.Medium => BuiltInPlaybooks.ValueReinforcement,
                RetentionBand.High => BuiltInPlaybooks.Advocacy,
                _ => BuiltInPlaybooks.Reactivation,
            };
            var cooldown = CooldownOf(usual);
            var ended = today.PlusDays(-random.Next(cooldown + (cooldown / 10)));
            var past = new Enrolment(customer.Customer, usual, ended.PlusDays(-14)) { Status = EnrolmentStatus.Completed, EndedOn = ended, EndReason = "completed" };
            _enrolments[i] = random.Next(10) == 0
                ? [past, new Enrolment(customer.Customer, BuiltInPlaybooks.ReEngagement, today.PlusDays(-random.Next(6)))]
                : [past];
        }

        _engine = new PlaybookEngine(BuiltInPlaybooks.All, new PlaybookOptions());

        // Three weeks of daily runs before the measured day, so that it is an ordinary day: enrolments under way,
        // finished ones in their cooldown, once-only ones done.
        for (var day = WarmUpDays; day >= 1; day--)
        {
            foreach (var plan in _engine.PlanDay(_customers, _enrolments, Now - Duration.FromDays(day)))
            {
                var index = int.Parse(plan.Customer.Value.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                _enrolments[index] = plan.ApplyTo(_enrolments[index]);
            }
        }
    }

    private const int WarmUpDays = 21;

    /// <summary>Plans the day for every customer (triggers, exits, due steps, caps) and counts the steps due, as a run handing them to the channels would read them.</summary>
    [Benchmark]
    public int DailyRun()
    {
        var due = 0;
        foreach (var plan in _engine.PlanDay(_customers, _enrolments, Now))
        {
            foreach (var enrolment in plan.Enrolments)
            {
                due += enrolment.Deliver.Length;
            }
        }

        return due;
    }

    /// <summary>The plans of the measured day, for inspection outside the benchmark.</summary>
    /// <returns>The plans.</returns>
    public List<CustomerPlan> Plans() => [.. _engine.PlanDay(_customers, _enrolments, Now)];
}
