using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Simulation;
using FeedbackRecord = RetentionKit.Simulation.FeedbackRecord;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The playbooks stage: today's actions for the data's customers — which playbooks start, which steps are due on which
/// channel, the first customers' next steps with their rendered messages — and one customer's journey ahead.
/// </summary>
/// <remarks>
/// How the data becomes customer states (the sample is monthly): engagement is the latest month's logins against the
/// customer's own baseline, feature adoption the month's feature share, and the days a measure has stayed below or
/// above a threshold count the whole months in a row it did (30 days each); the last active day is the end of the
/// latest month with a login; NPS is the latest answer of the last 90 days, and an answer of 6 or less in the last week
/// is negative feedback; scores come from the scoring stage, revenue and CLV from the subscriptions. Customers who
/// left in the last 30 days get win-back with the data's churn reason. The zone is UTC (the data has none). So that
/// today is an ordinary day rather than the first day the engine ever ran, the engine first runs the
/// <see cref="WarmUpDays"/> days before the as-of date on the same states.
/// </remarks>
internal sealed class PlaybookStage(PlaybookEngine engine, PlaybookOptions options)
{
    /// <summary>How many days the engine runs before the as-of date.</summary>
    public const int WarmUpDays = 30;

    /// <summary>How many days ahead the journey looks.</summary>
    public const int JourneyDays = 60;

    /// <summary>Gets the playbooks the engine runs (their outcome rules, for the experiments).</summary>
    public IReadOnlyList<Playbook> Definitions => engine.Playbooks;

    /// <summary>Gets the playbook options (the offers' terms, for the experiments' economics).</summary>
    public PlaybookOptions Options => options;

    /// <summary>
    /// Plans today; with a kept state, the enrolments come from its store, the days since the kept state's previous run
    /// (at most <see cref="WarmUpDays"/>) are planned before today, and every change is saved — so a second run of the
    /// same day enrols and delivers nothing new.
    /// </summary>
    public PlaybookSummary Run(PipelineContext context, ScoringSummary scoring, double monthlyChurn, double margin)
    {
        var (asOf, state, lastAsOf) = (context.AsOf, context.State, context.LastAsOf);
        var states = States(context, scoring, monthlyChurn, margin);
        var enrolments = new ImmutableArray<Enrolment>[states.Count];
        Array.Fill(enrolments, []);
        var warmUp = WarmUpDays;
        if (state is not null)
        {
            for (var i = 0; i < states.Count; i++)
            {
                enrolments[i] = state.Enrolments.GetAsync(states[i].Customer).AsTask().GetAwaiter().GetResult();
            }

            warmUp = lastAsOf is { } last ? Math.Min(WarmUpDays, Period.DaysBetween(last, asOf) - 1) : WarmUpDays;
        }

        var byCustomer = states.Select((s, i) => (s.Customer, i)).ToDictionary(x => x.Customer, x => x.i);

        // The engine plans each customer on their own, so without a kept state the customers are cut into ranges of
        // about 2,000, each warmed up and planned for today on its own, a core taking the next range when it is done
        // (ranges of a core's share would leave one core idle at the end while the other finishes its range); the
        // plans are joined in customer order.
        var ranges = state is null ? Math.Max(1, states.Count / 2_000) : 1;
        var planned = new List<CustomerPlan>[ranges];
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, r =>
        {
            var (from, to) = (states.Count * r / ranges, states.Count * (r + 1) / ranges);
            var part = states.GetRange(from, to - from);
            var partEnrolments = new ArraySegment<ImmutableArray<Enrolment>>(enrolments, from, to - from);
            for (var day = warmUp; day >= 1; day--)
            {
                Apply(engine.PlanDay(part, partEnrolments, Instant(asOf.PlusDays(-day))), byCustomer, enrolments, state);
            }

            planned[r] = engine.PlanDay(part, partEnrolments, Instant(asOf)).ToList();
        });
        var plans = planned.SelectMany(p => p).ToList();
        var actions = plans
            .SelectMany(p => p.Enrolments.SelectMany(e => e.Deliver.Select(d => Action(states[byCustomer[p.Customer]], e, d, asOf, options))))
            .ToImmutableArray();
        var started = plans.SelectMany(p => p.Enrolments).Where(e => e.Starts).GroupBy(e => e.After.Playbook).ToDictionary(g => g.Key, g => g.Count());
        var due = actions.GroupBy(a => a.Playbook).ToDictionary(g => g.Key, g => g.Count());
        var byPlaybook = started.Keys.Union(due.Keys)
            .Select(id => new PlaybookCount(id, started.GetValueOrDefault(id), due.GetValueOrDefault(id)))
            .OrderByDescending(c => c.Due).ThenByDescending(c => c.Started).ThenBy(c => c.Playbook, StringComparer.Ordinal)
            .ToImmutableArray();
        var byChannel = PlaybookChannel.BuiltIn.Concat(actions.Select(a => a.Channel)).Distinct().Select(c => (c.Name, actions.Count(a => a.Channel == c))).ToImmutableArray();

