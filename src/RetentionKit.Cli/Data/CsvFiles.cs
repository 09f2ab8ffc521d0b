using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsvHelper;
using CsvHelper.Configuration;
using NodaTime;
using NodaTime.Text;
using RetentionKit.Metrics.Probabilistic;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Data;

/// <summary>
/// Reads and writes a <see cref="DataSet"/> as CSV files (docs/data-formats.md): UTF-8, a header row, ISO dates,
/// invariant-culture numbers. CsvHelper does the tokenising (quotes, embedded commas and line breaks); the fields are
/// parsed and validated here so that an error names the file, line, column and rule. A read either returns the whole
/// data set or throws: nothing is partially imported.
/// </summary>
internal static class CsvFiles
{
    public const string CustomersFile = "customers.csv";
    public const string EventsFile = "subscription_events.csv";
    public const string ActivityFile = "activity.csv";
    public const string FeedbackFile = "feedback.csv";
    public const string ChurnTruthFile = "churn_truth.csv";
    public const string TransactionsFile = "transactions.csv";
    public const string InterventionsFile = "interventions.csv";

    /// <summary>The largest amount a row may carry: sums over millions of customers and months then stay far inside <see cref="decimal"/>.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;
    private static readonly YearMonthPattern Month = YearMonthPattern.Iso;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static readonly string[] CustomerColumns = ["customer_id", "signup_date", "industry", "seats"];
    private static readonly string[] EventColumns = ["event_id", "customer_id", "type", "effective_date", "plan", "amount", "currency", "interval_months", "discount", "reason"];
    private static readonly string[] ActivityColumns =
    [
        "customer_id", "month", "logins", "baseline_logins", "feature_share", "emails_sent", "emails_opened", "support_tickets",
        "negative_tickets", "days_payment_late", "competitor_visits", "alternative_searches", "competitor_trial", "contract_review",
        "negative_social_mentions", "usage_of_limit",
    ];

    private static readonly string[] FeedbackColumns = ["customer_id", "date", "nps", "satisfaction", "comment"];
    private static readonly string[] ChurnColumns = ["customer_id", "date", "reason", "health_before"];
    private static readonly string[] TransactionColumns = ["customer_id", "date", "amount"];
    private static readonly string[] InterventionColumns = ["customer_id", "playbook", "started_on", "control", "outcome", "decided_on"];

