using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Scoring;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The scoring stage: turns each month of activity and feedback into customer snapshots, scores them, and backtests a
/// calibration of churn probability against the cancellations that followed.
/// </summary>
/// <remarks>
/// A snapshot is taken at each month's end from that month's activity row (the tool's data is monthly, so every signal
/// reads the month's totals whatever its window), the latest NPS and survey answers of the last
/// <see cref="FeedbackLookbackDays"/> days and the month's comments. Competitor evaluations and realised ROI are not
/// in the data formats and stay missing. A snapshot is labelled "churned" when the customer's subscription ends
/// within the calibration horizon after it.
/// </remarks>
internal sealed class ScoringStage(ScoringEngine engine)
{
    /// <summary>How far back an NPS or survey answer still counts as the customer's current one.</summary>
    public const int FeedbackLookbackDays = 90;

    /// <summary>The most training examples the backtest fits on; a larger history is thinned evenly.</summary>
    public const int MaxTrainingExamples = 60_000;

    /// <summary>
    /// The ridge strength of the tool's calibrations: fixed rather than cross-validated, because the tool fits on up to
    /// <see cref="MaxTrainingExamples"/> customer-months, where a small penalty hardly matters and cross-validation would
    /// multiply the run's time by thirty.
    /// </summary>
    public const double Ridge = 1;

    /// <summary>How many customers the "top at risk" list shows.</summary>
    public const int TopAtRiskCount = 10;

    public ScoringSummary Run(PipelineContext context, int horizonDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        var (data, asOf, customers) = (context.Data, context.AsOf, context.Customers);
        var cancellations = data.Events.OfType<Cancellation>().ToLookup(c => c.Customer, c => c.EffectiveDate);
        var feedback = context.FeedbackByCustomer; // a snapshot reads a customer's feedback up to its own date
        var rows = ByMonth(data.Activity, new YearMonth(asOf.Year, asOf.Month)); // by month, in input order within it
        if (rows.Length == 0)
        {
            return ScoringSummary.Empty("the data has no activity rows; nothing to score");
        }

        // The snapshots go straight into one batch, blocks of rows side by side; the few needed again later
        // (explanations, training) are rebuilt.
        var history = new History(rows, Ends(rows, asOf), feedback, engine.CreateBatch(rows.Length));
        Write(history);

        var scores = new BatchScore[rows.Length];
        engine.ScoreBatch(history.Batch, scores);

        // Rows are in date order, so each month's scores are one run of the array.
        var byMonth = ImmutableArray.CreateBuilder<MonthScores>();
        var start = 0;
        while (start < rows.Length)
        {
            var next = start + 1;
            while (next < rows.Length && history.Dates[next] == history.Dates[start])
            {
                next++;
            }

            byMonth.Add(Month(history.Dates[start], new ArraySegment<BatchScore>(scores, start, next - start)));
            start = next;
        }

        var months = byMonth.ToImmutable();
        // The calibration for today is fitted beside the backtest (both only read the history); it is used only when the
        // backtest shows there is enough labelled history.
        var deploying = Task.Run(() => Deploy(history, cancellations, asOf, horizonDays));
        var backtest = Backtest(history, scores, cancellations, asOf, horizonDays, out var note);
        var fitted = deploying.GetAwaiter().GetResult();

        // Today: the customers of the latest month who are subscribed at the as-of date (the customer base's view, so the
        // count agrees with the MRR figures), scored with a calibration fitted on every labelled month when the backtest
        // showed there is enough labelled history, else by the rule of thumb.
        var latest = history.Dates[^1];
        var current = Enumerable.Range(0, rows.Length)
            .Where(i => history.Dates[i] == latest && customers.IsActive(rows[i].Customer))
            .ToList();
        var today = engine;
        var deployed = backtest is null ? null : fitted;
        if (deployed is not null)
        {
            today = engine.WithCalibration(deployed.Calibration!);
            var first = history.Dates.AsSpan().IndexOf(latest);
            today.ScoreBatch(history.Batch, first, scores.AsSpan(first));
        }

        var top = current
            .Where(i => !double.IsNaN(scores[i].ChurnProbability))
            .OrderByDescending(i => scores[i].ChurnProbability).ThenByDescending(i => scores[i].RiskScore).ThenBy(i => rows[i].Customer.Value, StringComparer.Ordinal)
            .Take(TopAtRiskCount)
            .Select(i => AtRisk(today.Score(history.Snapshot(i)), customers.TryGet(rows[i].Customer, out var s) ? s : null))
            .ToImmutableArray();
        var mrrAtRisk = current.Where(i => !double.IsNaN(scores[i].ChurnProbability))
            .Sum(i => (decimal)scores[i].ChurnProbability * Mrr(rows[i].Customer));

        return new ScoringSummary(
            current.Count,
            Count(current.Select(i => scores[i].Level), [RiskLevel.Low, RiskLevel.Medium, RiskLevel.High, RiskLevel.Unknown]),
            Count(current.Select(i => scores[i].Band), [RetentionBand.AtRisk, RetentionBand.Low, RetentionBand.Medium, RetentionBand.High]),
            top,
            months,
            backtest,
            note)
        {
            Current = current.GroupBy(i => rows[i].Customer).ToFrozenDictionary(g => g.Key, g => scores[g.Last()]),
            Trends = Trends(history, scores, months.Length),
            SignalNames = [.. engine.Signals.Select(x => Readable(x.Key.Name))],
            RedFlagNames = [.. engine.RedFlags.Select(x => Readable(x.Name))],
            Probability = deployed ?? TodayProbability.RuleOfThumb,
            MrrAtRisk = mrrAtRisk,
            Mrr = current.Sum(i => Mrr(rows[i].Customer)),
        };

        decimal Mrr(CustomerId customer) => customers.TryGet(customer, out var s) ? s.Mrr.Amount : 0m;
    }

