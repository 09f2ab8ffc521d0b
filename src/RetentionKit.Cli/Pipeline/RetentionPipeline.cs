using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Cli.Pipeline;

/// <summary>Runs every stage that exists on a data set. Later packages add their stages here.</summary>
internal sealed class RetentionPipeline(SubscriptionAnalyzer analyzer, KpiScorecard scorecard, ScoringStage scoring, SegmentationStage segmentation, LoyaltyStage loyalty, PlaybookStage playbooks, FeedbackStage feedback, IOptions<ReportOptions> options, ProgrammeState? state = null)
{
    private readonly ReportOptions _options = options.Value;

    /// <summary>Runs every stage as of a date (default: <see cref="LatestDate"/>), naming each stage as it starts to <paramref name="stage"/>.</summary>
    public PipelineResult Run(DataSet data, LocalDate? asOf = null, Action<string>? stage = null)
    {
        var currency = new Currency(_options.Currency);
        var end = asOf ?? LatestDate(data);
        stage?.Invoke("Analysing subscriptions");
        state?.RequireNotBefore(end);
        PhaseMemory.Release(); // what reading the data took
        var context = PipelineContext.Analyze(analyzer, data, end, currency) with { State = state, LastAsOf = state?.LastAsOf() };
        var analysis = context.Subscriptions;
        var nps = Satisfaction.Nps(data.Feedback.Where(f => f.Nps is not null).Select(f => f.Nps!.Value));
        var csat = Satisfaction.Csat(data.Feedback.Where(f => f.Satisfaction is not null).Select(f => f.Satisfaction!.Value), scaleMax: 10, satisfiedFrom: 8);
        var kpis = scorecard.Evaluate(KpiActuals.From(analysis, nps: nps));
        var clv = Clv(analysis);

        // Without a kept state the stages share nothing they write, so those that do not need each other's results
        // run beside the scoring chain on the other cores: the loyalty programme, the segments and the models. A kept
        // state's stores are written one stage at a time.
        var parallel = state is null;
        Task<T> Start<T>(Func<T> work) => parallel ? Task.Run(work) : Task.FromResult(work());
        stage?.Invoke("Running the loyalty programme");
        var loyaltyRun = Start(() => loyalty.Run(context, _options.AssumedReferredShare));
        stage?.Invoke("Segmenting");
        var segmentRun = Start(() => segmentation.Run(context, clv?.MonthlyChurn, Rate.FromFraction(_options.GrossMargin)));
        stage?.Invoke("Fitting the purchase and survival models");
        var probabilisticRun = Start(() => ProbabilisticStage.Run(context, _options.GrossMargin));
        stage?.Invoke("Scoring churn risk");
        var scores = scoring.Run(context, _options.BacktestHorizonDays);
        if (state is not null)
        {
            // Today's scores into the history: one record per customer and date, so running the date again replaces them.
            state.History.RecordManyAsync(scores.Current.Select(c => new RetentionKit.Scoring.ScoreRecord(
                c.Key, end, end, double.IsNaN(c.Value.RetentionScore) ? null : c.Value.RetentionScore, double.IsNaN(c.Value.RetentionScore) ? null : c.Value.Band,
                double.IsNaN(c.Value.RiskScore) ? null : c.Value.RiskScore, c.Value.Level, double.IsNaN(c.Value.ChurnProbability) ? null : c.Value.ChurnProbability))).AsTask().GetAwaiter().GetResult();
        }

        var segments = segmentRun.GetAwaiter().GetResult();
        PhaseMemory.Release(); // the scoring history and the segments' working data
        stage?.Invoke("Reading the feedback");
        var feedbackRun = Start(() => feedback.Run(context, scores.Current, segments.ValueSegmentOf));
        stage?.Invoke("Planning today's playbook steps");
        var playbookResult = playbooks.Run(context, scores, clv?.MonthlyChurn.Fraction ?? 0d, _options.GrossMargin);
        var feedbackResult = feedbackRun.GetAwaiter().GetResult();
        var loyaltyResult = loyaltyRun.GetAwaiter().GetResult();
        var probabilistic = probabilisticRun.GetAwaiter().GetResult();
        var experiments = ExperimentsStage.Run(context, playbookResult, playbooks.Definitions, playbooks.Options, clv?.MonthlyChurn.Fraction ?? 0d, loyaltyResult.Referrals.ByIncentive);
        var result = new PipelineResult(
            end,
            currency,
            new DataCounts(data.Customers.Count, data.Events.Count, data.Activity.Count, data.Feedback.Count, data.Churns.Count),
            analysis,
            nps,
            csat,
            kpis,
            clv,
            scores,
            segments,
            loyaltyResult,
            playbookResult,
            probabilistic)
        {
            Customers = CustomerRows.Build(context, scores, segments, playbookResult),
            Feedback = feedbackResult,
            Experiments = experiments,
            TrailingYear = analysis.Periods.Length > 12 ? analysis.Customers.RevenueRetentionSince(context.CustomersAt(end.PlusMonths(-12))) : null,
        };
        state?.Completed(end);
        return result;
    }

