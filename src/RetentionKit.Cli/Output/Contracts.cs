using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.Json.Serialization;

// The --json contract of the retentionkit tool: these types are what standard output carries, serialised by the
// source-generated OutputJsonContext (camelCase names, nulls written). docs/data-formats.md points here.
namespace RetentionKit.Cli.Output;

/// <summary>What <c>demo</c> and <c>analyze</c> write.</summary>
/// <param name="Command">The command that ran.</param>
/// <param name="AsOf">The as-of date, yyyy-MM-dd.</param>
/// <param name="Currency">The ISO 4217 code of every amount.</param>
/// <param name="Data">Row counts of the input.</param>
/// <param name="Months">One entry per month of the subscription history.</param>
/// <param name="Cohorts">One entry per sign-up month.</param>
/// <param name="Retention">Whole-window retention.</param>
/// <param name="ChurnByReason">Customers and MRR lost by churn reason code.</param>
/// <param name="Satisfaction">NPS and CSAT.</param>
/// <param name="Kpis">The KPI scorecard.</param>
/// <param name="Clv">Simple CLV of today's customers; null without a churn rate.</param>
/// <param name="Scoring">Churn risk and retention scores.</param>
/// <param name="Segmentation">Value segments, migration and other segmentations.</param>
/// <param name="Loyalty">Points, tiers and referrals.</param>
/// <param name="Playbooks">Today's playbook plan.</param>
/// <param name="Feedback">The feedback loop over the last year; null when it did not run.</param>
/// <param name="Probabilistic">BG/NBD, Gamma-Gamma and survival.</param>
/// <param name="Experiments">What worked: the playbook experiments of the enrolment log and the kept state; null without enrolments.</param>
/// <param name="Customers">Every paying customer today.</param>
/// <param name="Report">The HTML report's path; null when none was written.</param>
internal sealed record PipelineOutput(
    string Command,
    string AsOf,
    string Currency,
    DataOutput Data,
    IReadOnlyList<MonthOutput> Months,
    IReadOnlyList<CohortOutput> Cohorts,
    RetentionOutput Retention,
    IReadOnlyDictionary<string, ChurnTallyOutput> ChurnByReason,
    SatisfactionOutput Satisfaction,
    IReadOnlyList<KpiOutput> Kpis,
    ClvOutput? Clv,
    ScoringOutput Scoring,
    SegmentationOutput Segmentation,
    LoyaltyOutput Loyalty,
    PlaybooksOutput Playbooks,
    FeedbackOutput? Feedback,
    ProbabilisticOutput Probabilistic,
    ExperimentsOutput? Experiments,
    IReadOnlyList<CustomerOutput> Customers,
    string? Report);

/// <summary>Row counts of the input.</summary>
/// <param name="Customers">Rows of customers.csv.</param>
/// <param name="SubscriptionEvents">Subscription events.</param>
/// <param name="ActivityRows">Monthly activity rows.</param>
/// <param name="FeedbackRows">Feedback rows.</param>
/// <param name="GroundTruthChurns">Rows of churn ground truth.</param>
internal sealed record DataOutput(int Customers, int SubscriptionEvents, int ActivityRows, int FeedbackRows, int GroundTruthChurns);

/// <summary>One month: the MRR bridge (rounded to the minor unit), customer movements and retention rates.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="StartingMrr">MRR at the start.</param>
/// <param name="NewMrr">New business.</param>
/// <param name="ExpansionMrr">Expansion.</param>
/// <param name="ReactivationMrr">Reactivation.</param>
/// <param name="ContractionMrr">Contraction.</param>
/// <param name="ChurnedMrr">Churn.</param>
/// <param name="EndingMrr">MRR at the end.</param>
/// <param name="StartingCustomers">Customers at the start.</param>
/// <param name="NewCustomers">New customers.</param>
/// <param name="ReactivatedCustomers">Customers who came back.</param>
/// <param name="ChurnedCustomers">Customers who left.</param>
/// <param name="EndingCustomers">Customers at the end.</param>
/// <param name="ChurnRate">Customer churn as a fraction; null when undefined.</param>
/// <param name="Nrr">Net revenue retention as a fraction; null when undefined.</param>
/// <param name="Grr">Gross revenue retention as a fraction; null when undefined.</param>
internal sealed record MonthOutput(
    string Month,
    decimal StartingMrr,
    decimal NewMrr,
    decimal ExpansionMrr,
    decimal ReactivationMrr,
    decimal ContractionMrr,
    decimal ChurnedMrr,
    decimal EndingMrr,
    int StartingCustomers,
    int NewCustomers,
    int ReactivatedCustomers,
    int ChurnedCustomers,
    int EndingCustomers,
    double? ChurnRate,
    double? Nrr,
    double? Grr);

/// <summary>A sign-up cohort.</summary>
/// <param name="Cohort">yyyy-MM.</param>
/// <param name="Size">Members.</param>
/// <param name="CustomerRetention">Share of members active, by age in months.</param>
/// <param name="RevenueRetention">MRR ÷ initial MRR, by age; null entries when the initial MRR is zero.</param>
internal sealed record CohortOutput(string Cohort, int Size, IReadOnlyList<double> CustomerRetention, IReadOnlyList<double?> RevenueRetention);

