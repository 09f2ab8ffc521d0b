using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Cli.Report;

/// <summary>Writes the report: one self-contained HTML file (inline CSS and SVG, nothing fetched from the network).</summary>
internal static class HtmlReport
{
    public const string FileName = "index.html";

    public static readonly string[] ChartIds = ["mrr-bridge", "revenue-retention", "churn-trend", "cohort-retention", "clv-distribution", "risk-levels", "score-trend", "calibration", "segment-distribution", "loyalty-points", "loyalty-tiers", "playbook-journey", "purchase-alive", "purchase-holdout", "cohort-survival"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The fewest customers a calibration band needs to be drawn: an observed rate of 3 customers is noise.</summary>
    private const int MinimumBin = 20;

    public static string Write(PipelineResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        File.WriteAllText(path, Render(result), new UTF8Encoding(false));
        return path;
    }

    public static string Render(PipelineResult r)
    {
        var periods = r.Subscriptions.Periods;
        var labels = periods.Select(p => p.Month.ToString("MMM yy", Invariant)).ToList();
        var code = r.Currency.Code;
        string Money(double v) => Compact(v) + " " + code;
        static string Percent(double v) => v.ToString("0.#", Invariant) + " %";

        var latest = periods.LastOrDefault(p => p.End == p.Month.ToDateInterval().End) ?? periods.LastOrDefault();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>RetentionKit report</title><style>").Append(Css).Append("</style></head><body><main>");
        html.Append(Invariant, $"<header><h1>Retention report</h1><p class=\"muted\">As of {r.AsOf.ToString("d MMMM yyyy", Invariant)} · {r.Data.Customers:N0} customers · {r.Data.SubscriptionEvents:N0} subscription events · amounts in {code}</p></header>");

        html.Append("<section class=\"tiles\">");
        Tile(html, "MRR", latest is null ? "–" : Money((double)latest.Mrr.Ending.Amount), latest is null ? string.Empty : $"{Sign((double)latest.Mrr.NetNew.Amount, Money)} in {latest.Month.ToString("MMMM", Invariant)}");
        Tile(html, "Monthly churn", latest?.Customers.ChurnRate is { } churn ? Percent(churn.Percent) : "–", "customers lost ÷ customers at start");
        Tile(html, "NRR (month)", latest?.RevenueRetention is { } rr ? Percent(rr.Nrr.Percent) : "–", latest?.RevenueRetention is { } g ? $"GRR {Percent(g.Grr.Percent)}" : string.Empty);
        Tile(html, "Annual retention", r.Subscriptions.AnnualCustomerRetention is { } a ? Percent(a.Percent) : "–", "customers active 12 months ago still here");
        Tile(html, "NPS", r.Nps.Score is { } nps ? nps.ToString("0", Invariant) : "–", $"{r.Nps.Responses:N0} answers");
        Tile(html, "Median CLV", r.Clv is { } clv ? Money((double)clv.Percentile(0.5)) : "–", r.Clv is { } c ? $"at {Percent(c.MonthlyChurn.Percent)} monthly churn, {Percent(c.GrossMargin.Percent)} margin" : string.Empty);
        html.Append("</section>");

        Section(html, ChartIds[0], "Where MRR came from and went, month by month",
            Svg.StackedBars(
                "MRR movements",
                labels,
                [
                    new("New", periods.Select(p => (double)p.Mrr.NewBusiness.Amount).ToList(), Svg.Palette[0], false),
                    new("Expansion", periods.Select(p => (double)p.Mrr.Expansion.Amount).ToList(), Svg.Palette[1], false),
                    new("Reactivation", periods.Select(p => (double)p.Mrr.Reactivation.Amount).ToList(), Svg.Palette[5], false),
                    new("Contraction", periods.Select(p => (double)p.Mrr.Contraction.Amount).ToList(), Svg.Palette[2], true),
                    new("Churn", periods.Select(p => (double)p.Mrr.Churn.Amount).ToList(), Svg.Palette[3], true),
                ],
                periods.Select(p => (double)p.Mrr.NetNew.Amount).ToList(),
                Money));

        Section(html, ChartIds[1], "Net and gross revenue retention of the customers at the start of each month",
            Svg.Line(
                "NRR and GRR",
                labels,
                [
                    new("NRR", periods.Select(p => p.RevenueRetention?.Nrr.Percent).ToList(), Svg.Palette[0]),
                    new("GRR", periods.Select(p => p.RevenueRetention?.Grr.Percent).ToList(), Svg.Palette[4]),
                    new("100 %", periods.Select(_ => (double?)100d).ToList(), "#9ca3af", Dashed: true),
                ],
                Percent));

        Section(html, ChartIds[2], "Customers and revenue lost each month, as a share of the month's start",
            Svg.Line(
                "Churn",
                labels,
                [
                    new("Customer churn", periods.Select(p => p.Customers.ChurnRate?.Percent).ToList(), Svg.Palette[3]),
                    new("Revenue churn", periods.Select(p => p.Mrr.Starting.Amount > 0 ? (double?)(double)(p.Mrr.Churn.Amount / p.Mrr.Starting.Amount * 100m) : null).ToList(), Svg.Palette[2]),
                ],
                Percent,
                minY: 0));

        var cohorts = r.Subscriptions.Cohorts;
        Section(html, ChartIds[3], "Share of each sign-up cohort still subscribed, by months since sign-up",
            Svg.Heatmap(
                "Cohort customer retention",
                cohorts.Select(c => $"{c.Cohort.ToString("MMM yy", Invariant)} ({c.Size})").ToList(),
                cohorts.IsEmpty ? 0 : cohorts.Max(c => c.Cells.Length),
                (row, age) => age < cohorts[row].Cells.Length ? cohorts[row].Cells[age].CustomerRetention.Fraction : null,
                "months since sign-up"));

        Section(html, ChartIds[4], "Lifetime value of today's customers (current MRR × margin ÷ monthly churn)",
            Svg.Histogram("CLV distribution", r.Clv?.Values.Select(v => (double)v).ToList() ?? [], 20, Money));

        Probabilistic(html, r.Probabilistic, Money);
        Scoring(html, r.Scoring, Money);
        Segmentation(html, r.Segmentation, code);
        Loyalty(html, r.Loyalty, code);
        Playbooks(html, r.Playbooks);
        html.Append("<section><h2>KPI scorecard</h2><table><thead><tr><th>KPI</th><th>Actual</th><th>Target</th><th>Status</th></tr></thead><tbody>");
        foreach (var line in r.Scorecard)
        {
            var points = line.Kpi == Kpi.Nps;
            string Show(double v) => points ? v.ToString("0", Invariant) : Percent(v * 100);
            var target = line.TargetMax is { } max ? $"{Show(line.Target)}–{Show(max)}" : $"≥ {Show(line.Target)}";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(KpiName(line.Kpi))}</td><td>{(line.Actual is { } v ? Show(v) : "–")}</td><td>{target}</td><td class=\"status {line.Status.ToString().ToLowerInvariant()}\">{StatusText(line.Status)}</td></tr>");
        }

