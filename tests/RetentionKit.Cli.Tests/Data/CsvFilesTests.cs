using System;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Data;

public sealed class CsvFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DataSet Sample(int customers = 300, int seed = 3) =>
        DataSet.From(CustomerBaseSimulator.Run(new SimulationSettings(customers, 12, seed, new LocalDate(2024, 1, 1))));

    [Fact]
    public void WriteThenRead_SimulatedData_SameRecords()
    {
        var data = Sample();
        CsvFiles.Write(data, _dir);
        var read = CsvFiles.Read(_dir);
        Assert.Equal(data.Customers, read.Customers);
        Assert.Equal(data.Events, read.Events);
        Assert.Equal(data.Activity, read.Activity);
        Assert.Equal(data.Feedback, read.Feedback);
        Assert.Equal(data.Churns, read.Churns);
        Assert.NotEmpty(data.Transactions);
        Assert.Equal(data.Transactions, read.Transactions);
    }

    [Theory]
    [InlineData(1 << 10)]
    [InlineData(16 << 10)]
    public void Read_FilesCutIntoParts_SameRecordsInFileOrder_AsReadWhole(int partBytes)
    {
        var data = Sample();
        CsvFiles.Write(data, _dir);
        var whole = CsvFiles.Read(_dir, partBytes: int.MaxValue);
        var parts = CsvFiles.Read(_dir, partBytes: partBytes);
        Assert.True(new FileInfo(Path.Combine(_dir, CsvFiles.ActivityFile)).Length > 4 * partBytes);
        AssertSameRows(whole, parts);
        Assert.Equal(data.Activity, parts.Activity);
    }

    [Theory]
    [InlineData("\n", false, false)]
    [InlineData("\r\n", false, false)]
    [InlineData("\n", true, false)]
    [InlineData("\r\n", true, true)]
    public void Read_PlainFilesSplitDirectly_SameAsTheGeneralParser(string newline, bool blankLines, bool noFinalNewline)
    {
        CsvFiles.Write(Sample(), _dir);
        foreach (var path in Directory.GetFiles(_dir, "*.csv"))
        {
            var lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
            var text = string.Join(newline, blankLines ? lines.SelectMany((l, i) => i % 7 == 3 ? new[] { l, string.Empty } : [l]) : lines);
            File.WriteAllText(path, noFinalNewline ? text : text + newline);
        }

        var general = CsvFiles.Read(_dir, fastParser: false);
        foreach (var partBytes in new[] { int.MaxValue, 1 << 10 })
        {
            AssertSameRows(general, CsvFiles.Read(_dir, partBytes: partBytes));
        }
    }

    /// <summary>Every file's rows, in order, and the warnings, of two reads of the same files.</summary>
    private static void AssertSameRows(DataSet expected, DataSet actual)
    {
        Assert.Equal(expected.Customers, actual.Customers);
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.Activity, actual.Activity);
        Assert.Equal(expected.Feedback, actual.Feedback);
        Assert.Equal(expected.Churns, actual.Churns);
        Assert.Equal(expected.Transactions, actual.Transactions);
        Assert.Equal(expected.Warnings, actual.Warnings);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Read_AMalformedRowOfAPlainFile_SameErrorAsTheGeneralParser(string newline)
    {
        CsvFiles.Write(Sample(), _dir);
        var path = Path.Combine(_dir, CsvFiles.ActivityFile);
        var lines = File.ReadAllText(path).TrimEnd('\n').Split('\n').ToList();
        lines.Insert(40, string.Empty);
        lines[77] = string.Join(",", lines[77].Split(',').Take(9)); // a row cut short
        File.WriteAllText(path, string.Join(newline, lines) + newline);

        var general = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir, fastParser: false));
        var plain = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));

        Assert.Equal(general.Message, plain.Message);
        Assert.Equal(78, plain.Line);
    }

    // A plain file's numbers, dates, flags and ids are parsed from its bytes, and only what that quick path does not
    // accept goes through strings: every odd field must give the general parser's value or its error, word for word.
    [Theory]
    [InlineData(CsvFiles.ActivityFile, 0, "C00000\u00e9")] // an id never seen: non-ASCII
    [InlineData(CsvFiles.ActivityFile, 1, "2024-13")]
    [InlineData(CsvFiles.ActivityFile, 1, "2024-1")]
    [InlineData(CsvFiles.ActivityFile, 1, " 2024-01")]
    [InlineData(CsvFiles.ActivityFile, 2, "")]
    [InlineData(CsvFiles.ActivityFile, 2, " ")]
    [InlineData(CsvFiles.ActivityFile, 2, "-1")]
    [InlineData(CsvFiles.ActivityFile, 2, "+7")]
    [InlineData(CsvFiles.ActivityFile, 2, " 7")]
    [InlineData(CsvFiles.ActivityFile, 2, "99999999999")]
    [InlineData(CsvFiles.ActivityFile, 2, "\u0667")] // an Arabic-Indic digit
    [InlineData(CsvFiles.ActivityFile, 2, "0000000000000000000000000000000000000000000000000000000000000000000000007")] // longer than the quick path takes
    [InlineData(CsvFiles.ActivityFile, 4, "1e400")]
    [InlineData(CsvFiles.ActivityFile, 4, "NaN")]
    [InlineData(CsvFiles.ActivityFile, 4, "0,5")]
    [InlineData(CsvFiles.ActivityFile, 4, "1.5")]
    [InlineData(CsvFiles.ActivityFile, 4, ".25")]
    [InlineData(CsvFiles.ActivityFile, 12, "TRUE")]
    [InlineData(CsvFiles.ActivityFile, 12, "yes")]
    [InlineData(CsvFiles.ActivityFile, 12, "1")]
    [InlineData(CsvFiles.TransactionsFile, 1, "2024-02-30")]
    [InlineData(CsvFiles.TransactionsFile, 1, "2024-2-3")]
    [InlineData(CsvFiles.TransactionsFile, 2, "-0.01")]
    [InlineData(CsvFiles.TransactionsFile, 2, "79228162514264337593543950335")]
    [InlineData(CsvFiles.TransactionsFile, 2, "12.345")]
    [InlineData(CsvFiles.TransactionsFile, 2, "1e3")]
    public void Read_AnOddFieldOfAPlainFile_SameValueOrErrorAsTheGeneralParser(string file, int field, string value)
    {
        CsvFiles.Write(Sample(), _dir);
        var path = Path.Combine(_dir, file);
        var lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
        var fields = lines[5].Split(',');
        fields[field] = value;
        lines[5] = string.Join(",", fields);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var general = Record.Exception(() => CsvFiles.Read(_dir, fastParser: false));
        var plain = Record.Exception(() => CsvFiles.Read(_dir));

        Assert.Equal(general?.GetType(), plain?.GetType());
        Assert.Equal(general?.Message, plain?.Message);
        if (general is null)
        {
            AssertSameRows(CsvFiles.Read(_dir, fastParser: false), CsvFiles.Read(_dir));
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.55)]
    [InlineData(0.97)]
    public void Read_AnErrorInALaterPartOfAFile_IsAtItsLineOfTheWholeFile(double where)
    {
        CsvFiles.Write(Sample(), _dir);
        var path = Path.Combine(_dir, CsvFiles.ActivityFile);
        var lines = File.ReadAllLines(path);
        var bad = (int)(where * (lines.Length - 1)) + 1;
        lines[bad] = lines[bad].Replace(",", ",x", StringComparison.Ordinal); // every field after the first is then not a number
        File.WriteAllText(path, string.Join("\n", lines) + "\n");

        var whole = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir, partBytes: int.MaxValue));
        var parts = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir, partBytes: 1 << 10));

        Assert.Equal((CsvFiles.ActivityFile, (long)bad + 1), (whole.File, whole.Line));
        Assert.Equal(whole.Message, parts.Message);
    }

    [Fact]
    public void Write_SameData_ByteIdenticalFiles()
    {
        CsvFiles.Write(Sample(), _dir);
        var other = Path.Combine(_dir, "again");
        CsvFiles.Write(Sample(), other);
        foreach (var file in new[] { CsvFiles.CustomersFile, CsvFiles.EventsFile, CsvFiles.ActivityFile, CsvFiles.FeedbackFile, CsvFiles.ChurnTruthFile, CsvFiles.TransactionsFile })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, file)), File.ReadAllBytes(Path.Combine(other, file)));
        }
    }

    [Fact]
    public void Write_UsesInvariantNumbersIsoDatesAndNoBom()
    {
        CsvFiles.Write(Sample(20), _dir);
        var bytes = File.ReadAllBytes(Path.Combine(_dir, CsvFiles.EventsFile));
        Assert.NotEqual(0xEF, bytes[0]);
        var lines = File.ReadAllLines(Path.Combine(_dir, CsvFiles.EventsFile));
        Assert.Equal("event_id,customer_id,type,effective_date,plan,amount,currency,interval_months,discount,reason", lines[0]);
        Assert.Matches(@"^C\d{6}-\d{3},C\d{6},change,\d{4}-\d{2}-\d{2},\w+,\d+(\.\d+)?,USD,(1|12),[0-9.]+,$", lines[1]);
    }

    private void WriteEvents(string text) => File.WriteAllText(Path.Combine(_dir, CsvFiles.EventsFile), text);

    private const string Header = "event_id,customer_id,type,effective_date,plan,amount,currency,interval_months,discount,reason\n";

    [Theory]
    [InlineData("e1,c1,change,2024-13-01,pro,10,USD,1,0,\n", 2, 4, "effective_date must be an ISO date (yyyy-MM-dd); got '2024-13-01'")]
    [InlineData("e1,c1,change,2024-01-01,pro,10;5,USD,1,0,\n", 2, 6, "amount must be a decimal number with a '.' decimal point; got '10;5'")]
    [InlineData("e1,c1,change,2024-01-01,pro,-10,USD,1,0,\n", 2, 6, "amount must not be negative; got -10")]
    [InlineData("e1,c1,change,2024-01-01,pro,79228162514264337593543950335,USD,1,0,\n", 2, 6, "amount must be at most 1,000,000,000,000; got 79228162514264337593543950335")]
    [InlineData("e1,c1,change,2024-01-01,pro,10,US,1,0,\n", 2, 7, "currency must be an active ISO 4217 code such as USD; got 'US'")]
    [InlineData("e1,c1,change,2024-01-01,pro,10,XYZ,1,0,\n", 2, 7, "currency must be an active ISO 4217 code such as USD; got 'XYZ'")]
    [InlineData("e1,c1,change,2024-01-01,pro,10,USD,0,0,\n", 2, 8, "interval_months must be between 1 and 120; got 0")]
    [InlineData("e1,c1,change,2024-01-01,pro,10,USD,1,1.5,\n", 2, 9, "discount must be between 0 and 1; got 1.5")]
    [InlineData("e1,c1,upgrade,2024-01-01,pro,10,USD,1,0,\n", 2, 3, "type must be change, cancellation or reactivation; got 'upgrade'")]
    [InlineData("e1,,change,2024-01-01,pro,10,USD,1,0,\n", 2, 2, "customer_id must not be empty")]
    [InlineData("e1,c1,change,2024-01-01,pro\n", 2, 6, "the row has 5 fields; 'amount' is missing")]
    [InlineData("e1,c1,change,2024-01-01,pro,10,USD,1,0,\ne2,c1,cancellation,2024-02-30,,,,,,price\n", 3, 4, "effective_date must be an ISO date (yyyy-MM-dd); got '2024-02-30'")]
    public void Read_MalformedEvent_NamesFileLineColumnAndReason(string body, int line, int column, string reason)
    {
        WriteEvents(Header + body);
        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));
        Assert.Equal((CsvFiles.EventsFile, (long)line, column, reason), (ex.File, ex.Line, ex.Column, ex.Reason));
        Assert.Equal($"{CsvFiles.EventsFile}:{line}:{column}: {reason}", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xE9 }, 3, 7)] // é in Latin-1
    [InlineData(new byte[] { 0xC3 }, 3, 7)] // a sequence cut short by the next byte
    [InlineData(new byte[] { 0xFF, 0xFE }, 3, 7)]
    public void Read_BytesThatAreNotUtf8_AreRefusedAtTheirLineAndColumn(byte[] bad, int line, int column)
    {
        // Regression: bad bytes were replaced, so "caf\xE9" and "caf\xE8" became the same customer.
        var head = Encoding.UTF8.GetBytes(Header + "e1,c1,change,2024-01-01,pro,10,USD,1,0,\ne2,caf");
        var tail = Encoding.UTF8.GetBytes(",change,2024-01-01,pro,10,USD,1,0,\n");
        File.WriteAllBytes(Path.Combine(_dir, CsvFiles.EventsFile), [.. head, .. bad, .. tail]);

        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));

        Assert.Equal((CsvFiles.EventsFile, (long)line, column), (ex.File, ex.Line, ex.Column));
        Assert.Equal($"the file is not UTF-8 (byte 0x{bad[0]:X2} here); save it as UTF-8", ex.Reason);
    }

    [Fact]
    public void Read_Utf8BeyondAsciiAcrossBufferBoundaries_IsAccepted()
    {
        // Multi-byte characters straddling the reader's 64 KiB blocks are not errors.
        var rows = string.Concat(Enumerable.Range(0, 6000).Select(i => $"e{i},клиент-ü-{i},change,2024-01-01,pro,10,USD,1,0,\n"));
        File.WriteAllText(Path.Combine(_dir, CsvFiles.EventsFile), Header + rows, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var data = CsvFiles.Read(_dir);

        Assert.Equal(6000, data.Events.Count);
        Assert.Equal("клиент-ü-5999", data.Events[^1].Customer.Value);
    }

    private const string Start = "e1,c1,change,2024-01-01,pro,10,USD,1,0,\n";

    [Fact]
    public void Read_AnEventIdUsedAgainWithOtherValues_IsAnErrorNamingBothLines()
    {
        WriteEvents(Header + Start + "e2,c1,change,2024-02-01,pro,20,USD,1,0,\ne1,c1,change,2024-01-01,pro,12,USD,1,0,\n");

        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));

        Assert.Equal($"{CsvFiles.EventsFile}:4:1: event_id 'e1' of customer c1 is used again with different values; first on line 2", ex.Message);
    }

    [Fact]
    public void Read_AnIdenticalEventRow_IsCountedOnce_WithAWarning()
    {
        WriteEvents(Header + Start + Start);

        var data = CsvFiles.Read(_dir);

        Assert.Single(data.Events);
        Assert.Equal([$"{CsvFiles.EventsFile}:3: a duplicate of line 2 (event e1); counted once"], data.Warnings);
    }

    [Theory]
    [InlineData(null, "e2,c2,change,2024-01-01,pro,10,EUR,1,0,\n", "subscription_events.csv:3:7: currency must be USD, as on line 2: all amounts are in one currency; got EUR")]
    [InlineData("GBP", "", "subscription_events.csv:2:7: currency must be GBP, the report's currency (RetentionKit:Report:Currency); got USD")]
    public void Read_AnAmountInAnotherCurrency_IsAnErrorAtItsField(string? currency, string more, string message)
    {
        WriteEvents(Header + Start + more);

        Assert.Equal(message, Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir, currency)).Message);
    }

    [Fact]
    public void Read_TwoChangesOfACustomerOnOneDay_KeepsBoth_WithAWarning()
    {
        WriteEvents(Header + Start + "e2,c1,change,2024-01-01,max,30,USD,1,0,\n");

        var data = CsvFiles.Read(_dir);

        Assert.Equal(2, data.Events.Count);
        Assert.Equal([$"{CsvFiles.EventsFile}:3: a second change of c1 on 2024-01-01 (the first on line 2); the later line wins"], data.Warnings);
    }

    [Fact]
    public void Read_ACustomerListedTwice_IsAnError()
    {
        WriteEvents(Header + Start);
        File.WriteAllText(Path.Combine(_dir, CsvFiles.CustomersFile), "customer_id,signup_date,industry,seats\nc1,2024-01-01,retail,2\nc1,2024-01-01,retail,3\n");

        // Regression: "An item with the same key has already been added. Key: c1".
        Assert.Equal($"{CsvFiles.CustomersFile}:3:1: customer_id 'c1' appears twice; first on line 2", Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir)).Message);
    }

    [Fact]
    public void Read_ASignUpAfterTheFirstEvent_IsKept_WithAWarning()
    {
        WriteEvents(Header + Start);
        File.WriteAllText(Path.Combine(_dir, CsvFiles.CustomersFile), "customer_id,signup_date,industry,seats\nc1,2024-01-09,retail,2\n");

        var data = CsvFiles.Read(_dir);

        Assert.Equal(new LocalDate(2024, 1, 9), data.Customers[0].SignupDate);
        Assert.Equal([$"{CsvFiles.CustomersFile}:2: signup_date 2024-01-09 of c1 is after their first subscription event (2024-01-01, {CsvFiles.EventsFile}:2); the events are taken as they are"], data.Warnings);
    }

    [Fact]
    public void Read_ActivityAndFeedbackOfUnknownCustomers_AreLeftOut_WithAWarningEach()
    {
        WriteEvents(Header + Start);
        File.WriteAllText(Path.Combine(_dir, CsvFiles.FeedbackFile), "customer_id,date,nps,satisfaction,comment\nc1,2024-01-05,9,,\nghost,2024-01-06,3,,\nghost,2024-01-07,4,,\n");

        var data = CsvFiles.Read(_dir);

        Assert.Equal([new CustomerId("c1")], data.Feedback.Select(f => f.Customer));
        Assert.Equal([$"{CsvFiles.FeedbackFile}: 2 rows of customers without subscription events (the first on line 3, ghost) left out"], data.Warnings);
    }

    [Theory]
    [InlineData("c1,2024-01-05,9,,\"never closed\n", 3, 18)]
    [InlineData("c1,2024-01-05,9,,\"two\nlines, \"\"quoted\"\" and never closed\n", 3, 18)]
    public void Read_AnUnterminatedQuote_IsAnErrorWhereItOpened(string row, int line, int column)
    {
        // Regression: the quote swallowed the rest of the file into one field, silently.
        WriteEvents(Header + Start);
        File.WriteAllText(Path.Combine(_dir, CsvFiles.FeedbackFile), "customer_id,date,nps,satisfaction,comment\nc1,2024-01-04,9,,fine\n" + row);

        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));

        Assert.Equal((CsvFiles.FeedbackFile, (long)line, column), (ex.File, ex.Line, ex.Column));
        Assert.StartsWith("the quoted field opened here is never closed", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuotedFieldsWithEscapedQuotesAndCommas_AreAccepted()
    {
        WriteEvents(Header + Start);
        File.WriteAllText(Path.Combine(_dir, CsvFiles.FeedbackFile), "customer_id,date,nps,satisfaction,comment\nc1,2024-01-04,9,,\"a \"\"quoted\"\" word, and more\"\n");

        Assert.Equal("a \"quoted\" word, and more", CsvFiles.Read(_dir).Feedback[0].Comment);
    }

    [Fact]
    public void Read_AnErrorInARowWhoseFieldSpansLines_IsReportedAtTheRowsFirstLine()
    {
        File.WriteAllText(Path.Combine(_dir, CsvFiles.FeedbackFile), "customer_id,date,nps,satisfaction,comment\nc1,2024-01-04,9,,fine\nc1,2024-01-05,11,,\"three\nphysical\nlines\"\n");
        WriteEvents(Header);

        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));

        Assert.Equal((CsvFiles.FeedbackFile, 3L, 3), (ex.File, ex.Line, ex.Column));
    }

    [Fact]
    public void Read_MultiLineQuotedField_LinesCountedPhysically()
    {
        File.WriteAllText(Path.Combine(_dir, CsvFiles.FeedbackFile), "customer_id,date,nps,satisfaction,comment\nc1,2024-01-05,9,,\"two\nlines, and a comma\"\nc2,2024-01-06,11,,\n");
        WriteEvents(Header);
        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));
        Assert.Equal((CsvFiles.FeedbackFile, 4L, 3), (ex.File, ex.Line, ex.Column));
        Assert.Equal("nps must be between 0 and 10; got 11", ex.Reason);
    }

    [Fact]
    public void Read_MissingHeaderColumn_IsReportedOnLineOne()
    {
        WriteEvents("event_id,customer_id,type,effective_date\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));
        Assert.Equal(1, ex.Line);
        Assert.StartsWith("the header has no 'plan' column", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingEventsFile_IsReported()
    {
        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));
        Assert.Equal("the file is missing; it is required", ex.Reason);
        Assert.Throws<DirectoryNotFoundException>(() => CsvFiles.Read(Path.Combine(_dir, "nope")));
    }

    [Fact]
    public void Read_DomainRuleBroken_ReportedAtTheRow()
    {
        File.WriteAllText(Path.Combine(_dir, CsvFiles.ActivityFile),
            "customer_id,month,logins,baseline_logins,feature_share,emails_sent,emails_opened,support_tickets,negative_tickets,days_payment_late,competitor_visits,alternative_searches,competitor_trial,contract_review,negative_social_mentions,usage_of_limit\n"
            + "c1,2024-01,3,4,0.5,2,3,0,0,0,0,0,false,false,0,0.5\n");
        WriteEvents(Header);
        var ex = Assert.Throws<DataFormatException>(() => CsvFiles.Read(_dir));
        Assert.Equal((2L, 7, "emails_opened (3) must not exceed emails_sent (2)"), (ex.Line, ex.Column, ex.Reason));
    }

    [Fact]
    public void Read_ColumnsInAnyOrderAndExtraColumns_Accepted()
    {
        WriteEvents("note,customer_id,event_id,type,effective_date,plan,amount,currency,interval_months,discount,reason\nhello,c1,e1,change,2024-01-01,pro,10.50,usd,12,0.1,\n");
        var e = Assert.IsType<SubscriptionChange>(Assert.Single(CsvFiles.Read(_dir).Events));
        Assert.Equal((Money.Usd(10.50m), 12, 0.1), (e.Terms.Amount, e.Terms.Interval.Months, e.Terms.Discount.Fraction));
    }

    // Any text at all: reading either succeeds or fails with a DataFormatException, never anything else.
    [Property(MaxTest = 300)]
    public Property Read_ArbitraryText_FailsOnlyWithDataFormatException() =>
        Prop.ForAll(
            Gen.Elements("e1", "c1", "change", "cancellation", "reactivation", "2024-01-01", "pro", "10", "-1", "USD", "1", "0", "x", "", "\"", "\"a,b\"", "\n", ",", "1.5", "NaN", "12").ArrayOf().Select(string.Concat).ToArbitrary(),
            body =>
            {
                WriteEvents(Header + body);
                try
                {
                    CsvFiles.Read(_dir);
                }
                catch (DataFormatException)
                {
                }
            });

    private static Arbitrary<string> Texts() =>
        Gen.Elements("plain", "with,comma", "with \"quotes\"", "two\nlines", "ñandú ü", " padded ", "x").ToArbitrary();

    [Property(MaxTest = 50)]
    public Property WriteThenRead_AwkwardText_RoundTrips() =>
        Prop.ForAll(Texts(), Texts(), Gen.Choose(0, 10).ToArbitrary(), (id, comment, nps) =>
        {
            var customer = new CustomerId(id.Trim().Length == 0 ? "x" : id);
            var data = new DataSet(
                [new CustomerRecord(customer, new LocalDate(2024, 1, 2), comment, 3)],
                [new SubscriptionChange(id, customer, comment, Money.Usd(12.34m), BillingInterval.Quarterly, new LocalDate(2024, 1, 2), Rate.FromFraction(0.125)),
                 new Cancellation(id + "-2", customer, new LocalDate(2024, 3, 1), new ChurnReason(comment.Trim().Length == 0 ? "x" : comment))],
                [],
                [new FeedbackRecord(customer, new LocalDate(2024, 2, 1), nps, null, comment)],
                []);
            var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
            CsvFiles.Write(data, dir);
            var read = CsvFiles.Read(dir);
            return data.Customers.SequenceEqual(read.Customers) && data.Events.SequenceEqual(read.Events) && data.Feedback.SequenceEqual(read.Feedback);
        });
}