/// <summary>Whole-window retention.</summary>
/// <param name="AnnualCustomerRetention">Share of customers of twelve months ago still active; null when undefined.</param>
/// <param name="ReactivationRate">Share of churned customers who came back; null when nobody churned.</param>
/// <param name="TrailingYearNrr">NRR over the trailing twelve months (customers active a year ago: their MRR now ÷ then); null with less history.</param>
/// <param name="TrailingYearGrr">GRR over the trailing twelve months; null with less history.</param>
internal sealed record RetentionOutput(double? AnnualCustomerRetention, double? ReactivationRate, double? TrailingYearNrr, double? TrailingYearGrr);

/// <summary>Churn for one reason.</summary>
/// <param name="Customers">Customers lost.</param>
/// <param name="Mrr">MRR lost, rounded.</param>
internal sealed record ChurnTallyOutput(int Customers, decimal Mrr);

/// <summary>Satisfaction.</summary>
/// <param name="Nps">Net promoter score; null without answers.</param>
/// <param name="NpsResponses">NPS answers.</param>
/// <param name="Csat">Share of satisfied answers; null without answers.</param>
internal sealed record SatisfactionOutput(double? Nps, int NpsResponses, double? Csat);

/// <summary>A KPI against its target.</summary>
/// <param name="Kpi">The KPI's name.</param>
/// <param name="Actual">The measured value; null when not measured.</param>
/// <param name="Target">The target (or the band's lower end).</param>
/// <param name="TargetMax">The band's upper end; null for a floor.</param>
/// <param name="Status">Met, Below, Above or NotMeasured.</param>
internal sealed record KpiOutput(string Kpi, double? Actual, double Target, double? TargetMax, string Status);

/// <summary>Simple CLV (MRR × margin ÷ monthly churn) of today's customers.</summary>
/// <param name="Customers">Customers valued.</param>
/// <param name="MonthlyChurn">The monthly churn rate used.</param>
/// <param name="GrossMargin">The margin used.</param>
/// <param name="Mean">Mean CLV.</param>
/// <param name="P10">10th percentile.</param>
/// <param name="Median">Median.</param>
/// <param name="P90">90th percentile.</param>
internal sealed record ClvOutput(int Customers, double MonthlyChurn, double GrossMargin, decimal Mean, decimal P10, decimal Median, decimal P90);

/// <summary>Churn risk and retention scores.</summary>
/// <param name="CurrentCustomers">Customers scored today.</param>
/// <param name="Probability">Where today's probabilities come from.</param>
/// <param name="Mrr">Today's scored customers' MRR.</param>
/// <param name="MrrAtRisk">Σ churn probability × MRR.</param>
/// <param name="RiskLevels">Customers by risk level today.</param>
/// <param name="RetentionBands">Customers by retention band today.</param>
/// <param name="TopAtRisk">The customers at highest risk, with why.</param>
/// <param name="Months">Scores at each month end.</param>
/// <param name="Backtest">The calibration backtest; null with too little history.</param>
/// <param name="Note">Why something was left out; null when nothing was.</param>
internal sealed record ScoringOutput(
    int CurrentCustomers,
    ProbabilityOutput Probability,
    decimal Mrr,
    decimal MrrAtRisk,
    IReadOnlyDictionary<string, int> RiskLevels,
    IReadOnlyDictionary<string, int> RetentionBands,
    IReadOnlyList<AtRiskOutput> TopAtRisk,
    IReadOnlyList<ScoreMonthOutput> Months,
    BacktestOutput? Backtest,
    string? Note);

/// <summary>Where today's churn probabilities come from.</summary>
/// <param name="Source"><c>calibrated</c> or <c>ruleOfThumb</c>.</param>
/// <param name="Label">How the report names it.</param>
/// <param name="TrainingExamples">Customer-months the calibration was fitted on (0 for the rule of thumb).</param>
/// <param name="LabelledTo">The last month whose outcome it learnt, yyyy-MM; null for the rule of thumb.</param>
internal sealed record ProbabilityOutput(string Source, string Label, int TrainingExamples, string? LabelledTo);

/// <summary>A customer at the top of the risk list.</summary>
/// <param name="Customer">The customer's id.</param>
/// <param name="Level">low, medium, high or unknown.</param>
/// <param name="ChurnProbability">Today's churn probability.</param>
/// <param name="Plan">Today's plan.</param>
/// <param name="Mrr">Today's MRR.</param>
/// <param name="TenureMonths">Whole months since the first subscription.</param>
/// <param name="Drivers">The model features that raised the probability most.</param>
/// <param name="RiskScore">The rule-based risk score, 0–100.</param>
/// <param name="RetentionScore">The retention score, 0–100.</param>
/// <param name="Band">The retention band.</param>
/// <param name="Reasons">The active signals' reasons.</param>
/// <param name="RedFlags">The matched red flags.</param>
/// <param name="Actions">The actions the signals suggest.</param>
internal sealed record AtRiskOutput(
    string Customer,
    string Level,
    double? ChurnProbability,
    string? Plan,
    decimal? Mrr,
    double? TenureMonths,
    IReadOnlyList<string> Drivers,
    double? RiskScore,
    double? RetentionScore,
    string? Band,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> RedFlags,
    IReadOnlyList<string> Actions);