    /// <summary>Each customer's retention score at every month end, rounded (<see cref="ScoringSummary.NoScore"/> where there is none).</summary>
    private static FrozenDictionary<CustomerId, byte[]> Trends(History history, BatchScore[] scores, int months)
    {
        var trends = new Dictionary<CustomerId, byte[]>();
        var month = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            month += i == 0 || history.Dates[i] != history.Dates[i - 1] ? 1 : 0;
            var customer = history.Rows[i].Customer;
            if (!trends.TryGetValue(customer, out var trend))
            {
                trend = new byte[months];
                Array.Fill(trend, ScoringSummary.NoScore);
                trends.Add(customer, trend);
            }

            var score = scores[i].RetentionScore;
            trend[month] = double.IsNaN(score) ? ScoringSummary.NoScore : (byte)Math.Round(score);
        }

        return trends.ToFrozenDictionary();
    }

    /// <summary>A key as a reader says it: <c>CompetitorTrialAndAlternativeSearch</c> is "Competitor trial and alternative search".</summary>
    internal static string Readable(string key)
    {
        var text = new System.Text.StringBuilder(key.Length + 8);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(key[i - 1]))
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(i == 0 ? char.ToUpperInvariant(c) : c);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The calibration today's list uses: fitted on every customer-month whose outcome is known by the as-of date (the
    /// backtest judged the same model on months it had not seen).
    /// </summary>
    private TodayProbability? Deploy(History history, ILookup<CustomerId, LocalDate> cancellations, LocalDate asOf, int horizonDays)
    {
        var at = history.Dates;
        var labelled = Enumerable.Range(0, at.Length).Where(i => at[i].PlusDays(horizonDays) <= asOf).ToList();
        var stride = Math.Max(1, (labelled.Count + MaxTrainingExamples - 1) / MaxTrainingExamples);
        var examples = labelled.Where((_, k) => k % stride == 0)
            .Select(i => new LabelledSnapshot(history.Snapshot(i), cancellations[history.Rows[i].Customer].Any(d => d > at[i] && d <= at[i].PlusDays(horizonDays))))
            .ToList();
        try
        {
            var fit = ChurnCalibration.Fit(engine, examples, new CalibrationFitOptions { HorizonDays = horizonDays, Ridge = Ridge });
            return new TodayProbability(fit, examples.Count, new YearMonth(at[labelled[^1]].Year, at[labelled[^1]].Month));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Each row's <see cref="End"/>, for rows in month order (computed once per month).</summary>
    private static LocalDate[] Ends(MonthlyActivity[] rows, LocalDate asOf)
    {
        var ends = new LocalDate[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            ends[i] = i > 0 && rows[i].Month == rows[i - 1].Month ? ends[i - 1] : End(rows[i].Month, asOf);
        }

        return ends;
    }

    private static LocalDate End(YearMonth month, LocalDate asOf)
    {
        var end = month.LastDay();
        return end <= asOf ? end : asOf;
    }

    /// <summary>One customer-month as the engine sees it.</summary>
    /// <summary>The activity rows of months up to and including a month, by month, rows of a month in input order.</summary>
    private static MonthlyActivity[] ByMonth(IReadOnlyList<MonthlyActivity> activity, YearMonth last)
    {
        var keys = new List<long>(activity.Count);
        var kept = new List<MonthlyActivity>(activity.Count);
        foreach (var a in activity)
        {
            if (a.Month <= last)
            {
                keys.Add(((long)((a.Month.Year * 12) + a.Month.Month) << 32) | (uint)kept.Count);
                kept.Add(a);
            }
        }

        var rows = kept.ToArray();
        Array.Sort(keys.ToArray(), rows);
        return rows;
    }

    /// <summary>
    /// Writes every row's snapshot into the history's batch, blocks of rows side by side. A bad row fails the stage as
    /// a single pass would: the error of the first block that has one is rethrown, and that block stopped at its first.
    /// </summary>
    private static void Write(History history) =>
        Blocks.For(history.Rows.Length, 16_384, (_, from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                history.Batch.Write(i, history.Snapshot(i));
            }
        });

    internal static CustomerSnapshot Snapshot(MonthlyActivity a, LocalDate asOf, FeedbackRecord[]? feedback)
    {
        int? nps = null;
        int? survey = null;
        ImmutableArray<string>.Builder? comments = null; // most months have no comment: no builder for them
        var monthStart = a.Month.FirstDay();
        foreach (var f in feedback ?? [])
        {
            if (f.Date > asOf)
            {
                break;
            }

            if (f.Date > asOf.PlusDays(-FeedbackLookbackDays))
            {
                nps = f.Nps ?? nps;
                survey = f.Satisfaction ?? survey;
            }

            if (f.Date >= monthStart && !string.IsNullOrWhiteSpace(f.Comment))
            {
                (comments ??= ImmutableArray.CreateBuilder<string>()).Add(f.Comment);
            }
        }

        return new CustomerSnapshot(a.Customer, asOf)
        {
            EmailsSent = a.EmailsSent,
            EmailsOpened = a.EmailsOpened,
            FeatureShare = a.FeatureShare,
            SupportTickets = a.SupportTickets,
            NegativeTickets = a.NegativeTickets,
            DaysPaymentLate = a.DaysPaymentLate,
            Logins = a.Logins,
            BaselineLogins = a.BaselineLogins,
            CompetitorVisits = a.CompetitorVisits,
            AlternativeSearches = a.AlternativeSearches,
            CompetitorTrials = a.CompetitorTrial ? 1 : 0,
            ContractReviews = a.ContractReview ? 1 : 0,
            NegativeSocialMentions = a.NegativeSocialMentions,
            UsageOfLimit = a.UsageOfLimit,
            Nps = nps,
            SurveySatisfaction = survey,
            Comments = comments?.ToImmutable() ?? [],
        };
    }

    private static MonthScores Month(LocalDate asOf, ArraySegment<BatchScore> scores)
    {
        static double? Mean(ArraySegment<BatchScore> scores, Func<BatchScore, double> value)
        {
            var (sum, count) = (0d, 0);
            foreach (var score in scores)
            {
                var v = value(score);
                if (!double.IsNaN(v))
                {
                    (sum, count) = (sum + v, count + 1);
                }
            }

            return count == 0 ? null : sum / count;
        }

        return new MonthScores(
            new YearMonth(asOf.Year, asOf.Month),
            scores.Count,
            Mean(scores, s => s.RetentionScore),
            Mean(scores, s => s.RiskScore),
            Mean(scores, s => s.ChurnProbability),
            Count(scores.Select(s => s.Level), [RiskLevel.Low, RiskLevel.Medium, RiskLevel.High, RiskLevel.Unknown]));
    }

    private static ImmutableArray<(T Key, int Count)> Count<T>(IEnumerable<T> values, T[] order)
        where T : struct
    {
        var counts = values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        return [.. order.Select(k => (k, counts.GetValueOrDefault(k)))];
    }

    private static AtRiskCustomer AtRisk(CustomerScore score, CustomerStanding? account) => new(
        score.Customer,
        score.Risk.Level,
        score.Risk.ChurnProbability ?? double.NaN,
        score.Risk.Score ?? double.NaN,
        score.Retention.Value,
        score.Retention.Band,
        [.. score.Risk.Signals.Where(s => s.State == SignalState.Active).OrderByDescending(s => s.Contribution).Select(s => s.Reason)],
        [.. score.Risk.RedFlags.Select(f => f.Name)],
        [.. score.Risk.Signals.Where(s => s.State == SignalState.Active).Select(s => s.Action.Name).Distinct()])
    {
        Mrr = account?.Mrr.Amount,
        Plan = account?.Plan,
        TenureMonths = account?.TenureMonths,
        Drivers = score.Risk.Model is { } model ? [.. model.Strongest(3).Where(c => c.ProbabilityPoints > 0).Select(c => c.Feature)] : [],
    };

    /// <summary>
    /// Fits a calibration on the earlier labelled months and compares it with the default bands on the later ones.
    /// A training label must be known by the first test date (snapshot + horizon ≤ it), so nothing leaks from the future.
    /// </summary>
    private Backtest? Backtest(History history, BatchScore[] scores, ILookup<CustomerId, LocalDate> cancellations, LocalDate asOf, int horizonDays, out string? note)
    {
        note = null;
        var at = history.Dates;
        var labelled = Enumerable.Range(0, at.Length).Where(i => at[i].PlusDays(horizonDays) <= asOf).ToList();
        var dates = labelled.Select(i => at[i]).Distinct().Order().ToList();
        if (dates.Count < 3)
        {
            note = $"fewer than three months have a known {horizonDays}-day outcome; no backtest";
            return null;
        }

        var testFrom = dates[dates.Count - Math.Max(1, dates.Count / 3)];
        var train = labelled.Where(i => at[i].PlusDays(horizonDays) <= testFrom).ToList();
        var test = labelled.Where(i => at[i] >= testFrom).ToList();
        bool Churned(int i) => cancellations[history.Rows[i].Customer].Any(d => d > at[i] && d <= at[i].PlusDays(horizonDays));

        var stride = Math.Max(1, (train.Count + MaxTrainingExamples - 1) / MaxTrainingExamples);
        var examples = train.Where((_, k) => k % stride == 0).Select(i => new LabelledSnapshot(history.Snapshot(i), Churned(i))).ToList();
        var outcomes = test.Select(Churned).ToList();
        if (!outcomes.Contains(true) || !outcomes.Contains(false) || !examples.Any(e => e.Churned) || examples.All(e => e.Churned))
        {
            note = "the backtest needs both churners and stayers in the training and the test months";
            return null;
        }

        ChurnCalibration fit;
        try
        {
            fit = ChurnCalibration.Fit(engine, examples, new CalibrationFitOptions { HorizonDays = horizonDays, Ridge = Ridge });
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            note = "the calibration could not be fitted: " + ex.Message;
            return null;
        }

        // Rows are in date order, so the test rows are one contiguous run of the batch.
        if (test[^1] - test[0] + 1 != test.Count)
        {
            throw new InvalidOperationException("The test rows of the backtest are not contiguous; the rows were not in date order.");
        }

        var calibrated = new BatchScore[test.Count];
        engine.WithCalibration(fit).ScoreBatch(history.Batch, test[0], calibrated);
        return new Backtest(
            horizonDays,
            new YearMonth(testFrom.Year, testFrom.Month),
            examples.Count,
            test.Count,
            fit,
            CalibrationReport.Evaluate([.. test.Select(i => scores[i].ChurnProbability)], outcomes),
            CalibrationReport.Evaluate([.. calibrated.Select(s => s.ChurnProbability)], outcomes));
    }
}