        html.Append("</tbody></table></section>");

        html.Append("<section><h2>Churn by reason</h2><table><thead><tr><th>Reason</th><th>Customers</th><th>MRR lost</th></tr></thead><tbody>");
        foreach (var (reason, tally) in r.Subscriptions.ChurnByReason.OrderByDescending(kv => kv.Value.Customers))
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(reason)}</td><td>{tally.Customers:N0}</td><td>{Money((double)tally.Mrr.Amount)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
        html.Append("<footer class=\"muted\">Generated by RetentionKit. Formulas and policies: docs/metrics.md, docs/scoring.md, docs/segmentation.md and docs/loyalty.md.</footer></main></body></html>");
        return html.ToString();
    }

    private static void Scoring(StringBuilder html, ScoringSummary s, Func<double, string> money)
    {
        static string Percent(double v) => (v * 100).ToString("0.#", Invariant) + " %";
        static string Share(int count, int total) => total == 0 ? "–" : Percent((double)count / total);
        html.Append("<h2 id=\"scoring\">Churn risk and retention score</h2>");
        if (s.CurrentCustomers == 0)
        {
            html.Append(Invariant, $"<p class=\"muted\">{Svg.Escape(s.Note ?? "nothing to score")}</p>");
            return;
        }

        var high = s.Levels.FirstOrDefault(l => l.Key == RiskLevel.High).Count;
        var atRisk = s.Bands.FirstOrDefault(b => b.Key == RetentionBand.AtRisk).Count + s.Bands.FirstOrDefault(b => b.Key == RetentionBand.Low).Count;
        html.Append("<section class=\"tiles\">");
        Tile(html, "High churn risk", high.ToString("N0", Invariant), $"{Share(high, s.CurrentCustomers)} of {s.CurrentCustomers:N0} customers today");
        Tile(html, "Retention score below 60", atRisk.ToString("N0", Invariant), $"{Share(atRisk, s.CurrentCustomers)} in the at-risk or low band");
        Tile(html, "MRR at risk", money((double)s.MrrAtRisk), s.Mrr > 0 ? $"Σ churn probability × MRR: {Percent((double)(s.MrrAtRisk / s.Mrr))} of today's MRR" : "Σ churn probability × MRR");
        Tile(html, "Backtest AUC", s.Backtest is { } t ? $"{t.Calibrated.Auc:0.000}" : "–", s.Backtest is { } u ? $"calibrated; default bands {u.Default.Auc:0.000}" : s.Note ?? string.Empty);
        html.Append("</section>");
        html.Append(Invariant, $"<p class=\"caption\">Today's churn probabilities, levels and list: {Svg.Escape(s.Probability.Label)}.{(s.Probability.IsCalibrated ? " Levels: medium from 40 %, high from 70 % of the calibrated probability." : " Levels by active-signal count (S2).")}</p>");

        var labels = s.Months.Select(m => m.Month.ToString("MMM yy", Invariant)).ToList();
        List<double> Level(RiskLevel level) => [.. s.Months.Select(m => (double)m.Levels.FirstOrDefault(l => l.Key == level).Count)];
        Section(html, ChartIds[5], "Customers by churn-risk level at each month's end, by the rule of thumb (S2: medium from 2 active signals, high from 3)",
            Svg.StackedBars(
                "Risk levels",
                labels,
                [
                    new("Low", Level(RiskLevel.Low), Svg.Palette[1], false),
                    new("Medium", Level(RiskLevel.Medium), Svg.Palette[2], false),
                    new("High", Level(RiskLevel.High), Svg.Palette[3], false),
                ],
                null,
                v => v.ToString("N0", Invariant)));
        Section(html, ChartIds[6], "Average retention score (higher is better) and risk score (higher is riskier), 0–100",
            Svg.Line(
                "Score trend",
                labels,
                [
                    new("Retention score", s.Months.Select(m => m.MeanRetentionScore).ToList(), Svg.Palette[0]),
                    new("Risk score", s.Months.Select(m => m.MeanRiskScore).ToList(), Svg.Palette[3]),
                ],
                v => v.ToString("0", Invariant),
                minY: 0,
                maxY: 100));

        html.Append("<section><h2>Today's distribution</h2><table><thead><tr><th>Risk level</th><th>Customers</th><th>Share</th></tr></thead><tbody>");
        foreach (var (level, count) in s.Levels)
        {
            html.Append(Invariant, $"<tr><td>{level}</td><td>{count:N0}</td><td>{Share(count, s.CurrentCustomers)}</td></tr>");
        }

        html.Append("</tbody></table><table><thead><tr><th>Retention band</th><th>Customers</th><th>Share</th><th>What to do</th></tr></thead><tbody>");
        foreach (var (band, count) in s.Bands)
        {
            var guidance = RetentionBandGuidance.For(band);
            html.Append(Invariant, $"<tr><td>{band}</td><td>{count:N0}</td><td>{Share(count, s.CurrentCustomers)}</td><td>{Svg.Escape(guidance.Action)}; {Svg.Escape(guidance.Communication.ToLowerInvariant())}</td></tr>");
        }

        html.Append("</tbody></table></section>");

        html.Append(Invariant, $"<section><h2>Highest churn risk today</h2><p class=\"caption\">Ordered by the {(s.Probability.IsCalibrated ? "calibrated" : "rule-of-thumb")} churn probability; under each customer their plan, MRR and tenure.</p><table><thead><tr><th>Customer</th><th>Level</th><th>Churn probability</th><th>Retention score</th><th>Why</th></tr></thead><tbody>");
        foreach (var c in s.TopAtRisk)
        {
            var why = string.Join("<br>", c.Reasons.Take(3).Select(Svg.Escape));
            if (!c.RedFlags.IsEmpty)
            {
                why += "<br><strong>Red flag:</strong> " + Svg.Escape(string.Join(", ", c.RedFlags));
            }

            if (!c.Drivers.IsEmpty)
            {
                why += "<br><strong>Raised most by:</strong> " + Svg.Escape(string.Join(", ", c.Drivers.Select(Readable)));
            }

            var tenure = c.TenureMonths is { } months ? months.ToString(Invariant) + " mo" : "–";
            var account = $"{Svg.Escape(c.Plan ?? "–")} · {(c.Mrr is { } mrr ? money((double)mrr) : "–")} · {tenure}";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(c.Customer.Value)}<br><span class=\"detail\">{account}</span></td><td>{c.Level}</td><td>{Percent(c.ChurnProbability)}</td><td>{(c.RetentionScore is { } v ? v.ToString("0", Invariant) : "–")}</td><td class=\"why\">{why}</td></tr>");
        }

        html.Append("</tbody></table></section>");

        if (s.Backtest is { } b)
        {
            var bins = b.Calibrated.Table;
            Section(html, ChartIds[7], $"Share that churned within {b.HorizonDays} days against the predicted churn probability (bands in %; bands with fewer than {MinimumBin} customers left out), on months from {b.TestFrom.ToString("MMM yyyy", Invariant)}; the calibration was fitted on earlier months",
                Svg.Line(
                    "Calibration",
                    [.. bins.Select(x => $"{x.From * 100:0}–{x.To * 100:0}")],
                    [
                        new("Perfect calibration", [.. bins.Select(x => (double?)((x.From + x.To) * 50))], "#9ca3af", Dashed: true),
                        new("Calibrated model", [.. bins.Select(x => x.Count < MinimumBin ? null : (double?)(x.ObservedRate * 100))], Svg.Palette[0]),
                        new("Rule of thumb (S2/S3)", [.. b.Default.Table.Select(x => x.Count < MinimumBin ? null : (double?)(x.ObservedRate * 100))], Svg.Palette[2]),
                    ],
                    v => v.ToString("0", Invariant) + " %",
                    minY: 0,
                    maxY: 100));
            html.Append(Invariant, $"<section><h2>Backtest</h2><table><thead><tr><th>Model</th><th>AUC</th><th>Brier score</th><th>Log loss</th><th>Calibration error</th><th>Examples</th><th>Churned</th></tr></thead><tbody>");
            html.Append(Invariant, $"<tr><td>Rule of thumb (S2/S3 bands)</td><td>{b.Default.Auc:0.000}</td><td>{b.Default.BrierScore:0.000}</td><td>{b.Default.LogLoss:0.000}</td><td>{b.Default.ExpectedCalibrationError:0.000}</td><td>{b.Default.Examples:N0}</td><td>{b.Default.Churned:N0}</td></tr>");
            html.Append(Invariant, $"<tr><td>Calibrated (fitted on {b.TrainingExamples:N0} earlier snapshots)</td><td>{b.Calibrated.Auc:0.000}</td><td>{b.Calibrated.BrierScore:0.000}</td><td>{b.Calibrated.LogLoss:0.000}</td><td>{b.Calibrated.ExpectedCalibrationError:0.000}</td><td>{b.Calibrated.Examples:N0}</td><td>{b.Calibrated.Churned:N0}</td></tr>");
            html.Append("</tbody></table></section>");
        }
        else if (s.Note is { } note)
        {
            html.Append(Invariant, $"<p class=\"muted\">Backtest: {Svg.Escape(note)}</p>");
        }
    }

    private static void Playbooks(StringBuilder html, PlaybookSummary p)
    {
        html.Append("<h2 id=\"playbooks\">Today's actions</h2>");
        html.Append(Invariant, $"<p class=\"muted\">The playbook engine on {p.AsOf.ToString("d MMM yyyy", Invariant)}, after running the {PlaybookStage.WarmUpDays} days before it: {p.Actions.Length:N0} steps due for {p.Actions.Select(a => a.Customer).Distinct().Count():N0} of {p.Customers:N0} customers, {p.Started:N0} enrolments starting. By channel: {Svg.Escape(string.Join(" · ", p.ByChannel.Select(c => $"{c.Channel} {c.Due:N0}")))}.</p>");
        html.Append("<section><table><thead><tr><th>Playbook</th><th>Starting today</th><th>Steps due</th></tr></thead><tbody>");
        foreach (var x in p.ByPlaybook)
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(x.Playbook)}</td><td>{x.Started:N0}</td><td>{x.Due:N0}</td></tr>");
        }

        html.Append("</tbody></table></section>");
        html.Append("<section><h2>The first customers' next steps</h2><table><thead><tr><th>Customer</th><th>Playbook / step</th><th>Channel (owner)</th><th>Message</th></tr></thead><tbody>");
        foreach (var a in p.Actions.Take(10))
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(a.Customer.Value)}</td><td>{Svg.Escape(a.Playbook)} / {Svg.Escape(a.Step)}</td><td>{a.Channel} ({a.Owner})</td><td><strong>{Svg.Escape(a.Subject)}</strong><br/>{Svg.Escape(a.Body).Replace("\n", "<br/>", StringComparison.Ordinal)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
        var journey = p.Journey;
        var lanes = journey is null ? [] : journey.Steps.Select(s => s.Playbook).Distinct().ToList();
        var channels = RetentionKit.Playbooks.PlaybookChannel.BuiltIn.Concat(journey is null ? [] : journey.Steps.Select(s => s.Channel)).Distinct().ToList();
        Section(html, ChartIds[11], journey is null ? "No customer has a playbook under way" : $"The next {PlaybookStage.JourneyDays} days of {journey.Customer}'s journey (a dry run)",
            Svg.Timeline(
                "Journey ahead",
                lanes,
                journey is null ? [] : [.. journey.Steps.Select(s => (s.Day, lanes.IndexOf(s.Playbook), $"day {s.Day}: {s.Playbook} / {s.Step} ({s.Channel})", channels.IndexOf(s.Channel)))],
                [.. channels.Select(c => c.Name)],
                PlaybookStage.JourneyDays));
    }

    private static void Loyalty(StringBuilder html, LoyaltySummary l, string currency)
    {
        html.Append("<h2 id=\"loyalty\">Loyalty programme</h2>");
        if (l.Members == 0)
        {
            html.Append("<p class=\"muted\">No activity or feedback earned points.</p>");
            return;
        }

        html.Append(Invariant, $"<p class=\"muted\">The programme run over the data's history on its own clock: {l.Members:N0} members, {l.Postings:N0} ledger postings, {l.Redemptions:N0} rewards redeemed, {l.Outstanding:N0} points outstanding. Daily use is counted as one day per login up to the month's days; features as the month's feature share of {LoyaltyStage.Features}; members redeem the dearest reward they can afford at each month end.</p>");
        Section(html, ChartIds[9], "Points earned, redeemed, expired and clawed back, per month",
            Svg.GroupedBars(
                "Points per month",
                [.. l.Months.Select(m => m.Month.ToString("MMM yy", Invariant))],
                [
                    new("Earned", [.. l.Months.Select(m => (double)m.Earned)], Svg.Palette[1], false),
                    new("Redeemed", [.. l.Months.Select(m => (double)m.Redeemed)], Svg.Palette[0], false),
                    new("Expired", [.. l.Months.Select(m => (double)m.Expired)], Svg.Palette[2], false),
                    new("Clawed back", [.. l.Months.Select(m => (double)m.ClawedBack)], Svg.Palette[3], false),
                ],
                Compact));
        Section(html, ChartIds[10], $"Tiers of the {l.ActiveCustomers:N0} customers paying on {l.AsOf.ToString("d MMM yyyy", Invariant)}",
            Svg.GroupedBars(
                "Customers by tier",
                [.. l.Tiers.Select(t => $"{t.Tier} (from {t.From.ToString("N0", Invariant)})")],
                [new("Customers", [.. l.Tiers.Select(t => (double)t.Customers)], Svg.Palette[4], false)],
                Compact));
        var f = l.Referrals;
        static string Share(double? v) => v is { } x ? (x * 100).ToString("0.#", Invariant) + " %" : "–";
        html.Append(Invariant, $"<section><h2>Referral funnel</h2><table><thead><tr><th>Codes issued</th><th>Attributed</th><th>Held for review</th><th>Qualified</th><th>Reversed</th><th>Expired</th><th>Conversion</th><th>Reward cost ({Svg.Escape(currency)})</th></tr></thead><tbody>");
        html.Append(Invariant, $"<tr><td>{f.CodesIssued:N0}</td><td>{f.Attributed:N0}</td><td>{f.Flagged:N0}</td><td>{f.Qualified:N0}</td><td>{f.Reversed:N0}</td><td>{f.Expired:N0}</td><td>{Share(f.Conversion)}</td><td>{f.RewardCost.Amount:N0}</td></tr></tbody></table>");
        html.Append(Invariant, $"<p class=\"muted\">Codes go to customers at a positive-feedback moment (NPS 9–10). The data holds no referrals, so {l.AssumedReferredShare * 100:0} % of new customers are assumed referred by a code holder (a stable hash picks who); a first payment qualifies a referral and a cancellation within the refund window reverses it. Reward cost: credits and discounts (priced on the monthly amounts); {f.ReversedCost:N0} of reversed rewards not counted.</p></section>");
    }

    private static void Segmentation(StringBuilder html, SegmentationSummary s, string currency)
    {
        static string Percent(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.#", Invariant) + " %";
        html.Append("<h2 id=\"segmentation\">Segments</h2>");
        if (s.Distribution is not { } d)
        {
            html.Append(Invariant, $"<p class=\"muted\">{Svg.Escape(s.Note ?? "nothing to segment")}</p>");
            return;
        }

        var names = d.Segments.Select(x => x.Segment.ToString()).ToList();
        Section(html, ChartIds[8], $"Share of today's {s.Customers:N0} paying customers and of their MRR in each value segment (CLV = MRR × margin ÷ monthly churn; G1 thresholds in {currency}), against the typical shares of G2",
            Svg.GroupedBars(
                "Customers and revenue by value segment",
                names,
                [
                    new("Customers", [.. d.Segments.Select(x => x.CustomerShare * 100)], Svg.Palette[0], false),
                    new("MRR", [.. d.Segments.Select(x => double.IsNaN(x.RevenueShare) ? 0 : x.RevenueShare * 100)], Svg.Palette[1], false),
                ],
                v => v.ToString("0", Invariant) + " %",
                maxY: 100));
        html.Append("<section><table><thead><tr><th>Value segment</th><th>Customers</th><th>Share</th><th>Typical</th><th>MRR share</th><th>Typical</th><th>Strategy</th></tr></thead><tbody>");
        foreach (var x in d.Segments)
        {
            var profile = ValueSegmentProfile.For(x.Segment);
            html.Append(Invariant, $"<tr><td>{x.Segment}</td><td>{x.Customers:N0}</td><td{Flag(x.CustomerShareAtypical)}>{Percent(x.CustomerShare)}</td><td>{Range(x.TypicalCustomerShare)}</td><td{Flag(x.RevenueShareAtypical)}>{Percent(x.RevenueShare)}</td><td>{Range(x.TypicalRevenueShare)}</td><td>{Svg.Escape(profile.Strategy)}: {Svg.Escape(profile.Objective)}</td></tr>");
        }

        html.Append("</tbody></table><p class=\"muted\">Shares outside the typical range are marked ⚠.</p></section>");

        if (s.Migration is { } m)
        {
            html.Append(Invariant, $"<section><h2>Value-segment migration, {m.From.ToString("d MMM yyyy", Invariant)} → {m.To.ToString("d MMM yyyy", Invariant)}</h2><table><thead><tr><th>From \\ to</th>");
            foreach (var name in m.Segments)
            {
                html.Append(Invariant, $"<th>{Svg.Escape(name)}</th>");
            }

            html.Append("<th>left</th><th>Objective reached</th></tr></thead><tbody>");
            for (var f = 0; f < m.Segments.Length; f++)
            {
                html.Append(Invariant, $"<tr><td>{Svg.Escape(m.Segments[f])} ({m.StartingCounts[f]:N0})</td>");
                for (var t = 0; t < m.Segments.Length; t++)
                {
                    html.Append(Invariant, $"<td>{m.Count(f, t):N0}</td>");
                }

                html.Append(Invariant, $"<td>{m.Left[f]:N0}</td><td>{Percent(s.ObjectiveReached[f])}</td></tr>");
            }

            html.Append(Invariant, $"<tr><td>new</td>{string.Concat(m.Entered.Select(e => $"<td>{e.ToString("N0", Invariant)}</td>"))}<td></td><td></td></tr>");
            html.Append(Invariant, $"</tbody></table><p class=\"muted\">{m.Upgrades:N0} upgrades, {m.Downgrades:N0} downgrades, {m.Stayed:N0} stayed. Objectives (G1): low → medium, medium → high, high stays high.</p></section>");
        }

        foreach (var mix in s.Mixes)
        {
            html.Append(Invariant, $"<section><h2>{Svg.Escape(MixTitle(mix.Segmentation))}</h2><table><thead><tr><th>Segment</th><th>Customers</th><th>Share</th></tr></thead><tbody>");
            foreach (var x in mix.Segments.Where(x => x.Customers > 0).OrderByDescending(x => x.Customers))
            {
                html.Append(Invariant, $"<tr><td>{Svg.Escape(x.Segment)}</td><td>{x.Customers:N0}</td><td>{Percent((double)x.Customers / s.Customers)}</td></tr>");
            }

            html.Append("</tbody></table></section>");
        }

        static string Flag(bool atypical) => atypical ? " class=\"atypical\" title=\"outside the typical range\"" : string.Empty;
        static string Range(TypicalRange r) => $"{(r.Minimum ?? 0) * 100:0}–{(r.Maximum ?? 1) * 100:0} %";
        static string MixTitle(string segmentation) => segmentation switch
        {
            "persona" => "Behaviour personas (G3: power from usage and engagement 70, struggling below 30)",
            "industry" => "Industry mix (G4)",
            "rfm" => "RFM segments (G7: recency, frequency, monetary quintiles)",
            _ => $"Segmentation '{segmentation}'",
        };
    }

    private static void Probabilistic(StringBuilder html, ProbabilisticSummary p, Func<double, string> money)
    {
        html.Append("<h2 id=\"probabilistic\">Customer lifetime: probabilistic models</h2>");
        if (p.Purchases is { } m)
        {
            var c = m.Calibrated;
            html.Append(Invariant, $"<p class=\"muted\">BG/NBD fitted to {m.Transactions:N0} one-off purchases (add-ons, services) of {m.CalibrationCustomers:N0} customers up to {m.CalibrationEnd.ToString("d MMM yyyy", Invariant)} (weeks: r {c.R:0.###}, α {c.Alpha:0.###}, a {c.A:0.###}, b {c.B:0.###}), then asked for the next {ProbabilisticStage.HoldoutWeeks} weeks: {m.PredictedTotal:N0} purchases predicted, {m.ActualTotal:N0} made ({(m.ActualTotal > 0 ? m.PredictedTotal / m.ActualTotal * 100 : 0):0.#} %).</p>");
            html.Append("<section><h2>Hold-out test</h2><table><thead><tr><th>Repeat purchases before</th><th>Customers</th><th>Predicted per customer</th><th>Actual per customer</th></tr></thead><tbody>");
            foreach (var row in m.ByFrequency)
            {
                html.Append(Invariant, $"<tr><td>{Svg.Escape(row.Frequency)}</td><td>{row.Customers:N0}</td><td>{row.Predicted:0.00}</td><td>{row.Actual:0.00}</td></tr>");
            }

            html.Append("</tbody></table></section>");
            Section(html, ChartIds[13], $"Purchases per customer in the {ProbabilisticStage.HoldoutWeeks}-week hold-out, by repeat purchases in the calibration period: the model's conditional expectation against what customers did",
                Svg.GroupedBars(
                    "Hold-out purchases",
                    [.. m.ByFrequency.Select(r => r.Frequency)],
                    [new("Predicted", [.. m.ByFrequency.Select(r => r.Predicted)], Svg.Palette[0], false), new("Actual", [.. m.ByFrequency.Select(r => r.Actual)], Svg.Palette[1], false)],
                    v => v.ToString("0.0", Invariant)));
            var stillAlive = m.ProbabilityAlive.Count(a => a >= 0.5);
            Section(html, ChartIds[12], $"P(alive) today of the {m.Customers:N0} customers who have bought: {stillAlive:N0} more likely alive than not (BG/NBD counts a customer without a repeat purchase as alive: they have not yet had a chance to drop out)",
                Svg.Histogram("P(alive)", [.. m.ProbabilityAlive], 10, v => v.ToString("0.0", Invariant)));
            if (!m.Clv.IsEmpty)
            {
                var s = m.Spend!;
                html.Append(Invariant, $"<section><h2>{ProbabilisticStage.ClvMonths}-month purchase CLV</h2><table><thead><tr><th>Gamma-Gamma (p, q, γ)</th><th>Mean purchase</th><th>Median CLV</th><th>Mean CLV</th><th>90th percentile</th><th>Total</th></tr></thead><tbody>");
                html.Append(Invariant, $"<tr><td>{s.P:0.##}, {s.Q:0.##}, {s.Gamma:0.##}</td><td>{Svg.Escape(money(s.PopulationMean))}</td><td>{Svg.Escape(money(m.Clv[m.Clv.Length / 2]))}</td><td>{Svg.Escape(money(m.Clv.Average()))}</td><td>{Svg.Escape(money(m.Clv[(int)(0.9 * (m.Clv.Length - 1))]))}</td><td>{Svg.Escape(money(m.Clv.Sum()))}</td></tr></tbody></table>");
                html.Append(Invariant, $"<p class=\"muted\">Expected purchases month by month (BG/NBD) × expected value per purchase (Gamma-Gamma) × margin, discounted at {ProbabilisticStage.MonthlyDiscount * 100:0.#} % a month.</p></section>");
            }
        }
        else
        {
            html.Append("<p class=\"muted\">No purchase log (transactions.csv), or too few customers in it to fit the purchase models.</p>");
            Section(html, ChartIds[12], "P(alive): no purchase log", Svg.Histogram("P(alive)", [], 10, v => v.ToString("0.0", Invariant)));
            Section(html, ChartIds[13], "Hold-out test: no purchase log", Svg.Histogram("Hold-out purchases", [], 10, v => v.ToString("0.0", Invariant)));
        }

        var months = p.Survival.IsEmpty ? 0 : (int)Math.Floor(p.Survival.Max(x => x.FollowUpMonths));
        Section(html, ChartIds[14], "Kaplan–Meier survival of the subscriptions by half-year of sign-up: the share still subscribed, by months since sign-up (customers who have not cancelled are censored today)",
            Svg.Line(
                "Survival by cohort",
                [.. Enumerable.Range(0, months + 1).Select(i => i.ToString(Invariant))],
                [.. p.Survival.Select((x, i) => new Svg.Series($"{x.Cohort} ({x.Curve.Subjects:N0})", [.. Enumerable.Range(0, months + 1).Select(t => t <= x.FollowUpMonths ? x.Curve.SurvivalAt(t) * 100 : (double?)null)], Svg.Palette[i % Svg.Palette.Length]))],
                v => v.ToString("0", Invariant) + " %",
                minY: 0,
                maxY: 100));
        html.Append("<section><h2>Median subscription lifetime by cohort</h2><table><thead><tr><th>Sign-up cohort</th><th>Customers</th><th>Cancelled</th><th>Median lifetime</th><th>Still subscribed at 12 months</th></tr></thead><tbody>");
        foreach (var x in p.Survival)
        {
            var cancelled = x.Curve.Steps.Sum(st => st.Events);
            var at12 = x.FollowUpMonths >= 12 ? (x.Curve.SurvivalAt(12) * 100).ToString("0.#", Invariant) + " %" : "–";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(x.Cohort)}</td><td>{x.Curve.Subjects:N0}</td><td>{cancelled:N0}</td><td>{(x.Curve.Median is { } med ? med.ToString("0.#", Invariant) + " months" : "not reached")}</td><td>{at12}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Tile(StringBuilder html, string label, string value, string detail) =>
        html.Append(Invariant, $"<div class=\"tile\"><div class=\"label\">{Svg.Escape(label)}</div><div class=\"value\">{Svg.Escape(value)}</div><div class=\"detail\">{Svg.Escape(detail)}</div></div>");

    private static void Section(StringBuilder html, string id, string caption, string svg) =>
        html.Append(Invariant, $"<section id=\"{id}\"><p class=\"caption\">{Svg.Escape(caption)}</p>{svg}</section>");

    private static string Sign(double v, Func<double, string> format) => (v >= 0 ? "+" : "−") + format(Math.Abs(v));

    private static string Compact(double v)
    {
        var a = Math.Abs(v);
        var text = a >= 1e6 ? (a / 1e6).ToString("0.##", Invariant) + "M" : a >= 1e4 ? (a / 1e3).ToString("0.#", Invariant) + "K" : a.ToString("N0", Invariant);
        return (v < 0 ? "−" : string.Empty) + text;
    }

    private static string KpiName(Kpi kpi) => kpi switch
    {
        Kpi.MonthlyRetention => "Monthly retention",
        Kpi.AnnualRetention => "Annual retention",
        Kpi.ReactivationRate => "Reactivation rate",
        Kpi.Nps => "NPS",
        Kpi.UpsellConversion => "Upsell conversion",
        Kpi.CrossSellConversion => "Cross-sell conversion",
        _ => kpi.ToString(),
    };

    private static string StatusText(KpiStatus status) => status switch
    {
        KpiStatus.Met => "✔ met",
        KpiStatus.Below => "✘ below",
        KpiStatus.Above => "▲ above band",
        _ => "not measured",
    };

    /// <summary>A model term as a reader says it: <c>component.Usage</c> is "Usage", <c>feature.Contract=One year</c> is "Contract = One year".</summary>
    private static string Readable(string term)
    {
        var dot = term.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? term : term[(dot + 1)..];
        return name.Replace("=", " = ", StringComparison.Ordinal).Replace(".missing", " missing", StringComparison.Ordinal);
    }

    private const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f8fafc; }
        main { max-width: 820px; margin: 0 auto; padding: 24px; }
        h1 { margin: 0 0 4px; font-size: 28px; } h2 { font-size: 18px; margin: 0 0 8px; }
        .muted { color: #6b7280; } .caption { color: #374151; margin: 0 0 6px; font-size: 14px; }
        section { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px; margin: 16px 0; }
        .tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; background: none; border: none; padding: 0; }
        .tile { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 14px; }
        .atypical { color: #b45309; font-weight: 600; } .atypical::before { content: "⚠ "; }
        .tile .label { font-size: 13px; color: #6b7280; } .tile .value { font-size: 24px; font-weight: 600; margin: 2px 0; }
        .tile .detail { font-size: 12px; color: #6b7280; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .title { font-size: 14px; font-weight: 600; fill: #111827; } svg .tick { font-size: 11px; fill: #6b7280; }
        svg .legend { font-size: 12px; fill: #374151; } svg .grid { stroke: #e5e7eb; } svg .zero { stroke: #9ca3af; }
        table { width: 100%; border-collapse: collapse; font-size: 14px; }
        td .detail { font-size: 12px; color: #6b7280; } td.why { font-size: 13px; overflow-wrap: anywhere; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #f1f5f9; }
        .status.met { color: #15803d; } .status.below { color: #b91c1c; } .status.above { color: #b45309; } .status.notmeasured { color: #6b7280; }
        footer { font-size: 12px; margin-top: 24px; }
        """;
}