/// <summary>The scores of one month end.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Customers">Customers scored.</param>
/// <param name="MeanRetentionScore">Mean retention score.</param>
/// <param name="MeanRiskScore">Mean risk score.</param>
/// <param name="MeanChurnProbability">Mean churn probability (rule of thumb).</param>
/// <param name="RiskLevels">Customers by risk level.</param>
internal sealed record ScoreMonthOutput(string Month, int Customers, double? MeanRetentionScore, double? MeanRiskScore, double? MeanChurnProbability, IReadOnlyDictionary<string, int> RiskLevels);

/// <summary>The calibration backtest.</summary>
/// <param name="HorizonDays">Days within which a cancellation counts as churn.</param>
/// <param name="TestFrom">The first test month, yyyy-MM.</param>
/// <param name="TrainingExamples">Customer-months fitted on.</param>
/// <param name="TestExamples">Customer-months tested on.</param>
/// <param name="FitIterations">Newton iterations of the fit.</param>
/// <param name="Default">The rule of thumb on the test months.</param>
/// <param name="Calibrated">The calibration on the test months.</param>
internal sealed record BacktestOutput(int HorizonDays, string TestFrom, int TrainingExamples, int TestExamples, int FitIterations, CalibrationOutput Default, CalibrationOutput Calibrated);

/// <summary>How well probabilities matched outcomes.</summary>
/// <param name="Examples">Customer-months.</param>
/// <param name="Churned">Of which churned.</param>
/// <param name="Auc">Area under the ROC curve.</param>
/// <param name="BrierScore">Mean squared error.</param>
/// <param name="LogLoss">Mean log loss.</param>
/// <param name="CalibrationInTheLarge">Mean predicted − observed rate.</param>
/// <param name="ExpectedCalibrationError">Weighted mean |predicted − observed| over the bands.</param>
/// <param name="Table">Ten bands of predicted probability.</param>
internal sealed record CalibrationOutput(int Examples, int Churned, double Auc, double BrierScore, double LogLoss, double CalibrationInTheLarge, double ExpectedCalibrationError, IReadOnlyList<CalibrationBinOutput> Table);

/// <summary>A band of predicted probability.</summary>
/// <param name="From">Lower end.</param>
/// <param name="To">Upper end.</param>
/// <param name="Count">Customer-months in it.</param>
/// <param name="MeanPredicted">Mean prediction; null when empty.</param>
/// <param name="ObservedRate">Share that churned; null when empty.</param>
internal sealed record CalibrationBinOutput(double From, double To, int Count, double? MeanPredicted, double? ObservedRate);

/// <summary>Segmentation: value segments and their migration, and the behaviour, industry and RFM mixes.</summary>
/// <param name="Customers">Customers paying today.</param>
/// <param name="ValueSegments">Value segments, high first.</param>
/// <param name="ValueMigration">Migration between value segments; null without an earlier base.</param>
internal sealed record SegmentationOutput(int Customers, IReadOnlyList<ValueSegmentOutput> ValueSegments, MigrationOutput? ValueMigration)
{
    /// <summary>Gets why nothing was segmented; left out when something was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }

    /// <summary>Gets the behaviour personas: customers per persona; left out when not run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? Persona { get; init; }

    /// <summary>Gets the industry mix: customers per industry; left out when not run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? Industry { get; init; }

    /// <summary>Gets the RFM segments: customers per segment; left out when not run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? Rfm { get; init; }
}

/// <summary>A value segment today.</summary>
/// <param name="Segment">low, medium or high.</param>
/// <param name="Customers">Customers.</param>
/// <param name="CustomerShare">Share of customers.</param>
/// <param name="Revenue">MRR, rounded to cents.</param>
/// <param name="RevenueShare">Share of MRR; null without MRR.</param>
/// <param name="CustomerShareAtypical">Outside the typical range.</param>
/// <param name="RevenueShareAtypical">Outside the typical range.</param>
internal sealed record ValueSegmentOutput(string Segment, int Customers, double CustomerShare, decimal Revenue, double? RevenueShare, bool CustomerShareAtypical, bool RevenueShareAtypical);

/// <summary>Migration between value segments.</summary>
/// <param name="From">The earlier date.</param>
/// <param name="To">The as-of date.</param>
/// <param name="Segments">Segments, low to high.</param>
/// <param name="Matrix">Customers by [from][to].</param>
/// <param name="StartingCounts">Customers per segment at the earlier date.</param>
/// <param name="Left">Customers per starting segment who left.</param>
/// <param name="Entered">New customers per segment.</param>
/// <param name="Upgrades">Customers who moved up.</param>
/// <param name="Downgrades">Customers who moved down.</param>
/// <param name="Stayed">Customers who stayed.</param>
/// <param name="ObjectiveReached">Per starting segment, the share that reached its objective; null when it started empty.</param>
internal sealed record MigrationOutput(string From, string To, IReadOnlyList<string> Segments, IReadOnlyList<IReadOnlyList<int>> Matrix, IReadOnlyList<int> StartingCounts, IReadOnlyList<int> Left, IReadOnlyList<int> Entered, int Upgrades, int Downgrades, int Stayed, IReadOnlyList<double?> ObjectiveReached);

