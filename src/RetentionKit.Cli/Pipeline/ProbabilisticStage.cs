using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics.Probabilistic;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The probabilistic models on the data: BG/NBD and Gamma-Gamma on the one-off purchases (a hold-out test of the
/// purchase model, P(alive) and 12-month CLV today) and Kaplan–Meier survival of the subscriptions per sign-up cohort.
/// </summary>
internal static class ProbabilisticStage
{
    /// <summary>The hold-out: the last 26 weeks before the as-of date are predicted from the weeks before them.</summary>
    public const int HoldoutWeeks = 26;

    /// <summary>The CLV horizon, months.</summary>
    public const int ClvMonths = 12;

    /// <summary>The monthly discount rate of the CLV (about 12.7 % a year).</summary>
    public const double MonthlyDiscount = 0.01;

    /// <summary>Calibration customers at most this frequency get a row each in the hold-out table; the rest share the last.</summary>
    private const int FrequencyRows = ModelComparison.TopFrequency;

    /// <summary>The P(alive) heatmap's rows: repeat purchases 0 to this many.</summary>
    public const int AliveRows = 12;

    /// <summary>The P(alive) heatmap's columns: recencies from 0 to the age, evenly.</summary>
    public const int AliveColumns = 14;

    /// <summary>Days in an average month, for survival times in months.</summary>
    private const double DaysPerMonth = 365.25 / 12;

    public static ProbabilisticSummary Run(PipelineContext context, double grossMargin) =>
        new(Purchases(context.Data.Transactions, context.AsOf, grossMargin), Survival(context.Data, context.EventsByDate, context.AsOf));

    private static PurchaseModelSummary? Purchases(IReadOnlyList<Transaction> transactions, LocalDate asOf, double margin)
    {
        var log = new List<Transaction>(transactions.Count);
        log.AddRange(transactions.Where(t => t.Date <= asOf));
        var calibrationEnd = asOf.PlusWeeks(-HoldoutWeeks);
        var split = CalibrationHoldoutSplit.From(log, calibrationEnd, asOf);
        var calibration = split.Customers; // the calibration weeks' summaries, with the hold-out's purchases
        var today = TransactionSummary.From(log, asOf);
        if (calibration.Length < 20)
        {
            return null; // too few customers to fit four parameters honestly
        }

        // Hold-out: the three count models fitted on the calibration weeks and judged on the weeks after (the same
        // customers' purchase days), by calibration frequency; BG/NBD's fit is the calibrated model the page shows.
        var comparison = ModelComparison.Compare(split);
        if (comparison.Models[0] is not { Failure: null, Parameters: var fitted })
        {
            return null;
        }

        var calibratedModel = new BgNbdModel(fitted["r"], fitted["alpha"], fitted["a"], fitted["b"]);
        BgNbdModel current;
        GammaGammaModel? spend;
        try
        {
            current = BgNbdModel.FitTo([.. today.Select(c => c.History)]);
            var repeat = today.Where(c => c.History.Frequency > 0).Select(c => new SpendHistory(c.History.Frequency, (double)c.MonetaryValue)).ToList();
            spend = repeat.Count >= 20 ? GammaGammaModel.FitTo(repeat) : null;
        }
        catch (ModelFitException)
        {
            return null;
        }

        var rows = comparison.Models[0].ByFrequency
            .Select(b => new HoldoutRow(b.Frequency == FrequencyRows ? $"{FrequencyRows}+" : b.Frequency.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Customers, b.Predicted, b.Actual))
            .ToImmutableArray();

        // The tracking plot: cumulative repeat purchase days week by week from the first purchase in the log, actual
        // against the calibrated BG/NBD's expectation for the same customers (each from their own first purchase).
        var origin = log.Min(t => t.Date);
        var weeks = (int)Math.Ceiling(Period.DaysBetween(origin, asOf) / 7d);
        var firstDays = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var t in log)
        {
            firstDays[t.Customer] = firstDays.TryGetValue(t.Customer, out var d) && d <= t.Date ? d : t.Date;
        }

        var inCalibration = new HashSet<string>(calibration.Select(c => c.Customer), StringComparer.Ordinal);
        var actualByWeek = new double[weeks + 1];
        foreach (var (customer, day) in log.Where(t => inCalibration.Contains(t.Customer)).Select(t => (t.Customer, t.Date)).Distinct())
        {
            if (day != firstDays[customer])
            {
                actualByWeek[(int)Math.Ceiling(Period.DaysBetween(origin, day) / 7d)]++;
            }
        }

        for (var w = 1; w <= weeks; w++)
        {
            actualByWeek[w] += actualByWeek[w - 1];
        }

        var expectedByWeek = PurchaseTracking.ExpectedCumulativeRepeats(
            calibratedModel,
            [.. calibration.Select(c => Period.DaysBetween(origin, firstDays[c.Customer]) / 7d)],
            [.. Enumerable.Range(0, weeks + 1).Select(w => (double)w)]);

        var histories = today.Select(c => c.History).ToArray();
        var alive = new double[histories.Length];
        current.Predict(0, histories, new double[histories.Length], alive);
        var clv = ImmutableArray<double>.Empty;
        if (spend is not null && spend.Q > 1)
        {
            var values = new double[histories.Length];
            ProbabilisticClv.Values(current, spend, histories, [.. today.Select(c => (double)c.MonetaryValue)], ClvMonths, MonthlyDiscount, margin, values);
            clv = [.. values.Order()];
        }

        // P(alive) by frequency and recency for a customer of today's largest age (weeks), from today's fit.
        var age = Math.Floor(histories.Max(h => h.T));
        var recencies = Enumerable.Range(0, AliveColumns).Select(k => Math.Round(age * k / (AliveColumns - 1))).ToImmutableArray();
        // A customer without repeat purchases has recency 0; one with some has a positive recency.
        var grid = Enumerable.Range(0, AliveRows + 1)
            .Select(x => Enumerable.Range(0, AliveColumns)
                .Select(k => (x == 0) == (recencies[k] == 0) ? current.ProbabilityAlive(new PurchaseHistory(x, recencies[k], age)) : (double?)null)
                .ToImmutableArray())
            .ToImmutableArray();

        return new PurchaseModelSummary(
            log.Count,
            calibrationEnd,
            calibration.Length,
            calibratedModel,
            rows,
            rows.Sum(r => r.Predicted * r.Customers),
            rows.Sum(r => r.Actual * r.Customers),
            current,
            spend,
            [.. alive],
            clv)
        {
            Comparison = comparison,
            TrackingActual = [.. actualByWeek],
            TrackingExpected = expectedByWeek,
            AliveAge = age,
            AliveRecencies = recencies,
            AliveGrid = grid,
        };
    }

    /// <summary>Months from sign-up to the first cancellation (censored at the as-of date), by half-year of sign-up.</summary>
    private static ImmutableArray<CohortSurvival> Survival(DataSet data, IReadOnlyList<SubscriptionEvent> eventsByDate, LocalDate asOf)
    {
        var signups = data.Customers.Count > 0
            ? data.Customers.ToDictionary(c => c.Id, c => c.SignupDate)
            : data.Events.OfType<SubscriptionChange>().GroupBy(e => e.Customer).ToDictionary(g => g.Key, g => g.Min(e => e.EffectiveDate));
        var cancelled = new Dictionary<CustomerId, LocalDate>();
        foreach (var e in eventsByDate.OfType<Cancellation>().TakeWhile(e => e.EffectiveDate <= asOf))
        {
            if (signups.TryGetValue(e.Customer, out var signup) && e.EffectiveDate >= signup)
            {
                cancelled.TryAdd(e.Customer, e.EffectiveDate);
            }
        }

        var observations = signups.Where(s => s.Value <= asOf).Select(s =>
        {
            var (end, churned) = cancelled.TryGetValue(s.Key, out var date) ? (date, true) : (asOf, false);
            var cohort = new CohortKey(s.Value.Year, s.Value.Month <= 6 ? 1 : 2);
            return (cohort, new SurvivalObservation(Period.DaysBetween(s.Value, end) / DaysPerMonth, churned));
        });
        return [.. KaplanMeierCurve.ByGroup(observations).Select(g => new CohortSurvival($"{g.Key.Year} H{g.Key.Half}", g.Value, FollowUp(g.Key, asOf)))];
    }

    private static double FollowUp(CohortKey cohort, LocalDate asOf) =>
        Period.DaysBetween(new LocalDate(cohort.Year, cohort.Half == 1 ? 1 : 7, 1), asOf) / DaysPerMonth;

    private readonly record struct CohortKey(int Year, int Half) : IComparable<CohortKey>
    {
        public int CompareTo(CohortKey other) => (Year, Half).CompareTo((other.Year, other.Half));
    }
}

