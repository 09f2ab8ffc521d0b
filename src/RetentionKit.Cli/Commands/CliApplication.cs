using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Cli.Report;
using RetentionKit.Metrics;
using RetentionKit.Loyalty;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Commands;

/// <summary>
/// The <c>retentionkit</c> command line. Every command runs in a dependency-injection host composed with
/// <c>AddRetentionKit</c>, its options bound from an optional retentionkit.json and validated before any work starts.
/// </summary>
/// <remarks>Exit codes: 0 success; 1 the data could not be read or analysed; 2 bad arguments or configuration.</remarks>
internal sealed partial class CliApplication(TextWriter stdout, TextWriter stderr, string workingDirectory, bool interactive, IClock? clock = null)
{
    public const string ConfigFileName = "retentionkit.json";
    public const int Success = 0;
    public const int DataError = 1;
    public const int UsageError = 2;

    private readonly Option<string?> _config = new("--config")
    {
        Description = $"A JSON configuration file (default: ./{ConfigFileName} if present).",
        Recursive = true,
    };

    private readonly Dictionary<string, string[]> _examples = new(StringComparer.Ordinal);

    private bool _showProgress;

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Write machine-readable results to standard output, and nothing else.",
        Recursive = true,
    };

    public int Run(string[] args)
    {
        // A command named as the tool is installed, rather than a RootCommand, whose usage line would show the
        // assembly's file name (RetentionKit.Cli); it gets the two options a RootCommand adds by itself.
        var root = new Command("retentionkit", "RetentionKit: retention metrics, cohorts and a report for a SaaS customer base.");
        var help = new System.CommandLine.Help.HelpOption();
        help.Action = new HelpWithExamples((System.CommandLine.Invocation.SynchronousCommandLineAction)help.Action!, stdout, _examples);
        root.Options.Add(help);
        root.Options.Add(new VersionOption());
        root.Options.Add(_config);
        root.Options.Add(_json);
        root.Subcommands.Add(Demo());
        root.Subcommands.Add(Simulate());
        root.Subcommands.Add(Analyze());
        root.Subcommands.Add(Clv());
        root.Subcommands.Add(Survival());
        root.Subcommands.Add(Db());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithExamples)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            foreach (var token in parse.UnmatchedTokens)
            {
                if (Closest(token, root.Subcommands.Select(c => c.Name)) is { } suggestion)
                {
                    stderr.WriteLine($"Did you mean '{suggestion}'?");
                }
            }

            stderr.WriteLine("Run 'retentionkit --help' for usage.");
            return UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>The command a mistyped word was most likely meant to be (at most two edits away, as "analyse" from "analyze"), or null.</summary>
    internal static string? Closest(string token, IEnumerable<string> commands)
    {
        var word = token.ToLowerInvariant();
        return commands
            .Select(c => (Command: c, Distance: EditDistance(word, c)))
            .Where(x => x.Distance <= 2 && x.Distance < x.Command.Length && x.Command != token)
            .OrderBy(x => x.Distance).ThenBy(x => x.Command, StringComparer.Ordinal)
            .Select(x => x.Command)
            .FirstOrDefault();
    }

    /// <summary>The Levenshtein distance: the fewest insertions, deletions and substitutions from one word to the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private Command Demo()
    {
        var outDir = new Option<string>("--out") { Description = "Where to write the report.", DefaultValueFactory = _ => "retentionkit-report" };
        var db = DbOption();
        var experiment = ExperimentOption();
        var command = new Command("demo", Help("Simulate the bundled sample (5,000 customers, 24 months), analyse it and write the report.", "retentionkit demo", "retentionkit demo --out ./report --json > demo.json", "retentionkit demo --db state.db", "retentionkit demo --experiment")) { outDir, db, experiment };
        command.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var report = ReportDirectory(parse.GetValue(outDir)!);
            using var host = Host(parse.GetValue(_config), parse.GetValue(db));
            var data = DataSet.From(CustomerBaseSimulator.Run(SimulationSettings.Default with { Experiment = parse.GetValue(experiment) ? SimulatedExperiment.Example : null }, Progress("Simulating")));
            Done();
            var result = host.GetRequiredService<RetentionPipeline>().Run(data, SimulationSettings.Default.End, Stages());
            return Finish("demo", result, report, parse.GetValue(_json));
        }));
        return command;
    }

    /// <summary>The flag that adds the simulator's example retention-offer experiment (interventions.csv) to the simulated data.</summary>
    private static Option<bool> ExperimentOption() => new("--experiment")
    {
        Description = "Also simulate a retention-offer experiment (20 % held out; the true effect halves the churn hazard on starter, cuts it by a quarter on professional, none on enterprise) and write its enrolment log, interventions.csv.",
    };

    private Command Simulate()
    {
        var customers = new Option<int>("--customers") { Description = "Customers who sign up during the window.", DefaultValueFactory = _ => SimulationSettings.Default.Customers };
        var months = new Option<int>("--months") { Description = "Months simulated.", DefaultValueFactory = _ => SimulationSettings.Default.Months };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives byte-identical files.", DefaultValueFactory = _ => SimulationSettings.Default.Seed };
        var outDir = new Option<string>("--out") { Description = "Directory for the CSV files.", Required = true };
        var experiment = ExperimentOption();
        var command = new Command("simulate", Help("Simulate a customer base and write it as CSV files (docs/data-formats.md).", "retentionkit simulate --out ./data", "retentionkit simulate --customers 20000 --months 36 --seed 7 --out ./data", "retentionkit simulate --experiment --out ./data")) { customers, months, seed, outDir, experiment };
        command.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var settings = new SimulationSettings(parse.GetValue(customers), parse.GetValue(months), parse.GetValue(seed), SimulationSettings.Default.Start) { Experiment = parse.GetValue(experiment) ? SimulatedExperiment.Example : null };
            var data = DataSet.From(CustomerBaseSimulator.Run(settings, Progress("Simulating")));
            Done();
            var directory = Resolve(parse.GetValue(outDir)!);
            CsvFiles.Write(data, directory);
            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonOutput.Simulation(settings.Customers, settings.Months, settings.Seed, directory, data));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated {data.Customers.Count:N0} customers over {settings.Months} months (seed {settings.Seed}): {data.Events.Count:N0} subscription events, {data.Activity.Count:N0} activity rows, {data.Feedback.Count:N0} feedback rows, {data.Churns.Count:N0} churns."));
                stdout.WriteLine($"Wrote {directory}");
            }

            return Success;
        }));
        return command;
    }

    private Command Analyze()
    {
        var dataDir = new Option<string>("--data") { Description = "Directory with the CSV files (subscription_events.csv is required).", Required = true };
        var outDir = new Option<string>("--out") { Description = "Where to write the report.", DefaultValueFactory = _ => "retentionkit-report" };
        var asOfOption = new Option<string?>("--as-of")
        {
            Description = "The date the report is as of (yyyy-MM-dd; default: the last day of the month of the latest subscription event). Rows dated after it are left out, with a warning.",
        };
        var db = DbOption();
        var command = new Command("analyze", Help("Run the pipeline on your own CSV files (docs/data-formats.md) and write the report.", "retentionkit analyze --data ./data", "retentionkit analyze --data ./data --as-of 2026-03-31 --out ./report", "retentionkit analyze --data ./data --db state.db --json > today.json")) { dataDir, outDir, asOfOption, db };
        command.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var report = ReportDirectory(parse.GetValue(outDir)!);
            var asOf = parse.GetValue(asOfOption) is { } text ? AsOf(text) : (LocalDate?)null;
            using var host = Host(parse.GetValue(_config), parse.GetValue(db));
            Progress("Reading")?.Report(0);
            var data = CsvFiles.Read(Resolve(parse.GetValue(dataDir)!), host.GetRequiredService<IOptions<ReportOptions>>().Value.Currency);
            Done();
            foreach (var warning in data.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            var end = asOf ?? RetentionPipeline.LatestDate(data);
            WarnAboutLaterRows(data, end, asOf is null, clock ?? host.GetRequiredService<IClock>());
            var result = host.GetRequiredService<RetentionPipeline>().Run(data, end, Stages());
            return Finish("analyze", result, report, parse.GetValue(_json));
        }));
        return command;
    }

    private int Finish(string command, PipelineResult result, string outDir, bool json)
    {
        string path;
        Stages()?.Invoke("Writing the report");
        PhaseMemory.Release(); // the stages' working data: the report needs their results only
        try
        {
            path = HtmlReport.Write(result, outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageProblem(File.Exists(outDir)
                ? $"--out: '{outDir}' is a file; give a directory for the report"
                : $"--out: the report cannot be written to '{outDir}' ({ex.Message.TrimEnd('.')})");
        }

        Done();
        if (json)
        {
            stdout.WriteLine(JsonOutput.Pipeline(command, result, path));
        }
        else
        {
            stdout.Write(SummaryTable.Render(result));
            stdout.WriteLine();
            stdout.WriteLine($"Report: {path}");
        }

        return Success;
    }

    private static Option<string?> DbOption() => new("--db")
    {
        Description = "Keep the programme's state (ledger, referrals, enrolments, score history) in this SQLite file between runs: a run posts, enrols and delivers only what happened since the last one.",
    };

    internal ServiceProvider Host(string? configFile, string? dbFile = null)
    {
        var path = configFile is null ? Path.Combine(workingDirectory, ConfigFileName) : Resolve(configFile);
        if (configFile is not null && !File.Exists(path))
        {
            throw new ConfigurationProblem($"the configuration file '{path}' does not exist");
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(path, optional: true, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationProblem($"{Path.GetFileName(path)} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}");
        }

        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection("RetentionKit:Metrics"));
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection("RetentionKit:Report")).ValidateOnStart()
            .Validate(o => o.Currency is null || !System.Text.RegularExpressions.Regex.IsMatch(o.Currency, "^[A-Za-z]{3}$") || RetentionKit.Currency.TryFromIso(o.Currency, out _), "RetentionKit:Report:Currency must be an active ISO 4217 code such as USD.");
        services.AddSingleton<IValidateOptions<ReportOptions>>(new RetentionKit.Internal.QualifiedValidator<ReportOptions>(new ReportOptionsValidator(), "Report"));
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection("RetentionKit:Scoring"));
        services.AddOptions<SegmentationOptions>().Bind(configuration.GetSection("RetentionKit:Segmentation"));
        services.AddOptions<LoyaltyOptions>().Bind(configuration.GetSection("RetentionKit:Loyalty"))
            .PostConfigure<IOptions<ReportOptions>>((loyalty, report) =>
            {
                // The referral programme prices its rewards in the report's currency unless configured otherwise.
                if (configuration["RetentionKit:Loyalty:Referrals:Currency"] is null)
                {
                    loyalty.Referrals.Currency = report.Value.Currency;
                }
            });
        services.AddOptions<RetentionKit.Playbooks.PlaybookOptions>().Bind(configuration.GetSection("RetentionKit:Playbooks"));
        var dbPath = dbFile is null ? null : Resolve(dbFile);
        services.AddRetentionKit(kit =>
        {
            kit.AddMetrics().AddScoring().AddSegmentation().AddLoyalty().AddPlaybooks();
            if (dbPath is not null)
            {
                // Synced at checkpoints: a crash of the tool loses nothing committed, and a run is safe to repeat.
                kit.UseSqlite(o => (o.ConnectionString, o.SyncEveryCommit) = ($"Data Source={dbPath}", false));
            }
        });
        if (dbPath is not null)
        {
            services.AddSingleton(sp => new ProgrammeState(
                dbPath,
                sp.GetRequiredService<RetentionKit.Loyalty.Ledger.ILoyaltyLedgerStore>(),
                sp.GetRequiredService<RetentionKit.Loyalty.Referrals.IReferralStore>(),
                sp.GetRequiredService<RetentionKit.Playbooks.IEnrolmentStore>(),
                sp.GetRequiredService<IScoreHistoryStore>()));
        }

        services.AddSingleton<ScoringStage>();
        services.AddSingleton(sp => new LoyaltyStage(sp.GetRequiredService<IOptions<LoyaltyOptions>>().Value));
        services.AddSingleton(sp => new PlaybookStage(sp.GetRequiredService<RetentionKit.Playbooks.PlaybookEngine>(), sp.GetRequiredService<IOptions<RetentionKit.Playbooks.PlaybookOptions>>().Value));
        services.AddSingleton<SegmentationStage>();
        services.AddSingleton(sp => new FeedbackStage(
            sp.GetRequiredService<RetentionKit.Playbooks.FeedbackAnalyzer>(),
            sp.GetRequiredService<IOptions<RetentionKit.Playbooks.PlaybookOptions>>().Value.Feedback));
        services.AddSingleton(sp => new RetentionPipeline(
            sp.GetRequiredService<RetentionKit.Metrics.Subscriptions.SubscriptionAnalyzer>(),
            sp.GetRequiredService<RetentionKit.Metrics.Kpis.KpiScorecard>(),
            sp.GetRequiredService<ScoringStage>(),
            sp.GetRequiredService<SegmentationStage>(),
            sp.GetRequiredService<LoyaltyStage>(),
            sp.GetRequiredService<PlaybookStage>(),
            sp.GetRequiredService<FeedbackStage>(),
            sp.GetRequiredService<IOptions<ReportOptions>>(),
            sp.GetService<ProgrammeState>()));
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new ConfigurationProblem($"{Path.GetFileName(path)} is invalid: {ex.Message}");
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several option classes failed: list every problem, not just the first.
            provider.Dispose();
            throw new ConfigurationProblem($"{Path.GetFileName(path)} is invalid: {string.Join("; ", ex.InnerExceptions.Select(e => e.Message))}");
        }
        catch (InvalidOperationException ex)
        {
            // The binder could not convert a value (text where a number belongs, an unknown enum name).
            provider.Dispose();
            throw new ConfigurationProblem($"{Path.GetFileName(path)} is invalid: {ex.Message}");
        }

        return provider;
    }

    private int Guarded(bool json, Func<int> action)
    {
        // Progress goes to a terminal only, and never next to JSON.
        _showProgress = interactive && !json;
        try
        {
            return action();
        }
        catch (ConfigurationProblem ex)
        {
            return Fail(json, "configuration error: " + ex.Message, UsageError);
        }
        catch (UsageProblem ex)
        {
            return Fail(json, "error: " + ex.Message, UsageError);
        }
        catch (DataProblem ex)
        {
            return Fail(json, "data error: " + ex.Message, DataError);
        }
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName is "customers" or "months")
        {
            return Fail(json, $"error: --{ex.ParamName}: {ex.Message.Split(" (Parameter")[0]}", UsageError);
        }
        catch (DataFormatException ex)
        {
            return Fail(json, "data error: " + ex.Message, DataError);
        }
        catch (DirectoryNotFoundException ex)
        {
            return Fail(json, "data error: " + ex.Message, DataError);
        }
        catch (StateConflictException ex)
        {
            return Fail(json, "error: " + ex.Message, UsageError);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The SQLite", StringComparison.Ordinal))
        {
            return Fail(json, "error: --db: " + ex.Message, UsageError);
        }
        catch (ArgumentException ex)
        {
            return Fail(json, "data error: " + ex.Message, DataError);
        }
    }

    private int Fail(bool json, string message, int code)
    {
        Done();
        stderr.WriteLine(message);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Error(message, code));
        }

        return code;
    }

    private string Resolve(string path) => Path.GetFullPath(Path.Combine(workingDirectory, path));

    /// <summary>A command's description, with the examples its help shows after the options (not in the list of commands).</summary>
    private string Help(string description, params string[] examples)
    {
        _examples[description] = examples;
        return description;
    }

    private static LocalDate AsOf(string text, string option = "--as-of") =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } parsed
            ? parsed.Value
            : throw new UsageProblem($"{option}: '{text}' is not a date; write it as yyyy-MM-dd, for example 2026-03-31");

    /// <summary>Says on standard error how many rows fall after the as-of date (they are left out of the report), and when the default date lies in the future.</summary>
    private void WarnAboutLaterRows(DataSet data, LocalDate asOf, bool defaulted, IClock today)
    {
        var events = data.Events.Count(e => e.EffectiveDate > asOf);
        var month = new YearMonth(asOf.Year, asOf.Month); // a month starts after the date when it is a later month
        var activity = data.Activity.Count(a => a.Month > month);
        var feedback = data.Feedback.Count(f => f.Date > asOf);
        var c = CultureInfo.InvariantCulture;
        if (events + activity + feedback > 0)
        {
            var parts = new[] { (events, "subscription event"), (activity, "activity row"), (feedback, "feedback row") }
                .Where(p => p.Item1 > 0)
                .Select(p => string.Create(c, $"{p.Item1:N0} {p.Item2}{(p.Item1 == 1 ? string.Empty : "s")}"));
            stderr.WriteLine($"warning: {string.Join(", ", parts)} dated after the as-of date {LocalDatePattern.Iso.Format(asOf)} {(events + activity + feedback == 1 ? "is" : "are")} left out.");
        }

        var date = today.GetCurrentInstant().InUtc().Date;
        if (defaulted && asOf > date)
        {
            stderr.WriteLine($"warning: the latest subscription event is dated after today ({LocalDatePattern.Iso.Format(date)}), so the report runs to {LocalDatePattern.Iso.Format(asOf)}; pass --as-of to choose the date.");
        }
    }

    /// <summary>The report's directory, refused before any work when it names an existing file.</summary>
    private string ReportDirectory(string option)
    {
        var path = Resolve(option);
        return File.Exists(path) ? throw new UsageProblem($"--out: '{path}' is a file; give a directory for the report") : path;
    }

    private TerminalProgress? Progress(string label) => _showProgress ? new TerminalProgress(stderr, label) : null;

    /// <summary>Names the stage under way on the terminal (a stage without a percentage), or null when progress is not shown.</summary>
    private Action<string>? Stages() => _showProgress ? label => stderr.Write($"\r{label}…".PadRight(40)) : null;

    private void Done()
    {
        if (_showProgress)
        {
            stderr.Write("\r" + new string(' ', 40) + "\r");
        }
    }

    private sealed class ConfigurationProblem(string message) : Exception(message);

    /// <summary>The standard help, then the command's examples.</summary>
    private sealed class HelpWithExamples(System.CommandLine.Invocation.SynchronousCommandLineAction help, TextWriter output, Dictionary<string, string[]> examples)
        : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command.Description is { } description && examples.TryGetValue(description, out var lines))
            {
                output.WriteLine("Examples:");
                foreach (var line in lines)
                {
                    output.WriteLine("  " + line);
                }

                output.WriteLine();
            }

            return code;
        }
    }

    /// <summary>Data the command cannot work with, said in the data's terms (exit code 1).</summary>
    private sealed class DataProblem(string message) : Exception(message);

    /// <summary>An option that cannot be honoured: a bad value, or output that cannot be written where it says (exit code 2).</summary>
    private sealed class UsageProblem(string message) : Exception(message);

    /// <summary>A one-line progress display on standard error; only used when it is a terminal.</summary>
    private sealed class TerminalProgress(TextWriter writer, string label) : IProgress<double>
    {
        private int _last = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            if (percent != _last)
            {
                _last = percent;
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r{label}… {percent,3} %"));
            }
        }
    }
}