/// <summary>The loyalty programme.</summary>
/// <param name="Members">Members.</param>
/// <param name="Postings">Ledger postings.</param>
/// <param name="Redemptions">Redemptions.</param>
/// <param name="OutstandingPoints">Points outstanding.</param>
/// <param name="Tiers">Customers paying today by tier.</param>
/// <param name="PointsByMonth">Points per month.</param>
/// <param name="Referrals">The referral funnel.</param>
internal sealed record LoyaltyOutput(int Members, long Postings, long Redemptions, long OutstandingPoints, IReadOnlyList<TierOutput> Tiers, IReadOnlyList<PointsMonthOutput> PointsByMonth, ReferralsOutput Referrals);

/// <summary>A tier.</summary>
/// <param name="Tier">Name.</param>
/// <param name="From">Points from which it applies.</param>
/// <param name="Customers">Customers paying today in it.</param>
internal sealed record TierOutput(string Tier, long From, int Customers);

/// <summary>Points in a month.</summary>
/// <param name="Month">yyyy-MM.</param>
/// <param name="Earned">Earned.</param>
/// <param name="Redeemed">Redeemed.</param>
/// <param name="Expired">Expired.</param>
/// <param name="ClawedBack">Taken back.</param>
internal sealed record PointsMonthOutput(string Month, long Earned, long Redeemed, long Expired, long ClawedBack);

/// <summary>The referral funnel.</summary>
/// <param name="AssumedReferredShare">Share of new customers assumed referred.</param>
/// <param name="CodesIssued">Codes issued.</param>
/// <param name="Attributed">Referrals attributed.</param>
/// <param name="Flagged">Flagged as suspicious.</param>
/// <param name="Qualified">Qualified.</param>
/// <param name="Reversed">Reversed.</param>
/// <param name="Expired">Expired.</param>
/// <param name="LimitReached">Refused at a limit.</param>
/// <param name="Conversion">Qualified ÷ attributed; null when none.</param>
/// <param name="RewardCost">Reward cost.</param>
/// <param name="ReversedCost">Cost of reversed rewards.</param>
internal sealed record ReferralsOutput(double AssumedReferredShare, long CodesIssued, long Attributed, long Flagged, long Qualified, long Reversed, long Expired, long LimitReached, double? Conversion, decimal RewardCost, decimal ReversedCost);

/// <summary>Today's playbook plan.</summary>
/// <param name="AsOf">yyyy-MM-dd.</param>
/// <param name="Customers">Customers planned for.</param>
/// <param name="EnrolmentsStarted">Enrolments started today.</param>
/// <param name="StepsDue">Steps due today.</param>
/// <param name="ByPlaybook">Per playbook.</param>
/// <param name="ByChannel">Steps due per channel.</param>
/// <param name="Actions">Today's steps.</param>
/// <param name="Journey">The busiest customer's next 60 days; null when none.</param>
internal sealed record PlaybooksOutput(string AsOf, int Customers, int EnrolmentsStarted, int StepsDue, IReadOnlyList<PlaybookCountOutput> ByPlaybook, IReadOnlyDictionary<string, int> ByChannel, IReadOnlyList<ActionOutput> Actions, JourneyOutput? Journey);

/// <summary>The feedback loop (SPEC B13) over the last 365 days.</summary>
/// <param name="From">The first day analysed.</param>
/// <param name="Items">Feedback rows analysed.</param>
/// <param name="Negative">Of those, negative.</param>
/// <param name="Open">Items of the last 30 days (the tool's inbox: the files hold no resolutions).</param>
/// <param name="Overdue">Inbox items with an action due before today.</param>
/// <param name="Topics">Topics raised per value segment, highest segment first, most raised first.</param>
/// <param name="Inbox">The 50 inbox items of highest priority today.</param>
/// <param name="Improvements">Improvements asked for in the last six months, per area and segment.</param>
/// <param name="Tones">Today's scores by the tone of the customer's latest feedback of the last 90 days.</param>
internal sealed record FeedbackOutput(string From, int Items, int Negative, int Open, int Overdue, IReadOnlyList<TopicOutput> Topics, IReadOnlyList<FeedbackItemOutput> Inbox, IReadOnlyList<ImprovementOutput> Improvements, IReadOnlyList<ToneOutput> Tones);

/// <summary>How often a value segment raised a topic.</summary>
/// <param name="Segment">The value segment (high, medium, low), or null for customers without one today.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Count">Items that raised it.</param>
/// <param name="Negative">Of those, negative.</param>
internal sealed record TopicOutput(string? Segment, string Topic, int Count, int Negative);

/// <summary>One feedback item of the inbox.</summary>
/// <param name="Id">The row's id (customer:date:index).</param>
/// <param name="Customer">Who.</param>
/// <param name="ReceivedOn">When.</param>
/// <param name="Text">The comment, or null.</param>
/// <param name="Nps">The NPS answer, or null.</param>
/// <param name="Sentiment">Sentiment 0–1, or null.</param>
/// <param name="Band">negative, neutral or positive; null with the sentiment.</param>
/// <param name="Topics">Topics, the main one first.</param>
/// <param name="Team">The owning team.</param>
/// <param name="Level">urgent, high, normal or low (on arrival).</param>
/// <param name="Priority">The priority today, 0–100.</param>
/// <param name="Overdue">The actions due before today and not done.</param>
internal sealed record FeedbackItemOutput(string Id, string Customer, string ReceivedOn, string? Text, int? Nps, double? Sentiment, string? Band, IReadOnlyList<string> Topics, string Team, string Level, double Priority, IReadOnlyList<string> Overdue);

