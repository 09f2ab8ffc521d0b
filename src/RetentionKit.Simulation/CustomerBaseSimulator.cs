using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Simulation;

/// <summary>
/// Simulates a SaaS customer base month by month. Each customer has a hidden health that drifts around a personal
/// mean and takes occasional shocks; every observable signal (logins, feature use, e-mail opens, tickets, late
/// payments, competitor interest, NPS, comments) is a noisy function of it, and so is the monthly chance of churning.
/// The signals therefore carry real but imperfect information about churn, and the ground truth is part of the output.
/// </summary>
/// <remarks>
/// Deterministic: each customer draws from its own generator seeded from (seed, customer number), so the same settings
/// give the same output on every run and machine. Cost is linear in customers × months; memory is the output.
/// </remarks>
public static class CustomerBaseSimulator
{
    private static readonly string[] Industries = ["technology", "marketing", "sales", "services", "education"];
    private static readonly double[] IndustryWeights = [0.35, 0.22, 0.2, 0.15, 0.08];
    private static readonly PlanSpec[] Plans =
    [
        new("starter", 49m, 1, 5, 12),
        new("professional", 149m, 5, 25, 25),
        new("enterprise", 499m, 20, 200, 60),
    ];

    private static readonly string[] PositiveComments =
    [
        "Great product, the team loves it.",
        "Saves us hours every week.",
        "Excelente herramienta, muy fácil de usar.",
        "Nos ayuda mucho, el soporte es rápido.",
    ];

    private static readonly string[] NeutralComments =
    [
        "It works, but the reports could be better.",
        "Fine for now; we are still learning it.",
        "Está bien, aunque le faltan algunas funciones.",
    ];

    private static readonly string[] NegativeComments =
    [
        "Too expensive for what we use.",
        "Support is slow and the app keeps failing.",
        "Demasiado caro y difícil de usar.",
        "Estamos evaluando otras opciones, no vemos el valor.",
    ];

    /// <summary>Runs the simulation.</summary>
    /// <param name="settings">What to simulate.</param>
    /// <param name="progress">Optional: receives the share of customers done, 0–1.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The simulated customer base.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static SimulatedCustomerBase Run(SimulationSettings settings, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Experiment?.Validate();
        var interventions = new List<InterventionRecord>();
        var customers = ImmutableArray.CreateBuilder<CustomerRecord>(settings.Customers);
        var events = new List<SubscriptionEvent>(settings.Customers * 3);
        var activity = new List<MonthlyActivity>(settings.Customers * settings.Months / 2);
        var feedback = new List<FeedbackRecord>(settings.Customers * settings.Months / 3);
        var churns = new List<ChurnTruth>(settings.Customers / 2);
        var step = Math.Max(1, settings.Customers / 100);
        for (var i = 0; i < settings.Customers; i++)
        {
            if (i % step == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report((double)i / settings.Customers);
            }

            new CustomerRun(settings, i, customers, events, activity, feedback, churns, interventions).Simulate();
        }

