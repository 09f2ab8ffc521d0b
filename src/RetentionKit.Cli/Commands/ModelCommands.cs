using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using NodaTime.Text;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Output;
using RetentionKit.Metrics.Probabilistic;

namespace RetentionKit.Cli.Commands;

/// <summary>The probabilistic models' commands: <c>clv fit</c>, <c>clv predict</c>, <c>survival km</c> (a stable contract other tools call).</summary>
internal sealed partial class CliApplication
{
    /// <summary>Inputs from this size (about 40,000 summary rows) show their progress on a terminal.</summary>
    private const long LargeInputBytes = 1 << 20;

    /// <summary>The longest horizon <c>clv predict</c> takes: far past any planning horizon, in weeks or days alike.</summary>
    private const double MaxHorizon = 100_000;

    private Command Clv()
    {
        var model = new Option<string>("--model") { Description = "bgnbd, paretonbd, mbgnbd, bgbb, gammagamma or sbg.", Required = true };
        var penalizer = new Option<double>("--penalizer") { Description = "bgnbd, paretonbd, mbgnbd, bgbb: the weight of an L2 penalty on the log-parameters (0, the default, for none)." };
        var timeUnit = new Option<string?>("--time-unit") { Description = "The unit of the input's times (week, day …), written into the fit's JSON so that whoever loads it knows." };
        var input = new Option<string>("--input") { Description = "A CSV file with a header.", Required = true };
        var column = new Option<string?>("--column") { Description = "sbg: the column of survivors to fit." };
        var periods = new Option<int?>("--periods") { Description = "sbg: fit on periods 0..K; with --discount, the DERL after the K-th renewal." };
        var discount = new Option<double?>("--discount") { Description = "sbg: the discount rate per period for the DERL." };
        var fit = new Command("fit", Help(
            "Fit a model to a summary file and print its parameters. Input columns (by header name; others are ignored):" + Environment.NewLine
            + "  bgnbd       frequency, recency, T (or x, t_x, T): one row per customer" + Environment.NewLine
            + "  paretonbd   the same columns as bgnbd" + Environment.NewLine
            + "  mbgnbd      the same columns as bgnbd" + Environment.NewLine
            + "  bgbb        frequency, recency, periods (or n_periods), and weights (optional): one row per history, discrete time" + Environment.NewLine
            + "  gammagamma  frequency, monetary_value (or x, zbar): customers with frequency 0 are left out" + Environment.NewLine
            + "  sbg         year (or period) and the survivors column named by --column; needs --column and --periods, --discount optional",
            "retentionkit clv fit --model bgnbd --input cdnow.csv --json > fit.json",
            "retentionkit clv fit --model paretonbd --input cdnow.csv --time-unit week --json > pareto.json",
            "retentionkit clv fit --model bgbb --input donations.csv --penalizer 0.001",
            "retentionkit clv fit --model gammagamma --input cdnow_spend.csv",
            "retentionkit clv fit --model sbg --input survivors.csv --column regular --periods 7 --discount 0.1")) { model, input, column, periods, discount, penalizer, timeUnit };
        fit.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var table = ReadTable(Resolve(parse.GetValue(input)!), parse.GetValue(_json));
            var clock = Stopwatch.StartNew();
            Status(table, "Fitting");
            ((string Name, double Value)[] Parameters, FitReport Fit, double? Extra) fitted;
            var lambda = parse.GetValue(penalizer);
            Require(double.IsFinite(lambda) && lambda >= 0, "--penalizer must be 0 (none) or a positive number");
            try
            {
                fitted = parse.GetValue(model) switch
                {
                    "bgnbd" => FitCounts(table, h =>
                    {
                        var m = BgNbdModel.FitTo(h, penalizer: lambda);
                        return ([("r", m.R), ("alpha", m.Alpha), ("a", m.A), ("b", m.B)], m.Fit!);
                    }),
                    "paretonbd" => FitCounts(table, h =>
                    {
                        var m = ParetoNbdModel.FitTo(h, penalizer: lambda);
                        return ([("r", m.R), ("alpha", m.Alpha), ("s", m.S), ("beta", m.Beta)], m.Fit!);
                    }),
                    "mbgnbd" => FitCounts(table, h =>
                    {
                        var m = MbgNbdModel.FitTo(h, penalizer: lambda);
                        return ([("r", m.R), ("alpha", m.Alpha), ("a", m.A), ("b", m.B)], m.Fit!);
                    }),
                    "bgbb" => FitBgBb(table, lambda),
                    "gammagamma" => FitGammaGamma(table),
                    "sbg" => FitSbg(table, parse.GetValue(column), parse.GetValue(periods), parse.GetValue(discount)),
                    var other => throw new ConfigurationProblem($"--model must be bgnbd, paretonbd, mbgnbd, bgbb, gammagamma or sbg, not '{other}'"),
                };
            }
            catch (ModelFitException e)
            {
                throw new DataProblem(string.Create(CultureInfo.InvariantCulture, $"{table.Path}: {e.Message.TrimEnd('.')} on {table.Rows.Count:N0} rows; the data may be too few or too alike for this model"));
            }
            catch (ArgumentException e) when (e.ParamName is "customers" or "survivors")
            {
                throw new DataProblem($"{table.Path}: {CsvFiles.FirstSentence(e.Message)}");
            }

            var (parameters, fitReport, extra) = fitted;
            var seconds = clock.Elapsed.TotalSeconds;
            var u = fitReport.Uncertainty;
            Done();
            if (parse.GetValue(_json))
            {
                var n = parameters.Length;
                stdout.WriteLine(JsonSerializer.Serialize(
                    new ModelFitOutput(parse.GetValue(model)!, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal), fitReport.LogLikelihood, fitReport.Converged, fitReport.Iterations, fitReport.GradientNorm, seconds)
                    {
                        Derl = extra,
                        StandardErrors = u is null ? null : parameters.Select((p, i) => (p.Name, u.StandardErrors[i])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal),
                        Intervals = u is null ? null : parameters.Select((p, i) => (p.Name, u.Interval(i))).ToDictionary(x => x.Name, x => new[] { x.Item2.Lower, x.Item2.Upper }, StringComparer.Ordinal),
                        LogCovariance = u is null ? null : [.. Enumerable.Range(0, n * n).Select(k => u.LogCovariance(k / n, k % n))],
                        Customers = parse.GetValue(model) is "sbg" ? null : CustomersOf(table, parse.GetValue(model)!),
                        TimeUnit = parse.GetValue(timeUnit),
                    },
                    OutputJsonContext.Default.ModelFitOutput));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{parse.GetValue(model)}: {string.Join(", ", parameters.Select((p, i) => $"{p.Name} = {p.Value:0.######}" + (u is null ? string.Empty : $" (se {u.StandardErrors[i]:0.####}, 90 % {u.Interval(i).Lower:0.####}–{u.Interval(i).Upper:0.####})")))}"));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log-likelihood {fitReport.LogLikelihood:0.###}, {fitReport.Iterations} iterations, gradient norm {fitReport.GradientNorm:G3}, {seconds:0.###} s{(extra is { } d ? $", DERL {d:0.####}" : string.Empty)}"));
            }

            return Success;
        }));

        var paramsOption = new Option<string>("--params") { Description = "The fitted model as JSON — the output of clv fit --json (its \"model\" says which: bgnbd, paretonbd, mbgnbd or bgbb), or bare BG/NBD parameters {\"r\":…,\"alpha\":…,\"a\":…,\"b\":…} — or the path of a file holding it.", Required = true };
        var horizon = new Option<double>("--horizon") { Description = $"The time ahead, in the data's units: 0 to {MaxHorizon:N0} (a whole number of periods for bgbb).", Required = true };
        var predictInput = new Option<string>("--input") { Description = "A CSV file with frequency, recency and T (bgbb: frequency, recency and periods).", Required = true };
        var predict = new Command("predict", Help(
            "Expected purchases in the horizon and P(alive) for every row of a summary file (frequency, recency, T; for a BG/BB model frequency, recency, periods; an ID, id or customer column names the rows).",
            "retentionkit clv predict --input cdnow.csv --params fit.json --horizon 39",
            "retentionkit clv predict --input cdnow.csv --params '{\"r\":0.243,\"alpha\":4.414,\"a\":0.793,\"b\":2.426}' --horizon 52 --json",
            "retentionkit clv predict --input donations.csv --params bgbb.json --horizon 5")) { predictInput, paramsOption, horizon };
        predict.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var parameters = parse.GetValue(paramsOption)!;
            var kind = ModelKind("--params", parameters);
            var t = parse.GetValue(horizon);
            if (!double.IsFinite(t) || t < 0 || t > MaxHorizon)
            {
                throw new UsageProblem(string.Create(CultureInfo.InvariantCulture, $"--horizon must be between 0 and {MaxHorizon:N0} (in the data's units); got {t}"));
            }

            var path = Resolve(parse.GetValue(predictInput)!);
            return kind switch
            {
                "bgnbd" => PredictInBatches(path, kind, ParseParameters(parameters).Predict, t, parse.GetValue(_json)),
                "paretonbd" => PredictInBatches(path, kind, Model("--params", parameters, ["r", "alpha", "s", "beta"], p => new ParetoNbdModel(p[0], p[1], p[2], p[3])).Predict, t, parse.GetValue(_json)),
                "mbgnbd" => PredictInBatches(path, kind, Model("--params", parameters, ["r", "alpha", "a", "b"], p => new MbgNbdModel(p[0], p[1], p[2], p[3])).Predict, t, parse.GetValue(_json)),
                "bgbb" => PredictDiscrete(path, Model("--params", parameters, ["alpha", "beta", "gamma", "delta"], p => new BgBbModel(p[0], p[1], p[2], p[3])), t, parse.GetValue(_json)),
                var other => throw new UsageProblem($"--params holds a {other} model; clv predict takes bgnbd, paretonbd, mbgnbd or bgbb (clv value takes gammagamma)"),
            };
        }));

        var valueInput = new Option<string>("--input") { Description = "A CSV file with frequency, recency, T and monetary_value (or x, t_x, T, zbar); an ID, id or customer column names the rows.", Required = true };
        var bgnbdOption = new Option<string>("--bgnbd") { Description = "The BG/NBD parameters as JSON ({\"r\":…,\"alpha\":…,\"a\":…,\"b\":…} or clv fit's output) or the path of a file holding them.", Required = true };
        var spendOption = new Option<string>("--gammagamma") { Description = "The Gamma-Gamma parameters as JSON ({\"p\":…,\"q\":…,\"gamma\":…} or clv fit's output) or the path of a file holding them.", Required = true };
        var months = new Option<int>("--months") { Description = "The horizon in months, 1 to 1,200.", DefaultValueFactory = _ => 12 };
        var monthlyDiscount = new Option<double>("--discount") { Description = "The discount rate per month, 0 or more.", DefaultValueFactory = _ => 0.01 };
        var margin = new Option<double>("--margin") { Description = "The margin on revenue, 0 to 1.", DefaultValueFactory = _ => 1d };
        var unitsPerMonth = new Option<double>("--units-per-month") { Description = "The data's time units in a month: 4.345 for weeks, 30.44 for days.", DefaultValueFactory = _ => 4.345 };
        var value = new Command("value", Help(
            "Each customer's expected spend per purchase (Gamma-Gamma) and CLV over the horizon (BG/NBD × Gamma-Gamma, discounted monthly).",
            "retentionkit clv value --input cdnow.csv --bgnbd bgnbd.json --gammagamma spend.json",
            "retentionkit clv value --input cdnow.csv --bgnbd bgnbd.json --gammagamma spend.json --months 24 --discount 0.01 --margin 0.3 --json"))
        {
            valueInput, bgnbdOption, spendOption, months, monthlyDiscount, margin, unitsPerMonth,
        };
        value.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var purchases = Model("--bgnbd", parse.GetValue(bgnbdOption)!, ["r", "alpha", "a", "b"], p => new BgNbdModel(p[0], p[1], p[2], p[3]));
            var spend = Model("--gammagamma", parse.GetValue(spendOption)!, ["p", "q", "gamma"], p => new GammaGammaModel(p[0], p[1], p[2]));
            var (horizon, discountRate, marginRate, units) = (parse.GetValue(months), parse.GetValue(monthlyDiscount), parse.GetValue(margin), parse.GetValue(unitsPerMonth));
            Require(horizon is >= 1 and <= 1200, "--months must be between 1 and 1,200");
            Require(double.IsFinite(discountRate) && discountRate >= 0, "--discount must be 0 or more");
            Require(marginRate is >= 0 and <= 1, "--margin must be between 0 and 1");
            Require(double.IsFinite(units) && units > 0, "--units-per-month must be positive");
            var table = ReadTable(Resolve(parse.GetValue(valueInput)!), parse.GetValue(_json));
            var rows = Histories(table).ToArray();
            var m = table.Column("monetary_value", "zbar");
            var means = Enumerable.Range(0, rows.Length).Select(i => table.Number(i, m)).ToArray();
            for (var i = 0; i < rows.Length; i++)
            {
                if (rows[i].History.Frequency > 0 && !(double.IsFinite(means[i]) && means[i] > 0))
                {
                    throw new DataFormatException(table.Path, i + 2, m + 1, $"monetary_value must be positive for a customer with repeat purchases; got {means[i].ToString(CultureInfo.InvariantCulture)}");
                }
            }

            Status(table, "Valuing");
            var clv = new double[rows.Length];
            ProbabilisticClv.Values(purchases, spend, [.. rows.Select(r => r.History)], means, horizon, discountRate, marginRate, clv, units);
            var expectedSpend = rows.Select((r, i) => spend.ConditionalExpectedValue(new SpendHistory(r.History.Frequency, means[i]))).ToArray();
            Done();
            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(
                    new ClvValueOutput("bgnbd+gammagamma", horizon, discountRate, marginRate, [.. rows.Select((r, i) => new ClvValueRowOutput(r.Id, expectedSpend[i], clv[i]))]),
                    OutputJsonContext.Default.ClvValueOutput));
            }
            else
            {
                stdout.WriteLine("id\texpected spend\tCLV");
                for (var i = 0; i < rows.Length; i++)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows[i].Id}\t{expectedSpend[i]:0.00}\t{clv[i]:0.00}"));
                }
            }

            return Success;
        }));

        var log = new Option<string>("--input") { Description = "A transaction log: customer_id, date (yyyy-MM-dd), amount — the analyze data's transactions.csv.", Required = true };
        var calibrationEnd = new Option<string>("--calibration-end") { Description = "The last day of the calibration period (yyyy-MM-dd).", Required = true };
        var observationEnd = new Option<string>("--observation-end") { Description = "The last day of the hold-out period (yyyy-MM-dd).", Required = true };
        var periodDays = new Option<double>("--period-days") { Description = "The days in one time unit of the histories (7, the default: weeks).", DefaultValueFactory = _ => 7 };
        var comparePenalizer = new Option<double>("--penalizer") { Description = "The L2 penalty of every fit (0, the default, for none)." };
        var compare = new Command("compare", Help(
            "Fit BG/NBD, Pareto/NBD and MBG/NBD on a calibration period of a transaction log and judge them on the hold-out period after it: log-likelihood, AIC and BIC, predicted against actual hold-out purchases by calibration frequency and in total; the winner is the model whose predictions by frequency are closest.",
            "retentionkit clv compare --input transactions.csv --calibration-end 1997-09-30 --observation-end 1998-06-30",
            "retentionkit clv compare --input transactions.csv --calibration-end 2025-06-30 --observation-end 2025-12-31 --period-days 1 --json")) { log, calibrationEnd, observationEnd, periodDays, comparePenalizer };
        compare.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var (from, to) = (AsOf(parse.GetValue(calibrationEnd)!, "--calibration-end"), AsOf(parse.GetValue(observationEnd)!, "--observation-end"));
            Require(to > from, "--observation-end must be after --calibration-end");
            var days = parse.GetValue(periodDays);
            Require(double.IsFinite(days) && days > 0, "--period-days must be a positive number of days");
            var lambda = parse.GetValue(comparePenalizer);
            Require(double.IsFinite(lambda) && lambda >= 0, "--penalizer must be 0 (none) or a positive number");
            var path = Resolve(parse.GetValue(log)!);
            var transactions = CsvFiles.ReadTransactions(path);
            var split = CalibrationHoldoutSplit.From(transactions, from, to, days);
            if (transactions.Length > 0 && transactions.Max(t => t.Date) is var last && last < to)
            {
                // Not an error (a log may simply be quiet at its end), but a hold-out that runs past the data counts
                // days nobody could have bought on as days without purchases.
                stderr.WriteLine($"warning: the log's latest transaction is {LocalDatePattern.Iso.Format(last)}, before --observation-end {LocalDatePattern.Iso.Format(to)}: the hold-out's days after it count as days without purchases.");
            }
            if (split.Customers.Length < 4)
            {
                throw new DataProblem(string.Create(CultureInfo.InvariantCulture, $"{path}: {split.Customers.Length} customers bought in the calibration period; comparing models of four parameters needs at least four"));
            }

            var comparison = ModelComparison.Compare(split, lambda);
            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(ModelComparisonOutput.From(comparison, from, to, days), OutputJsonContext.Default.ModelComparisonOutput));
            }
            else
            {
                stdout.Write(ComparisonTable(comparison));
            }

            return Success;
        }));

        return new Command("clv", Help("Probabilistic customer-lifetime models (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB, Gamma-Gamma, shifted-beta-geometric).", "retentionkit clv fit --help", "retentionkit clv predict --help", "retentionkit clv compare --help", "retentionkit clv value --help")) { fit, predict, compare, value };
    }

    private Command Survival()
    {
        var input = new Option<string>("--input") { Description = "A CSV file with a header.", Required = true };
        var time = new Option<string>("--time") { Description = "The column of times.", Required = true };
        var eventColumn = new Option<string>("--event") { Description = "The column that is 1 when the event happened, 0 when censored.", Required = true };
        var group = new Option<string?>("--group") { Description = "A column to estimate one curve per value of." };
        var km = new Command("km", Help("Kaplan–Meier survival with Greenwood standard errors and 95 % intervals.", "retentionkit survival km --input trial.csv --time weeks --event relapsed", "retentionkit survival km --input trial.csv --time weeks --event relapsed --group arm --json")) { input, time, eventColumn, group };
        km.SetAction(parse => Guarded(parse.GetValue(_json), () =>
        {
            var table = ReadTable(Resolve(parse.GetValue(input)!), parse.GetValue(_json));
            Status(table, "Estimating");
            var (ti, ei) = (table.Column(parse.GetValue(time)!), table.Column(parse.GetValue(eventColumn)!));
            var gi = parse.GetValue(group) is { } g ? table.Column(g) : -1;
            var observations = table.Rows.Select((r, i) => (Group: gi < 0 ? "all" : (string)r[gi], Observation: new SurvivalObservation(table.Number(i, ti), table.Number(i, ei) switch
            {
                1 => true,
                0 => false,
                var v => throw new DataFormatException(table.Path, i + 2, ei + 1, $"the event column must be 0 or 1, not {v}"),
            })));
            var curves = KaplanMeierCurve.ByGroup(observations);
            Done();
            if (parse.GetValue(_json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(
                    new SurvivalModelOutput("kaplan-meier", curves.ToDictionary(
                        g => g.Key.ToString()!,
                        g => new SurvivalCurveOutput(g.Value.Subjects, g.Value.Median, [.. g.Value.Steps.Select(x => new SurvivalStepOutput(x.Time, x.AtRisk, x.Events, x.Survival, x.StandardError, x.Lower, x.Upper))]),
                        StringComparer.Ordinal)),
                    OutputJsonContext.Default.SurvivalModelOutput));
            }
            else
            {
                foreach (var (name, curve) in curves)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {curve.Subjects} subjects, median {(curve.Median is { } m ? m.ToString("0.##", CultureInfo.InvariantCulture) : "not reached")}"));
                    stdout.WriteLine("time\tat risk\tevents\tS(t)\tSE\t95% interval");
                    foreach (var s in curve.Steps)
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Time:0.##}\t{s.AtRisk}\t{s.Events}\t{s.Survival:0.0000}\t{s.StandardError:0.0000}\t{s.Lower:0.0000}–{s.Upper:0.0000}"));
                    }
                }
            }

            return Success;
        }));

        return new Command("survival", Help("Survival analysis.", "retentionkit survival km --help")) { km };
    }

    /// <summary>The comparison as a reader sees it: one row per model, then each model's hold-out by calibration frequency.</summary>
    private static string ComparisonTable(ModelComparison c)
    {
        var text = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(string.Create(inv, $"{c.Customers:N0} customers; hold-out {c.HoldoutLength:0.##} time units, {c.ActualHoldoutPurchases:N0} purchases"));
        text.AppendLine("model	log-likelihood	AIC	BIC	predicted	error by frequency");
        foreach (var m in c.Models)
        {
            text.AppendLine(m.Failure is { } why
                ? $"{m.Model}	not fitted: {why}"
                : string.Create(inv, $"{m.Model}	{m.LogLikelihood:0.00}	{m.Aic:0.0}	{m.Bic:0.0}	{m.PredictedHoldoutPurchases:N0}	{m.BinError:0.000}"));
        }

        text.AppendLine();
        text.AppendLine("calibration purchases	customers	actual	" + string.Join("\t", c.Models.Where(m => m.Failure is null).Select(m => m.Model)));
        var fitted = c.Models.Where(m => m.Failure is null).ToArray();
        for (var b = 0; fitted.Length > 0 && b < fitted[0].ByFrequency.Length; b++)
        {
            var bin = fitted[0].ByFrequency[b];
            text.AppendLine(string.Create(inv, $"{bin.Frequency}{(bin.Frequency == ModelComparison.TopFrequency ? "+" : string.Empty)}	{bin.Customers:N0}	{bin.Actual:0.00}	") + string.Join("\t", fitted.Select(m => m.ByFrequency[b].Predicted.ToString("0.00", inv))));
        }

        text.AppendLine();
        text.AppendLine(c.Winner is { } w ? $"Winner: {w} (its hold-out predictions by calibration frequency are closest)." : "No model could be fitted.");
        return text.ToString().ReplaceLineEndings();
    }

    /// <summary>Predictions of a BG/BB model for a file of discrete histories (frequency, recency, periods).</summary>
    private int PredictDiscrete(string path, BgBbModel model, double horizon, bool json)
    {
        Require(horizon == Math.Floor(horizon), "--horizon must be a whole number of periods for a BG/BB model");
        var table = ReadTable(path, json);
        var (histories, _) = DiscreteHistories(table);
        var id = table.TryColumn("ID", "id", "customer");
        var periods = (int)horizon;
        var rows = histories.Select((h, i) => (Id: id >= 0 ? table.Rows[i][id] : (i + 1).ToString(CultureInfo.InvariantCulture), Expected: model.ConditionalExpectedTransactions(periods, h), Alive: model.ProbabilityAlive(h))).ToArray();
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new PredictionOutput("bgbb", horizon, [.. rows.Select(r => new PredictionRowOutput(r.Id, r.Expected, r.Alive))]), OutputJsonContext.Default.PredictionOutput));
        }
        else
        {
            stdout.WriteLine("id\texpected transactions\tP(alive)");
            foreach (var r in rows)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Id}\t{r.Expected:0.0000}\t{r.Alive:0.0000}"));
            }
        }

        return Success;
    }

    /// <summary>A count model (BG/NBD, Pareto/NBD, MBG/NBD) fitted on a summary file's histories.</summary>
    private static ((string Name, double Value)[] Parameters, FitReport Fit, double? Extra) FitCounts(Table table, Func<PurchaseHistory[], ((string Name, double Value)[] Parameters, FitReport Fit)> fit)
    {
        var (parameters, report) = fit([.. Histories(table).Select(h => h.History)]);
        return (parameters, report, null);
    }

    private static ((string Name, double Value)[] Parameters, FitReport Fit, double? Extra) FitBgBb(Table table, double penalizer)
    {
        var (histories, weights) = DiscreteHistories(table);
        var model = BgBbModel.FitTo(histories, weights, penalizer: penalizer);
        return ([("alpha", model.Alpha), ("beta", model.Beta), ("gamma", model.Gamma), ("delta", model.Delta)], model.Fit!, null);
    }

    /// <summary>The customers a fit read: rows, or the weights' sum for a BG/BB file with weights.</summary>
    private static double CustomersOf(Table table, string model) =>
        model == "bgbb" ? DiscreteHistories(table).Weights.Sum()
        : model == "gammagamma" ? Enumerable.Range(0, table.Rows.Count).Count(i => table.Number(i, table.Column("frequency", "x")) > 0)
        : table.Rows.Count;

    /// <summary>A BG/BB file's histories (frequency, recency, periods) and weights (a weights column, or one each).</summary>
    private static (DiscretePurchaseHistory[] Histories, double[] Weights) DiscreteHistories(Table table)
    {
        var (x, tx, n) = (table.Column("frequency", "x"), table.Column("recency", "t_x"), table.Column("periods", "n_periods"));
        var w = table.TryColumn("weights", "weight", "count");
        var histories = new DiscretePurchaseHistory[table.Rows.Count];
        var weights = new double[table.Rows.Count];
        for (var i = 0; i < histories.Length; i++)
        {
            histories[i] = new DiscretePurchaseHistory(WholeNumber(table, i, x), WholeNumber(table, i, tx), WholeNumber(table, i, n));
            try
            {
                histories[i].Validate("input");
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new DataFormatException(table.Path, i + 2, 1, e.Message.Split(" (Parameter")[0]);
            }

            weights[i] = w < 0 ? 1 : table.Number(i, w);
            if (!(weights[i] > 0 && double.IsFinite(weights[i])))
            {
                throw new DataFormatException(table.Path, i + 2, w + 1, "the weight must be a positive number");
            }
        }

        return (histories, weights);
    }

    private static int WholeNumber(Table table, int row, int column)
    {
        var value = table.Number(row, column);
        return value == Math.Floor(value) && value is >= 0 and <= int.MaxValue
            ? (int)value
            : throw new DataFormatException(table.Path, row + 2, column + 1, $"column '{table.Header[column]}' must be a whole number, 0 or more");
    }

    private static ((string Name, double Value)[] Parameters, FitReport Fit, double? Extra) FitGammaGamma(Table table)
    {
        var (x, m) = (table.Column("frequency", "x"), table.Column("monetary_value", "zbar"));
        var spend = Enumerable.Range(0, table.Rows.Count).Select(i => new SpendHistory(table.Number(i, x), table.Number(i, m))).Where(s => s.Frequency > 0).ToList();
        var model = GammaGammaModel.FitTo(spend);
        return ([("p", model.P), ("q", model.Q), ("gamma", model.Gamma)], model.Fit!, null);
    }

    private static ((string Name, double Value)[] Parameters, FitReport Fit, double? Extra) FitSbg(Table table, string? column, int? periods, double? discount)
    {
        if (column is null || periods is null)
        {
            throw new ConfigurationProblem("--model sbg needs --column and --periods");
        }

        var period = table.Column("year", "period");
        var survivors = table.Column(column);
        var rows = Enumerable.Range(0, table.Rows.Count).Select(i => (Period: table.Number(i, period), Survivors: table.Number(i, survivors))).OrderBy(r => r.Period).Where(r => r.Period <= periods).Select(r => r.Survivors).ToList();
        var model = ShiftedBetaGeometricModel.FitTo(rows);
        return ([("alpha", model.Alpha), ("beta", model.Beta)], model.Fit!, discount is { } d ? model.DiscountedExpectedResidualLifetime(periods.Value, d) : null);
    }

    private static IEnumerable<(string Id, PurchaseHistory History)> Histories(Table table)
    {
        var (x, tx, t) = (table.Column("frequency", "x"), table.Column("recency", "t_x"), table.Column("T"));
        var id = table.TryColumn("ID", "id", "customer");
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var history = new PurchaseHistory(table.Number(i, x), table.Number(i, tx), table.Number(i, t));
            try
            {
                history.Validate("input");
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new DataFormatException(table.Path, i + 2, 1, e.Message.Split(" (Parameter")[0]);
            }

            yield return (id >= 0 ? table.Rows[i][id] : (i + 1).ToString(CultureInfo.InvariantCulture), history);
        }
    }

    private static void Require(bool rule, string message)
    {
        if (!rule)
        {
            throw new UsageProblem(message);
        }
    }

    /// <summary>The model a parameters option names ("model" in clv fit's output); bgnbd for bare parameters.</summary>
    private string ModelKind(string option, string value)
    {
        var json = JsonText(option, value, "{\"model\":…,\"parameters\":{…}}");
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
                ? model.GetString()!
                : "bgnbd";
        }
        catch (JsonException)
        {
            return "bgnbd"; // the parameters' own reading reports the error, with its position
        }
    }

    /// <summary>An option's JSON: the value itself, or the file it names.</summary>
    private string JsonText(string option, string value, string example)
    {
        if (value.TrimStart().StartsWith('{'))
        {
            return value;
        }

        var path = Resolve(value);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new UsageProblem($"{option}: '{value}' is neither JSON nor a file; give {example} or the path of a file holding it");
    }

    /// <summary>The BG/NBD parameters from JSON, or from the file the option names (as its help says).</summary>
    private BgNbdModel ParseParameters(string value) =>
        Model("--params", value, ["r", "alpha", "a", "b"], p => new BgNbdModel(p[0], p[1], p[2], p[3]));

    /// <summary>
    /// A model from its parameters as JSON (bare, or the output of <c>clv fit --json</c> with a "parameters" object),
    /// or from the file the option names; a parameter the model refuses is named as the JSON names it.
    /// </summary>
    private T Model<T>(string option, string value, string[] names, Func<double[], T> build)
    {
        var json = JsonText(option, value, "{" + string.Join(",", names.Select(n => $"\"{n}\":…")) + "}");

        double[] parameters;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement.TryGetProperty("parameters", out var inner) ? inner : document.RootElement;
            parameters = [.. names.Select(n => root.GetProperty(n).GetDouble())];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            var names2 = string.Join(", ", names[..^1]) + " and " + names[^1];
            throw new UsageProblem($"{option} must be JSON with the numbers {names2}" + (e is JsonException j && j.LineNumber is { } line ? $" (line {line + 1}, byte {j.BytePositionInLine + 1})" : e is KeyNotFoundException ? string.Empty : $" ({e.Message.TrimEnd('.')})"));
        }

        try
        {
            return build(parameters);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageProblem($"{option}: {e.ParamName!.ToLowerInvariant()} must be positive and finite; got {((double)e.ActualValue!).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Reads a CSV table; a large file shows its progress on a terminal (never with --json).</summary>
    private Table ReadTable(string path, bool json)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, 0, 0, "no such file");
        }

        using var stream = File.OpenRead(path);
        using var reader = new StreamReader(stream);

        // A pipe (/dev/stdin) has no length: it is read without a percentage.
        var length = stream.CanSeek ? stream.Length : 0;
        var progress = !json && length >= LargeInputBytes ? Progress("Reading") : null;
        var lines = new List<string[]>();
        string[]? header = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',').Select(v => v.Trim()).ToArray();
            if (header is null)
            {
                header = fields;
                continue;
            }

            lines.Add(fields);
            if (progress is not null && lines.Count % 16_384 == 0)
            {
                progress.Report((double)stream.Position / length);
            }
        }

        if (progress is not null)
        {
            progress.Report(1);
            Done();
        }

        return header is null
            ? throw new DataFormatException(path, 1, 1, "the file is empty; it needs a header")
            : new Table(path, header, lines) { Large = progress is not null };
    }

    /// <summary>On a large input, names the step under way (a fit has no percentage to show).</summary>
    private void Status(Table table, string label)
    {
        if (table.Large)
        {
            stderr.Write($"\r{label}…" + new string(' ', 20));
        }
    }

    /// <summary>A CSV table read by header names.</summary>
    private sealed record Table(string Path, string[] Header, List<string[]> Rows)
    {
        /// <summary>Gets a value indicating whether the input is large enough to show progress for (and we may).</summary>
        public bool Large { get; init; }

        public int TryColumn(params string[] names) =>
            names.Select(n => Array.FindIndex(Header, h => string.Equals(h, n, StringComparison.Ordinal))).FirstOrDefault(i => i >= 0, -1);

        public int Column(params string[] names) =>
            TryColumn(names) is var i and >= 0 ? i : throw new DataFormatException(Path, 1, 1, $"the header has no column {string.Join(" or ", names.Select(n => $"'{n}'"))}");

        public double Number(int row, int column) =>
            Rows[row].Length > column && double.TryParse(Rows[row][column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new DataFormatException(Path, row + 2, column + 1, $"column '{Header[column]}' is not a number");
    }
}