/// <summary>An improvement asked for by a value segment.</summary>
/// <param name="Area">The improvement area.</param>
/// <param name="Product">True for the product, false for the service.</param>
/// <param name="Segment">The value segment, or null.</param>
/// <param name="Count">Items that asked for it.</param>
/// <param name="Negative">Of those, negative.</param>
/// <param name="ByMonth">Items per month, oldest first.</param>
/// <param name="Trend">Last month's count less the month before.</param>
internal sealed record ImprovementOutput(string Area, bool Product, string? Segment, int Count, int Negative, IReadOnlyList<int> ByMonth, int Trend);

/// <summary>Today's scores of the customers whose latest feedback had a tone.</summary>
/// <param name="Tone">negative, neutral, positive, unread (no sentiment) or none (no feedback in 90 days).</param>
/// <param name="Customers">Customers scored today.</param>
/// <param name="MeanRetentionScore">Their mean retention score, or null.</param>
/// <param name="MeanChurnProbability">Their mean churn probability, or null.</param>
internal sealed record ToneOutput(string Tone, int Customers, double? MeanRetentionScore, double? MeanChurnProbability);

/// <summary>A playbook's counts today.</summary>
/// <param name="Playbook">Id.</param>
/// <param name="Started">Enrolments started.</param>
/// <param name="Due">Steps due.</param>
internal sealed record PlaybookCountOutput(string Playbook, int Started, int Due);

/// <summary>A step due today.</summary>
/// <param name="Customer">Customer id.</param>
/// <param name="Playbook">Playbook id.</param>
/// <param name="Step">Step id.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Owner">Who owns it.</param>
/// <param name="DueOn">yyyy-MM-dd.</param>
/// <param name="IdempotencyKey">Key that makes a repeated delivery harmless.</param>
/// <param name="Template">Template id.</param>
/// <param name="Subject">Rendered subject.</param>
/// <param name="Body">Rendered body.</param>
internal sealed record ActionOutput(string Customer, string Playbook, string Step, string Channel, string Owner, string DueOn, string IdempotencyKey, string Template, string Subject, string Body);

/// <summary>A customer's journey ahead.</summary>
/// <param name="Customer">Customer id.</param>
/// <param name="Steps">Steps by day.</param>
internal sealed record JourneyOutput(string Customer, IReadOnlyList<JourneyStepOutput> Steps);

/// <summary>A step of a journey.</summary>
/// <param name="Day">Days from today.</param>
/// <param name="Playbook">Playbook id.</param>
/// <param name="Step">Step id.</param>
/// <param name="Channel">Channel.</param>
internal sealed record JourneyStepOutput(int Day, string Playbook, string Step, string Channel);

/// <summary>Probabilistic models.</summary>
/// <param name="Purchases">BG/NBD and Gamma-Gamma on the purchase log; null without one.</param>
/// <param name="Survival">Kaplan–Meier per sign-up half-year.</param>
internal sealed record ProbabilisticOutput(PurchasesOutput? Purchases, IReadOnlyList<SurvivalOutput> Survival);

/// <summary>The purchase models.</summary>
/// <param name="Transactions">Purchases.</param>
/// <param name="CalibrationEnd">yyyy-MM-dd.</param>
/// <param name="HoldoutWeeks">Hold-out length.</param>
/// <param name="Bgnbd">Parameters fitted on the calibration period.</param>
/// <param name="Predicted">Hold-out purchases predicted.</param>
/// <param name="Actual">Hold-out purchases made.</param>
/// <param name="ByFrequency">Per repeat-purchase count.</param>
/// <param name="PAlive">P(alive) today.</param>
/// <param name="Clv">Purchase CLV; null when Gamma-Gamma could not be fitted.</param>
internal sealed record PurchasesOutput(int Transactions, string CalibrationEnd, int HoldoutWeeks, BgNbdOutput Bgnbd, double Predicted, double Actual, IReadOnlyList<FrequencyOutput> ByFrequency, PAliveOutput PAlive, PurchaseClvOutput? Clv)
{
    /// <summary>Gets BG/NBD, Pareto/NBD and MBG/NBD judged on the hold-out (as <c>clv compare</c> writes it, without its dates).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ModelAssessmentOutput>? Models { get; init; }

    /// <summary>Gets the model whose hold-out predictions by calibration frequency are closest.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Winner { get; init; }

    /// <summary>Gets the tracking plot: cumulative repeat purchase days per week from the log's first purchase, actual and BG/NBD's expectation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TrackingOutput? Tracking { get; init; }

    /// <summary>Gets P(alive) by repeat purchases (rows from 0) and recency (columns) for a customer of the largest age.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AliveGridOutput? AliveGrid { get; init; }
}

/// <summary>The tracking plot's two curves, one value per week.</summary>
/// <param name="Actual">Cumulative repeat purchase days.</param>
/// <param name="Expected">BG/NBD's expectation (fitted on the calibration weeks).</param>
internal sealed record TrackingOutput(IReadOnlyList<double> Actual, IReadOnlyList<double> Expected);

