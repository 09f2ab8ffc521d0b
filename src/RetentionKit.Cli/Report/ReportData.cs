using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
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
/// <remarks>
/// A large base's customers are most of the page, so they are serialised in blocks of <see cref="BlockSize"/> on the
/// thread pool, a few blocks ahead of the writer, and written in order: the text is the same as one serialiser's, the
/// blocks in flight bound the memory, and the work starts when the page does (<see cref="Start"/>), beside the
/// sections written before the table.
/// </remarks>
internal sealed class ReportData
{
    /// <summary>Customers per block.</summary>
    internal const int BlockSize = 2_000;

    private readonly PipelineResult _result;
    private readonly Task<byte[]>?[] _blocks;
    private readonly int _blockSize;
    private int _next;

    private ReportData(PipelineResult result, int blockSize, int ahead)
    {
        _result = result;
        _blockSize = blockSize;
        _blocks = new Task<byte[]>?[(result.Customers.Length + blockSize - 1) / blockSize];
        while (_next < Math.Min(ahead, _blocks.Length))
        {
            StartNext();
        }
    }

    /// <summary>Starts serialising a result's customers, a few blocks ahead of <see cref="WriteTo"/>.</summary>
    /// <param name="result">The pipeline's result.</param>
    /// <param name="blockSize">Customers per block (tests cut finer).</param>
    public static ReportData Start(PipelineResult result, int blockSize = BlockSize) => new(result, blockSize, 2 * Environment.ProcessorCount);

    /// <summary>Writes the page's data to a stream as UTF-8 JSON: the envelope, then each block as it is ready.</summary>
    /// <param name="output">The stream.</param>
    public void WriteTo(Stream output)
    {
        var r = _result;
        var months = r.Scoring.Months.Select(m => m.Month.ToString("MMM yy", CultureInfo.InvariantCulture)).ToList();

        // The envelope with no customers ends in "[]}" (the customers are its last member): the blocks go in between.
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new ReportPage(r.Currency.Code, Date(r.AsOf), months, []), ReportJsonContext.Default.ReportPage);
        if (!envelope.AsSpan().EndsWith("[]}"u8))
        {
            throw new InvalidOperationException("The report's data envelope must end with its customers.");
        }

        output.Write(envelope, 0, envelope.Length - 2);
        for (var k = 0; k < _blocks.Length; k++)
        {
            var block = _blocks[k]!.GetAwaiter().GetResult(); // "[{…},{…}]"
            _blocks[k] = null;
            if (_next < _blocks.Length)
            {
                StartNext();
            }

            if (k > 0)
            {
                output.WriteByte((byte)',');
            }

            output.Write(block, 1, block.Length - 2);
        }

        output.Write("]}"u8);
    }

    private void StartNext()
    {
        var (from, r) = (_next * _blockSize, _result);
        var count = Math.Min(_blockSize, r.Customers.Length - from);
        _blocks[_next++] = Task.Run(() =>
        {
            var block = new ReportCustomer[count];
            for (var i = 0; i < count; i++)
            {
                block[i] = Customer(r.Customers[from + i]);
            }

            return JsonSerializer.SerializeToUtf8Bytes(block, ReportJsonContext.Default.ReportCustomerArray);
        });
    }

    /// <summary>A customer as the page's data holds them.</summary>
    internal static ReportCustomer Customer(CustomerRow c) => new(
        c.Customer.Value,
        c.Plan,
        decimal.Round(c.Mrr, 2),
        c.TenureMonths,
        c.Segment,
        c.ChurnProbability is { } p ? Math.Round(p, 4) : null,
        c.Level?.ToString(),
        c.RetentionScore is { } s ? Math.Round(s, 1) : null,
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
        }, e.Steps.Count(x => !x.Skipped)))]);

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

/// <summary>The source-generated serialiser of the report's embedded data (compact).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReportPage))]
[JsonSerializable(typeof(ReportCustomer[]))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