/// <summary>What the probabilistic models say about the data.</summary>
internal sealed record ProbabilisticSummary(PurchaseModelSummary? Purchases, ImmutableArray<CohortSurvival> Survival);

/// <summary>BG/NBD and Gamma-Gamma on the one-off purchases: the hold-out test, and today's P(alive) and CLV per customer.</summary>
internal sealed record PurchaseModelSummary(
    int Transactions,
    LocalDate CalibrationEnd,
    int CalibrationCustomers,
    BgNbdModel Calibrated,
    ImmutableArray<HoldoutRow> ByFrequency,
    double PredictedTotal,
    double ActualTotal,
    BgNbdModel Current,
    GammaGammaModel? Spend,
    ImmutableArray<double> ProbabilityAlive,
    ImmutableArray<double> Clv)
{
    public int Customers => ProbabilityAlive.Length;

    /// <summary>Gets BG/NBD, Pareto/NBD and MBG/NBD fitted on the calibration weeks and judged on the hold-out.</summary>
    public ModelComparison? Comparison { get; init; }

    /// <summary>Gets the calibration customers' cumulative repeat purchase days, week by week from the log's first purchase.</summary>
    public ImmutableArray<double> TrackingActual { get; init; } = [];

    /// <summary>Gets the calibrated BG/NBD's expectation of the same, week by week.</summary>
    public ImmutableArray<double> TrackingExpected { get; init; } = [];

    /// <summary>Gets the age (weeks) of the customer the P(alive) grid describes: today's largest.</summary>
    public double AliveAge { get; init; }

    /// <summary>Gets the P(alive) grid's recencies (weeks), one per column.</summary>
    public ImmutableArray<double> AliveRecencies { get; init; } = [];

    /// <summary>Gets P(alive) by repeat purchases (rows, 0 up) and recency (columns); null where no history exists (no purchase, yet a recency).</summary>
    public ImmutableArray<ImmutableArray<double?>> AliveGrid { get; init; } = [];
}

/// <summary>Hold-out purchases per customer of the calibration customers with one repeat frequency: predicted and actual means.</summary>
internal sealed record HoldoutRow(string Frequency, int Customers, double Predicted, double Actual);

/// <summary>A sign-up cohort's Kaplan–Meier curve and how long it has been followed, months.</summary>
internal sealed record CohortSurvival(string Cohort, KaplanMeierCurve Curve, double FollowUpMonths);