/// <summary>P(alive) by frequency and recency.</summary>
/// <param name="AgeWeeks">The age of the customer described.</param>
/// <param name="RecencyWeeks">The recency of each column.</param>
/// <param name="Rows">One row per repeat-purchase count from 0; null where no history exists.</param>
internal sealed record AliveGridOutput(double AgeWeeks, IReadOnlyList<double> RecencyWeeks, IReadOnlyList<IReadOnlyList<double?>> Rows);

/// <summary>BG/NBD parameters (weeks).</summary>
/// <param name="R">r.</param>
/// <param name="Alpha">α.</param>
/// <param name="A">a.</param>
/// <param name="B">b.</param>
internal sealed record BgNbdOutput(double R, double Alpha, double A, double B);

/// <summary>Hold-out purchases per customer for one calibration frequency.</summary>
/// <param name="Frequency">Repeat purchases before (0 … 6, 7+).</param>
/// <param name="Customers">Customers.</param>
/// <param name="Predicted">Predicted per customer.</param>
/// <param name="Actual">Actual per customer.</param>
internal sealed record FrequencyOutput(string Frequency, int Customers, double Predicted, double Actual);

/// <summary>P(alive) today.</summary>
/// <param name="Customers">Customers who have bought.</param>
/// <param name="Mean">Mean P(alive).</param>
/// <param name="LikelyAlive">Customers with P(alive) ≥ 0.5.</param>
internal sealed record PAliveOutput(int Customers, double Mean, int LikelyAlive);

/// <summary>Purchase CLV.</summary>
/// <param name="Months">Horizon.</param>
/// <param name="MonthlyDiscount">Discount rate per month.</param>
/// <param name="Median">Median.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Total">Total.</param>
internal sealed record PurchaseClvOutput(int Months, double MonthlyDiscount, double Median, double Mean, double Total);

/// <summary>Kaplan–Meier of one sign-up half-year.</summary>
/// <param name="Cohort">e.g. 2024 H1.</param>
/// <param name="Customers">Customers.</param>
/// <param name="Cancelled">Of which cancelled.</param>
/// <param name="MedianMonths">Median lifetime; null when not reached.</param>
/// <param name="FollowUpMonths">Months observed.</param>
internal sealed record SurvivalOutput(string Cohort, int Customers, int Cancelled, double? MedianMonths, double FollowUpMonths);

/// <summary>A paying customer today.</summary>
/// <param name="Customer">Id.</param>
/// <param name="Plan">Plan.</param>
/// <param name="Mrr">MRR.</param>
/// <param name="TenureMonths">Whole months since the first subscription.</param>
/// <param name="SignedUp">yyyy-MM-dd.</param>
/// <param name="Segment">Value segment; null when not segmented.</param>
/// <param name="ChurnProbability">Today's churn probability, of the kind <c>scoring.probability</c> names; null when not scored.</param>
/// <param name="RiskLevel">low, medium, high or unknown; null when not scored.</param>
/// <param name="RetentionScore">0–100; null when not scored.</param>
/// <param name="Band">atRisk, low, medium or high; null when not scored.</param>
/// <param name="Reasons">Active risk signals.</param>
/// <param name="NextStep">The next playbook step; null when none.</param>
internal sealed record CustomerOutput(string Customer, string Plan, decimal Mrr, int TenureMonths, string SignedUp, string? Segment, double? ChurnProbability, string? RiskLevel, double? RetentionScore, string? Band, IReadOnlyList<string> Reasons, NextStepOutput? NextStep);

/// <summary>A playbook step ahead of a customer.</summary>
/// <param name="Playbook">Playbook id.</param>
/// <param name="Step">Step id.</param>
/// <param name="Channel">Channel.</param>
/// <param name="DueOn">yyyy-MM-dd.</param>
internal sealed record NextStepOutput(string Playbook, string Step, string Channel, string DueOn);

/// <summary>What <c>simulate</c> writes.</summary>
/// <param name="Command">simulate.</param>
/// <param name="Customers">Customers simulated.</param>
/// <param name="Months">Months simulated.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="Out">The output directory.</param>
/// <param name="Rows">Rows written per file.</param>
internal sealed record SimulationOutput(string Command, int Customers, int Months, int Seed, string Out, SimulationRowsOutput Rows);

/// <summary>Rows written by <c>simulate</c>.</summary>
/// <param name="Customers">customers.csv.</param>
/// <param name="SubscriptionEvents">subscription events.</param>
/// <param name="Activity">activity rows.</param>
/// <param name="Feedback">feedback rows.</param>
/// <param name="ChurnTruth">churn ground truth.</param>
internal sealed record SimulationRowsOutput(int Customers, int SubscriptionEvents, int Activity, int Feedback, int ChurnTruth);

/// <summary>What every command writes on failure.</summary>
/// <param name="Error">The message.</param>
/// <param name="ExitCode">The exit code.</param>
internal sealed record ErrorOutput(string Error, int ExitCode);