/// <summary>The plain-text summary printed by demo and analyze.</summary>
internal static class SummaryTable
{
    public static string Render(PipelineResult r)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var periods = r.Subscriptions.Periods;
        var code = r.Currency.Code;
        s.AppendLine(c, $"RetentionKit · {r.Data.Customers:N0} customers · {periods.Length} months to {r.AsOf:uuuu-MM-dd} · amounts in {code}, MRR a month");
        s.AppendLine();
        s.AppendLine(c, $"{"Month",-8} {"Start MRR",12} {"New",10} {"Expansion",10} {"Reactiv.",9} {"Contract.",10} {"Churn",10} {"End MRR",12} {"Churn %",8} {"NRR %",7}");
        foreach (var p in periods.TakeLast(12))
        {
            s.AppendLine(c, $"{p.Month.ToString("uuuu-MM", c),-8} {p.Mrr.Starting.Amount,12:N0} {p.Mrr.NewBusiness.Amount,10:N0} {p.Mrr.Expansion.Amount,10:N0} {p.Mrr.Reactivation.Amount,9:N0} {p.Mrr.Contraction.Amount,10:N0} {p.Mrr.Churn.Amount,10:N0} {p.Mrr.Ending.Amount,12:N0} {Pct(p.Customers.ChurnRate?.Percent),8} {Pct(p.RevenueRetention?.Nrr.Percent),7}");
        }