        progress?.Report(1d);
        return new SimulatedCustomerBase(settings, customers.MoveToImmutable(), [.. events], [.. activity], [.. feedback], [.. churns]) { Interventions = [.. interventions] };
    }

    private sealed record PlanSpec(string Name, decimal MonthlyPrice, int MinSeats, int MaxSeats, int BaselineLogins);

    private sealed class CustomerRun(
        SimulationSettings settings,
        int number,
        ImmutableArray<CustomerRecord>.Builder customers,
        List<SubscriptionEvent> events,
        List<MonthlyActivity> activity,
        List<FeedbackRecord> feedback,
        List<ChurnTruth> churns,
        List<InterventionRecord> interventions)
    {
        private readonly Random _random = new(Mix(settings.Seed, number));
        private readonly CustomerId _id = new($"C{number + 1:D6}");
        private int _eventNumber;

        public void Simulate()
        {
            var r = _random;
            var signupMonth = Math.Min(settings.Months - 1, (int)(settings.Months * Math.Sqrt(r.NextDouble())));
            var month = settings.Start.PlusMonths(signupMonth);
            var signup = month.PlusDays(r.Next(DaysIn(month)));
            var plan = Pick(r, [0.55, 0.33, 0.12]);
            var spec = Plans[plan];
            var seats = r.Next(spec.MinSeats, spec.MaxSeats + 1);
            var annual = r.NextDouble() < 0.25;
            var industry = Industries[Pick(r, IndustryWeights)];
            customers.Add(new CustomerRecord(_id, signup, industry, seats));

            var mean = Math.Clamp(Normal(r, 0.64, 0.13), 0.1, 0.95);
            var health = Math.Clamp(mean + Normal(r, 0, 0.08), 0, 1);
            var baseline = Math.Max(4, (int)Math.Round(spec.BaselineLogins * Math.Exp(Normal(r, 0, 0.35))));
            var introDiscount = r.NextDouble() < 0.12;
            Subscribe(plan, annual, signup, introDiscount ? 0.2 : 0, reactivation: false);
            var active = true;
            var termStart = signupMonth;
            var discountEnds = introDiscount ? signupMonth + 3 : -1;
            var churnedAt = -1;

            // The experiment draws from a stream of its own, so the rest of the customer's data is the same with or
            // without it, except for what the treatment itself changes.
            var experiment = settings.Experiment;
            var experimentRandom = experiment is null ? null : new Random(Mix(settings.Seed ^ 0x5EED, number));
            (int Month, LocalDate Started, bool Control, string Plan, double Factor)? enrolled = null;
            var decided = false; // the enrolment's outcome is recorded; the treatment is over

            for (var k = signupMonth; k < settings.Months; k++)
            {
                var first = settings.Start.PlusMonths(k);
                var days = DaysIn(first);
                if (!active)
                {
                    if (k - churnedAt <= 12 && r.NextDouble() < 0.025)
                    {
                        plan = Math.Max(0, plan - (r.NextDouble() < 0.5 ? 1 : 0));
                        annual = false;
                        health = Math.Clamp(mean + 0.1, 0, 1);
                        Subscribe(plan, annual, first.PlusDays(r.Next(days)), 0.5, reactivation: true);
                        discountEnds = k + 3;
                        termStart = k;
                        active = true;
                    }

                    continue;
                }

                if (k == discountEnds)
                {
                    Subscribe(plan, annual, first, 0, reactivation: false);
                }

                health = Math.Clamp(health + (0.25 * (mean - health)) + Normal(r, 0, 0.07) - (r.NextDouble() < 0.03 ? 0.25 : 0), 0, 1);
                var sinceTerm = k - termStart;
                var renewalMonth = annual && sinceTerm % 12 == 11;
                var observed = Observe(r, first, health, baseline, annual && sinceTerm % 12 >= 10);
                activity.Add(observed);
                Feedback(r, first, days, health);

                var hazard = 0.004 + (0.3 / (1 + Math.Exp((health - 0.36) / 0.06)));
                hazard = annual ? (renewalMonth ? Math.Min(0.9, hazard * 6) : 0) : hazard;
                if (experiment is not null && enrolled is null && k > signupMonth && health < experiment.HealthBelow)
                {
                    var control = experimentRandom!.NextDouble() < experiment.HoldoutShare;
                    enrolled = (k, first, control, Plans[plan].Name, experiment.FactorOf(Plans[plan].Name)); // enrolled at the start of the month its health fell
                }

                var treated = !decided && enrolled is { Control: false } e && k < e.Month + experiment!.WindowMonths;
                hazard = treated ? Math.Min(1, hazard * enrolled!.Value.Factor) : hazard;
                if (k > signupMonth && r.NextDouble() < hazard)
                {
                    var date = first.PlusDays(r.Next(days));
                    var reason = ReasonFor(observed, health);
                    events.Add(new Cancellation(NextId(), _id, date, reason));
                    churns.Add(new ChurnTruth(_id, date, reason, health));
                    active = false;
                    churnedAt = k;
                    if (!decided && enrolled is { } lost && k < lost.Month + experiment!.WindowMonths)
                    {
                        Record(lost, experiment, retained: false, date);
                        decided = true;
                    }

                    continue;
                }

                if (!decided && enrolled is { } kept && k == kept.Month + experiment!.WindowMonths - 1)
                {
                    Record(kept, experiment, retained: true, first.PlusMonths(1).PlusDays(-1));
                    decided = true;
                }

                if (observed.UsageOfLimit > 0.9 && health > 0.6 && plan < Plans.Length - 1 && r.NextDouble() < 0.2)
                {
                    plan++;
                    Subscribe(plan, annual, ChangeDate(r, k, first, days, signupMonth, signup), 0, reactivation: false);
                    termStart = annual ? k : termStart;
                }
                else if (health < 0.35 && plan > 0 && r.NextDouble() < 0.08)
                {
                    plan--;
                    Subscribe(plan, annual, ChangeDate(r, k, first, days, signupMonth, signup), 0, reactivation: false);
                }
            }

            if (!decided && enrolled is { } open)
            {
                interventions.Add(new InterventionRecord(_id, experiment!.Playbook, open.Started, open.Control, open.Plan, open.Factor, null, null));
            }
        }

        private void Record((int Month, LocalDate Started, bool Control, string Plan, double Factor) e, SimulatedExperiment experiment, bool retained, LocalDate decidedOn) =>
            interventions.Add(new InterventionRecord(_id, experiment.Playbook, e.Started, e.Control, e.Plan, e.Factor, retained, decidedOn));

        /// <summary>A plan change in month k: any day of the month, but in the sign-up month not before the sign-up.</summary>
        private static LocalDate ChangeDate(Random r, int k, LocalDate first, int days, int signupMonth, LocalDate signup) =>
            k == signupMonth ? signup.PlusDays(r.Next(days - signup.Day + 1)) : first.PlusDays(r.Next(days));

        private void Subscribe(int plan, bool annual, LocalDate date, double discount, bool reactivation)
        {
            var spec = Plans[plan];
            var amount = annual ? spec.MonthlyPrice * 10m : spec.MonthlyPrice;
            var interval = annual ? BillingInterval.Annual : BillingInterval.Monthly;
            var rate = Rate.FromFraction(discount);
            events.Add(reactivation
                ? new Reactivation(NextId(), _id, spec.Name, Money.Usd(amount), interval, date, rate)
                : new SubscriptionChange(NextId(), _id, spec.Name, Money.Usd(amount), interval, date, rate));
        }

        private MonthlyActivity Observe(Random r, LocalDate first, double h, int baseline, bool renewalNear)
        {
            var logins = Math.Max(0, (int)Math.Round(baseline * (0.25 + h) * (1 + Normal(r, 0, 0.15))));
            var featureShare = Math.Clamp(0.12 + (0.78 * h) + Normal(r, 0, 0.08), 0, 1);
            var sent = 4 + r.Next(5);
            var opened = Binomial(r, sent, Math.Clamp(0.08 + (0.72 * h) + Normal(r, 0, 0.05), 0, 1));
            var tickets = Poisson(r, 0.3 + (2.5 * (1 - h) * (1 - h)));
            var negative = Binomial(r, tickets, Math.Clamp(1.1 - (1.3 * h), 0, 1));
            var late = h < 0.35 && r.NextDouble() < 0.35 ? 3 + r.Next(25) : r.NextDouble() < 0.03 ? 1 + r.Next(5) : 0;
            var risk = Math.Pow(1 - h, 3);
            var visits = Poisson(r, 5 * risk);
            var searches = Poisson(r, 2.5 * risk);
            var trial = r.NextDouble() < 0.35 * risk;
            var review = r.NextDouble() < (renewalNear ? 0.1 + (0.4 * (1 - h)) : 0.03 * (1 - h));
            var social = Poisson(r, 0.4 * risk);
            var usage = Math.Clamp(0.25 + (0.7 * h) + Normal(r, 0, 0.12), 0, 1.5);
            return new MonthlyActivity(
                _id, new YearMonth(first.Year, first.Month), logins, baseline, featureShare, sent, opened, tickets, negative, late,
                visits, searches, trial, review, social, usage);
        }

        private void Feedback(Random r, LocalDate first, int days, double h)
        {
            var askNps = r.NextDouble() < 0.3;
            var askSurvey = r.NextDouble() < 0.2;
            var comment = r.NextDouble() < 0.15;
            if (!askNps && !askSurvey && !comment)
            {
                return;
            }

            int? nps = askNps ? (int)Math.Clamp(Math.Round(3.2 + (8.5 * h) + Normal(r, 0, 1.3)), 0, 10) : null;
            int? survey = askSurvey ? (int)Math.Clamp(Math.Round((9 * h) + 1 + Normal(r, 0, 1.2)), 1, 10) : null;
            string? text = null;
            if (comment)
            {
                var tone = h + Normal(r, 0, 0.12);
                var bank = tone > 0.62 ? PositiveComments : tone > 0.42 ? NeutralComments : NegativeComments;
                text = bank[r.Next(bank.Length)];
            }

            feedback.Add(new FeedbackRecord(_id, first.PlusDays(r.Next(days)), nps, survey, text));
        }

        private string NextId() => $"{_id.Value}-{++_eventNumber:D3}";

        private static ChurnReason ReasonFor(MonthlyActivity a, double h)
        {
            if (a.DaysPaymentLate > 7)
            {
                return ChurnReason.Payment;
            }

            if (a.CompetitorTrial || a.CompetitorVisits >= 3)
            {
                return ChurnReason.Competitor;
            }

            if (a.NegativeTickets >= 2)
            {
                return ChurnReason.Support;
            }

            return a.FeatureShare < 0.3 || h < 0.2 ? ChurnReason.Product : ChurnReason.Price;
        }
    }

    private static int DaysIn(LocalDate firstOfMonth) => firstOfMonth.Calendar.GetDaysInMonth(firstOfMonth.Year, firstOfMonth.Month);

    // SplitMix64 finaliser: a different, well-spread seed for each customer.
    private static int Mix(int seed, int number)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) | (uint)number;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)(z ^ (z >> 31));
        }
    }

    private static int Pick(Random r, double[] weights)
    {
        var u = r.NextDouble();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static double Normal(Random r, double mean, double sd)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u1 = 1d - r.NextDouble();
        var u2 = r.NextDouble();
        return mean + (sd * Math.Sqrt(-2d * Math.Log(u1)) * Math.Cos(2d * Math.PI * u2));
    }

    private static int Poisson(Random r, double lambda)
    {
        // Knuth's method: fine for the small rates used here.
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = r.NextDouble();
        while (p > limit)
        {
            k++;
            p *= r.NextDouble();
        }

        return k;
    }

    private static int Binomial(Random r, int n, double p)
    {
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            k += r.NextDouble() < p ? 1 : 0;
        }

        return k;
    }
}

/// <summary>The output of <see cref="CustomerBaseSimulator.Run"/>: the data a SaaS company has, plus the ground truth.</summary>
/// <param name="Settings">The settings that produced it.</param>
/// <param name="Customers">Every customer, in sign-up order of their number.</param>
/// <param name="SubscriptionEvents">Sign-ups, plan changes, cancellations and reactivations, grouped by customer in date order.</param>
/// <param name="Activity">Monthly product activity of active customers, grouped by customer in month order.</param>
/// <param name="Feedback">NPS answers, survey answers and comments.</param>
/// <param name="Churns">The ground truth: every cancellation with the customer's hidden health before it.</param>
public sealed record SimulatedCustomerBase(
    SimulationSettings Settings,
    ImmutableArray<CustomerRecord> Customers,
    ImmutableArray<SubscriptionEvent> SubscriptionEvents,
    ImmutableArray<MonthlyActivity> Activity,
    ImmutableArray<FeedbackRecord> Feedback,
    ImmutableArray<ChurnTruth> Churns)
{
    /// <summary>Gets the enrolments of the settings' experiment (<see cref="SimulationSettings.Experiment"/>), in customer order; empty without one.</summary>
    public ImmutableArray<InterventionRecord> Interventions { get; init; } = [];
}