/// <summary>What <c>clv fit</c> writes.</summary>
/// <param name="Model">The model fitted.</param>
/// <param name="Parameters">The fitted parameters by name.</param>
/// <param name="LogLikelihood">The log-likelihood at the optimum.</param>
/// <param name="Converged">Whether the fit met its gradient tolerance.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="GradientNorm">The gradient's norm at the optimum.</param>
/// <param name="Seconds">Wall time of the fit.</param>
internal sealed record ModelFitOutput(string Model, IReadOnlyDictionary<string, double> Parameters, double LogLikelihood, bool Converged, int Iterations, double GradientNorm, double Seconds)
{
    /// <summary>Gets the discounted expected residual lifetime (sBG only); left out for other models.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Derl { get; init; }

    /// <summary>Gets the parameters' standard errors by name (from the observed information); left out when the fit has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? StandardErrors { get; init; }

    /// <summary>Gets the parameters' 90 % intervals by name, [lower, upper]; left out when the fit has no standard errors.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double[]>? Intervals { get; init; }

    /// <summary>Gets the covariance of the log-parameters, row by row in the parameters' order (what <c>clv predict</c> needs for intervals); left out without standard errors.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? LogCovariance { get; init; }

    /// <summary>Gets the number of customers (total weight) fitted on; left out for the sBG fit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Customers { get; init; }

    /// <summary>Gets the time unit of the input's times as given by <c>--time-unit</c>; left out when not given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TimeUnit { get; init; }
}

/// <summary>What <c>clv predict</c> writes for a BG/BB model (the count models stream the same shape).</summary>
/// <param name="Model">The model.</param>
/// <param name="Horizon">The time ahead.</param>
/// <param name="Predictions">One row per input row, in input order.</param>
internal sealed record PredictionOutput(string Model, double Horizon, IReadOnlyList<PredictionRowOutput> Predictions);

/// <summary>A row's prediction.</summary>
/// <param name="Id">The row's id.</param>
/// <param name="ExpectedPurchases">The expected purchases (transactions) in the horizon.</param>
/// <param name="PAlive">P(alive).</param>
internal sealed record PredictionRowOutput(string Id, double ExpectedPurchases, double PAlive);

/// <summary>What <c>clv compare</c> writes.</summary>
/// <param name="CalibrationEnd">The last day of the calibration period.</param>
/// <param name="ObservationEnd">The last day of the hold-out period.</param>
/// <param name="PeriodDays">Days per time unit.</param>
/// <param name="Customers">Calibration customers.</param>
/// <param name="HoldoutLength">The hold-out period in time units.</param>
/// <param name="ActualHoldoutPurchases">Purchases made in the hold-out period.</param>
/// <param name="Models">One assessment per model.</param>
/// <param name="Winner">The model whose hold-out predictions by calibration frequency are closest; null when none could be fitted.</param>
internal sealed record ModelComparisonOutput(string CalibrationEnd, string ObservationEnd, double PeriodDays, int Customers, double HoldoutLength, double ActualHoldoutPurchases, IReadOnlyList<ModelAssessmentOutput> Models, string? Winner)
{
    public static ModelComparisonOutput From(RetentionKit.Metrics.Probabilistic.ModelComparison c, NodaTime.LocalDate from, NodaTime.LocalDate to, double periodDays) => new(
        NodaTime.Text.LocalDatePattern.Iso.Format(from),
        NodaTime.Text.LocalDatePattern.Iso.Format(to),
        periodDays,
        c.Customers,
        c.HoldoutLength,
        c.ActualHoldoutPurchases,
        [.. c.Models.Select(ModelAssessmentOutput.From)],
        c.Winner);
}

/// <summary>One model's assessment; the numbers are null when the fit failed.</summary>
/// <param name="Model">bgnbd's, paretonbd's or mbgnbd's display name.</param>
/// <param name="Parameters">Fitted parameters, in ordinal name order (the same document in every process).</param>
/// <param name="LogLikelihood">Calibration log-likelihood.</param>
/// <param name="Aic">AIC.</param>
/// <param name="Bic">BIC.</param>
/// <param name="PredictedHoldoutPurchases">Predicted hold-out purchases in total.</param>
/// <param name="BinError">Customer-weighted mean absolute error by calibration frequency.</param>
/// <param name="ByFrequency">Actual against predicted mean hold-out purchases by calibration frequency (0 to 7+).</param>
/// <param name="Failure">Why the fit failed; null when it did not.</param>
internal sealed record ModelAssessmentOutput(string Model, IReadOnlyDictionary<string, double>? Parameters, double? LogLikelihood, double? Aic, double? Bic, double? PredictedHoldoutPurchases, double? BinError, IReadOnlyList<FrequencyBinOutput> ByFrequency, string? Failure)
{
    public static ModelAssessmentOutput From(RetentionKit.Metrics.Probabilistic.ModelAssessment m) => m.Failure is null
        ? new(m.Model, m.Parameters.ToImmutableSortedDictionary(StringComparer.Ordinal), m.LogLikelihood, m.Aic, m.Bic, m.PredictedHoldoutPurchases, m.BinError, [.. m.ByFrequency.Select(b => new FrequencyBinOutput(b.Frequency, b.Customers, b.Actual, b.Predicted))], null)
        : new(m.Model, null, null, null, null, null, null, [], m.Failure);
}

