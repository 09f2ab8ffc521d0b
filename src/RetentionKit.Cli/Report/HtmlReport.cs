using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Playbooks.Experiments;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Cli.Report;

/// <summary>Writes the report: one self-contained HTML file (inline CSS and SVG, nothing fetched from the network).</summary>
internal static class HtmlReport
{
    public const string FileName = "index.html";

    public static readonly string[] ChartIds = ["mrr-bridge", "revenue-retention", "churn-trend", "cohort-retention", "clv-distribution", "risk-levels", "score-trend", "calibration", "segment-distribution", "loyalty-points", "loyalty-tiers", "playbook-journey", "purchase-alive", "purchase-holdout", "cohort-survival", "mrr-by-plan", "revenue-cohorts", "purchase-tracking", "purchase-alive-grid"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The fewest customers a calibration band needs to be drawn: an observed rate of 3 customers is noise.</summary>
    private const int MinimumBin = 20;

    public static string Write(PipelineResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Render(result, file);
        }

        return path;
    }

    /// <summary>The page as one string (tests; <see cref="Write"/> streams it to the file instead).</summary>
    public static string Render(PipelineResult r)
    {
        using var buffer = new MemoryStream();
        Render(r, buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Writes the page to a stream as UTF-8: the sections are built as text, and the customer table's data (the bulk
    /// of a large base's page) is serialised straight into the stream, so the page never exists whole in memory.
    /// </summary>
    private static void Render(PipelineResult r, Stream output)
    {
        var periods = r.Subscriptions.Periods;
        var labels = periods.Select(p => p.Month.ToString("MMM yy", Invariant)).ToList();
        var code = r.Currency.Code;
        string Money(double v) => Compact(v) + " " + code;
        var data = ReportData.Start(r); // the customers' data is serialised beside the sections before their table

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>Retention report</title><style>").Append(Css).Append("</style></head><body><main>");
        html.Append(Invariant, $"<header><h1>Retention report</h1><p class=\"muted\">As of {r.AsOf.ToString("d MMMM yyyy", Invariant)} · {Plural(r.Data.Customers, "customer")} · {Plural(r.Data.SubscriptionEvents, "subscription event")} · amounts in {code} a month unless marked</p>");
        html.Append("<nav><a href=\"#revenue\">Revenue</a><a href=\"#cohorts\">Cohorts</a><a href=\"#scoring\">Risk</a><a href=\"#customers\">Customers</a><a href=\"#segmentation\">Segments</a><a href=\"#loyalty\">Loyalty</a><a href=\"#playbooks\">Actions</a><a href=\"#what-worked\">What worked</a><a href=\"#feedback\">Feedback</a><a href=\"#probabilistic\">Lifetime</a><a href=\"#kpis\">KPIs</a></nav></header>");

        Headline(html, r, Money);

        html.Append("<h2 id=\"revenue\">Revenue</h2><div class=\"pair\">");
        var plans = periods.SelectMany(p => p.MrrByPlan.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        Section(html, ChartIds[15], "MRR at each month's end by plan",
            Svg.StackedBars(
                "MRR by plan",
                labels,
                [.. plans.Select((plan, i) => new Svg.Stack(plan, [.. periods.Select(p => p.MrrByPlan.TryGetValue(plan, out var m) ? (double)m.Amount : 0d)], Svg.Palette[i % Svg.Palette.Length], false))],
                null,
                Money));
        Section(html, ChartIds[0], "Where MRR came from and went, month by month (losses below the line; the black line is net new MRR)",
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

        html.Append("</div><div class=\"pair\">");
        var trailing = r.TrailingYear is { } t ? $"; over the trailing twelve months NRR {Percent(t.Nrr.Percent)} and GRR {Percent(t.Grr.Percent)}" : string.Empty;
        Section(html, ChartIds[1], $"Net and gross revenue retention of the customers at the start of each month{trailing}",
            Svg.Line(
                "NRR and GRR",
                labels,
                [
                    new("NRR", periods.Select(p => p.RevenueRetention?.Nrr.Percent).ToList(), Svg.Palette[0]),
                    new("GRR", periods.Select(p => p.RevenueRetention?.Grr.Percent).ToList(), Svg.Palette[4]),
                    new("100 %", periods.Select(_ => (double?)100d).ToList(), "#9ca3af", Dashed: true),
                ],
                Percent));

        Section(html, ChartIds[2], "Logo churn (customers lost ÷ customers at the start) and gross revenue churn (MRR lost with them ÷ MRR at the start), each month",
            Svg.Line(
                "Churn",
                labels,
                [
                    new("Logo churn", periods.Select(p => p.Customers.ChurnRate?.Percent).ToList(), Svg.Palette[3]),
                    new("Revenue churn", periods.Select(p => p.Mrr.Starting.Amount > 0 ? (double?)(double)(p.Mrr.Churn.Amount / p.Mrr.Starting.Amount * 100m) : null).ToList(), Svg.Palette[2]),
                ],
                Percent,
                minY: 0));
        html.Append("</div>");

        var cohorts = r.Subscriptions.Cohorts;
        html.Append("<h2 id=\"cohorts\">Cohorts</h2><div class=\"pair\">");
        Section(html, ChartIds[3], "Customers: share of each sign-up month's customers still subscribed, by months since sign-up (%)",
            Svg.Heatmap(
                "Customer retention by cohort",
                cohorts.Select(c => $"{c.Cohort.ToString("MMM yy", Invariant)} ({c.Size})").ToList(),
                cohorts.IsEmpty ? 0 : cohorts.Max(c => c.Cells.Length),
                (row, age) => age < cohorts[row].Cells.Length ? cohorts[row].Cells[age].CustomerRetention.Fraction : null,
                "months since sign-up"));
        Section(html, ChartIds[16], "Revenue: each sign-up month's MRR today as a share of its first MRR, by months since sign-up (%; above 100 when expansion outweighs churn)",
            Svg.Heatmap(
                "Revenue retention by cohort",
                cohorts.Select(c => $"{c.Cohort.ToString("MMM yy", Invariant)} ({Compact((double)c.InitialMrr.Amount)})").ToList(),
                cohorts.IsEmpty ? 0 : cohorts.Max(c => c.Cells.Length),
                (row, age) => age < cohorts[row].Cells.Length ? cohorts[row].Cells[age].RevenueRetention?.Fraction : null,
                "months since sign-up"));
        html.Append("</div>");

        Section(html, ChartIds[4], "Lifetime value of today's customers (today's MRR × gross margin ÷ monthly churn)",
            Svg.Histogram("CLV distribution", r.Clv?.Values.Select(v => (double)v).ToList() ?? [], 20, v => Compact(v) + " " + code));

        Scoring(html, r.Scoring, Money);
        AtRiskBreakdown(html, r, Money);
        CustomerTable(html, r, data, output);
        Segmentation(html, r.Segmentation, code);
        Loyalty(html, r.Loyalty, code);
        Playbooks(html, r.Playbooks);
        WhatWorked(html, r.Experiments, r.Currency.Code);
        if (r.Feedback is { } feedback)
        {
            Feedback(html, feedback);
        }

        Probabilistic(html, r.Probabilistic, Money);
        html.Append("<section id=\"kpis\"><h2>KPI scorecard</h2><div class=\"scroll\"><table><thead><tr><th>KPI</th><th>Actual</th><th>Target</th><th>Status</th></tr></thead><tbody>");
        foreach (var line in r.Scorecard)
        {
            var points = line.Kpi == Kpi.Nps;
            string Show(double v) => points ? v.ToString("0", Invariant) : Percent(v * 100);
            var target = line.TargetMax is { } max ? $"{Show(line.Target)}–{Show(max)}" : $"≥ {Show(line.Target)}";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(KpiName(line.Kpi))}</td><td>{(line.Actual is { } v ? Show(v) : "–")}</td><td>{target}</td><td class=\"status {line.Status.ToString().ToLowerInvariant()}\">{StatusText(line.Status)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");

        html.Append("<section><h2>Churn by reason</h2><div class=\"scroll\"><table><thead><tr><th>Reason</th><th>Customers</th><th>MRR lost</th></tr></thead><tbody>");
        foreach (var (reason, tally) in r.Subscriptions.ChurnByReason.OrderByDescending(kv => kv.Value.Customers))
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(Sentence(reason))}</td><td>{tally.Customers:N0}</td><td>{Money((double)tally.Mrr.Amount)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
        html.Append("<footer class=\"muted\">Generated by RetentionKit. How each figure is computed: docs/metrics.md, docs/scoring.md, docs/segmentation.md, docs/loyalty.md and docs/playbooks.md.</footer></main>");
        html.Append("<script>").Append(Script).Append("</script></body></html>");
        Flush(html, output);
    }

    /// <summary>Writes the text built so far to the stream as UTF-8 and empties the builder.</summary>
    private static void Flush(StringBuilder html, Stream output)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(1 << 14)];
        foreach (var chunk in html.GetChunks())
        {
            for (var at = 0; at < chunk.Length; at += 1 << 14)
            {
                var part = chunk.Span.Slice(at, Math.Min(1 << 14, chunk.Length - at));
                output.Write(bytes, 0, Utf8.GetBytes(part, bytes));
            }
        }

        html.Clear();
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The headline: where revenue and customers stand this month, and how they moved.</summary>
    private static void Headline(StringBuilder html, PipelineResult r, Func<double, string> money)
    {
        var periods = r.Subscriptions.Periods;
        var latest = periods.LastOrDefault(p => p.End == p.Month.LastDay()) ?? periods.LastOrDefault();
        var previous = latest is null ? null : periods.TakeWhile(p => p != latest).LastOrDefault();
        var month = latest?.Month.ToString("MMMM", Invariant) ?? string.Empty;
        var mrr = (double?)latest?.Mrr.Ending.Amount;
        var mrrTrend = Svg.Sparkline([.. periods.Select(p => (double)p.Mrr.Ending.Amount)], "MRR by month");
        string Change(double now, double? before, Func<double, string> format) =>
            before is { } b && b != 0 ? $"{Sign(now - b, format)} ({Sign((now - b) / Math.Abs(b) * 100, v => v.ToString("0.#", Invariant) + " %")}) on {previous!.Month.ToString("MMMM", Invariant)}" : string.Empty;

        html.Append("<section class=\"tiles\">");
        if (latest is not null)
        {
            var customers = latest.Customers.Ending;
            var arpa = customers == 0 ? 0d : mrr!.Value / customers;
            var previousArpa = previous is { Customers.Ending: > 0 } p ? (double)p.Mrr.Ending.Amount / p.Customers.Ending : (double?)null;
            Tile(html, $"MRR, end of {month}", money(mrr!.Value), Change(mrr.Value, (double?)previous?.Mrr.Ending.Amount, money), mrrTrend);
            Tile(html, "ARR", money(mrr.Value * 12), "MRR × 12");
            Tile(html, $"Net new MRR in {month}", Sign((double)latest.Mrr.NetNew.Amount, money), $"new {Compact((double)latest.Mrr.NewBusiness.Amount)} + expansion {Compact((double)latest.Mrr.Expansion.Amount)} + reactivation {Compact((double)latest.Mrr.Reactivation.Amount)} − contraction {Compact((double)latest.Mrr.Contraction.Amount)} − churn {Compact((double)latest.Mrr.Churn.Amount)}");
            Tile(html, "ARPA", money(arpa), previousArpa is { } pa ? Change(arpa, pa, money) : "MRR ÷ paying customers");
            Tile(html, "Paying customers", customers.ToString("N0", Invariant), $"{latest.Customers.New:N0} new, {latest.Customers.Reactivated:N0} back, {latest.Customers.Churned:N0} left in {month}", Svg.Sparkline([.. periods.Select(p => (double)p.Customers.Ending)], "Customers by month"));
            Tile(html, $"NRR, {month}", latest.RevenueRetention is { } rr ? Percent(rr.Nrr.Percent) : "–", r.TrailingYear is { } t ? $"trailing 12 months {Percent(t.Nrr.Percent)}" : "trailing 12 months: less than a year of history");
            Tile(html, $"GRR, {month}", latest.RevenueRetention is { } g ? Percent(g.Grr.Percent) : "–", r.TrailingYear is { } t2 ? $"trailing 12 months {Percent(t2.Grr.Percent)}" : "trailing 12 months: less than a year of history");
            Tile(html, $"Logo churn, {month}", latest.Customers.ChurnRate is { } churn ? Percent(churn.Percent) : "–", "customers lost ÷ customers at the month's start");
            Tile(html, $"Revenue churn, {month}", latest.Mrr.Starting.Amount > 0 ? Percent((double)(latest.Mrr.Churn.Amount / latest.Mrr.Starting.Amount * 100m)) : "–", "MRR lost with them ÷ MRR at the start (gross)");
        }

        Tile(html, "CSAT", r.Csat.Score is { } csat ? Percent(csat.Percent) : "–", $"{Plural(r.Csat.Responses, "answer")}; satisfied = 8–10 of 10");
        Tile(html, "NPS", r.Nps.Score is { } nps ? nps.ToString("0", Invariant) : "–", Plural(r.Nps.Responses, "answer"));
        Tile(html, "Median lifetime value", r.Clv is { } clv ? money((double)clv.Percentile(0.5)) : "–", r.Clv is { } c ? $"at {Percent(c.MonthlyChurn.Percent)} monthly churn and {Percent(c.GrossMargin.Percent)} margin" : string.Empty);
        html.Append("</section>");
    }

    /// <summary>MRR at risk (Σ churn probability × MRR) by risk level, value segment and plan.</summary>
    private static void AtRiskBreakdown(StringBuilder html, PipelineResult r, Func<double, string> money)
    {
        var scored = r.Customers.Where(c => c.ChurnProbability is not null).ToList();
        if (scored.Count == 0)
        {
            return;
        }

        html.Append(Invariant, $"<section id=\"mrr-at-risk\"><h2>MRR at risk</h2><p class=\"caption\">Each customer's MRR weighed by their churn probability ({Svg.Escape(r.Scoring.Probability.IsCalibrated ? "calibrated" : "rule of thumb")}), added up by risk level, value segment and plan.</p><div class=\"triple\">");
        Group("Risk level", scored.GroupBy(c => c.Level!.Value.ToString()).OrderByDescending(g => g.Key == "High").ThenByDescending(g => g.Key == "Medium"));
        Group("Value segment", scored.GroupBy(c => c.Segment ?? "not segmented").OrderByDescending(g => g.Sum(c => c.ChurnProbability!.Value * (double)c.Mrr)));
        Group("Plan", scored.GroupBy(c => c.Plan).OrderByDescending(g => g.Sum(c => c.ChurnProbability!.Value * (double)c.Mrr)));
        html.Append("</div></section>");

        void Group(string title, IEnumerable<IGrouping<string, CustomerRow>> groups)
        {
            html.Append(Invariant, $"<div class=\"scroll\"><table><thead><tr><th>{title}</th><th>Customers</th><th>MRR</th><th>At risk</th></tr></thead><tbody>");
            foreach (var g in groups)
            {
                var mrr = g.Sum(c => (double)c.Mrr);
                var atRisk = g.Sum(c => c.ChurnProbability!.Value * (double)c.Mrr);
                html.Append(Invariant, $"<tr><td>{Svg.Escape(Sentence(g.Key))}</td><td>{g.Count():N0}</td><td>{money(mrr)}</td><td>{money(atRisk)} <span class=\"detail\">({(mrr > 0 ? Percent(atRisk / mrr * 100) : "–")})</span></td></tr>");
            }

            html.Append("</tbody></table></div>");
        }
    }

    /// <summary>Every paying customer, sortable and filterable in the page (the inline script renders the rows from the embedded data).</summary>
    private static void CustomerTable(StringBuilder html, PipelineResult r, ReportData data, Stream output)
    {
        var levels = r.Customers.Where(c => c.Level is not null).Select(c => c.Level!.Value.ToString()).Distinct().Order(StringComparer.Ordinal);
        var segments = r.Customers.Where(c => c.Segment is not null).Select(c => c.Segment!).Distinct().Order(StringComparer.Ordinal);
        var plans = r.Customers.Select(c => c.Plan).Distinct().Order(StringComparer.Ordinal);
        static string Options(string all, IEnumerable<string> values) =>
            $"<option value=\"\">{all}</option>" + string.Concat(values.Select(v => $"<option value=\"{Svg.Escape(v)}\">{Svg.Escape(Sentence(v))}</option>"));
        var kind = r.Scoring.Probability.IsCalibrated ? "calibrated churn probability" : "churn probability (rule of thumb, not measured)";
        html.Append(Invariant, $"<section id=\"customers\"><h2>Customers</h2><p class=\"caption\">All {Plural(r.Customers.Length, "paying customer")} today. Click a column to sort, a row to see the customer's history. The probability is the {kind}.</p>");
        html.Append("<div class=\"filters\"><input id=\"f-text\" type=\"search\" placeholder=\"Search id or reason\" aria-label=\"Search\">");
        html.Append("<select id=\"f-level\" aria-label=\"Risk level\">").Append(Options("Any risk level", levels)).Append("</select>");
        html.Append("<select id=\"f-segment\" aria-label=\"Segment\">").Append(Options("Any segment", segments)).Append("</select>");
        html.Append("<select id=\"f-plan\" aria-label=\"Plan\">").Append(Options("Any plan", plans)).Append("</select>");
        html.Append("<button id=\"f-csv\" type=\"button\">Export CSV</button></div>");
        html.Append("<p id=\"customer-count\" class=\"muted\"></p><div class=\"scroll\"><table class=\"customers\"><thead><tr>");
        foreach (var (key, title) in CustomerColumns)
        {
            html.Append(Invariant, $"<th data-key=\"{key}\" tabindex=\"0\">{title}</th>");
        }

        html.Append("</tr></thead><tbody id=\"customer-rows\"></tbody></table></div>");
        html.Append("<div class=\"pager\"><button id=\"p-prev\" type=\"button\">‹ Previous</button><button id=\"p-next\" type=\"button\">Next ›</button></div>");
        html.Append("<div id=\"customer-detail\" class=\"detail-panel\" hidden></div>");
        html.Append("<script type=\"application/json\" id=\"customer-data\">");
        Flush(html, output);
        data.WriteTo(output);
        html.Append("</script></section>");
    }

    /// <summary>The customer table's columns: the data key each sorts by, and its heading.</summary>
    private static readonly (string Key, string Title)[] CustomerColumns =
    [
        ("id", "Customer"), ("plan", "Plan"), ("mrr", "MRR"), ("tenure", "Tenure"), ("segment", "Segment"), ("p", "Churn probability"),
        ("level", "Risk"), ("score", "Retention score"), ("why", "Top reasons"), ("next", "Next step"),
    ];

    private static void Scoring(StringBuilder html, ScoringSummary s, Func<double, string> money)
    {
        static string Fraction(double v) => (v * 100).ToString("0.#", Invariant) + " %";
        static string Share(int count, int total) => total == 0 ? "–" : Fraction((double)count / total);
        html.Append("<h2 id=\"scoring\">Churn risk and retention score</h2>");
        if (s.CurrentCustomers == 0)
        {
            html.Append(Invariant, $"<p class=\"muted\">{Svg.Escape(s.Note ?? "nothing to score")}</p>");
            return;
        }

        var high = s.Levels.FirstOrDefault(l => l.Key == RiskLevel.High).Count;
        var atRisk = s.Bands.FirstOrDefault(b => b.Key == RetentionBand.AtRisk).Count + s.Bands.FirstOrDefault(b => b.Key == RetentionBand.Low).Count;
        var both = s.Current.Values.Count(x => x.Level == RiskLevel.High && !double.IsNaN(x.RetentionScore) && x.Band is RetentionBand.AtRisk or RetentionBand.Low);
        html.Append("<section class=\"tiles\">");
        Tile(html, "High churn risk", high.ToString("N0", Invariant), $"{Share(high, s.CurrentCustomers)} of the {Plural(s.CurrentCustomers, "customer")} scored today");
        Tile(html, "Retention score below 60", atRisk.ToString("N0", Invariant), $"{Share(atRisk, s.CurrentCustomers)} in the at-risk or low band");
        Tile(html, "MRR at risk", money((double)s.MrrAtRisk), s.Mrr > 0 ? $"{Fraction((double)(s.MrrAtRisk / s.Mrr))} of the scored customers' MRR, weighed by churn probability" : "MRR weighed by churn probability");
        Tile(html, "Backtest AUC", s.Backtest is { } t ? $"{t.Calibrated.Auc:0.000}" : "–", s.Backtest is { } u ? $"calibrated; rule of thumb {u.Default.Auc:0.000}" : s.Note ?? string.Empty);
        html.Append("</section>");
        var levelRule = s.Probability.IsCalibrated ? "medium from 40 %, high from 70 % of the calibrated probability" : "medium from two active risk signals, high from three";
        html.Append(Invariant, $"<p class=\"caption\">Today's churn probabilities, levels and lists: {Svg.Escape(s.Probability.Label)}. Levels: {levelRule}. ");
        html.Append(Invariant, $"The three at-risk figures count different things: <strong>{high:N0}</strong> customers are at high churn risk (the probability of cancelling), <strong>{atRisk:N0}</strong> have a retention score below 60 (the account's health), <strong>{both:N0}</strong> are both; MRR at risk counts every scored customer a little (MRR × probability) rather than only the high-risk ones.</p>");

        var labels = s.Months.Select(m => m.Month.ToString("MMM yy", Invariant)).ToList();
        html.Append("<div class=\"pair\">");
        List<double> Level(RiskLevel level) => [.. s.Months.Select(m => (double)m.Levels.FirstOrDefault(l => l.Key == level).Count)];
        Section(html, ChartIds[5], "Customers by churn-risk level at each month's end, by the rule of thumb (medium from two active risk signals, high from three)",
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
        html.Append("</div>");

        html.Append("<section><h2>Today's distribution</h2><div class=\"pair\"><div class=\"scroll\"><table><thead><tr><th>Risk level</th><th>Customers</th><th>Share</th></tr></thead><tbody>");
        foreach (var (level, count) in s.Levels)
        {
            html.Append(Invariant, $"<tr><td>{level}</td><td>{count:N0}</td><td>{Share(count, s.CurrentCustomers)}</td></tr>");
        }

        html.Append("</tbody></table></div><div class=\"scroll\"><table><thead><tr><th>Retention band</th><th>Customers</th><th>Share</th><th>What to do</th></tr></thead><tbody>");
        foreach (var (band, count) in s.Bands)
        {
            var guidance = RetentionBandGuidance.For(band);
            html.Append(Invariant, $"<tr><td>{Sentence(band.ToString())}</td><td>{count:N0}</td><td>{Share(count, s.CurrentCustomers)}</td><td>{Svg.Escape(guidance.Action)}; {Svg.Escape(guidance.Communication.ToLowerInvariant())}</td></tr>");
        }

        html.Append("</tbody></table></div></div></section>");

        html.Append(Invariant, $"<section><h2>Highest churn risk today</h2><p class=\"caption\">Ordered by the {(s.Probability.IsCalibrated ? "calibrated" : "rule-of-thumb")} churn probability; under each customer their plan, MRR and tenure.</p><div class=\"scroll\"><table><thead><tr><th>Customer</th><th>Level</th><th>Churn probability</th><th>Retention score</th><th>Why</th></tr></thead><tbody>");
        foreach (var c in s.TopAtRisk)
        {
            var why = string.Join("<br>", c.Reasons.Take(3).Select(Svg.Escape));
            if (!c.RedFlags.IsEmpty)
            {
                why += "<br><strong>Red flag:</strong> " + Svg.Escape(string.Join(", ", c.RedFlags.Select(ScoringStage.Readable)));
            }

            if (!c.Drivers.IsEmpty)
            {
                why += "<br><strong>Raised most by:</strong> " + Svg.Escape(string.Join(", ", c.Drivers.Select(Readable)));
            }

            var tenure = c.TenureMonths is { } months ? Plural(months, "month") : "–";
            var account = $"{Svg.Escape(c.Plan ?? "–")} · {(c.Mrr is { } mrr ? money((double)mrr) : "–")} · {tenure}";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(c.Customer.Value)}<br><span class=\"detail\">{account}</span></td><td>{c.Level}</td><td>{Fraction(c.ChurnProbability)}</td><td>{(c.RetentionScore is { } v ? v.ToString("0", Invariant) : "–")}</td><td class=\"why\">{why}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");

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
                        new("Rule of thumb", [.. b.Default.Table.Select(x => x.Count < MinimumBin ? null : (double?)(x.ObservedRate * 100))], Svg.Palette[2]),
                    ],
                    v => v.ToString("0", Invariant) + " %",
                    minY: 0,
                    maxY: 100));
            html.Append(Invariant, $"<section><h2>Backtest</h2><div class=\"scroll\"><table><thead><tr><th>Model</th><th>AUC</th><th>Brier score</th><th>Log loss</th><th>Calibration error</th><th>Examples</th><th>Churned</th></tr></thead><tbody>");
            html.Append(Invariant, $"<tr><td>Rule of thumb (the documents' bands)</td><td>{b.Default.Auc:0.000}</td><td>{b.Default.BrierScore:0.000}</td><td>{b.Default.LogLoss:0.000}</td><td>{b.Default.ExpectedCalibrationError:0.000}</td><td>{b.Default.Examples:N0}</td><td>{b.Default.Churned:N0}</td></tr>");
            html.Append(Invariant, $"<tr><td>Calibrated (fitted on {b.TrainingExamples:N0} earlier snapshots)</td><td>{b.Calibrated.Auc:0.000}</td><td>{b.Calibrated.BrierScore:0.000}</td><td>{b.Calibrated.LogLoss:0.000}</td><td>{b.Calibrated.ExpectedCalibrationError:0.000}</td><td>{b.Calibrated.Examples:N0}</td><td>{b.Calibrated.Churned:N0}</td></tr>");
            html.Append("</tbody></table></div></section>");
        }
        else if (s.Note is { } note)
        {
            html.Append(Invariant, $"<p class=\"muted\">Backtest: {Svg.Escape(note)}</p>");
        }
    }

    private static void Playbooks(StringBuilder html, PlaybookSummary p)
    {
        html.Append("<h2 id=\"playbooks\">Today's actions</h2>");
        html.Append(Invariant, $"<p class=\"muted\">The playbook engine on {p.AsOf.ToString("d MMM yyyy", Invariant)}, after running the {PlaybookStage.WarmUpDays} days before it: {Plural(p.Actions.Length, "step")} due for {p.Actions.Select(a => a.Customer).Distinct().Count():N0} of {Plural(p.Customers, "customer")}, {Plural(p.Started, "enrolment")} starting. By channel: {Svg.Escape(string.Join(" · ", p.ByChannel.Select(c => $"{c.Channel} {c.Due:N0}")))}.</p>");
        html.Append("<section><div class=\"scroll\"><table><thead><tr><th>Playbook</th><th>Starting today</th><th>Steps due</th></tr></thead><tbody>");
        foreach (var x in p.ByPlaybook)
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(x.Playbook)}</td><td>{x.Started:N0}</td><td>{x.Due:N0}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
        html.Append("<section><h2>The first customers' next steps</h2><div class=\"scroll\"><table><thead><tr><th>Customer</th><th>Playbook / step</th><th>Channel (owner)</th><th>Message</th></tr></thead><tbody>");
        foreach (var a in p.Actions.Take(10))
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(a.Customer.Value)}</td><td>{Svg.Escape(a.Playbook)} / {Svg.Escape(a.Step)}</td><td>{a.Channel} ({a.Owner})</td><td><strong>{Svg.Escape(a.Subject)}</strong><br/>{Svg.Escape(a.Body).Replace("\n", "<br/>", StringComparison.Ordinal)}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
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

    private static void WhatWorked(StringBuilder html, ExperimentsSummary? e, string currency)
    {
        static string Rate(Proportion p) => p.Trials == 0 ? "–" : string.Create(Invariant, $"{p.Rate * 100:0.0} % <span class=\"muted\">of {p.Trials:N0}</span>");
        static string Points(double x) => double.IsFinite(x) ? (x * 100).ToString("+0.0;−0.0;0.0", Invariant) : "–";
        static string Uplift(ArmComparison a) => double.IsFinite(a.Uplift.Difference)
            ? string.Create(Invariant, $"{Points(a.Uplift.Difference)} pts <span class=\"muted\">({Points(a.Uplift.Lower)} to {Points(a.Uplift.Upper)})</span>")
            : "–";
        static string Verdict(ArmComparison a) => a.Verdict switch
        {
            EffectVerdict.Effective => "<strong>works</strong>",
            EffectVerdict.Harmful => "<strong>harms</strong>",
            EffectVerdict.NoControls => "no control group",
            _ => "not decided yet",
        } + (double.IsFinite(a.Sequential.Lower) && double.IsFinite(a.Sequential.Upper) ? string.Create(Invariant, $" <span class=\"muted\">(sequence {Points(a.Sequential.Lower)} to {Points(a.Sequential.Upper)})</span>") : string.Empty);
        static string Range(PlaybookExperiment p) => string.Create(Invariant, $"{p.ExpectedRange.Low.Fraction * 100:0}–{p.ExpectedRange.High.Fraction * 100:0} %, ") + p.Expected.Verdict switch
        {
            RangeVerdict.Below => "below it",
            RangeVerdict.Within => "within it",
            RangeVerdict.Above => "above it",
            _ => "not enough data",
        };

        html.Append("<h2 id=\"what-worked\">What worked</h2>");
        if (e is { Incentives.IsEmpty: false })
        {
            html.Append(string.Create(Invariant, $"<section><h2>Referral incentives, each against the first incentive</h2><p class=\"caption\">Conversion: qualified of attributed referrals. A fixed-horizon comparison, Holm-adjusted across the incentives (who gets referred is not assigned with a known chance, so the always-valid sequence does not apply).</p><div class=\"scroll\"><table><thead><tr><th>Incentive</th><th>Conversion</th><th>First incentive</th><th>Difference</th><th>Verdict (Holm-adjusted p)</th></tr></thead><tbody>"));
            foreach (var a in e.Incentives)
            {
                html.Append(string.Create(Invariant, $"<tr><td>{Svg.Escape(a.Name)}</td><td>{Rate(a.Treated)}</td><td>{Rate(a.Control)}</td><td>{Uplift(a)}</td><td>{(a.Verdict switch { EffectVerdict.Effective => "<strong>converts better</strong>", EffectVerdict.Harmful => "<strong>converts worse</strong>", _ => "not decided yet" })} <span class=\"muted\">(p {a.AdjustedPValue:0.000})</span></td></tr>"));
            }

            html.Append("</tbody></table></div></section>");
        }

        if (e is null || e.Playbooks.IsEmpty)
        {
            html.Append("<p class=\"muted\">No playbook enrolments with outcomes to read. Each playbook's effect is measured against a control group — eligible customers held out by a stable hash and not contacted (<code>HoldoutShare</code>, see docs/experiments.md): give the data an enrolment log (<code>interventions.csv</code>), or keep the state with <code>--db</code> as the daily run does, and this section compares treated and held-out customers. <code>retentionkit demo --experiment</code> shows it on a simulated retention-offer experiment.</p>");
            return;
        }

        html.Append(Invariant, $"<p class=\"muted\">{Plural(e.Enrolments, "enrolment")} from {Svg.Escape(e.Source)}. The uplift is the success rate of treated customers less that of the held-out controls, with its 90 % interval; the verdict is read from an always-valid confidence sequence, so it may be read every day without inflating false positives (it is wider than the interval beside it). The documents' expected range is compared with the treated rate. Incremental MRR is the uplift times the treated customers' MRR on their enrolment day.</p>");
        html.Append("<section><div class=\"scroll\"><table><thead><tr><th>Playbook</th><th>Success means</th><th>Treated</th><th>Control</th><th>Uplift</th><th>Verdict</th><th>Documents expect</th><th>Incremental MRR</th><th>Open</th></tr></thead><tbody>");
        foreach (var p in e.Playbooks)
        {
            var money = p.Economics is { } m
                ? string.Create(Invariant, $"{m.IncrementalMrr:N0} {Svg.Escape(currency)}") + (m.Return is { } ret ? string.Create(Invariant, $" <span class=\"muted\">({m.IncrementalValue:N0} over the lifetime; {ret:0.0} : 1 on {m.OfferCost:N0} of offers)</span>") : string.Empty)
                : "–";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(p.Playbook)}</td><td>{Svg.Escape(p.Rule)}</td><td>{Rate(p.Overall.Treated)}</td><td>{Rate(p.Overall.Control)}</td><td>{Uplift(p.Overall)}</td><td>{Verdict(p.Overall)}</td><td>{Range(p)}</td><td>{money}</td><td>{p.Open:N0}</td></tr>");
        }

        html.Append("</tbody></table></div>");
        var undecided = e.Playbooks.Where(p => p.Overall.Verdict == EffectVerdict.Undecided && p.Needed is not null).ToList();
        if (undecided.Count > 0)
        {
            html.Append(Invariant, $"<p class=\"muted\">Still undecided: {Svg.Escape(string.Join("; ", undecided.Select(p => string.Create(Invariant, $"{p.Playbook} — to find a {e.MinimumUplift * 100:0.#} point uplift with 80 % power a test needs about {p.Needed!.Value.Treated:N0} treated and {p.Needed.Value.Control:N0} control enrolments (it has {p.Overall.Treated.Trials:N0} and {p.Overall.Control.Trials:N0})"))))}.</p>");
        }

        html.Append("</section>");
        foreach (var p in e.Playbooks)
        {
            var rows = p.Breakdowns.Where(b => b.Dimension is "segment").ToList();
            var arms = p.Variants.Concat(p.Offers).ToList();
            if (rows.Count == 0 && arms.Count == 0)
            {
                continue;
            }

            html.Append(Invariant, $"<section><h2>{Svg.Escape(p.Playbook)}: by plan{(arms.Count > 0 ? ", variant and offer" : string.Empty)}</h2><div class=\"scroll\"><table><thead><tr><th>Group</th><th>Treated</th><th>Control</th><th>Uplift</th><th>Verdict (Holm-adjusted p)</th></tr></thead><tbody>");
            foreach (var b in rows)
            {
                var diff = Statistics.Difference(b.Treated, b.Control);
                html.Append(Invariant, $"<tr><td>plan {Svg.Escape(b.Value)}</td><td>{Rate(b.Treated)}</td><td>{Rate(b.Control)}</td><td>{(double.IsFinite(diff.Difference) ? string.Create(Invariant, $"{Points(diff.Difference)} pts <span class=\"muted\">({Points(diff.Lower)} to {Points(diff.Upper)})</span>") : "–")}</td><td class=\"muted\">a slice: a hypothesis, not a verdict</td></tr>");
            }

            foreach (var a in arms)
            {
                html.Append(Invariant, $"<tr><td>{Svg.Escape(a.Name)}</td><td>{Rate(a.Treated)}</td><td>{Rate(a.Control)}</td><td>{Uplift(a)}</td><td>{Verdict(a)} <span class=\"muted\">(p {a.AdjustedPValue:0.000})</span></td></tr>");
            }

            html.Append("</tbody></table></div></section>");
        }
    }

    private static void Feedback(StringBuilder html, FeedbackSummary f)
    {
        static string Share(int part, int whole) => whole == 0 ? "–" : ((double)part / whole * 100).ToString("0", Invariant) + " %";
        static string Segment(RetentionKit.Segmentation.ValueSegment? s) => s is { } v ? v.ToString().ToLowerInvariant() : "no segment";
        html.Append("<h2 id=\"feedback\">Feedback</h2>");
        html.Append(Invariant, $"<p class=\"muted\">{Plural(f.Items, "piece")} of feedback (NPS answers, surveys, comments) since {f.From.ToString("d MMM yyyy", Invariant)}, {Share(f.Negative, f.Items)} negative, each analysed for sentiment, topics and the team that owns them. The files hold no resolutions: the last {FeedbackStage.InboxDays} days' {Plural(f.Inbox.Length, "item")} are the inbox, {f.Overdue:N0} of them past their follow-up or resolution date.</p>");

        var segments = f.Topics.Select(t => t.Segment).Distinct().ToList();
        var topics = f.Topics.GroupBy(t => t.Topic).OrderByDescending(g => g.Sum(t => t.Count)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        html.Append("<div class=\"pair\"><section><h2>What customers talk about</h2><p class=\"caption\">Feedback raising each topic, by the customer's value segment today (share negative in brackets).</p><div class=\"scroll\"><table><thead><tr><th>Topic</th>");
        foreach (var segment in segments)
        {
            html.Append(Invariant, $"<th>{Svg.Escape(Segment(segment))}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var topic in topics)
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(topic.Key)}</td>");
            foreach (var segment in segments)
            {
                var cell = topic.FirstOrDefault(t => t.Segment == segment);
                html.Append(cell is null ? "<td>–</td>" : $"<td>{cell.Count.ToString("N0", Invariant)} ({Share(cell.Negative, cell.Count)})</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div></section>");
        html.Append("<section><h2>Scores by the tone of the latest feedback</h2><p class=\"caption\">Today's paying customers, by the tone of their latest feedback of the last 90 days.</p><div class=\"scroll\"><table><thead><tr><th>Latest feedback</th><th>Customers</th><th>Mean retention score</th><th>Mean churn probability</th></tr></thead><tbody>");
        foreach (var t in f.Tones)
        {
            var tone = t.Tone switch { "unread" => "no readable sentiment", "none" => "no feedback", _ => t.Tone.ToLowerInvariant() };
            html.Append(Invariant, $"<tr><td>{Svg.Escape(tone)}</td><td>{t.Customers:N0}</td><td>{(t.MeanRetentionScore is { } score ? score.ToString("0.0", Invariant) : "–")}</td><td>{(t.MeanChurnProbability is { } p ? (p * 100).ToString("0.0", Invariant) + " %" : "–")}</td></tr>");
        }

        html.Append("</tbody></table></div></section></div>");

        html.Append("<section><h2>Inbox: open feedback by priority</h2><p class=\"caption\">Priority today, 0–100: unhappier, riskier and more valuable customers first, halving every two weeks.</p><div class=\"scroll\"><table><thead><tr><th>Customer</th><th>Received</th><th>Priority</th><th>Topic → team</th><th>Feedback</th><th>Late</th></tr></thead><tbody>");
        foreach (var item in f.Inbox.Take(10))
        {
            var said = item.Feedback.Text is { } text ? $"“{text}”" : string.Empty;
            var scores = string.Join(" · ", new[] { item.Feedback.Nps is { } nps ? $"NPS {nps}" : null, item.Feedback.Satisfaction is { } sat ? $"satisfaction {sat:0.#}" : null }.OfType<string>());
            var late = string.Join(", ", item.OverdueOn(f.AsOf).Select(a => a.Kind == RetentionKit.Playbooks.FeedbackActionKind.FollowUp ? "follow-up" : "resolution"));
            html.Append(Invariant, $"<tr><td>{Svg.Escape(item.Feedback.Customer.Value)}</td><td>{item.Feedback.ReceivedOn.ToString("d MMM", Invariant)}</td><td>{item.PriorityOn(f.AsOf):0} ({item.Level.ToString().ToLowerInvariant()})</td><td>{Svg.Escape(item.Topics.IsEmpty ? "—" : item.Topics[0])} → {Svg.Escape(item.Team)}</td><td>{Svg.Escape(said)}{(said.Length > 0 && scores.Length > 0 ? "<br/>" : string.Empty)}<span class=\"muted\">{Svg.Escape(scores)}</span></td><td>{(late.Length == 0 ? "–" : Svg.Escape(late))}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
        html.Append("<section><h2>Improvements asked for, last six months</h2><div class=\"scroll\"><table><thead><tr><th>Improvement</th><th>Segment</th><th>Asked</th><th>Negative</th><th>By month</th><th>Last month</th></tr></thead><tbody>");
        foreach (var d in f.Improvements.Take(10))
        {
            html.Append(Invariant, $"<tr><td>{Svg.Escape(Area(d.Area))} <span class=\"muted\">({(d.IsProduct ? "product" : "service")})</span></td><td>{Svg.Escape(Segment(d.Segment))}</td><td>{d.Count:N0}</td><td>{Share(d.Negative, d.Count)}</td><td>{Svg.Sparkline([.. d.ByMonth.Select(c => (double)c)], Area(d.Area))}</td><td>{(d.Trend > 0 ? "+" : string.Empty)}{d.Trend:N0}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
    }

    private static string Area(RetentionKit.Playbooks.ImprovementArea area) => area switch
    {
        RetentionKit.Playbooks.ImprovementArea.FeatureRequests => "Feature requests",
        RetentionKit.Playbooks.ImprovementArea.BugFixes => "Bug fixes",
        RetentionKit.Playbooks.ImprovementArea.UxImprovements => "Usability",
        RetentionKit.Playbooks.ImprovementArea.PerformanceOptimization => "Performance",
        RetentionKit.Playbooks.ImprovementArea.SupportOptimization => "Support",
        RetentionKit.Playbooks.ImprovementArea.TrainingEnhancement => "Training and onboarding",
        RetentionKit.Playbooks.ImprovementArea.DocumentationUpdates => "Documentation",
        _ => "Pricing and process",
    };

    private static void Loyalty(StringBuilder html, LoyaltySummary l, string currency)
    {
        html.Append("<h2 id=\"loyalty\">Loyalty programme</h2>");
        if (l.Members == 0)
        {
            html.Append("<p class=\"muted\">No activity or feedback earned points.</p>");
            return;
        }

        html.Append(Invariant, $"<p class=\"muted\">The programme run over the data's history on its own clock: {l.Members:N0} members, {l.Postings:N0} ledger postings, {l.Redemptions:N0} rewards redeemed, {l.Outstanding:N0} points outstanding. Daily use is counted as one day per login up to the month's days; features as the month's feature share of {LoyaltyStage.Features}; members redeem the dearest reward they can afford at each month end.</p>");
        html.Append("<div class=\"pair\">");
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
        html.Append("</div>");
        var f = l.Referrals;
        static string Share(double? v) => v is { } x ? (x * 100).ToString("0.#", Invariant) + " %" : "–";
        html.Append(Invariant, $"<section><h2>Referral funnel</h2><div class=\"scroll\"><table><thead><tr><th>Codes issued</th><th>Attributed</th><th>Held for review</th><th>Qualified</th><th>Reversed</th><th>Expired</th><th>Conversion</th><th>Reward cost ({Svg.Escape(currency)})</th></tr></thead><tbody>");
        html.Append(Invariant, $"<tr><td>{f.CodesIssued:N0}</td><td>{f.Attributed:N0}</td><td>{f.Flagged:N0}</td><td>{f.Qualified:N0}</td><td>{f.Reversed:N0}</td><td>{f.Expired:N0}</td><td>{Share(f.Conversion)}</td><td>{f.RewardCost.Amount:N0}</td></tr></tbody></table></div>");
        html.Append(Invariant, $"<p class=\"muted\">Codes go to customers at a positive-feedback moment (NPS 9–10). The data holds no referrals, so {l.AssumedReferredShare * 100:0} % of new customers are assumed referred by a code holder (a stable hash picks who); a first payment qualifies a referral and a cancellation within the refund window reverses it. Reward cost: credits and discounts (priced on the monthly amounts); {f.ReversedCost:N0} of reversed rewards not counted.</p></section>");
    }

    private static void Segmentation(StringBuilder html, SegmentationSummary s, string currency)
    {
        static string Fraction(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.#", Invariant) + " %";
        html.Append("<h2 id=\"segmentation\">Segments</h2>");
        if (s.Distribution is not { } d)
        {
            html.Append(Invariant, $"<p class=\"muted\">{Svg.Escape(s.Note ?? "nothing to segment")}</p>");
            return;
        }

        var names = d.Segments.Select(x => x.Segment.ToString()).ToList();
        Section(html, ChartIds[8], $"Share of today's {Plural(s.Customers, "paying customer")} and of their MRR in each value segment (by CLV = MRR × margin ÷ monthly churn, thresholds in {currency}), against the typical shares",
            Svg.GroupedBars(
                "Customers and revenue by value segment",
                names,
                [
                    new("Customers", [.. d.Segments.Select(x => x.CustomerShare * 100)], Svg.Palette[0], false),
                    new("MRR", [.. d.Segments.Select(x => double.IsNaN(x.RevenueShare) ? 0 : x.RevenueShare * 100)], Svg.Palette[1], false),
                ],
                v => v.ToString("0", Invariant) + " %",
                maxY: 100));
        html.Append("<section><div class=\"scroll\"><table><thead><tr><th>Value segment</th><th>Customers</th><th>Share</th><th>Typical</th><th>MRR share</th><th>Typical</th><th>Strategy</th></tr></thead><tbody>");
        foreach (var x in d.Segments)
        {
            var profile = ValueSegmentProfile.For(x.Segment);
            html.Append(Invariant, $"<tr><td>{x.Segment}</td><td>{x.Customers:N0}</td><td{Flag(x.CustomerShareAtypical)}>{Fraction(x.CustomerShare)}</td><td>{Range(x.TypicalCustomerShare)}</td><td{Flag(x.RevenueShareAtypical)}>{Fraction(x.RevenueShare)}</td><td>{Range(x.TypicalRevenueShare)}</td><td>{Svg.Escape(profile.Strategy)}: {Svg.Escape(profile.Objective)}</td></tr>");
        }

        html.Append("</tbody></table></div><p class=\"muted\">Shares outside the typical range are marked ⚠.</p></section>");

        if (s.Migration is { } m)
        {
            html.Append(Invariant, $"<section><h2>Value-segment migration, {m.From.ToString("d MMM yyyy", Invariant)} → {m.To.ToString("d MMM yyyy", Invariant)}</h2><div class=\"scroll\"><table><thead><tr><th>From \\ to</th>");
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

                html.Append(Invariant, $"<td>{m.Left[f]:N0}</td><td>{Fraction(s.ObjectiveReached[f])}</td></tr>");
            }

            html.Append(Invariant, $"<tr><td>new</td>{string.Concat(m.Entered.Select(e => $"<td>{e.ToString("N0", Invariant)}</td>"))}<td></td><td></td></tr>");
            html.Append(Invariant, $"</tbody></table></div><p class=\"muted\">{Plural(m.Upgrades ?? 0, "upgrade")}, {Plural(m.Downgrades ?? 0, "downgrade")}, {m.Stayed:N0} stayed. Objectives: low → medium, medium → high, high stays high.</p></section>");
        }

        html.Append("<div class=\"triple\">");
        foreach (var mix in s.Mixes)
        {
            html.Append(Invariant, $"<section><h2>{Svg.Escape(MixTitle(mix.Segmentation))}</h2><div class=\"scroll\"><table><thead><tr><th>Segment</th><th>Customers</th><th>Share</th></tr></thead><tbody>");
            foreach (var x in mix.Segments.Where(x => x.Customers > 0).OrderByDescending(x => x.Customers))
            {
                html.Append(Invariant, $"<tr><td>{Svg.Escape(Sentence(x.Segment))}</td><td>{x.Customers:N0}</td><td>{Fraction((double)x.Customers / s.Customers)}</td></tr>");
            }

            html.Append("</tbody></table></div></section>");
        }

        html.Append("</div>");

        static string Flag(bool atypical) => atypical ? " class=\"atypical\" title=\"outside the typical range\"" : string.Empty;
        static string Range(TypicalRange r) => $"{(r.Minimum ?? 0) * 100:0}–{(r.Maximum ?? 1) * 100:0} %";
        static string MixTitle(string segmentation) => segmentation switch
        {
            "persona" => "Behaviour personas (power users from usage and engagement of 70, struggling below 30)",
            "industry" => "Industry mix",
            "rfm" => "RFM segments (recency, frequency and monetary quintiles)",
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
            if (m.Comparison is { } comparison)
            {
                html.Append(Invariant, $"<section><h2>Which purchase model: BG/NBD, Pareto/NBD and MBG/NBD on the same hold-out</h2><div class=\"scroll\"><table><thead><tr><th>Model</th><th>Log-likelihood</th><th>BIC</th><th>Hold-out purchases predicted</th><th>Made</th><th>Error per customer, by frequency</th></tr></thead><tbody>");
                foreach (var model in comparison.Models)
                {
                    html.Append(model.Failure is { } why
                        ? $"<tr><td>{Svg.Escape(model.Model)}</td><td colspan=\"5\">not fitted: {Svg.Escape(why)}</td></tr>"
                        : string.Create(Invariant, $"<tr><td>{Svg.Escape(model.Model)}{(model.Model == comparison.Winner ? " ✓" : string.Empty)}</td><td>{model.LogLikelihood:N1}</td><td>{model.Bic:N1}</td><td>{model.PredictedHoldoutPurchases:N0}</td><td>{comparison.ActualHoldoutPurchases:N0}</td><td>{model.BinError:0.000}</td></tr>"));
                }

                html.Append("</tbody></table></div>");
                html.Append(Invariant, $"<p class=\"muted\">{(comparison.Winner is { } w ? $"{Svg.Escape(w)} predicts the hold-out best by calibration frequency (✓); " : string.Empty)}the lower the BIC, the better the fit to the calibration weeks for its number of parameters.</p></section>");
            }

            html.Append("<div class=\"pair\">");
            var fitted = m.Comparison?.Models.Where(x => x.Failure is null).ToArray() ?? [];
            Section(html, ChartIds[13], $"Purchases per customer in the {ProbabilisticStage.HoldoutWeeks}-week hold-out, by repeat purchases in the calibration period: each model's conditional expectation against what customers did",
                Svg.GroupedBars(
                    "Hold-out purchases",
                    [.. m.ByFrequency.Select(r => r.Frequency)],
                    [new("Actual", [.. m.ByFrequency.Select(r => r.Actual)], Svg.Palette[1], false), .. fitted.Select((x, i) => new Svg.Stack(x.Model, [.. x.ByFrequency.Select(b => b.Predicted)], Svg.Palette[i == 0 ? 0 : i + 1], false))],
                    v => v.ToString("0.0", Invariant)));
            var weeks = m.TrackingActual.Length;
            Section(html, ChartIds[17], $"Tracking: the calibration customers' cumulative repeat purchases week by week, against BG/NBD fitted on the weeks before {m.CalibrationEnd.ToString("d MMM yyyy", Invariant)} (the hold-out is the last {ProbabilisticStage.HoldoutWeeks} weeks)",
                Svg.Line(
                    "Cumulative repeat purchases",
                    [.. Enumerable.Range(0, weeks).Select(w => w.ToString(Invariant))],
                    [new("Actual", [.. m.TrackingActual.Select(v => (double?)v)], Svg.Palette[1]), new("BG/NBD", [.. m.TrackingExpected.Select(v => (double?)v)], Svg.Palette[0], Dashed: true)],
                    v => v.ToString("N0", Invariant)));
            html.Append("</div>");
            html.Append("<div class=\"pair\">");
            var stillAlive = m.ProbabilityAlive.Count(a => a >= 0.5);
            Section(html, ChartIds[12], $"P(alive) today of the {m.Customers:N0} customers who have bought: {stillAlive:N0} more likely alive than not (BG/NBD counts a customer without a repeat purchase as alive: they have not yet had a chance to drop out)",
                Svg.Histogram("P(alive)", [.. m.ProbabilityAlive], 10, v => v.ToString("0.0", Invariant)));
            Section(html, ChartIds[18], string.Create(Invariant, $"P(alive) by repeat purchases and weeks from the first to the last of them, for a customer first seen {m.AliveAge:0} weeks ago (BG/NBD fitted today): the longer since the last purchase of a frequent buyer, the likelier they have gone"),
                Svg.Heatmap(
                    "P(alive)",
                    [.. Enumerable.Range(0, m.AliveGrid.Length).Select(x => x.ToString(Invariant))],
                    [.. m.AliveRecencies.Select(r => r.ToString("0", Invariant))],
                    (r, c) => m.AliveGrid[r][c],
                    "recency, weeks",
                    floor: 0));
            html.Append("</div>");
            if (!m.Clv.IsEmpty)
            {
                var s = m.Spend!;
                html.Append(Invariant, $"<section><h2>{ProbabilisticStage.ClvMonths}-month purchase CLV</h2><div class=\"scroll\"><table><thead><tr><th>Gamma-Gamma (p, q, γ)</th><th>Mean purchase</th><th>Median CLV</th><th>Mean CLV</th><th>90th percentile</th><th>Total</th></tr></thead><tbody>");
                html.Append(Invariant, $"<tr><td>{s.P:0.##}, {s.Q:0.##}, {s.Gamma:0.##}</td><td>{Svg.Escape(money(s.PopulationMean))}</td><td>{Svg.Escape(money(m.Clv[m.Clv.Length / 2]))}</td><td>{Svg.Escape(money(m.Clv.Average()))}</td><td>{Svg.Escape(money(m.Clv[(int)(0.9 * (m.Clv.Length - 1))]))}</td><td>{Svg.Escape(money(m.Clv.Sum()))}</td></tr></tbody></table></div>");
                html.Append(Invariant, $"<p class=\"muted\">Expected purchases month by month (BG/NBD) × expected value per purchase (Gamma-Gamma) × margin, discounted at {ProbabilisticStage.MonthlyDiscount * 100:0.#} % a month.</p></section>");
            }
        }
        else
        {
            html.Append("<p class=\"muted\">No purchase log (transactions.csv), or too few customers in it to fit the purchase models.</p>");
            Section(html, ChartIds[12], "P(alive): no purchase log", Svg.Histogram("P(alive)", [], 10, v => v.ToString("0.0", Invariant)));
            Section(html, ChartIds[13], "Hold-out test: no purchase log", Svg.Histogram("Hold-out purchases", [], 10, v => v.ToString("0.0", Invariant)));
            Section(html, ChartIds[17], "Tracking: no purchase log", Svg.Histogram("Cumulative repeat purchases", [], 10, v => v.ToString("0.0", Invariant)));
            Section(html, ChartIds[18], "P(alive) by frequency and recency: no purchase log", Svg.Histogram("P(alive)", [], 10, v => v.ToString("0.0", Invariant)));
        }

        var months = p.Survival.IsEmpty ? 0 : (int)Math.Floor(p.Survival.Max(x => x.FollowUpMonths));
        Section(html, ChartIds[14], "Kaplan–Meier survival of the subscriptions by half-year of sign-up: the share still subscribed, by months since sign-up, in steps at each month's cancellations (customers who have not cancelled are censored today)",
            Svg.Line(
                "Survival by cohort",
                [.. Enumerable.Range(0, months + 1).Select(i => i.ToString(Invariant))],
                [.. p.Survival.Select((x, i) => new Svg.Series($"{x.Cohort} ({x.Curve.Subjects:N0})", [.. Enumerable.Range(0, months + 1).Select(t => t <= x.FollowUpMonths ? x.Curve.SurvivalAt(t) * 100 : (double?)null)], Svg.Palette[i % Svg.Palette.Length], Step: true))],
                v => v.ToString("0", Invariant) + " %",
                minY: 0,
                maxY: 100));
        html.Append("<section><h2>Median subscription lifetime by cohort</h2><div class=\"scroll\"><table><thead><tr><th>Sign-up cohort</th><th>Customers</th><th>Cancelled</th><th>Median lifetime</th><th>Still subscribed at 12 months</th></tr></thead><tbody>");
        foreach (var x in p.Survival)
        {
            var cancelled = x.Curve.Steps.Sum(st => st.Events);
            var at12 = x.FollowUpMonths >= 12 ? (x.Curve.SurvivalAt(12) * 100).ToString("0.#", Invariant) + " %" : "–";
            html.Append(Invariant, $"<tr><td>{Svg.Escape(x.Cohort)}</td><td>{x.Curve.Subjects:N0}</td><td>{cancelled:N0}</td><td>{(x.Curve.Median is { } med ? med.ToString("0.#", Invariant) + " months" : "not reached")}</td><td>{at12}</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
    }

    private static void Tile(StringBuilder html, string label, string value, string detail, string chart = "") =>
        html.Append(Invariant, $"<div class=\"tile\"><div class=\"label\">{Svg.Escape(label)}</div><div class=\"value\">{Svg.Escape(value)}</div>{chart}<div class=\"detail\">{Svg.Escape(detail)}</div></div>");

    private static void Section(StringBuilder html, string id, string caption, string svg) =>
        html.Append(Invariant, $"<section id=\"{id}\" class=\"chart\"><p class=\"caption\">{Svg.Escape(caption)}</p>{svg}</section>");

    /// <summary>A percentage (0–100) as the report prints it.</summary>
    private static string Percent(double percent) => percent.ToString("0.#", Invariant) + " %";

    /// <summary>"1 customer", "2 customers".</summary>
    internal static string Plural(int count, string singular) =>
        count.ToString("N0", Invariant) + " " + (count == 1 ? singular : singular + "s");

    /// <summary>A key or code as a heading says it: "AtRisk" is "At risk", "no-longer-needed" is "No longer needed".</summary>
    internal static string Sentence(string key) => ScoringStage.Readable(key.Replace('-', ' ').Replace('_', ' '));

    private static string Sign(double v, Func<double, string> format) => (v >= 0 ? "+" : "−") + format(Math.Abs(v));

    private static string Compact(double v)
    {
        var a = Math.Abs(v);
        var text = a >= 1e6 ? (a / 1e6).ToString("0.##", Invariant) + "M" : a >= 1e4 ? (a / 1e3).ToString("0.#", Invariant) + "K" : a.ToString("N0", Invariant);
        return (v < 0 ? "−" : string.Empty) + text;
    }

    internal static string KpiName(Kpi kpi) => kpi switch
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
        return ScoringStage.Readable(name).Replace("=", " = ", StringComparison.Ordinal).Replace(".missing", " missing", StringComparison.Ordinal);
    }

    private const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f8fafc; }
        * { box-sizing: border-box; }
        body { margin: 0; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        h1 { margin: 0 0 4px; font-size: 26px; } h2 { font-size: 19px; margin: 24px 0 8px; } section h2 { margin-top: 0; }
        nav { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0 4px; font-size: 14px; }
        nav a { color: #1d4ed8; text-decoration: none; } nav a:hover { text-decoration: underline; }
        .muted { color: #6b7280; } .caption { color: #374151; margin: 0 0 6px; font-size: 14px; }
        section { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 14px; margin: 14px 0; min-width: 0; }
        section.chart { overflow-x: auto; } section.chart > svg.chart { max-width: 900px; margin: 0 auto; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(175px, 1fr)); gap: 10px; background: none; border: none; padding: 0; }
        .tile { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 12px; min-width: 0; }
        .tile .label { font-size: 13px; color: #6b7280; } .tile .value { font-size: 22px; font-weight: 600; margin: 2px 0; }
        .tile .detail { font-size: 12px; color: #6b7280; overflow-wrap: anywhere; } svg.spark { width: 100%; height: 28px; display: block; }
        .pair, .triple { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 0 14px; }
        .triple { grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); }
        .atypical { color: #b45309; font-weight: 600; } .atypical::before { content: "⚠ "; }
        svg.chart { width: 100%; min-width: 560px; height: auto; display: block; }
        svg .title { font-size: 15px; font-weight: 600; fill: #111827; } svg .tick { font-size: 12px; fill: #4b5563; }
        svg .legend { font-size: 13px; fill: #374151; } svg .grid { stroke: #e5e7eb; } svg .zero { stroke: #9ca3af; }
        svg .cell { font-size: 9px; fill: #1f2937; } svg .cell.dark { fill: #fff; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { width: 100%; border-collapse: collapse; font-size: 14px; }
        td .detail, span.detail { font-size: 12px; color: #6b7280; } td.why { font-size: 13px; overflow-wrap: anywhere; min-width: 180px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #f1f5f9; vertical-align: top; }
        .status.met { color: #15803d; } .status.below { color: #b91c1c; } .status.above { color: #b45309; } .status.notmeasured { color: #6b7280; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
        .filters input, .filters select, .filters button, .pager button { font: inherit; font-size: 14px; padding: 6px 8px; border: 1px solid #d1d5db; border-radius: 6px; background: #fff; }
        .filters input { flex: 1 1 180px; min-width: 0; }
        table.customers th { cursor: pointer; white-space: nowrap; user-select: none; } table.customers th[aria-sort]::after { content: " ▾"; }
        table.customers th[aria-sort="ascending"]::after { content: " ▴"; }
        table.customers tbody tr { cursor: pointer; } table.customers tbody tr:hover { background: #eff6ff; }
        table.customers td.num { text-align: right; white-space: nowrap; }
        .pager { display: flex; gap: 8px; margin-top: 8px; }
        .detail-panel { border-top: 2px solid #2563eb; margin-top: 12px; padding-top: 10px; }
        .detail-panel svg { width: 100%; max-width: 560px; height: auto; display: block; }
        .level-high { color: #b91c1c; font-weight: 600; } .level-medium { color: #b45309; }
        footer { font-size: 12px; margin: 24px 0; }
        @media (max-width: 600px) {
          main { padding: 10px; } h1 { font-size: 22px; } .tile .value { font-size: 19px; } th, td { padding: 5px 6px; }
          table.customers th:nth-child(4), table.customers td:nth-child(4), table.customers th:nth-child(5), table.customers td:nth-child(5),
          table.customers th:nth-child(8), table.customers td:nth-child(8) { display: none; }
        }
        """;

    /// <summary>
    /// The page's only script: renders the customer table from the embedded data (sort, filter, page, CSV export of the
    /// filtered rows) and a customer's history on click. Data goes into the page as text, never as markup.
    /// </summary>
    private const string Script = """
        (function () {
          var source = document.getElementById('customer-data');
          if (!source) { document.body.setAttribute('data-ready', '1'); return; }
          var data = JSON.parse(source.textContent);
          var rows = data.customers, months = data.months, currency = data.currency;
          var key = 'p', direction = -1, page = 0, size = 25, shown = [];
          function $(id) { return document.getElementById(id); }
          function money(v) { return v.toLocaleString('en-US', { maximumFractionDigits: 0 }) + ' ' + currency; }
          function percent(v) { return v === null ? '–' : (v * 100).toFixed(1) + ' %'; }
          function text(v) { return v === null || v === undefined ? '' : String(v); }
          function title(v) { var s = text(v); return s.charAt(0).toUpperCase() + s.slice(1); }
          function matches(r) {
            var q = $('f-text').value.trim().toLowerCase(), level = $('f-level').value, segment = $('f-segment').value, plan = $('f-plan').value;
            return (!q || r.id.toLowerCase().indexOf(q) >= 0 || r.why.join(' ').toLowerCase().indexOf(q) >= 0)
              && (!level || r.level === level) && (!segment || r.segment === segment) && (!plan || r.plan === plan);
          }
          function value(r, k) { return k === 'why' ? r.why.join('; ') : k === 'next' ? (r.next ? r.next.due + ' ' + r.next.playbook : null) : r[k]; }
          function compare(a, b) {
            var x = value(a, key), y = value(b, key);
            if (x === y) { return a.id < b.id ? -1 : 1; }
            if (x === null || x === undefined) { return 1; }
            if (y === null || y === undefined) { return -1; }
            return (x < y ? -1 : 1) * direction;
          }
          function cell(tr, content, numeric) { var td = document.createElement('td'); td.textContent = content; if (numeric) { td.className = 'num'; } tr.appendChild(td); return td; }
          function render() {
            shown = rows.filter(matches).sort(compare);
            var pages = Math.max(1, Math.ceil(shown.length / size));
            page = Math.min(Math.max(page, 0), pages - 1);
            var body = $('customer-rows');
            body.textContent = '';
            shown.slice(page * size, page * size + size).forEach(function (r) {
              var tr = document.createElement('tr');
              cell(tr, r.id); cell(tr, r.plan); cell(tr, money(r.mrr), true); cell(tr, r.tenure + ' mo', true); cell(tr, title(r.segment));
              cell(tr, percent(r.p), true);
              cell(tr, text(r.level)).className = r.level ? 'level-' + r.level.toLowerCase() : '';
              cell(tr, r.score === null ? '–' : r.score.toFixed(0) + (r.band ? ' · ' + r.band : ''), true);
              cell(tr, r.why.slice(0, 3).join('; '));
              cell(tr, r.next ? r.next.playbook + ' / ' + r.next.step + ' (' + r.next.channel + ', ' + r.next.due + ')' : '');
              tr.addEventListener('click', function () { detail(r); });
              body.appendChild(tr);
            });
            $('customer-count').textContent = shown.length.toLocaleString('en-US') + ' of ' + rows.length.toLocaleString('en-US') + ' customers · page ' + (page + 1) + ' of ' + pages.toLocaleString('en-US');
            $('p-prev').disabled = page === 0; $('p-next').disabled = page >= pages - 1;
            document.querySelectorAll('table.customers th').forEach(function (th) {
              if (th.getAttribute('data-key') === key) { th.setAttribute('aria-sort', direction > 0 ? 'ascending' : 'descending'); } else { th.removeAttribute('aria-sort'); }
            });
          }
          function chart(title, points, format, low, high, steps) {
            var ns = 'http://www.w3.org/2000/svg', w = 560, h = 150, l = 56, t = 22, b = 24, svg = document.createElementNS(ns, 'svg');
            svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h); svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', title);
            function add(name, attrs, content) { var e = document.createElementNS(ns, name); for (var a in attrs) { e.setAttribute(a, attrs[a]); } if (content !== undefined) { e.textContent = content; } svg.appendChild(e); return e; }
            add('text', { x: l, y: 14, 'font-size': 13, 'font-weight': 600 }, title);
            if (points.length === 0) { add('text', { x: l, y: 60, 'font-size': 12, fill: '#6b7280' }, 'no data'); return svg; }
            var values = points.map(function (p) { return p[1]; });
            var lo = low !== undefined ? low : Math.min.apply(null, values.concat([0])), hi = high !== undefined ? high : Math.max.apply(null, values.concat([1]));
            if (hi <= lo) { hi = lo + 1; }
            function x(i) { return l + (points.length === 1 ? 0 : i * (w - l - 10) / (points.length - 1)); }
            function y(v) { return t + (h - t - b) * (1 - (v - lo) / (hi - lo)); }
            [lo, (lo + hi) / 2, hi].forEach(function (v) { add('line', { x1: l, x2: w - 10, y1: y(v), y2: y(v), stroke: '#e5e7eb' }); add('text', { x: l - 4, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4b5563' }, format(v)); });
            var d = points.map(function (p, i) { return i === 0 ? 'M' + x(i) + ',' + y(p[1]) : steps ? 'H' + x(i) + ' V' + y(p[1]) : 'L' + x(i) + ',' + y(p[1]); }).join(' ');
            add('path', { d: d, fill: 'none', stroke: '#2563eb', 'stroke-width': 2 });
            add('text', { x: l, y: h - 6, 'font-size': 11, fill: '#4b5563' }, points[0][0]);
            add('text', { x: w - 10, y: h - 6, 'font-size': 11, fill: '#4b5563', 'text-anchor': 'end' }, points[points.length - 1][0]);
            return svg;
          }
          function detail(r) {
            var panel = $('customer-detail');
            panel.textContent = '';
            var h = document.createElement('h3'); h.textContent = r.id + ' · ' + r.plan + ' · ' + money(r.mrr) + ' · customer for ' + r.tenure + ' months'; panel.appendChild(h);
            var facts = document.createElement('p');
            facts.textContent = 'Churn probability ' + percent(r.p) + (r.level ? ' (' + r.level + ' risk)' : '') + ' · retention score ' + (r.score === null ? '–' : r.score.toFixed(0)) + (r.segment ? ' · ' + r.segment + ' value' : '') + (r.why.length ? ' · ' + r.why.join('; ') : '');
            panel.appendChild(facts);
            var history = r.mrrHistory.map(function (p) { return [p.on, p.mrr]; });
            if (history.length) { history.push([data.asOf, history[history.length - 1][1]]); }
            panel.appendChild(chart('MRR (' + currency + ')', history, function (v) { return Math.round(v).toLocaleString('en-US'); }, 0, undefined, true));
            var trend = [];
            r.trend.forEach(function (v, i) { if (v !== null) { trend.push([months[i], v]); } });
            panel.appendChild(chart('Retention score at each month end', trend, function (v) { return Math.round(v); }, 0, 100, false));
            var list = document.createElement('ul');
            r.interventions.forEach(function (e) { var li = document.createElement('li'); li.textContent = e.playbook + ': started ' + e.started + ', ' + e.status + ', ' + e.steps + (e.steps === 1 ? ' step' : ' steps') + ' done'; list.appendChild(li); });
            var head = document.createElement('h4'); head.textContent = r.interventions.length ? 'Interventions' : 'No interventions yet'; panel.appendChild(head); panel.appendChild(list);
            panel.hidden = false;
            panel.scrollIntoView({ block: 'nearest' });
          }
          function csv() {
            var head = ['customer', 'plan', 'mrr', 'tenure_months', 'segment', 'churn_probability', 'risk_level', 'retention_score', 'reasons', 'next_step', 'next_step_due'];
            var lines = [head.join(',')].concat(shown.map(function (r) {
              return [r.id, r.plan, r.mrr, r.tenure, r.segment, r.p, r.level, r.score, r.why.join('; '), r.next ? r.next.playbook + '/' + r.next.step : '', r.next ? r.next.due : '']
                .map(function (v) { var s = text(v); return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }).join(',');
            }));
            var link = document.createElement('a');
            link.href = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }));
            link.download = 'customers-' + data.asOf + '.csv';
            document.body.appendChild(link); link.click(); link.remove();
          }
          ['f-text', 'f-level', 'f-segment', 'f-plan'].forEach(function (id) { $(id).addEventListener('input', function () { page = 0; render(); }); });
          document.querySelectorAll('table.customers th').forEach(function (th) {
            function sort() { var k = th.getAttribute('data-key'); direction = k === key ? -direction : (k === 'id' || k === 'plan' || k === 'segment' ? 1 : -1); key = k; render(); }
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
          });
          $('p-prev').addEventListener('click', function () { page--; render(); });
          $('p-next').addEventListener('click', function () { page++; render(); });
          $('f-csv').addEventListener('click', csv);
          render();
          // A link to #customer=ID opens that customer's history.
          var linked = /^#customer=(.+)$/.exec(location.hash);
          var target = linked && rows.filter(function (r) { return r.id === decodeURIComponent(linked[1]); })[0];
          if (target) { detail(target); }
          document.body.setAttribute('data-ready', '1');
        })();
        """;
}