/// <summary>The customer-months being scored: activity rows in date order, their snapshot dates, feedback and batch.</summary>
internal sealed record History(MonthlyActivity[] Rows, LocalDate[] Dates, IReadOnlyDictionary<CustomerId, FeedbackRecord[]> Feedback, ScoringBatch Batch)
{
    public CustomerSnapshot Snapshot(int i) => ScoringStage.Snapshot(Rows[i], Dates[i], Feedback.GetValueOrDefault(Rows[i].Customer));
}

/// <summary>What the scoring stage found.</summary>
internal sealed record ScoringSummary(
    int CurrentCustomers,
    ImmutableArray<(RiskLevel Key, int Count)> Levels,
    ImmutableArray<(RetentionBand Key, int Count)> Bands,
    ImmutableArray<AtRiskCustomer> TopAtRisk,
    ImmutableArray<MonthScores> Months,
    Backtest? Backtest,
    string? Note)
{
    public static ScoringSummary Empty(string note) => new(0, [], [], [], [], null, note);

    /// <summary>Gets today's score of every current customer (for the playbooks stage).</summary>
    public FrozenDictionary<CustomerId, BatchScore> Current { get; init; } = FrozenDictionary<CustomerId, BatchScore>.Empty;

    /// <summary>Gets where today's probabilities (levels, list, playbooks) come from.</summary>
    public TodayProbability Probability { get; init; } = TodayProbability.RuleOfThumb;

    /// <summary>Gets the MRR at risk: Σ over today's customers of churn probability × MRR.</summary>
    public decimal MrrAtRisk { get; init; }

    /// <summary>Gets today's customers' total MRR.</summary>
    public decimal Mrr { get; init; }

    /// <summary>The value of a month without a retention score in <see cref="Trends"/>.</summary>
    public const byte NoScore = byte.MaxValue;

    /// <summary>Gets each scored customer's retention score, rounded, at every month of <see cref="Months"/>.</summary>
    public FrozenDictionary<CustomerId, byte[]> Trends { get; init; } = FrozenDictionary<CustomerId, byte[]>.Empty;

    /// <summary>Gets the engine's signals as a reader names them, by bit of <see cref="BatchScore.ActiveSignals"/>.</summary>
    public ImmutableArray<string> SignalNames { get; init; } = [];

    /// <summary>Gets the engine's red flags, by bit of <see cref="BatchScore.RedFlags"/>.</summary>
    public ImmutableArray<string> RedFlagNames { get; init; } = [];
}

