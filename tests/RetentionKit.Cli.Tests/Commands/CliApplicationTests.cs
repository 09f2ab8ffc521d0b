using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using RetentionKit.Cli.Commands;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Report;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Commands;

// End-to-end: the commands run in-process on a small simulated base; their JSON is checked against what the Metrics
// package computes for the same data.
public sealed class CliApplicationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = new CliApplication(stdout, stderr, _dir, interactive: false).Run(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Simulates 600 customers over 18 months and analyses them with --json; the parsed output.</summary>
    private JsonDocument SimulateAndAnalyze(int seed)
    {
        Assert.Equal(0, Run("simulate", "--customers", "600", "--months", "18", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", "data").Code);
        var (code, stdout, _) = Run("analyze", "--data", "data", "--out", "report", "--json");
        Assert.Equal(0, code);
        return JsonDocument.Parse(stdout);
    }

    [Fact]
    public void Simulate_SameSeed_ByteIdenticalCsv()
    {
        Assert.Equal(0, Run("simulate", "--customers", "400", "--months", "12", "--seed", "5", "--out", "a").Code);
        Assert.Equal(0, Run("simulate", "--customers", "400", "--months", "12", "--seed", "5", "--out", "b").Code);
        foreach (var file in Directory.GetFiles(Path.Combine(_dir, "a")).Select(Path.GetFileName))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "a", file!)), File.ReadAllBytes(Path.Combine(_dir, "b", file!)));
        }

        Assert.Equal(6, Directory.GetFiles(Path.Combine(_dir, "a"), "*.csv").Length); // with transactions.csv
    }

    [Fact]
    public void Simulate_Json_OnlyJsonOnStdout()
    {
        var (code, stdout, stderr) = Run("simulate", "--customers", "200", "--months", "6", "--seed", "1", "--out", "s", "--json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("simulate", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("rows").GetProperty("customers").GetInt32());
    }

    [Fact]
    public void Analyze_Json_CustomerRecords_AddUpToTheLastMonth_AndEveryStageCountsTheSameCustomers()
    {
        using var json = SimulateAndAnalyze(seed: 4);
        var root = json.RootElement;
        var last = root.GetProperty("months").EnumerateArray().Last();
        var customers = root.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(last.GetProperty("endingCustomers").GetInt32(), customers.Count);
        // Each record's MRR is rounded to the cent; their sum is the ending MRR within half a cent a customer.
        Assert.InRange(Math.Abs(last.GetProperty("endingMrr").GetDecimal() - customers.Sum(c => c.GetProperty("mrr").GetDecimal())), 0m, 0.005m * customers.Count + 0.005m);
        Assert.Equal(customers.Count, root.GetProperty("loyalty").GetProperty("tiers").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32()));
        Assert.Equal(customers.Count, root.GetProperty("clv").GetProperty("customers").GetInt32());

        // Everyone scored today is a paying customer, with the same probability in the list and in their record.
        var scored = customers.Where(c => c.GetProperty("riskLevel").ValueKind != JsonValueKind.Null).ToList();
        var scoring = root.GetProperty("scoring");
        Assert.Equal(scoring.GetProperty("currentCustomers").GetInt32(), scored.Count);
        Assert.Equal(scored.Count, scoring.GetProperty("riskLevels").EnumerateObject().Sum(l => l.Value.GetInt32()));
        Assert.InRange(Math.Abs(scoring.GetProperty("mrr").GetDecimal() - scored.Sum(c => c.GetProperty("mrr").GetDecimal())), 0m, 0.005m * scored.Count);
        var byId = customers.ToDictionary(c => c.GetProperty("customer").GetString()!);
        foreach (var top in scoring.GetProperty("topAtRisk").EnumerateArray())
        {
            var record = byId[top.GetProperty("customer").GetString()!];
            Assert.Equal(top.GetProperty("churnProbability").GetDouble(), record.GetProperty("churnProbability").GetDouble());
            Assert.Equal(top.GetProperty("mrr").GetDecimal(), record.GetProperty("mrr").GetDecimal());
        }

        // A customer with a step due today has it as their next step.
        foreach (var action in root.GetProperty("playbooks").GetProperty("actions").EnumerateArray().Where(a => byId.ContainsKey(a.GetProperty("customer").GetString()!)))
        {
            var next = byId[action.GetProperty("customer").GetString()!].GetProperty("nextStep");
            Assert.Equal(root.GetProperty("asOf").GetString(), next.GetProperty("dueOn").GetString());
        }

        Assert.Equal(customers.Count, customers.Select(c => c.GetProperty("customer").GetString()).Distinct().Count());
    }

    [Fact]
    public void Analyze_Json_MatchesTheMetricsPackage()
    {
        Assert.Equal(0, Run("simulate", "--customers", "600", "--months", "18", "--seed", "9", "--out", "data").Code);
        var (code, stdout, _) = Run("analyze", "--data", "data", "--out", "report", "--json");
        Assert.Equal(0, code);

        var data = CustomerBaseSimulator.Run(new SimulationSettings(600, 18, 9, SimulationSettings.Default.Start));
        var expected = new SubscriptionAnalyzer(new()).Analyze(data.SubscriptionEvents, data.Settings.End, Currency.Usd);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(data.Settings.End.ToString("uuuu-MM-dd", null), root.GetProperty("asOf").GetString());
        var months = root.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(expected.Periods.Length, months.Count);
        for (var i = 0; i < months.Count; i++)
        {
            var p = expected.Periods[i];
            Assert.Equal(p.Mrr.Ending.Round().Amount, months[i].GetProperty("endingMrr").GetDecimal());
            Assert.Equal(p.Mrr.Churn.Round().Amount, months[i].GetProperty("churnedMrr").GetDecimal());
            Assert.Equal(p.Customers.Ending, months[i].GetProperty("endingCustomers").GetInt32());
            if (p.RevenueRetention is { } rr)
            {
                Assert.Equal(rr.Nrr.Fraction, months[i].GetProperty("nrr").GetDouble(), 12);
            }
        }

        Assert.Equal(expected.AnnualCustomerRetention!.Value.Fraction, root.GetProperty("retention").GetProperty("annualCustomerRetention").GetDouble(), 12);
        Assert.Equal(expected.Cohorts.Length, root.GetProperty("cohorts").GetArrayLength());
        var nps = RetentionKit.Metrics.Satisfaction.Nps(data.Feedback.Where(f => f.Nps is not null).Select(f => f.Nps!.Value));
        Assert.Equal(nps.Score!.Value, root.GetProperty("satisfaction").GetProperty("nps").GetDouble(), 12);
        Assert.True(File.Exists(root.GetProperty("report").GetString()));

        // The feedback loop: the year's rows, the inbox's highest priorities first, tones covering every scored customer.
        var feedback = root.GetProperty("feedback");
        Assert.Equal(data.Feedback.Count(f => f.Date > data.Settings.End.PlusDays(-365) && f.Date <= data.Settings.End), feedback.GetProperty("items").GetInt32());
        var inbox = feedback.GetProperty("inbox").EnumerateArray().Select(i => i.GetProperty("priority").GetDouble()).ToList();
        Assert.NotEmpty(inbox);
        Assert.Equal(inbox.OrderByDescending(p => p), inbox);
        Assert.Equal(root.GetProperty("customers").GetArrayLength(), feedback.GetProperty("tones").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32()));
        Assert.Contains("<h2 id=\"feedback\">Feedback</h2>", File.ReadAllText(root.GetProperty("report").GetString()!), StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_WritesReportWithEveryChart()
    {
        var (code, stdout, stderr) = Run("demo", "--out", "demo-report");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var path = Path.Combine(_dir, "demo-report", HtmlReport.FileName);
        Assert.Contains($"Report: {path}", stdout, StringComparison.Ordinal);
        Assert.Contains("5,000 customers", stdout, StringComparison.Ordinal);

        // The summary's units: amounts carry the currency, rates a percent sign, names are words.
        Assert.Matches(@"MRR at risk [\d,]+ USD of [\d,]+ USD", stdout);
        Assert.Matches(@"Monthly retention +\d+\.\d%  (met|below target)", stdout);
        Assert.Matches(@"median CLV [\d,]+ USD", stdout);
        Assert.DoesNotContain("AtRisk", stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"  C\d{6} +\d+%  \w+ +[\d,]+/mo", stdout); // a bare amount per month
        var html = File.ReadAllText(path);
        foreach (var id in HtmlReport.ChartIds)
        {
            Assert.Matches($"<section id=\"{id}\" class=\"chart\"><p class=\"caption\">[^<]+</p><svg ", html);
        }

        // Self-contained: nothing fetched, and the only scripts are the page's own (the table's data and its code).
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Equal(["<script type=\"application/json\" id=\"customer-data\">", "<script>"], Regex.Matches(html, "<script[^>]*>").Select(m => m.Value));
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_NamesNoSpecIdsOrInternalNames_AndItsTableHoldsEveryPayingCustomer()
    {
        using var json = SimulateAndAnalyze(seed: 4);
        var html = File.ReadAllText(json.RootElement.GetProperty("report").GetString()!);

        // What a reader sees (markup and the table's data aside) has no requirement ids and no type or key names.
        var text = Regex.Replace(Regex.Replace(html, "<script[^>]*>.*?</script>|<style>.*?</style>", " ", RegexOptions.Singleline), "<[^>]+>", " ");
        Assert.DoesNotMatch(@"\b[GSMBLR][0-9]{1,2}\b", text);
        Assert.DoesNotMatch(@"\b[A-Z][a-z]+[A-Z][a-z]+[A-Z][a-z]+\w*\b", text); // e.g. CompetitorTrialAndAlternativeSearch
        Assert.DoesNotMatch(@"\b1 (customers|steps|answers|months|upgrades|downgrades)\b", text);

        var data = Regex.Match(html, "<script type=\"application/json\" id=\"customer-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using var table = JsonDocument.Parse(data);
        var rows = table.RootElement.GetProperty("customers").EnumerateArray().ToList();
        var records = json.RootElement.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(records.Select(r => r.GetProperty("customer").GetString()), rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(records.Select(r => r.GetProperty("mrr").GetDecimal()), rows.Select(r => r.GetProperty("mrr").GetDecimal()));
        var months = table.RootElement.GetProperty("months").GetArrayLength();
        Assert.All(rows, r => Assert.Contains(r.GetProperty("trend").GetArrayLength(), new[] { 0, months })); // a score per month, or never scored
    }

    [Fact]
    public void Analyze_MalformedCsv_ExitOneWithFileLineColumn()
    {
        Assert.Equal(0, Run("simulate", "--customers", "50", "--months", "3", "--seed", "2", "--out", "bad").Code);
        var events = Path.Combine(_dir, "bad", CsvFiles.EventsFile);
        var lines = File.ReadAllLines(events);
        lines[3] = lines[3].Replace(",USD,", ",US D,", StringComparison.Ordinal);
        File.WriteAllLines(events, lines);

        var (code, stdout, stderr) = Run("analyze", "--data", "bad");
        Assert.Equal(CliApplication.DataError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("data error: subscription_events.csv:4:7: currency must be an active ISO 4217 code such as USD; got 'US D'", stderr.Trim());
        Assert.False(Directory.Exists(Path.Combine(_dir, "retentionkit-report")));
    }

    [Fact]
    public void Analyze_MalformedCsv_JsonErrorOnStdout()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var (code, stdout, _) = Run("analyze", "--data", "empty", "--json");
        Assert.Equal(CliApplication.DataError, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("data error: subscription_events.csv:0:0: the file is missing; it is required", json.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(new[] { "simulate" }, "Option '--out' is required.")]
    [InlineData(new[] { "simulate", "--out", "x", "--customers", "many" }, "many")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void BadArguments_ExitTwo(string[] args, string fragment)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(fragment, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyse", "analyze")]
    [InlineData("simulte", "simulate")]
    [InlineData("Demo", "demo")]
    public void AMistypedCommand_ExitsTwoSuggestingTheNearestOne(string typed, string meant)
    {
        var (code, stdout, stderr) = Run(typed, "--data", "x");

        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"Did you mean '{meant}'?", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "retentionkit [command] [options]")]
    [InlineData(new[] { "demo", "--help" }, "retentionkit demo [options]")]
    [InlineData(new[] { "simulate", "--help" }, "retentionkit simulate [options]")]
    [InlineData(new[] { "analyze", "--help" }, "retentionkit analyze [options]")]
    [InlineData(new[] { "clv", "fit", "--help" }, "retentionkit clv fit [options]")]
    [InlineData(new[] { "clv", "predict", "--help" }, "retentionkit clv predict [options]")]
    [InlineData(new[] { "survival", "km", "--help" }, "retentionkit survival km [options]")]
    [InlineData(new[] { "db", "script", "--help" }, "retentionkit db script [options]")]
    [InlineData(new[] { "db", "migrate", "--help" }, "retentionkit db migrate [options]")]
    public void Help_NamesTheToolAsInstalled_AndEveryCommandShowsExamples(string[] args, string usage)
    {
        // Regression: the usage line said "RetentionKit.Cli", and a command's help with a required option missing
        // printed an error instead of the help.
        var (code, stdout, stderr) = Run(args);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("RetentionKit.Cli", stdout, StringComparison.Ordinal);
        if (args.Length > 1)
        {
            var examples = stdout[stdout.IndexOf("Examples:", StringComparison.Ordinal)..];
            Assert.Contains("  retentionkit " + string.Join(' ', args[..^1]), examples, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ClvFitHelp_ListsTheInputColumnsOfEveryModel_AndWhatSbgNeeds()
    {
        var help = Run("clv", "fit", "--help").Out;

        Assert.Contains("bgnbd       frequency, recency, T (or x, t_x, T)", help, StringComparison.Ordinal);
        Assert.Contains("gammagamma  frequency, monetary_value (or x, zbar)", help, StringComparison.Ordinal);
        Assert.Contains("needs --column and --periods", help, StringComparison.Ordinal);
    }

    [Fact]
    public void AWordFarFromEveryCommand_GetsNoSuggestion()
    {
        Assert.DoesNotContain("Did you mean", Run("frobnicate").Err, StringComparison.Ordinal);
        Assert.Null(CliApplication.Closest("db", ["demo", "clv"])); // two edits away, but that is the whole word
    }

    [Fact]
    public void OutCannotBeWritten_ExitsTwoNamingTheOptionAndTheCause_AlsoInJson()
    {
        // Regression: an --out the tool cannot create (here under a file, which no user can write into) crashed
        // with a stack trace and nothing on stdout with --json.
        File.WriteAllText(Path.Combine(_dir, "taken"), "not a directory");

        var (code, stdout, stderr) = Run("demo", "--out", Path.Combine("taken", "report"), "--json");

        Assert.Equal(CliApplication.UsageError, code);
        Assert.StartsWith("error: --out: the report cannot be written to '", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(CliApplication.UsageError, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("--out", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OutIsAnExistingFile_ExitsTwoNamingTheOption_AlsoInJson()
    {
        File.WriteAllText(Path.Combine(_dir, "taken"), "not a directory");

        var (code, stdout, stderr) = Run("demo", "--out", "taken", "--json");

        Assert.Equal(CliApplication.UsageError, code);
        Assert.Contains("error: --out: '", stderr, StringComparison.Ordinal);
        Assert.Contains("is a file; give a directory for the report", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(CliApplication.UsageError, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("not a directory", File.ReadAllText(Path.Combine(_dir, "taken")));
    }

    [Fact]
    public void Analyze_AsOf_CutsTheReportThere_AndWarnsAboutTheRowsAfterIt()
    {
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "3", "--out", "data").Code);

        var (code, stdout, stderr) = Run("analyze", "--data", "data", "--out", "report", "--as-of", "2024-09-30", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("2024-09-30", json.RootElement.GetProperty("asOf").GetString());
        Assert.Matches(@"^warning: [\d,]+ subscription events, [\d,]+ activity rows, [\d,]+ feedback rows dated after the as-of date 2024-09-30 are left out\.", stderr);
    }

    [Fact]
    public void Analyze_WithoutAsOf_RunsToTheLatestEventsMonth_AndWarnsWhenThatIsAfterToday()
    {
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "3", "--out", "data").Code);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var today = new NodaTime.LocalDate(2024, 6, 15).AtStartOfDayInZone(NodaTime.DateTimeZone.Utc).ToInstant();

        var code = new CliApplication(stdout, stderr, _dir, interactive: false, new FixedClock(today)).Run(["analyze", "--data", "data", "--out", "report", "--json"]);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("2024-12-31", json.RootElement.GetProperty("asOf").GetString());
        Assert.Equal("warning: the latest subscription event is dated after today (2024-06-15), so the report runs to 2024-12-31; pass --as-of to choose the date.", stderr.ToString().Trim());
    }

    [Fact]
    public void Analyze_OnATerminal_NamesEveryStageOnStandardError_ButNeverWithJson()
    {
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "3", "--out", "data").Code);
        (int Code, string Out, string Err) RunOnTerminal(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = new CliApplication(stdout, stderr, _dir, interactive: true).Run(args);
            return (code, stdout.ToString(), stderr.ToString());
        }

        var shown = RunOnTerminal("analyze", "--data", "data", "--out", "report");
        var json = RunOnTerminal("analyze", "--data", "data", "--out", "report", "--json");

        Assert.Equal((0, 0), (shown.Code, json.Code));
        // The loyalty programme, the segments and the models start first and run beside the scoring chain.
        string[] stages = ["Reading", "Analysing subscriptions", "Running the loyalty programme", "Segmenting", "Fitting the purchase and survival models", "Scoring churn risk", "Reading the feedback", "Planning today's playbook steps", "Writing the report"];
        var at = stages.Select(s => shown.Err.IndexOf(s + "…", StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0, shown.Err));
        Assert.Equal(at.Order(), at);
        Assert.DoesNotContain("…", shown.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, json.Err);
        using var document = JsonDocument.Parse(json.Out);
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("31/12/2024")]
    public void Analyze_AsOfNotADate_ExitsTwoSayingTheFormat(string value)
    {
        var (code, stdout, stderr) = Run("analyze", "--data", "data", "--as-of", value);

        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"error: --as-of: '{value}' is not a date; write it as yyyy-MM-dd, for example 2026-03-31", stderr.Trim());
    }

    private sealed class FixedClock(NodaTime.Instant now) : NodaTime.IClock
    {
        public NodaTime.Instant GetCurrentInstant() => now;
    }

    [Fact]
    public void Simulate_OutOfRangeCount_ExitTwoNamingTheOption()
    {
        var (code, _, stderr) = Run("simulate", "--out", "x", "--customers", "0");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal("error: --customers: customers must be between 1 and 10,000,000.", stderr.Trim());
    }

    [Fact]
    public void Configuration_ReportCurrencyNotAnActiveIsoCode_ExitsTwoNamingTheKey()
    {
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Report": { "Currency": "XYZ" } } }
            """);
        var (code, _, stderr) = Run("demo");

        Assert.Equal(2, code);
        Assert.Contains("RetentionKit:Report:Currency must be an active ISO 4217 code such as USD.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_InvalidValues_ExitTwoListingEveryProblem()
    {
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Metrics": { "Targets": { "MonthlyRetention": 1.5, "UpsellConversionMin": 0.5 } }, "Report": { "GrossMargin": 2 } } }
            """);
        var (code, stdout, stderr) = Run("demo");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("configuration error: retentionkit.json is invalid:", stderr, StringComparison.Ordinal);
        Assert.Contains("MonthlyRetention", stderr, StringComparison.Ordinal);
        Assert.Contains("RetentionKit:Metrics:Targets:UpsellConversionMin (0.5) must not exceed Targets:UpsellConversionMax (0.3).", stderr, StringComparison.Ordinal);
        Assert.Contains("RetentionKit:Report:GrossMargin ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_InvalidScoringOptions_ExitTwoListingEveryProblem()
    {
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Scoring": { "CategoryWeights": { "Behavioural": -1 }, "RiskLevels": { "Medium": { "Minimum": 0.2 } } } } }
            """);
        var (code, stdout, stderr) = Run("demo");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("configuration error: retentionkit.json is invalid:", stderr, StringComparison.Ordinal);
        Assert.Contains("RetentionKit:Scoring:CategoryWeights:Behavioural must be between", stderr, StringComparison.Ordinal);
        Assert.Contains("overlap", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_ScoringOptionsChangeTheRiskLevels()
    {
        Assert.Equal(0, Run("simulate", "--customers", "400", "--months", "12", "--seed", "4", "--out", "d").Code);
        var (_, before, _) = Run("analyze", "--data", "d", "--json");
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Scoring": { "RiskLevels": { "MediumAtActiveSignals": 1, "HighAtActiveSignals": 2, "MediumFromProbability": 0.05, "HighFromProbability": 0.1 } } } }
            """);
        var (code, after, _) = Run("analyze", "--data", "d", "--json");
        Assert.Equal(0, code);

        static int High(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("scoring").GetProperty("riskLevels").GetProperty("high").GetInt32();
        }

        Assert.True(High(after) > High(before), $"high-risk customers {High(before)} → {High(after)}");
    }

    [Fact]
    public void Analyze_Json_Segmentation_AddsUp_AndThresholdsFromConfigurationMoveCustomers()
    {
        Assert.Equal(0, Run("simulate", "--customers", "500", "--months", "15", "--seed", "6", "--out", "d").Code);
        var (_, before, _) = Run("analyze", "--data", "d", "--json");
        using (var document = JsonDocument.Parse(before))
        {
            var s = document.RootElement.GetProperty("segmentation");
            var customers = s.GetProperty("customers").GetInt32();
            var segments = s.GetProperty("valueSegments").EnumerateArray().ToList();
            Assert.Equal(new[] { "high", "medium", "low" }, segments.Select(x => x.GetProperty("segment").GetString()));
            Assert.Equal(customers, segments.Sum(x => x.GetProperty("customers").GetInt32()));
            Assert.Equal(1d, segments.Sum(x => x.GetProperty("customerShare").GetDouble()), 9);
            var migration = s.GetProperty("valueMigration");
            var matrix = migration.GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
            var starting = migration.GetProperty("startingCounts").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var left = migration.GetProperty("left").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            Assert.All(Enumerable.Range(0, 3), f => Assert.Equal(starting[f], matrix[f].Sum() + left[f]));
            Assert.Equal(customers, s.GetProperty("persona").EnumerateObject().Sum(p => p.Value.GetInt32()));
            Assert.Equal(customers, s.GetProperty("industry").EnumerateObject().Sum(p => p.Value.GetInt32()));
            Assert.Equal(customers, s.GetProperty("rfm").EnumerateObject().Sum(p => p.Value.GetInt32()));
        }

        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Segmentation": { "ValueThresholds": { "USD": { "MediumFrom": 100000, "HighAbove": 1000000 } } } } }
            """);
        var (code, after, _) = Run("analyze", "--data", "d", "--json");
        Assert.Equal(0, code);
        using var changed = JsonDocument.Parse(after);
        var low = changed.RootElement.GetProperty("segmentation").GetProperty("valueSegments").EnumerateArray().Single(x => x.GetProperty("segment").GetString() == "low");
        Assert.Equal(changed.RootElement.GetProperty("segmentation").GetProperty("customers").GetInt32(), low.GetProperty("customers").GetInt32());
    }

    [Fact]
    public void Analyze_Json_Playbooks_ListsTodaysActions_Consistently_AndOptionsChangeThePolicy()
    {
        Assert.Equal(0, Run("simulate", "--customers", "400", "--months", "12", "--seed", "11", "--out", "d").Code);
        var (code, json, _) = Run("analyze", "--data", "d", "--json");
        using var document = JsonDocument.Parse(json);
        var p = document.RootElement.GetProperty("playbooks");
        var actions = p.GetProperty("actions").EnumerateArray().ToList();

        Assert.Equal(0, code);
        Assert.True(actions.Select(a => a.GetProperty("playbook").GetString()).Distinct().Count() > 1, "more than one playbook acts today");
        Assert.Equal(actions.Count, p.GetProperty("stepsDue").GetInt32());
        Assert.Equal(actions.Count, p.GetProperty("byChannel").EnumerateObject().Sum(c => c.Value.GetInt32()));
        Assert.Equal(actions.Count, p.GetProperty("byPlaybook").EnumerateArray().Sum(x => x.GetProperty("due").GetInt32()));
        Assert.Equal(actions.Count, actions.Select(a => a.GetProperty("idempotencyKey").GetString()).Distinct().Count());
        Assert.All(actions, a =>
        {
            Assert.DoesNotContain("{", a.GetProperty("subject").GetString()! + a.GetProperty("body").GetString(), StringComparison.Ordinal);
            Assert.StartsWith(a.GetProperty("customer").GetString() + "/" + a.GetProperty("playbook").GetString() + "/", a.GetProperty("idempotencyKey").GetString(), StringComparison.Ordinal);
            Assert.True(string.CompareOrdinal(a.GetProperty("dueOn").GetString(), p.GetProperty("asOf").GetString()) <= 0); // due today, or held back by a cap on an earlier day
        });
        var journey = p.GetProperty("journey").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("day").GetInt32()).ToList();
        // Per customer and day, across playbooks: one step per channel, two messages or calls at most (issue 21: a
        // customer got two success-manager calls and an e-mail on one day).
        foreach (var customer in actions.GroupBy(a => a.GetProperty("customer").GetString()))
        {
            Assert.All(customer.GroupBy(a => a.GetProperty("channel").GetString()), c => Assert.Single(c));
            Assert.True(customer.Count(a => a.GetProperty("channel").GetString() != "Task") <= 2, $"{customer.Key} is contacted more than twice today");
        }

        Assert.All(journey, d => Assert.InRange(d, 1, 60));
        Assert.Equal(journey.Order(), journey);

        // With every playbook but onboarding disabled, only onboarding acts.
        var disabled = string.Join(", ", RetentionKit.Playbooks.BuiltInPlaybooks.All.Where(b => b.Id != "onboarding").Select(b => $"\"{b.Id}\""));
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), $$"""
            { "RetentionKit": { "Playbooks": { "Disabled": [ {{disabled}} ] } } }
            """);
        using var only = JsonDocument.Parse(Run("analyze", "--data", "d", "--json").Out);
        Assert.All(only.RootElement.GetProperty("playbooks").GetProperty("actions").EnumerateArray(), a => Assert.Equal("onboarding", a.GetProperty("playbook").GetString()));
    }

    [Fact]
    public void Analyze_Json_Loyalty_ConservesPoints_AndOptionsFromConfigurationChangeTheRules()
    {
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "8", "--out", "d").Code);
        static (long Earned, long Net, long Outstanding, int Tiered, long Attributed) Read(string json)
        {
            using var document = JsonDocument.Parse(json);
            var l = document.RootElement.GetProperty("loyalty");
            var months = l.GetProperty("pointsByMonth").EnumerateArray().ToList();
            var net = months.Sum(m => m.GetProperty("earned").GetInt64() - m.GetProperty("redeemed").GetInt64() - m.GetProperty("expired").GetInt64() - m.GetProperty("clawedBack").GetInt64());
            return (months.Sum(m => m.GetProperty("earned").GetInt64()), net, l.GetProperty("outstandingPoints").GetInt64(),
                l.GetProperty("tiers").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32()), l.GetProperty("referrals").GetProperty("attributed").GetInt64());
        }

        var (code, json, _) = Run("analyze", "--data", "d", "--json");
        var before = Read(json);
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Loyalty": { "EarningRules": { "daily-use": { "Points": 20 } } }, "Report": { "AssumedReferredShare": 0 } } }
            """);
        var after = Read(Run("analyze", "--data", "d", "--json").Out);

        Assert.Equal(0, code);
        Assert.Equal(before.Outstanding, before.Net);
        Assert.True(before.Tiered > 0);
        Assert.True(after.Earned > before.Earned, $"earned {before.Earned} → {after.Earned}");
        Assert.Equal(0, after.Attributed);
    }

    [Fact]
    public void Configuration_InvalidSegmentationOptions_ExitTwoListingEveryProblem()
    {
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Segmentation": { "ValueThresholds": { "USD": { "MediumFrom": 5000, "HighAbove": 10 } }, "Personas": { "PowerUsageFrom": 101 } } } }
            """);
        var (code, stdout, stderr) = Run("demo");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("ValueThresholds:USD:HighAbove (10) must not be below MediumFrom (5000).", stderr, StringComparison.Ordinal);
        Assert.Contains("Personas:PowerUsageFrom is 101", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_NotJson_ExitTwo()
    {
        File.WriteAllText(Path.Combine(_dir, "custom.json"), "{ not json");
        var (code, _, stderr) = Run("demo", "--config", "custom.json");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.StartsWith("configuration error: custom.json is not valid JSON", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_Json_Probabilistic_ReadsThePurchaseLog_AndWithoutItKeepsSurvivalOnly()
    {
        Assert.Equal(0, Run("simulate", "--customers", "1500", "--months", "24", "--seed", "4", "--out", "d").Code);
        using var with = JsonDocument.Parse(Run("analyze", "--data", "d", "--json").Out);
        File.Delete(Path.Combine(_dir, "d", "transactions.csv"));
        using var without = JsonDocument.Parse(Run("analyze", "--data", "d", "--json").Out);

        var purchases = with.RootElement.GetProperty("probabilistic").GetProperty("purchases");
        var byFrequency = purchases.GetProperty("byFrequency").EnumerateArray().ToList();
        Assert.Equal(purchases.GetProperty("actual").GetDouble(), byFrequency.Sum(r => r.GetProperty("actual").GetDouble() * r.GetProperty("customers").GetInt32()), 1);
        Assert.InRange(purchases.GetProperty("predicted").GetDouble() / purchases.GetProperty("actual").GetDouble(), 0.75, 1.33);
        Assert.InRange(purchases.GetProperty("pAlive").GetProperty("mean").GetDouble(), 0, 1);
        Assert.True(purchases.GetProperty("clv").GetProperty("median").GetDouble() > 0);

        // The three count models on the same hold-out, the BG/NBD row the same as the table above; the winner one of them.
        var models = purchases.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["BG/NBD", "Pareto/NBD", "MBG/NBD"], models.Select(m => m.GetProperty("model").GetString()!).ToArray());
        Assert.Equal(purchases.GetProperty("predicted").GetDouble(), models[0].GetProperty("predictedHoldoutPurchases").GetDouble(), 1);
        Assert.Contains(purchases.GetProperty("winner").GetString(), models.Select(m => m.GetProperty("model").GetString()));

        // Tracking: cumulative, so never falling; the actual curve ends at the calibration customers' repeat purchase days.
        var tracking = purchases.GetProperty("tracking");
        var actual = tracking.GetProperty("actual").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var expected = tracking.GetProperty("expected").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(actual.Length, expected.Length);
        Assert.True(actual.Zip(actual.Skip(1)).All(p => p.Second >= p.First) && expected.Zip(expected.Skip(1)).All(p => p.Second >= p.First - 1e-9));
        Assert.InRange(expected[^1] / actual[^1], 0.7, 1.3);

        // P(alive) grid: a probability where a history exists, none for "no purchase yet a recency" or "purchases at recency 0".
        var grid = purchases.GetProperty("aliveGrid").GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(RetentionKit.Cli.Pipeline.ProbabilisticStage.AliveRows + 1, grid.Length);
        Assert.True(grid[0][0] is 1.0 && grid[0].Skip(1).All(v => v is null) && grid.Skip(1).All(r => r[0] is null && r.Skip(1).All(v => v is >= 0 and <= 1)));
        Assert.Equal(JsonValueKind.Null, without.RootElement.GetProperty("probabilistic").GetProperty("purchases").ValueKind);
        Assert.Equal(with.RootElement.GetProperty("probabilistic").GetProperty("survival").GetRawText(), without.RootElement.GetProperty("probabilistic").GetProperty("survival").GetRawText());
        Assert.Equal(4, with.RootElement.GetProperty("probabilistic").GetProperty("survival").GetArrayLength());
    }

    [Fact]
    public void Configuration_MissingExplicitFile_ExitTwo()
    {
        var (code, _, stderr) = Run("demo", "--config", "nope.json");
        Assert.Equal(CliApplication.UsageError, code);
        Assert.Contains("nope.json' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_ChangesTheOutcome()
    {
        File.WriteAllText(Path.Combine(_dir, CliApplication.ConfigFileName), """
            { "RetentionKit": { "Metrics": { "Targets": { "Nps": -100 } }, "Report": { "GrossMargin": 0.5 } } }
            """);
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "3", "--out", "d").Code);
        var (code, stdout, _) = Run("analyze", "--data", "d", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var nps = json.RootElement.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("kpi").GetString() == "Nps");
        Assert.Equal((-100d, "Met"), (nps.GetProperty("target").GetDouble(), nps.GetProperty("status").GetString()));
        Assert.Equal(0.5, json.RootElement.GetProperty("clv").GetProperty("grossMargin").GetDouble(), 12);
    }
}