        s.AppendLine();
        s.AppendLine(c, $"Annual retention {Pct(r.Subscriptions.AnnualCustomerRetention?.Percent)}% · reactivation {Pct(r.Subscriptions.ReactivationRate?.Percent)}% · trailing-12-month NRR {Pct(r.TrailingYear?.Nrr.Percent)}%, GRR {Pct(r.TrailingYear?.Grr.Percent)}% · NPS {(r.Nps.Score is { } n ? n.ToString("0", c) : "–")} · median CLV {(r.Clv is { } clv ? clv.Percentile(0.5).ToString("N0", c) + " " + code : "–")}");
        s.AppendLine();
        foreach (var k in r.Scorecard)
        {
            var points = k.Kpi == RetentionKit.Metrics.Kpis.Kpi.Nps;
            var actual = k.Actual is { } a ? (points ? a.ToString("0", c) : (a * 100).ToString("0.0", c) + "%") : "–";
            var status = k.Status switch
            {
                RetentionKit.Metrics.Kpis.KpiStatus.Met => "met",
                RetentionKit.Metrics.Kpis.KpiStatus.Below => "below target",
                RetentionKit.Metrics.Kpis.KpiStatus.Above => "above the band",
                _ => "not measured",
            };
            s.AppendLine(c, $"  {Report.HtmlReport.KpiName(k.Kpi),-22} {actual,8}  {status}");
        }