        Apply(plans, byCustomer, enrolments, state);
        return new PlaybookSummary(asOf, states.Count, plans.Count, started.Values.Sum(), byPlaybook, byChannel, actions, Journey(states, enrolments, asOf))
        {
            Enrolments = Enumerable.Range(0, states.Count).Where(i => !enrolments[i].IsEmpty).ToFrozenDictionary(i => states[i].Customer, i => enrolments[i]),
            NextSteps = NextSteps(actions, states, enrolments),
        };
    }

    /// <summary>Each customer's next step: the first due today, else the earliest step not yet done of an active enrolment.</summary>
    private FrozenDictionary<CustomerId, NextStep> NextSteps(ImmutableArray<PlaybookAction> today, List<CustomerState> states, ImmutableArray<Enrolment>[] enrolments)
    {
        var next = new Dictionary<CustomerId, NextStep>();
        foreach (var a in today)
        {
            next.TryAdd(a.Customer, new NextStep(a.Playbook, a.Step, a.Channel.Name, a.DueOn));
        }

        for (var i = 0; i < states.Count; i++)
        {
            if (next.ContainsKey(states[i].Customer))
            {
                continue;
            }

            NextStep? best = null;
            foreach (var e in enrolments[i].Where(e => e.IsActive))
            {
                var step = engine.Find(e.Playbook)?.Steps.FirstOrDefault(s => !e.HasDone(s.Id));
                if (step is not null && (best is null || e.StartedOn.PlusDays(step.Day) < best.DueOn))
                {
                    best = new NextStep(e.Playbook, step.Id, step.Channel.Name, e.StartedOn.PlusDays(step.Day));
                }
            }

            if (best is not null)
            {
                next.Add(states[i].Customer, best);
            }
        }

        return next.ToFrozenDictionary();
    }

    private static Instant Instant(LocalDate day) => day.At(new LocalTime(9, 0)).InUtc().ToInstant();

    private static void Apply(IEnumerable<CustomerPlan> plans, Dictionary<CustomerId, int> index, ImmutableArray<Enrolment>[] enrolments, ProgrammeState? state)
    {
        foreach (var plan in plans)
        {
            var i = index[plan.Customer];
            enrolments[i] = plan.ApplyTo(enrolments[i]);
            foreach (var changed in plan.Enrolments)
            {
                state?.Enrolments.SaveAsync(changed.After).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>The journey ahead of the customer with the most steps in the next <see cref="JourneyDays"/> days.</summary>
    private Journey? Journey(List<CustomerState> states, ImmutableArray<Enrolment>[] enrolments, LocalDate asOf)
    {
        Journey? best = null;
        foreach (var i in Enumerable.Range(0, states.Count).Where(i => enrolments[i].Any(e => e.IsActive)).Take(200))
        {
            var days = PlaybookSimulator.Run(engine, asOf.PlusDays(1), JourneyDays, _ => states[i], enrolments[i]);
            var steps = PlaybookSimulator.Schedule(days)
                .Select(s => new JourneyStep(Period.DaysBetween(asOf, s.Day), s.Playbook, s.Step, engine.Find(s.Playbook)!.Steps.First(x => x.Id == s.Step).Channel))
                .ToImmutableArray();
            if (best is null || steps.Length > best.Steps.Length)
            {
                best = new Journey(states[i].Customer, steps);
            }
        }

        return best;
    }

    private static PlaybookAction Action(CustomerState customer, PlannedEnrolment planned, DueStep due, LocalDate asOf, PlaybookOptions options)
    {
        var playbook = planned.Playbook!;
        var values = new Dictionary<string, object>
        {
            ["name"] = customer.Customer.Value,
            ["product"] = "RetentionKit Demo",
            ["feature"] = "advanced reports",
            ["manager"] = "your success manager",
            ["days"] = customer.Engagement is { DaysBelowLow: > 0 } e ? e.DaysBelowLow : 30,
            ["discount"] = Rate.FromFraction(playbook.Kind == PlaybookKind.WinBack ? options.WinBackDiscount : options.RetentionOfferDiscount),
            ["price"] = customer.MonthlyRevenue is { } mrr ? mrr * 1.6m : Money.Usd(0m),
            ["date"] = asOf.PlusDays(7),
            ["plan"] = "the next plan",
            ["metric"] = customer.Roi is { } roi ? roi.ToString("P0", CultureInfo.InvariantCulture) + " ROI" : "your usage this month",
        };
        var delivery = new StepDelivery(due.IdempotencyKey, customer, playbook, due.Step, due.DueOn, planned.After);
        var message = TemplateCatalog.BuiltIn.Render(due.Step.Template, CultureInfo.GetCultureInfo("en-US"), values, delivery.TemplateVariant);
        return new PlaybookAction(customer.Customer, playbook.Id, due.Step.Id, due.Step.Channel, due.Step.Owner, due.DueOn, due.IdempotencyKey, message.Template, message.Subject, message.Body);
    }

    private static List<CustomerState> States(PipelineContext context, ScoringSummary scoring, double monthlyChurn, double margin)
    {
        var (data, asOf, currency, customers) = (context.Data, context.AsOf, context.Currency, context.Customers);
        var since = data.Customers.ToDictionary(c => c.Id, c => c.SignupDate);
        var industries = data.Customers.ToDictionary(c => c.Id, c => c.Industry);
        var (activity, feedback) = (context.ActivityByCustomer, context.FeedbackByCustomer);
        var reasons = data.Churns.GroupBy(c => c.Customer).ToDictionary(g => g.Key, g => g.Last().Reason.ToString().ToLowerInvariant());
        var upgrades = UpgradeGaps(customers);
        var states = new List<CustomerState>();
        foreach (var (customer, score) in scoring.Current.OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            var paying = customers.TryGet(customer, out var standing);
            states.Add(State(customer, since.GetValueOrDefault(customer, asOf.PlusDays(-365)), asOf, PipelineContext.Through(activity.GetValueOrDefault(customer), a => a.Month.OnDayOfMonth(1), asOf), PipelineContext.Through(feedback.GetValueOrDefault(customer), f => f.Date, asOf), score, paying ? standing!.Mrr.Amount : 0m, currency, monthlyChurn, margin) with
            {
                Industry = industries.GetValueOrDefault(customer),
                UpgradePriceIncrease = paying && upgrades.TryGetValue(standing!.Plan, out var gap) ? new Money(gap, currency) : null,
            });
        }

        // Customers who left in the last 30 days (by the customer base: cancelled and not back) get win-back.
        foreach (var (customer, on) in customers
            .Where(c => !c.IsActive && Period.DaysBetween(c.CancelledOn!.Value, asOf) is >= 0 and <= 30)
            .Select(c => (c.Customer, c.CancelledOn!.Value))
            .OrderBy(c => c.Customer.Value, StringComparer.Ordinal))
        {
            states.Add(new CustomerState(customer, DateTimeZone.Utc, since.GetValueOrDefault(customer, on.PlusDays(-365))) { ChurnedOn = on, ChurnReason = reasons.GetValueOrDefault(customer) });
        }

        return states;
    }

    /// <summary>
    /// What the next plan up costs a month more, per plan: the files carry no price list, so a plan's price is the median
    /// MRR of its paying customers today, and plans are ranked by it; the top plan has none.
    /// </summary>
    internal static Dictionary<string, decimal> UpgradeGaps(RetentionKit.Metrics.Subscriptions.CustomerBase customers)
    {
        var prices = customers.Active
            .Where(c => c.Mrr.Amount > 0m)
            .GroupBy(c => c.Plan, StringComparer.Ordinal)
            .Select(g =>
            {
                var mrr = g.Select(c => c.Mrr.Amount).Order().ToList();
                return (Plan: g.Key, Price: mrr.Count % 2 == 1 ? mrr[mrr.Count / 2] : (mrr[(mrr.Count / 2) - 1] + mrr[mrr.Count / 2]) / 2m);
            })
            .OrderBy(p => p.Price).ThenBy(p => p.Plan, StringComparer.Ordinal)
            .ToList();
        var gaps = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < prices.Count; i++)
        {
            if (prices[i + 1].Price > prices[i].Price)
            {
                gaps[prices[i].Plan] = prices[i + 1].Price - prices[i].Price;
            }
        }

        return gaps;
    }

    private static CustomerState State(CustomerId customer, LocalDate since, LocalDate asOf, MonthlyActivity[]? months, FeedbackRecord[]? feedback, BatchScore score, decimal mrr, Currency currency, double monthlyChurn, double margin)
    {
        var risk = new RiskAssessment(score.RiskScore, score.Level, score.Level, double.IsNaN(score.ChurnProbability) ? null : score.ChurnProbability, [], [], null, null);
        var retention = new RetentionScore(double.IsNaN(score.RetentionScore) ? null : score.RetentionScore, null, double.IsNaN(score.RetentionScore) ? null : score.Band, [], null);
        var state = new CustomerState(customer, DateTimeZone.Utc, since)
        {
            Score = new CustomerScore(customer, asOf, asOf, risk, retention, score.Notes),
            MonthlyRevenue = mrr > 0m ? new Money(mrr, currency) : null,
            LifetimeValue = mrr > 0m && monthlyChurn > 0 ? new Money(decimal.Round(mrr * (decimal)margin / (decimal)monthlyChurn, 2), currency) : null,
        };
        if (months is { Length: > 0 })
        {
            static double Engagement(MonthlyActivity a) => a.BaselineLogins == 0 ? (a.Logins > 0 ? 1 : 0) : Math.Min(1d, a.Logins / (double)a.BaselineLogins);
            int Run(Func<MonthlyActivity, bool> holds) => 30 * months.Reverse().TakeWhile(holds).Count();
            var last = months[^1];
            state = state with
            {
                Engagement = new UsageLevel(Engagement(last), DaysBelowLow: Run(a => Engagement(a) < 0.5)),
                FeatureAdoption = new UsageLevel(last.FeatureShare, DaysBelowLow: Run(a => a.FeatureShare < 0.3), DaysAboveHigh: Run(a => a.FeatureShare > 0.8)),
                LimitUsage = last.UsageOfLimit,
                LastActiveOn = months.LastOrDefault(a => a.Logins > 0)?.Month.LastDay() is { } end && end <= asOf ? end : null,
            };
        }

        if (feedback is { Length: > 0 })
        {
            var recent = feedback.LastOrDefault(f => f.Nps is not null && Period.DaysBetween(f.Date, asOf) <= 90);
            state = state with
            {
                Nps = recent?.Nps,
                Events = [.. feedback.Where(f => f.Nps is <= 6 && Period.DaysBetween(f.Date, asOf) <= 7).Select(f => new CustomerEvent(CustomerEvents.NegativeFeedback, f.Date))],
            };
        }

        return state;
    }
}

internal sealed record PlaybookCount(string Playbook, int Started, int Due);

internal sealed record PlaybookAction(CustomerId Customer, string Playbook, string Step, PlaybookChannel Channel, OwnerRole Owner, LocalDate DueOn, string Key, string Template, string Subject, string Body);

internal sealed record JourneyStep(int Day, string Playbook, string Step, PlaybookChannel Channel);

internal sealed record Journey(CustomerId Customer, ImmutableArray<JourneyStep> Steps);

/// <summary>Today's actions.</summary>
internal sealed record PlaybookSummary(
    LocalDate AsOf,
    int Customers,
    int CustomersWithActions,
    int Started,
    ImmutableArray<PlaybookCount> ByPlaybook,
    ImmutableArray<(string Channel, int Due)> ByChannel,
    ImmutableArray<PlaybookAction> Actions,
    Journey? Journey)
{
    /// <summary>Gets each customer's enrolments after today's plan (customers with none are left out).</summary>
    public FrozenDictionary<CustomerId, ImmutableArray<Enrolment>> Enrolments { get; init; } = FrozenDictionary<CustomerId, ImmutableArray<Enrolment>>.Empty;

    /// <summary>Gets each customer's next playbook step (customers with none are left out).</summary>
    public FrozenDictionary<CustomerId, NextStep> NextSteps { get; init; } = FrozenDictionary<CustomerId, NextStep>.Empty;
}