    public static void Write(DataSet data, string directory)
    {
        Directory.CreateDirectory(directory);
        WriteFile(Path.Combine(directory, CustomersFile), CustomerColumns, data.Customers, static (c, w) =>
        {
            w.WriteField(c.Id.Value);
            w.WriteField(Date.Format(c.SignupDate));
            w.WriteField(c.Industry);
            w.WriteField(c.Seats.ToString(CultureInfo.InvariantCulture));
        });
        WriteFile(Path.Combine(directory, EventsFile), EventColumns, data.Events, static (e, w) =>
        {
            w.WriteField(e.Id);
            w.WriteField(e.Customer.Value);
            var terms = e switch { SubscriptionChange c => c.Terms, Reactivation r => r.Terms, _ => null };
            w.WriteField(e switch { SubscriptionChange => "change", Reactivation => "reactivation", _ => "cancellation" });
            w.WriteField(Date.Format(e.EffectiveDate));
            w.WriteField(terms?.Plan ?? string.Empty);
            w.WriteField(terms?.Amount.Amount.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            w.WriteField(terms?.Amount.Currency.Code ?? string.Empty);
            w.WriteField(terms?.Interval.Months.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            w.WriteField(terms?.Discount.Fraction.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty);
            w.WriteField(e is Cancellation x ? x.Reason.Code : string.Empty);
        });
        WriteFile(Path.Combine(directory, ActivityFile), ActivityColumns, data.Activity, static (a, w) =>
        {
            w.WriteField(a.Customer.Value);
            w.WriteField(Month.Format(a.Month));
            foreach (var n in (ReadOnlySpan<int>)[a.Logins, a.BaselineLogins])
            {
                w.WriteField(n.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteField(a.FeatureShare.ToString("R", CultureInfo.InvariantCulture));
            foreach (var n in (ReadOnlySpan<int>)[a.EmailsSent, a.EmailsOpened, a.SupportTickets, a.NegativeTickets, a.DaysPaymentLate, a.CompetitorVisits, a.AlternativeSearches])
            {
                w.WriteField(n.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteField(a.CompetitorTrial ? "true" : "false");
            w.WriteField(a.ContractReview ? "true" : "false");
            w.WriteField(a.NegativeSocialMentions.ToString(CultureInfo.InvariantCulture));
            w.WriteField(a.UsageOfLimit.ToString("R", CultureInfo.InvariantCulture));
        });
        WriteFile(Path.Combine(directory, FeedbackFile), FeedbackColumns, data.Feedback, static (f, w) =>
        {
            w.WriteField(f.Customer.Value);
            w.WriteField(Date.Format(f.Date));
            w.WriteField(f.Nps?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            w.WriteField(f.Satisfaction?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            w.WriteField(f.Comment ?? string.Empty);
        });
        if (data.Churns.Count > 0)
        {
            WriteFile(Path.Combine(directory, ChurnTruthFile), ChurnColumns, data.Churns, static (t, w) =>
            {
                w.WriteField(t.Customer.Value);
                w.WriteField(Date.Format(t.Date));
                w.WriteField(t.Reason.Code);
                w.WriteField(t.HealthBefore.ToString("R", CultureInfo.InvariantCulture));
            });
        }

        if (data.Interventions.Count > 0)
        {
            WriteFile(Path.Combine(directory, InterventionsFile), InterventionColumns, data.Interventions, static (i, w) =>
            {
                w.WriteField(i.Customer.Value);
                w.WriteField(i.Playbook);
                w.WriteField(Date.Format(i.StartedOn));
                w.WriteField(i.Control ? "true" : "false");
                w.WriteField(i.Succeeded switch { true => "success", false => "failure", null => "open" });
                w.WriteField(i.DecidedOn is { } d ? Date.Format(d) : string.Empty);
            });
        }

        if (data.Transactions.Count > 0)
        {
            WriteFile(Path.Combine(directory, TransactionsFile), TransactionColumns, data.Transactions, static (t, w) =>
            {
                w.WriteField(t.Customer);
                w.WriteField(Date.Format(t.Date));
                w.WriteField(t.Value.ToString(CultureInfo.InvariantCulture));
            });
        }
    }

    /// <summary>
    /// Reads a data set. <c>subscription_events.csv</c> is required; the other files are optional. Rows that
    /// contradict each other are errors at their file, line and column; rows that can be read one way only are kept
    /// or left out as <see cref="DataSet.Warnings"/> say.
    /// </summary>
    /// <param name="directory">The directory of the files.</param>
    /// <param name="currency">The currency every amount must be in (the report's); null to take whatever the first event uses.</param>
    /// <param name="partBytes">The smallest part of a file without quotes that is parsed on its own core (tests make it small).</param>
    /// <param name="fastParser">Whether plain files (no quotes) are split directly; false reads every file through CsvHelper's parser (tests compare the two).</param>
    public static DataSet Read(string directory, string? currency = null, int partBytes = PartBytes, bool fastParser = true)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The data directory '{directory}' does not exist.");
        }

        // The files are read and parsed side by side; the checks that compare them run after, in a fixed order, and
        // the first file in that order with a format error is the one reported.
        int[] eventColumns = [];
        int[] customerColumns = [];

        // One string per customer id across the files: the rows share it, so equal ids compare by reference first.
        var ids = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var eventsRead = Task.Run(() => ReadFile(Path.Combine(directory, EventsFile), partBytes, fastParser, ids, required: true, EventColumns, ParseEvent, map => eventColumns = map));
        var customersRead = Task.Run(() => ReadFile(Path.Combine(directory, CustomersFile), partBytes, fastParser, ids, required: false, CustomerColumns, static r =>
            new CustomerRecord(r.Id(0), r.Date(1), r.Text(2), r.Int(3, min: 1)), map => customerColumns = map));
        var activityRead = Task.Run(() => ReadFile(Path.Combine(directory, ActivityFile), partBytes, fastParser, ids, required: false, ActivityColumns, ParseActivity));
        var feedbackRead = Task.Run(() => ReadFile(Path.Combine(directory, FeedbackFile), partBytes, fastParser, ids, required: false, FeedbackColumns, static r =>
            new FeedbackRecord(r.Id(0), r.Date(1), r.OptionalInt(2, 0, 10), r.OptionalInt(3, 1, 10), r.Optional(4))));
        var churnsRead = Task.Run(() => ReadFile(Path.Combine(directory, ChurnTruthFile), partBytes, fastParser, ids, required: false, ChurnColumns, static r =>
            new ChurnTruth(r.Id(0), r.Date(1), new ChurnReason(r.Text(2)), r.Double(3, 0, 1))));
        var transactionsRead = Task.Run(() => ReadFile(Path.Combine(directory, TransactionsFile), partBytes, fastParser, ids, required: false, TransactionColumns, ParseTransaction));
        var interventionsRead = Task.Run(() => ReadFile(Path.Combine(directory, InterventionsFile), partBytes, fastParser, ids, required: false, InterventionColumns, ParseIntervention));
        try
        {
            Task.WaitAll(eventsRead, customersRead, activityRead, feedbackRead, churnsRead, transactionsRead, interventionsRead);
        }
        catch (AggregateException)
        {
            // Rethrown below from the first failed file in reading order.
        }

        var warnings = new List<string>();
        var events = Result(eventsRead);
        CheckEvents(events, eventColumns, currency, warnings);
        var customers = Result(customersRead);
        CheckCustomers(customers, customerColumns, events, warnings);
        var known = new HashSet<CustomerId>(events.Select(e => e.Value.Customer));
        var activity = Known(ActivityFile, Result(activityRead), a => a.Customer, known, warnings);
        var feedback = Known(FeedbackFile, Result(feedbackRead), f => f.Customer, known, warnings);
        var interventions = Known(InterventionsFile, Result(interventionsRead), i => i.Customer, known, warnings);
        return new DataSet(
            [.. customers.Select(c => c.Value)],
            [.. events.Select(e => e.Value)],
            activity,
            feedback,
            [.. Result(churnsRead).Select(c => c.Value)])
        {
            Transactions = [.. Result(transactionsRead).Select(t => t.Value)],
            Interventions = interventions,
            Warnings = warnings,
        };
    }

    /// <summary>A finished read's rows, or its own exception (not wrapped in an <see cref="AggregateException"/>).</summary>
    private static T Result<T>(Task<T> read) => read.GetAwaiter().GetResult();

    /// <summary>
    /// One currency for every amount; an event id used twice is the same event (an identical row is counted once, with
    /// a warning) or an error; a second change of a customer on one day is kept after the first, with a warning.
    /// </summary>
    private static void CheckEvents(List<(SubscriptionEvent Value, long Line)> events, int[] columns, string? currency, List<string> warnings)
    {
        var firstById = new Dictionary<(CustomerId, string), (SubscriptionEvent Event, long Line)>();
        var changeOnDay = new Dictionary<(CustomerId, LocalDate), long>();
        string? first = currency;
        long firstLine = 0;
        var duplicates = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            var (e, line) = events[i];
            if (firstById.TryGetValue((e.Customer, e.Id), out var earlier))
            {
                if (!Equals(earlier.Event, e))
                {
                    throw new DataFormatException(EventsFile, line, columns[0] + 1, $"event_id '{e.Id}' of customer {e.Customer} is used again with different values; first on line {earlier.Line:N0}");
                }

                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{EventsFile}:{line}: a duplicate of line {earlier.Line:N0} (event {e.Id}); counted once"));
                duplicates.Add(i);
                continue;
            }

            firstById[(e.Customer, e.Id)] = (e, line);
            var terms = e switch { SubscriptionChange c => c.Terms, Reactivation r => r.Terms, _ => null };
            if (terms is not null)
            {
                var code = terms.Amount.Currency.Code;
                if (first is null)
                {
                    (first, firstLine) = (code, line);
                }
                else if (!string.Equals(code, first, StringComparison.OrdinalIgnoreCase))
                {
                    throw new DataFormatException(EventsFile, line, columns[6] + 1, firstLine == 0
                        ? $"currency must be {first}, the report's currency (RetentionKit:Report:Currency); got {code}"
                        : string.Create(CultureInfo.InvariantCulture, $"currency must be {first}, as on line {firstLine:N0}: all amounts are in one currency; got {code}"));
                }
            }

            if (e is SubscriptionChange && !changeOnDay.TryAdd((e.Customer, e.EffectiveDate), line))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{EventsFile}:{line}: a second change of {e.Customer} on {Date.Format(e.EffectiveDate)} (the first on line {changeOnDay[(e.Customer, e.EffectiveDate)]:N0}); the later line wins"));
            }
        }

        for (var k = duplicates.Count - 1; k >= 0; k--)
        {
            events.RemoveAt(duplicates[k]);
        }
    }

    /// <summary>A customer once in customers.csv; a sign-up date after the customer's first event is kept, with a warning.</summary>
    private static void CheckCustomers(List<(CustomerRecord Value, long Line)> customers, int[] columns, List<(SubscriptionEvent Value, long Line)> events, List<string> warnings)
    {
        var firstEvent = new Dictionary<CustomerId, (LocalDate Date, long Line)>();
        foreach (var (e, line) in events)
        {
            if (!firstEvent.TryGetValue(e.Customer, out var known) || e.EffectiveDate < known.Date)
            {
                firstEvent[e.Customer] = (e.EffectiveDate, line);
            }
        }

        var seen = new Dictionary<CustomerId, long>();
        foreach (var (c, line) in customers)
        {
            if (!seen.TryAdd(c.Id, line))
            {
                throw new DataFormatException(CustomersFile, line, columns[0] + 1, $"customer_id '{c.Id}' appears twice; first on line {seen[c.Id]:N0}");
            }

            if (firstEvent.TryGetValue(c.Id, out var first) && c.SignupDate > first.Date)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{CustomersFile}:{line}: signup_date {Date.Format(c.SignupDate)} of {c.Id} is after their first subscription event ({Date.Format(first.Date)}, {EventsFile}:{first.Line}); the events are taken as they are"));
            }
        }
    }

    /// <summary>The rows of customers who have subscription events; the others are left out, with one warning for the file.</summary>
    private static List<T> Known<T>(string file, List<(T Value, long Line)> rows, Func<T, CustomerId> customer, HashSet<CustomerId> known, List<string> warnings)
    {
        // One pass: the kept rows into a list of the right size at once (a large file's would otherwise grow by
        // doubling through several large arrays), the first row left out and the count for the warning.
        var kept = new List<T>(rows.Count);
        var (unknown, first) = (0, default((T Value, long Line)));
        foreach (var row in rows)
        {
            if (known.Contains(customer(row.Value)))
            {
                kept.Add(row.Value);
            }
            else if (unknown++ == 0)
            {
                first = row;
            }
        }

        if (unknown > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{file}: {unknown:N0} row{(unknown == 1 ? string.Empty : "s")} of customers without subscription events (the first on line {first.Line:N0}, {customer(first.Value)}) left out"));
        }

        return kept;
    }

    private static SubscriptionEvent ParseEvent(Row r)
    {
        var id = r.Text(0);
        var customer = r.Id(1);
        var type = r.Text(2);
        var date = r.Date(3);
        switch (type)
        {
            case "cancellation":
                var reason = r.Optional(9);
                return new Cancellation(id, customer, date, reason is null ? ChurnReason.Unknown : new ChurnReason(reason));
            case "change":
            case "reactivation":
                var plan = r.Text(4);
                var amount = r.Decimal(5);
                var currency = r.Currency(6);
                var interval = BillingInterval.FromMonths(r.Int(7, min: 1, max: 120));
                var discount = Rate.FromFraction(r.OptionalDouble(8, 0, 1) ?? 0d);
                var money = new Money(amount, currency);
                return type == "change"
                    ? new SubscriptionChange(id, customer, plan, money, interval, date, discount)
                    : new Reactivation(id, customer, plan, money, interval, date, discount);
            default:
                throw r.Error(2, $"type must be change, cancellation or reactivation; got '{type}'");
        }
    }

    /// <summary>Reads one transaction log (customer_id, date, amount), as the data set's transactions file is read.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The transactions in file order.</returns>
    /// <exception cref="DataFormatException">The file is missing, or a row breaks a rule (named with its line and column).</exception>
    public static Transaction[] ReadTransactions(string path) =>
        [.. ReadFile(path, PartBytes, fastParser: true, new ConcurrentDictionary<string, string>(StringComparer.Ordinal), required: true, TransactionColumns, ParseTransaction).Select(t => t.Value)];

    /// <summary>A row of the enrolment log: an outcome is success, failure or open, and a decided one has its date.</summary>
    private static InterventionRow ParseIntervention(Row r)
    {
        bool? succeeded = r.Text(4) switch
        {
            "success" => true,
            "failure" => false,
            "open" => null,
            var other => throw r.Error(4, $"outcome must be success, failure or open (was '{other}')"),
        };
        var decided = r.Optional(5) is null ? (LocalDate?)null : r.Date(5);
        if (succeeded is not null && decided is null)
        {
            throw r.Error(5, "decided_on must be given for a decided outcome");
        }

        if (succeeded is null && decided is not null)
        {
            throw r.Error(5, "decided_on must be empty while the outcome is open");
        }

        var started = r.Date(2);
        if (decided < started)
        {
            throw r.Error(5, "decided_on must not be before started_on");
        }

        return new InterventionRow(r.Id(0), r.Text(1), started, r.Bool(3), succeeded, decided);
    }

    private static Transaction ParseTransaction(Row r)
    {
        var amount = r.Decimal(2);
        return amount < 0 ? throw r.Error(2, "amount must not be negative") : new Transaction(r.Id(0).Value, r.Date(1), amount);
    }

    private static MonthlyActivity ParseActivity(Row r)
    {
        var sent = r.Int(5);
        var opened = r.Int(6);
        if (opened > sent)
        {
            throw r.Error(6, $"emails_opened ({opened}) must not exceed emails_sent ({sent})");
        }

        var tickets = r.Int(7);
        var negative = r.Int(8);
        if (negative > tickets)
        {
            throw r.Error(8, $"negative_tickets ({negative}) must not exceed support_tickets ({tickets})");
        }

        return new MonthlyActivity(
            r.Id(0), r.Month(1), r.Int(2), r.Int(3), r.Double(4, 0, 1), sent, opened, tickets, negative, r.Int(9), r.Int(10), r.Int(11),
            r.Bool(12), r.Bool(13), r.Int(14), r.Double(15, 0, 1.5));
    }

    private static void WriteFile<T>(string path, string[] columns, IReadOnlyList<T> rows, Action<T, CsvWriter> write)
    {
        using var stream = new StreamWriter(path, append: false, Utf8);
        using var csv = new CsvWriter(stream, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
        foreach (var column in columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            write(row, csv);
            csv.NextRecord();
        }
    }

    private static List<(T Value, long Line)> ReadFile<T>(string path, int partBytes, bool fastParser, ConcurrentDictionary<string, string> ids, bool required, string[] columns, Func<Row, T> parse, Action<int[]>? columnsFound = null)
    {
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            return required ? throw new DataFormatException(file, 0, 0, "the file is missing; it is required") : [];
        }

        // The file is read once: scanned, then parsed from memory.
        var bytes = File.ReadAllBytes(path);
        var quoted = Scan(bytes, file);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
        };
        using var parser = new CsvParser(new StreamReader(new MemoryStream(bytes, writable: false), Utf8, detectEncodingFromByteOrderMarks: true), config);
        if (!parser.Read())
        {
            throw new DataFormatException(file, 1, 1, "the file is empty; a header row is required");
        }

        var header = parser.Record ?? [];
        var map = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            map[c] = Array.FindIndex(header, h => string.Equals(h.Trim(), columns[c], StringComparison.OrdinalIgnoreCase));
            if (map[c] < 0)
            {
                throw new DataFormatException(file, 1, 1, $"the header has no '{columns[c]}' column; expected {string.Join(",", columns)}");
            }
        }

        columnsFound?.Invoke(map);

        // A file without quotes, whose lines end in \n or \r\n, is plain: each line is one row and a comma ends every
        // field, so it is split directly rather than through the general parser (the same rows, several times faster).
        // A large file without quotes is cut at line ends into several parts a core, each parsed on its own and the rows
        // joined in file order (with quotes a line end may sit inside a field, so such a file is read in one piece).
        var headerEnd = bytes.AsSpan().IndexOf((byte)'\n') + 1;
        var plain = fastParser && !quoted && headerEnd > 0 && OnlyCrLf(bytes);
        // A plain part has a row per line at most: its list is made that size at once.
        List<(T Value, long Line)> Part(int from, int to, long before, int lineEnds)
        {
            var rows = new List<(T Value, long Line)>(plain ? lineEnds + 1 : 0);
            if (plain)
            {
                ReadPlainRows(bytes, from, to, file, before, map, columns, ids, parse, rows);
            }
            else
            {
                using var part = new CsvParser(new StreamReader(new MemoryStream(bytes, from, to - from, writable: false), Utf8, detectEncodingFromByteOrderMarks: false), config);
                ReadRows(part, file, before, map, columns, ids, parse, rows);
            }

            return rows;
        }

        // Several parts a core (the files are read side by side, so a core that finishes its share takes another part).
        var parts = quoted || headerEnd == 0 ? 1 : (int)Math.Min(4 * Math.Max(2, Environment.ProcessorCount), bytes.Length / partBytes);
        if (parts <= 1)
        {
            if (plain)
            {
                return Part(headerEnd, bytes.Length, 1, bytes.AsSpan(headerEnd).Count((byte)'\n'));
            }

            var rows = new List<(T Value, long Line)>();
            ReadRows(parser, file, 0, map, columns, ids, parse, rows);
            return rows;
        }

        var cuts = new int[parts + 1];
        cuts[0] = headerEnd;
        cuts[parts] = bytes.Length;
        for (var k = 1; k < parts; k++)
        {
            var target = Math.Max(cuts[k - 1], headerEnd + (int)((long)(bytes.Length - headerEnd) * k / parts));
            var newline = bytes.AsSpan(target).IndexOf((byte)'\n');
            cuts[k] = newline < 0 ? bytes.Length : target + newline + 1;
        }

        var reads = new Task<List<(T Value, long Line)>>[parts];
        long lines = 1; // the header's
        for (var k = 0; k < parts; k++)
        {
            var (from, to, before) = (cuts[k], cuts[k + 1], lines);
            var lineEnds = bytes.AsSpan(from, to - from).Count((byte)'\n');
            reads[k] = Task.Run(() => Part(from, to, before, lineEnds));
            lines += lineEnds;
        }

        // The first part with an error is the one reported, as a single read would have.
        var result = new List<(T Value, long Line)>((int)Math.Min(int.MaxValue, lines));
        foreach (var read in reads)
        {
            try
            {
                read.Wait();
            }
            catch (AggregateException)
            {
                // Rethrown below, in part order.
            }
        }

        foreach (var read in reads)
        {
            result.AddRange(read.GetAwaiter().GetResult());
        }

        return result;
    }

    /// <summary>The smallest part of a file worth a core of its own (4 MiB).</summary>
    public const int PartBytes = 4 << 20;

    /// <summary>Whether every carriage return in the bytes ends a line (is followed by a line feed).</summary>
    private static bool OnlyCrLf(byte[] bytes)
    {
        var at = 0;
        while (bytes.AsSpan(at).IndexOf((byte)'\r') is var next and >= 0)
        {
            at += next + 1;
            if (at >= bytes.Length || bytes[at] != '\n')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses the lines of a plain part (no quotes; lines end in \n or \r\n) into the list as the general parser would:
    /// an empty line is skipped, a comma ends a field, nothing is trimmed.
    /// </summary>
    private static void ReadPlainRows<T>(byte[] bytes, int from, int to, string file, long linesBefore, int[] map, string[] columns, ConcurrentDictionary<string, string> ids, Func<Row, T> parse, List<(T Value, long Line)> result)
    {
        // Fields stay bytes, [start, end) pairs in one array reused for every line: a row's numbers and dates are parsed
        // from them, and only the text a record keeps becomes a string.
        var bounds = new int[64];
        var line = linesBefore;
        var at = from;
        while (at < to)
        {
            var length = bytes.AsSpan(at, to - at).IndexOf((byte)'\n');
            var (start, end) = (at, length < 0 ? to : at + length);
            at = length < 0 ? to : end + 1;
            if (end > start && bytes[end - 1] == '\r')
            {
                end--;
            }

            line++;
            if (end == start)
            {
                continue;
            }

            var count = bytes.AsSpan(start, end - start).Count((byte)',') + 1;
            if (bounds.Length < 2 * count)
            {
                bounds = new int[4 * count];
            }

            for (var f = 0; f < count; f++)
            {
                var comma = bytes.AsSpan(start, end - start).IndexOf((byte)',');
                var fieldEnd = comma < 0 ? end : start + comma;
                (bounds[2 * f], bounds[(2 * f) + 1]) = (start, fieldEnd);
                start = fieldEnd + 1;
            }

            Add(file, new Row(file, line, bytes, bounds, count, map, columns, ids), parse, result);
        }
    }

    /// <summary>Parses a parser's rows into the list; <paramref name="linesBefore"/> is the number of lines of the file before the parser's text.</summary>
    private static void ReadRows<T>(CsvParser parser, string file, long linesBefore, int[] map, string[] columns, ConcurrentDictionary<string, string> ids, Func<Row, T> parse, List<(T Value, long Line)> result)
    {
        while (parser.Read())
        {
            // RawRow is the record's last physical line; a quoted field may span lines, so count back to its first
            // (only then: the raw record is a new string per row, and almost no row has a line break in a field).
            var fields = parser.Record ?? [];
            var inner = Array.Exists(fields, f => f.Contains('\n', StringComparison.Ordinal)) ? parser.RawRecord.AsSpan().TrimEnd("\r\n").Count('\n') : 0;
            Add(file, new Row(file, linesBefore + parser.RawRow - inner, fields, map, columns, ids), parse, result);
        }
    }

    /// <summary>Parses a row into the list, a domain rule the constructors enforce (a blank id, an impossible count) reported at the row.</summary>
    private static void Add<T>(string file, Row row, Func<Row, T> parse, List<(T Value, long Line)> result)
    {
        try
        {
            result.Add((parse(row), row.Line));
        }
        catch (ArgumentException ex) when (ex is not null)
        {
            throw new DataFormatException(file, row.Line, row.ColumnOf(ex.ParamName), FirstSentence(ex.Message));
        }
    }

    /// <summary>
    /// Refuses a file that is not UTF-8, at the line and column of its first bad byte (decoding it leniently would turn
    /// different bytes into the same replacement character, and so two different ids into one customer), and a file
    /// whose last quoted field is never closed, at the quote that opened it (it would swallow the rest of the file
    /// into one field).
    /// </summary>
    /// <returns>Whether the file has a quote anywhere.</returns>
    private static bool Scan(byte[] whole, string file)
    {
        // The common case in two vectorised passes: valid UTF-8 without a quote has nothing to report.
        if (System.Text.Unicode.Utf8.IsValid(whole) && whole.AsSpan().IndexOf((byte)'"') < 0)
        {
            return false;
        }

        var quoted = false;
        using var stream = new MemoryStream(whole, writable: false);
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        var carried = 0;
        long line = 1;
        var column = 1;
        var state = Field.Start;
        (long Line, int Column) opened = default;
        while (true)
        {
            var read = stream.Read(bytes, carried, bytes.Length - carried);
            var length = carried + read;
            var final = read == 0;
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(0, length), chars, out var consumed, out var written, replaceInvalidSequences: false, isFinalBlock: final);
            foreach (var ch in chars.AsSpan(0, written))
            {
                if (ch == '"')
                {
                    quoted = true;
                    if (state == Field.Start)
                    {
                        opened = (line, column);
                    }
                }

                state = (state, ch) switch
                {
                    (Field.Start, '"') => Field.Quoted,
                    (Field.Quoted, '"') => Field.QuoteInQuoted,
                    (Field.Quoted, _) => Field.Quoted,
                    (Field.QuoteInQuoted, '"') => Field.Quoted,
                    (_, ',' or '\n') => Field.Start,
                    (_, '\r') => state,
                    _ => Field.Plain,
                };
                (line, column) = ch == '\n' ? (line + 1, 1) : (line, column + 1);
            }

            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                throw new DataFormatException(file, line, column, string.Create(CultureInfo.InvariantCulture, $"the file is not UTF-8 (byte 0x{bytes[consumed]:X2} here); save it as UTF-8"));
            }

            if (final)
            {
                if (state == Field.Quoted)
                {
                    throw new DataFormatException(file, opened.Line, opened.Column, "the quoted field opened here is never closed; a field that starts with \" ends with \" (and a \" inside it is written \"\")");
                }

                return quoted;
            }

            carried = length - consumed;
            bytes.AsSpan(consumed, carried).CopyTo(bytes);
        }
    }

    /// <summary>Where the scan is in a field (RFC 4180): at its start, in an unquoted one, in a quoted one, or just after a quote inside one.</summary>
    private enum Field
    {
        Start,
        Plain,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The message's first sentence, without .NET's "(Parameter 'x')" suffix.</summary>
    internal static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).TrimEnd('.');
    }