        var scoring = r.Scoring;
        if (scoring.CurrentCustomers > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"Churn risk today ({scoring.CurrentCustomers:N0} customers scored): {string.Join(" · ", scoring.Levels.Select(l => $"{Report.HtmlReport.Sentence(l.Key.ToString()).ToLowerInvariant()} {l.Count:N0}"))}");
            s.AppendLine(c, $"Churn probability: {scoring.Probability.Label}; MRR at risk {scoring.MrrAtRisk:N0} {code} of {scoring.Mrr:N0} {code}");
            s.AppendLine(c, $"Retention bands: {string.Join(" · ", scoring.Bands.Select(b => $"{Report.HtmlReport.Sentence(b.Key.ToString()).ToLowerInvariant()} {b.Count:N0}"))}");
            if (scoring.Backtest is { } bt)
            {
                s.AppendLine(c, $"Backtest ({bt.HorizonDays}-day churn, from {bt.TestFrom.ToString("uuuu-MM", c)}): AUC {bt.Default.Auc:0.000} rule of thumb, {bt.Calibrated.Auc:0.000} calibrated; calibration error {bt.Default.ExpectedCalibrationError:0.000} against {bt.Calibrated.ExpectedCalibrationError:0.000}");
            }

            foreach (var top in scoring.TopAtRisk.Take(3))
            {
                s.AppendLine(c, $"  {top.Customer.Value,-10} {top.ChurnProbability * 100,4:0}%  {top.Plan ?? "-",-12} {top.Mrr ?? 0m,8:N0} {code}/mo  {top.TenureMonths?.ToString(c) ?? "-",3} mo  {(top.Reasons.IsEmpty ? string.Empty : top.Reasons[0])}");
            }
        }

        if (r.Segmentation.Distribution is { } d)
        {
            s.AppendLine();
            s.AppendLine(c, $"Value segments ({d.Customers:N0} paying customers): {string.Join(" · ", d.Segments.Select(x => $"{x.Segment} {x.CustomerShare * 100:0}% of customers, {x.RevenueShare * 100:0}% of MRR"))}");
            if (r.Segmentation.Migration is { } m)
            {
                s.AppendLine(c, $"Since {m.From.ToString("uuuu-MM-dd", c)}: {m.Upgrades:N0} upgrades, {m.Downgrades:N0} downgrades, {m.Left.Sum():N0} left, {m.Entered.Sum():N0} new");
            }

            foreach (var mix in r.Segmentation.Mixes.Where(x => x.Segmentation is "persona" or "industry"))
            {
                s.AppendLine(c, $"{mix.Segmentation}: {string.Join(" · ", mix.Segments.Where(x => x.Customers > 0).Select(x => $"{x.Segment} {x.Customers:N0}"))}");
            }
        }

        var loyalty = r.Loyalty;
        if (loyalty.Members > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"Loyalty ({loyalty.Members:N0} members, {loyalty.Postings:N0} postings): tiers of today's {loyalty.ActiveCustomers:N0} customers {string.Join(" · ", loyalty.Tiers.Select(t => $"{t.Tier} {t.Customers:N0}"))}");
            var last = loyalty.Months.Where(m => m.Month.OnDayOfMonth(1) <= loyalty.AsOf).TakeLast(1).FirstOrDefault();
            if (last is not null)
            {
                s.AppendLine(c, $"Points in {last.Month.ToString("uuuu-MM", c)}: {last.Earned:N0} earned, {last.Redeemed:N0} redeemed, {last.Expired:N0} expired; {loyalty.Outstanding:N0} outstanding");
            }

            var f = loyalty.Referrals;
            s.AppendLine(c, $"Referrals (assumed {loyalty.AssumedReferredShare * 100:0}% of sign-ups): {f.CodesIssued:N0} codes · {f.Attributed:N0} attributed · {f.Qualified:N0} qualified · {f.Reversed:N0} reversed; reward cost {f.RewardCost.Amount:N0} {f.RewardCost.Currency.Code}");
        }

        if (r.Probabilistic.Purchases is { } purchases)
        {
            s.AppendLine();
            s.AppendLine(c, $"Purchases (BG/NBD, {ProbabilisticStage.HoldoutWeeks}-week hold-out from {purchases.CalibrationEnd.ToString("uuuu-MM-dd", c)}): {purchases.PredictedTotal:N0} predicted, {purchases.ActualTotal:N0} made · P(alive) ≥ 0.5 for {purchases.ProbabilityAlive.Count(a => a >= 0.5):N0} of {purchases.Customers:N0}{(purchases.Clv.IsEmpty ? string.Empty : $" · {ProbabilisticStage.ClvMonths}-month purchase CLV median {purchases.Clv[purchases.Clv.Length / 2]:N0} {code}")}");
        }

        if (!r.Probabilistic.Survival.IsEmpty)
        {
            s.AppendLine(c, $"Subscription survival by sign-up cohort (Kaplan–Meier): {string.Join(" · ", r.Probabilistic.Survival.Select(x => $"{x.Cohort} median {(x.Curve.Median is { } m ? m.ToString("0.#", c) + " mo" : "not reached")}"))}");
        }

        var today = r.Playbooks;
        if (today.Customers > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"Today's actions ({today.AsOf.ToString("uuuu-MM-dd", c)}): {today.Actions.Length:N0} steps for {today.Actions.Select(a => a.Customer).Distinct().Count():N0} of {today.Customers:N0} customers, {today.Started:N0} enrolments start; by channel {string.Join(" · ", today.ByChannel.Select(x => $"{x.Channel} {x.Due:N0}"))}");
            s.AppendLine(c, $"By playbook: {string.Join(" · ", today.ByPlaybook.Where(x => x.Due > 0).Take(8).Select(x => $"{x.Playbook} {x.Due:N0}"))}");
            foreach (var a in today.Actions.Take(5))
            {
                s.AppendLine(c, $"  {a.Customer} · {a.Playbook}/{a.Step} · {a.Channel} ({a.Owner}): {a.Subject}");
            }
        }

        return s.ToString();
    }

    private static string Pct(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";
}