    private ClvSummary? Clv(SubscriptionAnalysis analysis)
    {
        // Monthly churn: the average of the most recent complete months' customer churn rates.
        var recent = analysis.Periods
            .Where(p => p.End == p.Month.LastDay() && p.Customers.ChurnRate is not null)
            .TakeLast(_options.ChurnWindowMonths)
            .Select(p => p.Customers.ChurnRate!.Value.Fraction)
            .ToList();
        if (recent.Count == 0 || recent.Average() <= 0d || analysis.Customers.ActiveCount == 0)
        {
            return null;
        }

        var churn = Rate.FromFraction(recent.Average());
        var margin = Rate.FromFraction(_options.GrossMargin);
        var values = analysis.Customers.Active.Select(c => CustomerLifetimeValue.Simple(c.Mrr, margin, churn).Amount).Order().ToImmutableArray();
        return new ClvSummary(churn, margin, values);
    }

    /// <summary>The default as-of date: the last day of the month of the latest subscription event.</summary>
    public static LocalDate LatestDate(DataSet data)
    {
        if (data.Events.Count == 0)
        {
            throw new ArgumentException("The data has no subscription events; there is nothing to analyse.", nameof(data));
        }

        var last = data.Events.Max(e => e.EffectiveDate);
        var month = new YearMonth(last.Year, last.Month);
        return month.LastDay();
    }
}

internal sealed record DataCounts(int Customers, int SubscriptionEvents, int ActivityRows, int FeedbackRows, int GroundTruthChurns);

/// <summary>CLV of every active customer at the as-of date: current MRR × margin ÷ recent monthly churn.</summary>
internal sealed record ClvSummary(Rate MonthlyChurn, Rate GrossMargin, ImmutableArray<decimal> Values)
{
    public decimal Mean => Values.Average();

    public decimal Percentile(double p) => Values[Math.Clamp((int)Math.Round(p * (Values.Length - 1)), 0, Values.Length - 1)];
}

internal sealed record PipelineResult(
    LocalDate AsOf,
    Currency Currency,
    DataCounts Data,
    SubscriptionAnalysis Subscriptions,
    NpsResult Nps,
    CsatResult Csat,
    ImmutableArray<KpiResult> Scorecard,
    ClvSummary? Clv,
    ScoringSummary Scoring,
    SegmentationSummary Segmentation,
    LoyaltySummary Loyalty,
    PlaybookSummary Playbooks,
    ProbabilisticSummary Probabilistic)
{
    /// <summary>Gets every paying customer today, in the customer base's order.</summary>
    public ImmutableArray<CustomerRow> Customers { get; init; } = [];

    /// <summary>Gets the feedback loop's results; null when no stage produced them.</summary>
    public FeedbackSummary? Feedback { get; init; }

    /// <summary>Gets what worked: the playbook experiments of the data's enrolment log and the kept state; null when there are no enrolments to read.</summary>
    public ExperimentsSummary? Experiments { get; init; }

    /// <summary>Gets NRR and GRR over the trailing twelve months; null with less than a year of history.</summary>
    public RevenueRetentionResult? TrailingYear { get; init; }
}
