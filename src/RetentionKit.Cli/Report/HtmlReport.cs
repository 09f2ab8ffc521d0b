using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Metrics.Kpis;

namespace RetentionKit.Cli.Report;

/// <summary>Writes the report: one self-contained HTML file (inline CSS and SVG, nothing fetched from the network).</summary>
internal static class HtmlReport
{
    public const string FileName = "index.html";

    public static readonly string[] ChartIds = ["mrr-bridge", "revenue-retention", "churn-trend", "cohort-retention", "clv-distribution"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

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
        html.Append("<footer class=\"muted\">Generated by RetentionKit. Formulas and policies: docs/metrics.md.</footer></main></body></html>");
        return html.ToString();
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

    private const string Css = """
        :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f8fafc; }
        main { max-width: 820px; margin: 0 auto; padding: 24px; }
        h1 { margin: 0 0 4px; font-size: 28px; } h2 { font-size: 18px; margin: 0 0 8px; }
        .muted { color: #6b7280; } .caption { color: #374151; margin: 0 0 6px; font-size: 14px; }
        section { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px; margin: 16px 0; }
        .tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; background: none; border: none; padding: 0; }
        .tile { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 14px; }
        .tile .label { font-size: 13px; color: #6b7280; } .tile .value { font-size: 24px; font-weight: 600; margin: 2px 0; }
        .tile .detail { font-size: 12px; color: #6b7280; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg .title { font-size: 14px; font-weight: 600; fill: #111827; } svg .tick { font-size: 11px; fill: #6b7280; }
        svg .legend { font-size: 12px; fill: #374151; } svg .grid { stroke: #e5e7eb; } svg .zero { stroke: #9ca3af; }
        table { width: 100%; border-collapse: collapse; font-size: 14px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #f1f5f9; }
        .status.met { color: #15803d; } .status.below { color: #b91c1c; } .status.above { color: #b45309; } .status.notmeasured { color: #6b7280; }
        footer { font-size: 12px; margin-top: 24px; }
        """;
}