/// <summary>Where today's churn probabilities come from: a calibration fitted on the labelled months, or the rule of thumb.</summary>
/// <param name="Calibration">The calibration; null for the rule of thumb.</param>
/// <param name="TrainingExamples">The customer-months it was fitted on.</param>
/// <param name="LabelledTo">The last month whose outcome it learnt.</param>
internal sealed record TodayProbability(ChurnCalibration? Calibration, int TrainingExamples, YearMonth? LabelledTo)
{
    public static TodayProbability RuleOfThumb { get; } = new(null, 0, null);

    public bool IsCalibrated => Calibration is not null;

    /// <summary>Gets how the report names the probability it shows.</summary>
    public string Label => Calibration is null
        ? "rule of thumb (the documents' bands by active-signal count; not a measured probability)"
        : FormattableString.Invariant($"calibrated ({TrainingExamples:N0} labelled customer-months to {LabelledTo:yyyy-MM})");
}

/// <summary>A customer at the top of today's risk list, with why.</summary>
internal sealed record AtRiskCustomer(
    CustomerId Customer,
    RiskLevel Level,
    double ChurnProbability,
    double RiskScore,
    double? RetentionScore,
    RetentionBand? Band,
    ImmutableArray<string> Reasons,
    ImmutableArray<string> RedFlags,
    ImmutableArray<string> Actions)
{
    /// <summary>Gets the customer's monthly recurring revenue today; null when not subscribed.</summary>
    public decimal? Mrr { get; init; }

    /// <summary>Gets the customer's plan today.</summary>
    public string? Plan { get; init; }

    /// <summary>Gets the whole months since the customer's first subscription.</summary>
    public int? TenureMonths { get; init; }

    /// <summary>Gets the model features that raised the probability most (empty for the rule of thumb).</summary>
    public ImmutableArray<string> Drivers { get; init; } = [];
}

/// <summary>The scores of one month's snapshots.</summary>
internal sealed record MonthScores(
    YearMonth Month,
    int Customers,
    double? MeanRetentionScore,
    double? MeanRiskScore,
    double? MeanChurnProbability,
    ImmutableArray<(RiskLevel Key, int Count)> Levels);

/// <summary>The calibration backtest: fitted on earlier months, evaluated on later ones beside the default bands.</summary>
internal sealed record Backtest(
    int HorizonDays,
    YearMonth TestFrom,
    int TrainingExamples,
    int TestExamples,
    ChurnCalibration Calibration,
    CalibrationReport Default,
    CalibrationReport Calibrated);
