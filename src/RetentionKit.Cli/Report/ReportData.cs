using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Playbooks;

namespace RetentionKit.Cli.Report;

/// <summary>
/// The data the report's customer table renders from, embedded in the page as JSON (the default encoder escapes
/// <c>&lt;</c>, so the text cannot close its script element).
/// </summary>
internal static class ReportData
{
    /// <summary>Serialises the page's data into a stream as UTF-8 JSON, one customer at a time.</summary>
    public static void Serialize(PipelineResult r, System.IO.Stream output)
    {
        var months = r.Scoring.Months.Select(m => m.Month.ToString("MMM yy", CultureInfo.InvariantCulture)).ToList();
        var data = new ReportPage(
            r.Currency.Code,
            Date(r.AsOf),
            months,
            r.Customers.Select(c => new ReportCustomer(
                c.Customer.Value,
                c.Plan,
                decimal.Round(c.Mrr, 2),
                c.TenureMonths,
                c.Segment,
                c.ChurnProbability is { } p ? System.Math.Round(p, 4) : null,
                c.Level?.ToString(),
                c.RetentionScore is { } s ? System.Math.Round(s, 1) : null,
                c.Band is { } band ? HtmlReport.Sentence(band.ToString()) : null,
                c.Reasons,
                c.NextStep is { } next ? new ReportStep(next.Playbook, next.Step, next.Channel, Date(next.DueOn)) : null,
                [.. c.MrrHistory.Select(h => new ReportMrr(Date(h.On), decimal.Round(h.Mrr, 2)))],
                [.. c.ScoreTrend.Select(b => b == ScoringSummary.NoScore ? (int?)null : b)],
                [.. c.Enrolments.Select(e => new ReportIntervention(e.Playbook, Date(e.StartedOn), e.Status switch
                {
                    EnrolmentStatus.Active => "under way",
                    EnrolmentStatus.Completed => "completed",
                    _ => "ended" + (e.EndReason is { } why ? " (" + why + ")" : string.Empty),
                }, e.Steps.Count(x => !x.Skipped)))])));
        JsonSerializer.Serialize(output, data, ReportJsonContext.Default.ReportPage);
    }

    private static string Date(NodaTime.LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The embedded data of the report page.</summary>
/// <param name="Currency">The currency code.</param>
/// <param name="AsOf">The as-of date.</param>
/// <param name="Months">The month labels of each customer's score trend.</param>
/// <param name="Customers">Every paying customer.</param>
internal sealed record ReportPage(string Currency, string AsOf, IReadOnlyList<string> Months, IEnumerable<ReportCustomer> Customers);

/// <summary>A row of the customer table and what its detail panel shows.</summary>
/// <param name="Id">Customer id.</param>
/// <param name="Plan">Plan.</param>
/// <param name="Mrr">MRR.</param>
/// <param name="Tenure">Whole months since sign-up.</param>
/// <param name="Segment">Value segment.</param>
/// <param name="P">Churn probability.</param>
/// <param name="Level">Risk level.</param>
/// <param name="Score">Retention score.</param>
/// <param name="Band">Retention band.</param>
/// <param name="Why">Active risk signals.</param>
/// <param name="Next">Next playbook step.</param>
/// <param name="MrrHistory">MRR after each subscription event.</param>
/// <param name="Trend">Retention score at each month end (null where none).</param>
/// <param name="Interventions">Playbook enrolments.</param>
internal sealed record ReportCustomer(string Id, string Plan, decimal Mrr, int Tenure, string? Segment, double? P, string? Level, double? Score, string? Band, IReadOnlyList<string> Why, ReportStep? Next, IReadOnlyList<ReportMrr> MrrHistory, IReadOnlyList<int?> Trend, IReadOnlyList<ReportIntervention> Interventions);

/// <summary>A step ahead.</summary>
/// <param name="Playbook">Playbook id.</param>
/// <param name="Step">Step id.</param>
/// <param name="Channel">Channel.</param>
/// <param name="Due">Due date.</param>
internal sealed record ReportStep(string Playbook, string Step, string Channel, string Due);

/// <summary>MRR from a date.</summary>
/// <param name="On">The event's date.</param>
/// <param name="Mrr">MRR from then (0 after a cancellation).</param>
internal sealed record ReportMrr(string On, decimal Mrr);

/// <summary>A playbook enrolment.</summary>
/// <param name="Playbook">Playbook id.</param>
/// <param name="Started">Start date.</param>
/// <param name="Status">Under way, completed or ended.</param>
/// <param name="Steps">Steps delivered.</param>
internal sealed record ReportIntervention(string Playbook, string Started, string Status, int Steps);

/// <summary>The source-generated serialiser of the report's embedded data (compact; with metadata, so that a stream is written as it goes).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReportPage))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