/// <summary>A calibration-frequency bin.</summary>
/// <param name="Frequency">Calibration repeat purchases (the last bin: this many or more).</param>
/// <param name="Customers">Customers in the bin.</param>
/// <param name="Actual">Their mean hold-out purchases.</param>
/// <param name="Predicted">The model's mean prediction.</param>
internal sealed record FrequencyBinOutput(int Frequency, int Customers, double Actual, double Predicted);

/// <summary>What <c>clv value</c> writes.</summary>
/// <param name="Model">bgnbd+gammagamma.</param>
/// <param name="Months">Horizon in months.</param>
/// <param name="Discount">Monthly discount rate.</param>
/// <param name="Margin">Margin.</param>
/// <param name="Values">One row per customer, in input order.</param>
internal sealed record ClvValueOutput(string Model, int Months, double Discount, double Margin, IReadOnlyList<ClvValueRowOutput> Values);

/// <summary>A customer's expected spend and CLV.</summary>
/// <param name="Id">Customer id.</param>
/// <param name="ExpectedSpend">Gamma-Gamma conditional expected value per purchase.</param>
/// <param name="Clv">Discounted CLV over the horizon.</param>
internal sealed record ClvValueRowOutput(string Id, double ExpectedSpend, double Clv);

/// <summary>What <c>survival</c> writes.</summary>
/// <param name="Model">kaplan-meier.</param>
/// <param name="Groups">One curve per group.</param>
internal sealed record SurvivalModelOutput(string Model, IReadOnlyDictionary<string, SurvivalCurveOutput> Groups);

/// <summary>A Kaplan–Meier curve.</summary>
/// <param name="Subjects">Subjects.</param>
/// <param name="Median">Median survival time; null when not reached.</param>
/// <param name="Steps">One step per event time.</param>
internal sealed record SurvivalCurveOutput(int Subjects, double? Median, IReadOnlyList<SurvivalStepOutput> Steps);

/// <summary>A step of a Kaplan–Meier curve.</summary>
/// <param name="Time">Event time.</param>
/// <param name="AtRisk">Subjects at risk just before it.</param>
/// <param name="Events">Events at it.</param>
/// <param name="Survival">Survival after it.</param>
/// <param name="StandardError">Greenwood standard error.</param>
/// <param name="Lower">Lower 95 % bound.</param>
/// <param name="Upper">Upper 95 % bound.</param>
internal sealed record SurvivalStepOutput(double Time, int AtRisk, int Events, double Survival, double StandardError, double Lower, double Upper);

/// <summary>What <c>db script</c> writes.</summary>
/// <param name="Store">sqlite or postgresql.</param>
/// <param name="From">The schema version the script starts from.</param>
/// <param name="To">The version it brings the schema to.</param>
/// <param name="Script">The SQL.</param>
internal sealed record DbScriptOutput(string Store, int From, int To, string Script);

/// <summary>What <c>db migrate</c> writes.</summary>
/// <param name="Database">The database migrated.</param>
/// <param name="From">The schema version before.</param>
/// <param name="To">The schema version after.</param>
internal sealed record DbMigrateOutput(string Database, int From, int To);

/// <summary>The source-generated serialiser of the tool's output contracts.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(PipelineOutput))]
[JsonSerializable(typeof(SimulationOutput))]
[JsonSerializable(typeof(ErrorOutput))]
[JsonSerializable(typeof(ModelFitOutput))]
[JsonSerializable(typeof(ClvValueOutput))]
[JsonSerializable(typeof(PredictionOutput))]
[JsonSerializable(typeof(ModelComparisonOutput))]
[JsonSerializable(typeof(SurvivalModelOutput))]
[JsonSerializable(typeof(DbScriptOutput))]
[JsonSerializable(typeof(DbMigrateOutput))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;

internal sealed record ExperimentsOutput(string Source, int Enrolments, IReadOnlyList<PlaybookExperimentOutput> Playbooks, IReadOnlyList<ArmOutput> Incentives);

internal sealed record PlaybookExperimentOutput(
    string Playbook,
    string Rule,
    double HoldoutShare,
    ArmOutput Overall,
    ExpectedRangeOutput Expected,
    IReadOnlyList<ArmOutput> Variants,
    IReadOnlyList<ArmOutput> Offers,
    IReadOnlyList<BreakdownOutput> Breakdowns,
    int Open,
    NeededOutput? Needed,
    EconomicsOutput? Economics);

internal sealed record ArmOutput(
    string Name,
    int TreatedSuccesses,
    int Treated,
    int ControlSuccesses,
    int Control,
    double? Uplift,
    double? UpliftLower,
    double? UpliftUpper,
    double? PValue,
    double? SequentialLower,
    double? SequentialUpper,
    double AdjustedPValue,
    string Verdict,
    string? ExpectedVerdict);

internal sealed record ExpectedRangeOutput(double Low, double High, double? Lower, double? Upper, string Verdict);

internal sealed record BreakdownOutput(string Dimension, string Value, int TreatedSuccesses, int Treated, int ControlSuccesses, int Control, string? ExpectedVerdict);

internal sealed record NeededOutput(int Treated, int Control);

internal sealed record EconomicsOutput(decimal IncrementalMrr, decimal IncrementalValue, decimal OfferCost, double? Return);