    /// <summary>
    /// One data row with its position, and typed field access that reports errors at the field. A row of the general
    /// parser holds its fields as strings; a row of a plain file holds the file's bytes and each field's bounds, and a
    /// short ASCII field is parsed from a stack copy of its characters, so numbers and dates cost no string. Whatever
    /// that quick path does not accept (an empty, non-ASCII, long or invalid field) goes through the string path, which
    /// gives the same values and the same errors as the general parser's rows.
    /// </summary>
    private readonly struct Row
    {
        private const int ShortField = 64;

        private readonly string _file;
        private readonly string[]? _fields;
        private readonly byte[]? _bytes;
        private readonly int[]? _bounds;
        private readonly int _count;
        private readonly int[] _map;
        private readonly string[] _columns;
        private readonly ConcurrentDictionary<string, string> _ids;

        /// <summary>A row of the general parser.</summary>
        public Row(string file, long line, string[] fields, int[] map, string[] columns, ConcurrentDictionary<string, string> ids)
        {
            (_file, Line, _fields, _count, _map, _columns, _ids) = (file, line, fields, fields.Length, map, columns, ids);
            (_bytes, _bounds) = (null, null);
        }

        /// <summary>A row of a plain file: field f is bytes[bounds[2f]..bounds[2f + 1]], for f below count.</summary>
        public Row(string file, long line, byte[] bytes, int[] bounds, int count, int[] map, string[] columns, ConcurrentDictionary<string, string> ids)
        {
            (_file, Line, _bytes, _bounds, _count, _map, _columns, _ids) = (file, line, bytes, bounds, count, map, columns, ids);
            _fields = null;
        }

        public long Line { get; }

        public DataFormatException Error(int column, string reason) => new(_file, Line, _map[column] + 1, reason);

        public int ColumnOf(string? paramName)
        {
            if (paramName is not null)
            {
                var snake = ToSnake(paramName);
                for (var c = 0; c < _columns.Length; c++)
                {
                    if (_columns[c] == snake || _columns[c].Replace("_id", string.Empty, StringComparison.Ordinal) == snake)
                    {
                        return _map[c] + 1;
                    }
                }
            }

            return 1;
        }

        public string Raw(int column)
        {
            var index = _map[column];
            if (index >= _count)
            {
                throw new DataFormatException(_file, Line, index + 1, $"the row has {_count} fields; '{_columns[column]}' is missing");
            }

            if (_fields is not null)
            {
                return _fields[index];
            }

            var (start, end) = (_bounds![2 * index], _bounds[(2 * index) + 1]);
            return end == start ? string.Empty : Utf8.GetString(_bytes!, start, end - start);
        }

        public string Text(int column)
        {
            var value = Raw(column);
            return string.IsNullOrWhiteSpace(value) ? throw Error(column, $"{_columns[column]} must not be empty") : value;
        }

        public string? Optional(int column)
        {
            var value = Raw(column);
            return value.Length == 0 ? null : value;
        }

        public CustomerId Id(int column)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && _ids.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var known))
            {
                return new(known);
            }

            var text = Text(column);
            return new(_ids.GetOrAdd(text, text));
        }

        public LocalDate Date(int column)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && IsoDate(chars) is { } quick)
            {
                return quick;
            }

            var text = Text(column);
            if (IsoDate(text) is { } date)
            {
                return date; // the common, well-formed case without the pattern's allocations
            }

            var result = CsvFiles.Date.Parse(text);
            return result.Success ? result.Value : throw Error(column, $"{_columns[column]} must be an ISO date (yyyy-MM-dd); got '{Raw(column)}'");
        }

        public YearMonth Month(int column)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && IsoMonth(chars) is { } quick)
            {
                return quick;
            }

            var text = Text(column);
            if (IsoMonth(text) is { } month)
            {
                return month;
            }

            var result = CsvFiles.Month.Parse(text);
            return result.Success ? result.Value : throw Error(column, $"{_columns[column]} must be an ISO month (yyyy-MM); got '{Raw(column)}'");
        }

        public int Int(int column, int min = 0, int max = int.MaxValue)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && int.TryParse(chars, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quick) && quick >= min && quick <= max)
            {
                return quick;
            }

            var raw = Text(column);
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw Error(column, $"{_columns[column]} must be a whole number; got '{raw}'");
            }

            return value < min || value > max ? throw Error(column, $"{_columns[column]} must be between {min} and {max}; got {value}") : value;
        }

        public int? OptionalInt(int column, int min, int max) => IsEmpty(column) ? null : Int(column, min, max);

        public double Double(int column, double min, double max)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && double.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out var quick) && double.IsFinite(quick) && quick >= min && quick <= max)
            {
                return quick;
            }

            var raw = Text(column);
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw Error(column, $"{_columns[column]} must be a number with a '.' decimal point; got '{raw}'");
            }

            return value < min || value > max ? throw Error(column, $"{_columns[column]} must be between {min} and {max}; got {raw}") : value;
        }

        public double? OptionalDouble(int column, double min, double max) => IsEmpty(column) ? null : Double(column, min, max);

        public decimal Decimal(int column)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && decimal.TryParse(chars, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quick) && quick >= 0m && quick <= MaxAmount)
            {
                return quick;
            }

            var raw = Text(column);
            if (!decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw Error(column, $"{_columns[column]} must be a decimal number with a '.' decimal point; got '{raw}'");
            }

            return value < 0m ? throw Error(column, $"{_columns[column]} must not be negative; got {raw}")
                : value > MaxAmount ? throw Error(column, $"{_columns[column]} must be at most {MaxAmount:N0}; got {raw}")
                : value;
        }

        public Currency Currency(int column)
        {
            var raw = Text(column);
            try
            {
                return new Currency(raw);
            }
            catch (ArgumentException)
            {
                throw Error(column, $"{_columns[column]} must be an active ISO 4217 code such as USD; got '{raw}'");
            }
        }

        public bool Bool(int column)
        {
            Span<char> buffer = stackalloc char[ShortField];
            if (Chars(column, buffer, out var chars) && Boolean(chars) is { } quick)
            {
                return quick;
            }

            var raw = Text(column);
            return Boolean(raw) ?? throw Error(column, $"{_columns[column]} must be true or false; got '{raw}'");
        }

        private static bool? Boolean(ReadOnlySpan<char> text) => text switch
        {
            "true" or "TRUE" or "True" or "1" => true,
            "false" or "FALSE" or "False" or "0" => false,
            _ => null,
        };

        /// <summary>Whether a field is empty; a missing column is reported as <see cref="Raw"/> reports it.</summary>
        private bool IsEmpty(int column)
        {
            var index = _map[column];
            return _bounds is null || index >= _count ? Raw(column).Length == 0 : _bounds[2 * index] == _bounds[(2 * index) + 1];
        }

        /// <summary>
        /// A plain row's field as characters in the buffer, when it is there, short, ASCII and not blank (what the quick
        /// paths accept); false otherwise, and the caller takes the string path.
        /// </summary>
        private bool Chars(int column, Span<char> buffer, out ReadOnlySpan<char> chars)
        {
            chars = default;
            var index = _map[column];
            if (_bounds is null || index >= _count)
            {
                return false;
            }

            var field = _bytes.AsSpan(_bounds[2 * index], _bounds[(2 * index) + 1] - _bounds[2 * index]);
            if (field.Length > buffer.Length || System.Text.Ascii.ToUtf16(field, buffer, out var written) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            chars = buffer[..written];
            return !chars.IsWhiteSpace();
        }

        /// <summary>The date of well-formed yyyy-MM-dd text, without the pattern's allocations; null for anything else.</summary>
        private static LocalDate? IsoDate(ReadOnlySpan<char> text) =>
            text.Length == 10 && text[4] == '-' && text[7] == '-' && Digits(text, 0, 4) is var y and > 0 && Digits(text, 5, 2) is var m and >= 1 and <= 12
                && Digits(text, 8, 2) is var d && d >= 1 && d <= CalendarSystem.Iso.GetDaysInMonth(y, m)
                ? new LocalDate(y, m, d)
                : null;

        /// <summary>The month of well-formed yyyy-MM text; null for anything else.</summary>
        private static YearMonth? IsoMonth(ReadOnlySpan<char> text) =>
            text.Length == 7 && text[4] == '-' && Digits(text, 0, 4) is var y and > 0 && Digits(text, 5, 2) is var m and >= 1 and <= 12
                ? new YearMonth(y, m)
                : null;

        /// <summary>The number the ASCII digits at text[start..start+count] spell, or -1 if any is not a digit.</summary>
        private static int Digits(ReadOnlySpan<char> text, int start, int count)
        {
            var value = 0;
            for (var i = start; i < start + count; i++)
            {
                var digit = text[i] - '0';
                if ((uint)digit > 9)
                {
                    return -1;
                }

                value = (value * 10) + digit;
            }

            return value;
        }

        private static string ToSnake(string name)
        {
            var builder = new StringBuilder();
            foreach (var ch in name)
            {
                if (char.IsUpper(ch) && builder.Length > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(ch));
            }

            return builder.ToString();
        }
    }
}
