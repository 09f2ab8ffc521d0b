using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using RetentionKit.Cli.Commands;
using RetentionKit.Metrics.Probabilistic;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>The models' command contract (other tools call it): clv fit, clv predict, survival km.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rk-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args) => Run(false, args);

    private (int Code, string Out, string Err) Run(bool interactive, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = new CliApplication(stdout, stderr, _dir, interactive).Run(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Cdnow => Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary.csv");

    [Fact]
    public void ClvFit_BgNbd_PrintsTheContractJson_WithThePublishedParameters()
    {
        var (code, json, _) = Run("clv", "fit", "--model", "bgnbd", "--input", Cdnow, "--json");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var p = root.GetProperty("parameters");
        Assert.Equal(0, code);
        Assert.Equal("bgnbd", root.GetProperty("model").GetString());
        Assert.Equal((0.243, 4.414, 0.793, 2.426), (Math.Round(p.GetProperty("r").GetDouble(), 3), Math.Round(p.GetProperty("alpha").GetDouble(), 3), Math.Round(p.GetProperty("a").GetDouble(), 3), Math.Round(p.GetProperty("b").GetDouble(), 3)));
        Assert.Equal(-9582.43, root.GetProperty("logLikelihood").GetDouble(), 2);
        Assert.True(root.GetProperty("converged").GetBoolean());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void ClvFit_ReadsTheAliases_AndIgnoresOtherColumns()
    {
        File.WriteAllLines(Path.Combine(_dir, "aliased.csv"), ["note,x,t_x,T,zbar", .. File.ReadLines(Cdnow).Skip(1).Select(l => l.Split(',')).Select(f => $"n,{f[1]},{f[2]},{f[3]},1")]);

        using var document = JsonDocument.Parse(Run("clv", "fit", "--model", "bgnbd", "--input", "aliased.csv", "--json").Out);

        Assert.Equal(0.243, Math.Round(document.RootElement.GetProperty("parameters").GetProperty("r").GetDouble(), 3));
    }

    [Fact]
    public void ClvFit_Sbg_WithDiscount_GivesAlphaBetaAndDerl()
    {
        File.WriteAllLines(Path.Combine(_dir, "sbg.csv"), ["year,regular,high_end", "0,1000,1000", "1,631,869", "2,468,743", "3,382,653", "4,326,593", "5,289,551", "6,262,517", "7,241,491", "8,223,468"]);

        using var document = JsonDocument.Parse(Run("clv", "fit", "--model", "sbg", "--input", "sbg.csv", "--column", "regular", "--periods", "7", "--discount", "0.1", "--json").Out);
        var root = document.RootElement;

        Assert.Equal(0.704, Math.Round(root.GetProperty("parameters").GetProperty("alpha").GetDouble(), 3));
        Assert.Equal(1.182, Math.Round(root.GetProperty("parameters").GetProperty("beta").GetDouble(), 3));
        var derl = root.GetProperty("derl").GetDouble();
        Assert.Equal(new Metrics.Probabilistic.ShiftedBetaGeometricModel(root.GetProperty("parameters").GetProperty("alpha").GetDouble(), root.GetProperty("parameters").GetProperty("beta").GetDouble()).DiscountedExpectedResidualLifetime(7, 0.1), derl, 9);
    }

    [Fact]
    public void ClvPredict_GivesExpectedPurchasesAndPAlive_PerRow()
    {
        using var document = JsonDocument.Parse(Run("clv", "predict", "--input", Cdnow, "--params", """{"r":0.2426,"alpha":4.4135,"a":0.7929,"b":2.4258}""", "--horizon", "39", "--json").Out);
        var rows = document.RootElement.GetProperty("predictions").EnumerateArray().ToList();

        Assert.Equal(2357, rows.Count);
        Assert.Equal(1.226, rows[0].GetProperty("expectedPurchases").GetDouble(), 3);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("pAlive").GetDouble(), 0, 1));
    }

    private static string Donations => Path.Combine(AppContext.BaseDirectory, "Data", "bgbb_donations.csv");

    /// <summary>CDNOW's raw log as the data set's transactions file (customer_id, date, amount).</summary>
    private string CdnowLog()
    {
        var path = Path.Combine(_dir, "transactions.csv");
        File.WriteAllLines(path, ["customer_id,date,amount", .. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "CDNOW_sample.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => $"{f[1]},{f[2][..4]}-{f[2][4..6]}-{f[2][6..]},{f[4]}")]);
        return path;
    }

    [Theory]
    [InlineData("paretonbd", "r,alpha,s,beta", 0.553, -9594.97)]
    [InlineData("mbgnbd", "r,alpha,a,b", 0.525, -9582.13)]
    public void ClvFit_TheOtherCountModels_GiveTheirParametersStandardErrorsAndIntervals(string model, string names, double r, double logLikelihood)
    {
        var (code, json, _) = Run("clv", "fit", "--model", model, "--input", Cdnow, "--time-unit", "week", "--json");

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(0, code);
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.Equal(names.Split(','), root.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(r, root.GetProperty("parameters").GetProperty("r").GetDouble(), 3);
        Assert.Equal(logLikelihood, root.GetProperty("logLikelihood").GetDouble(), 2);
        foreach (var name in names.Split(','))
        {
            var value = root.GetProperty("parameters").GetProperty(name).GetDouble();
            var interval = root.GetProperty("intervals").GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(root.GetProperty("standardErrors").GetProperty(name).GetDouble() > 0);
            Assert.True(interval[0] < value && value < interval[1]);
        }

        Assert.Equal(16, root.GetProperty("logCovariance").GetArrayLength());
        Assert.Equal((2_357, "week"), (root.GetProperty("customers").GetDouble(), root.GetProperty("timeUnit").GetString()));
    }

    [Fact]
    public void ClvFit_BgBb_ReadsWeightedDiscreteHistories_AndPredictLoadsItsOutput()
    {
        var (code, fit, _) = Run("clv", "fit", "--model", "bgbb", "--input", Donations, "--json");
        File.WriteAllText(Path.Combine(_dir, "bgbb.json"), fit);
        using var document = JsonDocument.Parse(fit);

        Assert.Equal(0, code);
        Assert.Equal(1.204, document.RootElement.GetProperty("parameters").GetProperty("alpha").GetDouble(), 3);
        Assert.Equal(11_104, document.RootElement.GetProperty("customers").GetDouble());

        // The saved fit is what clv predict loads: "model" says BG/BB, the horizon is in periods.
        using var predicted = JsonDocument.Parse(Run("clv", "predict", "--input", Donations, "--params", "bgbb.json", "--horizon", "5", "--json").Out);
        var rows = predicted.RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        var model = SavedModel.FromJson(fit).ToBgBb();
        Assert.Equal("bgbb", predicted.RootElement.GetProperty("model").GetString());
        Assert.Equal(22, rows.Length);
        Assert.Equal(model.ConditionalExpectedTransactions(5, new DiscretePurchaseHistory(0, 0, 6)), rows[0].GetProperty("expectedPurchases").GetDouble(), 12);
        Assert.Equal(model.ProbabilityAlive(new DiscretePurchaseHistory(6, 6, 6)), rows.Last().GetProperty("pAlive").GetDouble(), 12);
        Assert.Equal(2, Run("clv", "predict", "--input", Donations, "--params", "bgbb.json", "--horizon", "2.5").Code);
    }

    [Fact]
    public void ClvPredict_LoadsAParetoNbdFit_AndPredictsAsTheLibrary()
    {
        File.WriteAllText(Path.Combine(_dir, "pareto.json"), Run("clv", "fit", "--model", "paretonbd", "--input", Cdnow, "--json").Out);

        using var document = JsonDocument.Parse(Run("clv", "predict", "--input", Cdnow, "--params", "pareto.json", "--horizon", "39", "--json").Out);
        var first = document.RootElement.GetProperty("predictions")[0];
        var model = SavedModel.FromJson(File.ReadAllText(Path.Combine(_dir, "pareto.json"))).ToParetoNbd();

        Assert.Equal("paretonbd", document.RootElement.GetProperty("model").GetString());
        Assert.Equal(model.ConditionalExpectedPurchases(39, new PurchaseHistory(2, 30.43, 38.86)), first.GetProperty("expectedPurchases").GetDouble(), 12);
        Assert.Equal(model.ProbabilityAlive(new PurchaseHistory(2, 30.43, 38.86)), first.GetProperty("pAlive").GetDouble(), 12);
    }

    [Fact]
    public void ClvPredict_AModelItCannotPredictWith_ExitsTwoSayingWhichItTakes()
    {
        var (code, _, err) = Run("clv", "predict", "--input", Cdnow, "--params", """{"model":"gammagamma","parameters":{"p":6.25,"q":3.74,"gamma":15.44}}""", "--horizon", "39");

        Assert.Equal(2, code);
        Assert.Contains("clv predict takes bgnbd, paretonbd, mbgnbd or bgbb", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ClvCompare_OnCdnow_TablesTheThreeModels_AndNamesTheWinner()
    {
        var log = CdnowLog();

        var (code, text, _) = Run("clv", "compare", "--input", log, "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30");
        using var document = JsonDocument.Parse(Run("clv", "compare", "--input", log, "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30", "--json").Out);
        var root = document.RootElement;
        var models = root.GetProperty("models").EnumerateArray().ToArray();

        Assert.Equal(0, code);
        Assert.Contains("2,357 customers; hold-out 39 time units, 1,882 purchases", text, StringComparison.Ordinal);
        Assert.Contains("Winner: BG/NBD", text, StringComparison.Ordinal);
        Assert.Equal(["BG/NBD", "Pareto/NBD", "MBG/NBD"], models.Select(m => m.GetProperty("model").GetString()!).ToArray());
        Assert.Equal("BG/NBD", root.GetProperty("winner").GetString());
        Assert.Equal(1_882, root.GetProperty("actualHoldoutPurchases").GetDouble());
        Assert.Equal(-9582.43, models[0].GetProperty("logLikelihood").GetDouble(), 2);
        Assert.Equal(8, models[0].GetProperty("byFrequency").GetArrayLength());
        Assert.Equal(1_411, models[1].GetProperty("byFrequency")[0].GetProperty("customers").GetInt32());
    }

    // A hold-out past the log's end ran for more than ten minutes on 20,000 customers (the Pareto/NBD fit chased s and β
    // to infinity through ever longer series); now it is a warning, and the fit that cannot go on says why.
    [Fact]
    public void ClvCompare_HoldoutPastTheLogsEnd_WarnsAndFinishes()
    {
        var (code, json, err) = Run("clv", "compare", "--input", CdnowLog(), "--calibration-end", "1998-06-30", "--observation-end", "1999-06-30", "--json");
        using var document = JsonDocument.Parse(json);

        Assert.Equal(0, code);
        Assert.Contains("warning: the log's latest transaction is 1998-06-30, before --observation-end 1999-06-30", err, StringComparison.Ordinal);
        Assert.Equal(0, document.RootElement.GetProperty("actualHoldoutPurchases").GetDouble());
        Assert.Equal(3, document.RootElement.GetProperty("models").GetArrayLength());
    }

    [Theory]
    [InlineData("--calibration-end", "1997-13-01", "--calibration-end: '1997-13-01' is not a date")]
    [InlineData("--observation-end", "1997-09-30", "--observation-end must be after --calibration-end")]
    [InlineData("--period-days", "0", "--period-days must be a positive number of days")]
    [InlineData("--penalizer", "-1", "--penalizer must be 0 (none) or a positive number")]
    public void ClvCompare_BadOptions_ExitTwoNamingTheOption(string option, string value, string message)
    {
        string[] args = ["clv", "compare", "--input", CdnowLog(), "--calibration-end", "1997-09-30", "--observation-end", "1998-06-30"];
        var i = Array.IndexOf(args, option);
        args = i >= 0 ? [.. args[..(i + 1)], value, .. args[(i + 2)..]] : [.. args, option, value];

        var (code, _, err) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void SurvivalKm_ByGroup_GivesTheCurves()
    {
        File.WriteAllLines(Path.Combine(_dir, "km.csv"), ["arm,weeks,relapsed", "a,6,1", "a,6,1", "a,7,0", "a,9,1", "b,1,1", "b,2,1"]);

        using var document = JsonDocument.Parse(Run("survival", "km", "--input", "km.csv", "--time", "weeks", "--event", "relapsed", "--group", "arm", "--json").Out);
        var a = document.RootElement.GetProperty("groups").GetProperty("a");

        Assert.Equal(4, a.GetProperty("subjects").GetInt32());
        Assert.Equal(0.5, a.GetProperty("steps")[0].GetProperty("survival").GetDouble(), 12);
        Assert.Equal(0, a.GetProperty("steps")[1].GetProperty("survival").GetDouble(), 12);
        Assert.Equal(1, document.RootElement.GetProperty("groups").GetProperty("b").GetProperty("median").GetDouble());
    }

    private const string CdnowParameters = """{"r":0.2426,"alpha":4.4135,"a":0.7929,"b":2.4258}""";

    [Fact]
    public void ClvFit_ThatDoesNotConverge_IsADataError_NotACrash_AlsoInJson()
    {
        // Regression: a 20-row file made the BG/NBD fit give up, and the tool died with a stack trace.
        var rows = "0,0.00,22.69 3,19.10,25.10 3,23.22,29.44 0,0.00,21.88 3,16.39,37.87 0,0.00,35.25 2,24.47,33.92 0,0.00,24.58 0,0.00,38.03 5,11.07,20.45 3,26.62,38.78 5,1.14,39.38 3,22.95,24.43 2,7.17,31.06 3,23.21,24.38 3,32.27,38.53 5,3.11,31.13 5,28.02,32.59 2,20.08,22.42 4,36.96,39.47";
        File.WriteAllLines(Path.Combine(_dir, "twenty.csv"), ["frequency,recency,T", .. rows.Split(' ')]);

        var (code, stdout, stderr) = Run("clv", "fit", "--model", "bgnbd", "--input", "twenty.csv", "--json");

        Assert.Equal(CliApplication.DataError, code);
        Assert.Matches(@"^data error: .*twenty\.csv: The BG/NBD fit did not converge .* on 20 rows; the data may be too few or too alike for this model$", stderr.Trim());
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(CliApplication.DataError, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Theory]
    [InlineData("""{"r":-1,"alpha":1,"a":1,"b":1}""", "error: --params: r must be positive and finite; got -1")]
    [InlineData("""{"r":1,"alpha":1,"a":0,"b":1}""", "error: --params: a must be positive and finite; got 0")]
    [InlineData("""{"r":1,"alpha":1,"a":1}""", "error: --params must be JSON with the numbers r, alpha, a and b")]
    [InlineData("missing.json", "error: --params: 'missing.json' is neither JSON nor a file")]
    public void ClvPredict_BadParameters_ExitTwoNamingTheParameter(string parameters, string message)
    {
        var (code, stdout, stderr) = Run("clv", "predict", "--input", Cdnow, "--params", parameters, "--horizon", "39");

        Assert.Equal(CliApplication.UsageError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("-1")]
    [InlineData("100001")]
    public void ClvPredict_HorizonOutOfRange_ExitsTwo(string horizon)
    {
        var (code, _, stderr) = Run("clv", "predict", "--input", Cdnow, "--params", CdnowParameters, "--horizon", horizon);

        Assert.Equal(CliApplication.UsageError, code);
        Assert.StartsWith("error: --horizon must be between 0 and 100,000 (in the data's units); got ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ClvPredict_TakesItsParametersFromAFile_AsItsHelpSays()
    {
        var fit = Run("clv", "fit", "--model", "bgnbd", "--input", Cdnow, "--json").Out;
        File.WriteAllText(Path.Combine(_dir, "fit.json"), fit);

        var fromFile = Run("clv", "predict", "--input", Cdnow, "--params", "fit.json", "--horizon", "39", "--json");
        var inline = Run("clv", "predict", "--input", Cdnow, "--params", fit, "--horizon", "39", "--json");

        Assert.Equal(0, fromFile.Code);
        Assert.Equal(inline.Out, fromFile.Out);
    }

    [Fact]
    public async System.Threading.Tasks.Task ClvPredict_ReadsAnInputWithoutALength_SuchAsAPipe()
    {
        // Regression: a pipe (/dev/stdin) has no length, and asking for it crashed the tool. A FIFO stands in for it.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Fail("this test needs a FIFO (mkfifo); it runs on Linux and macOS, as CI does");
        }

        var fifo = Path.Combine(_dir, "pipe.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = System.Threading.Tasks.Task.Run(() => File.WriteAllLines(fifo, ["frequency,recency,T", "2,30,38", "0,0,38"]));

        var (code, stdout, stderr) = Run("clv", "predict", "--input", fifo, "--params", CdnowParameters, "--horizon", "39", "--json");
        await writer;

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public void ClvValue_GivesEachCustomersExpectedSpendAndClv_AsTheLibraryDoes()
    {
        var input = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary_with_transactions.csv");
        File.WriteAllText(Path.Combine(_dir, "spend.json"), """{"p":6.25,"q":3.74,"gamma":15.44}""");

        var (code, stdout, stderr) = Run("clv", "value", "--input", input, "--bgnbd", CdnowParameters, "--gammagamma", "spend.json", "--months", "12", "--discount", "0.01", "--margin", "0.3", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var values = json.RootElement.GetProperty("values");
        Assert.Equal(2357, values.GetArrayLength());
        var purchases = new BgNbdModel(0.2426, 4.4135, 0.7929, 2.4258);
        var spend = new GammaGammaModel(6.25, 3.74, 15.44);
        var first = new PurchaseHistory(2, 30.43, 38.86);
        Assert.Equal("1", values[0].GetProperty("id").GetString());
        Assert.Equal(spend.ConditionalExpectedValue(new SpendHistory(2, 22.35)), values[0].GetProperty("expectedSpend").GetDouble(), 10);
        Assert.Equal(ProbabilisticClv.Value(purchases, spend, first, 22.35, 12, 0.01, 0.3), values[0].GetProperty("clv").GetDouble(), 10);
        Assert.All(values.EnumerateArray(), v => Assert.True(v.GetProperty("clv").GetDouble() >= 0));
    }

    [Theory]
    [InlineData("--months", "0", "error: --months must be between 1 and 1,200")]
    [InlineData("--margin", "1.5", "error: --margin must be between 0 and 1")]
    [InlineData("--gammagamma", "{\"p\":6.25,\"q\":-1,\"gamma\":15.44}", "error: --gammagamma: q must be positive and finite; got -1")]
    public void ClvValue_BadOptions_ExitTwoNamingTheOption(string option, string value, string message)
    {
        var input = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary_with_transactions.csv");
        string[] args = ["clv", "value", "--input", input, "--bgnbd", CdnowParameters, "--gammagamma", """{"p":6.25,"q":3.74,"gamma":15.44}"""];

        var (code, _, stderr) = Run([.. args.Where((a, i) => a != option && (i == 0 || args[i - 1] != option)), option, value]);

        Assert.Equal(CliApplication.UsageError, code);
        Assert.StartsWith(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ClvPredict_ABadRowPastTheFirstBatch_WritesNothing_AndNamesTheLine()
    {
        // Predictions go out a batch at a time, so every row is checked before the first is written.
        var rows = Enumerable.Range(0, CliApplication.PredictBatch + 10).Select(i => i == CliApplication.PredictBatch + 5 ? "3,50,40" : "2,30,38");
        File.WriteAllLines(Path.Combine(_dir, "late.csv"), ["frequency,recency,T", .. rows]);

        var (code, stdout, stderr) = Run("clv", "predict", "--input", "late.csv", "--params", CdnowParameters, "--horizon", "39");

        Assert.Equal(CliApplication.DataError, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"late.csv:{CliApplication.PredictBatch + 7}:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ClvFit_TooFewCustomers_IsADataErrorInTheDatasTerms_NotAnOptionThatDoesNotExist()
    {
        // Regression: the message named "--customers", an option clv fit does not have, and ended in "(Parameter …)".
        File.WriteAllLines(Path.Combine(_dir, "two.csv"), ["frequency,monetary_value", "2,10", "3,12", "0,0"]);

        var (code, _, stderr) = Run("clv", "fit", "--model", "gammagamma", "--input", "two.csv");

        Assert.Equal(CliApplication.DataError, code);
        Assert.Matches(@"^data error: .*two\.csv: Fitting three parameters needs at least three repeat customers; there are 2$", stderr.Trim());
        Assert.DoesNotContain("--customers", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_IsADataError_NamingTheFileAndRow()
    {
        File.WriteAllLines(Path.Combine(_dir, "bad.csv"), ["frequency,recency,T", "2,40,38"]);

        var (code, _, err) = Run("clv", "fit", "--model", "bgnbd", "--input", "bad.csv");

        Assert.Equal(1, code);
        Assert.Contains("bad.csv:2:", err, StringComparison.Ordinal);
        Assert.Contains("between 0 and T", err, StringComparison.Ordinal);
        Assert.Equal(2, Run("clv", "fit", "--model", "nope", "--input", "bad.csv").Code);
    }

    [Fact]
    public void ALargeInput_ShowsItsProgressOnATerminal_ButNeverInJsonOrOnASmallFile()
    {
        var customers = BgNbdSimulator.Simulate(new BgNbdModel(0.243, 4.414, 0.793, 2.426), 80_000, 39, 12, seed: 3);
        File.WriteAllLines(Path.Combine(_dir, "large.csv"), ["customer,frequency,recency,T", .. customers.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"c{i},{c.Frequency},{c.Recency:0.########},{c.T:0.########}"))]);
        const string Parameters = "{\"r\":0.243,\"alpha\":4.414,\"a\":0.793,\"b\":2.426}";

        var (code, table, progress) = Run(true, "clv", "predict", "--input", "large.csv", "--params", Parameters, "--horizon", "39");
        var (_, json, quiet) = Run(true, "clv", "predict", "--input", "large.csv", "--params", Parameters, "--horizon", "39", "--json");
        var (_, _, fitting) = Run(true, "clv", "fit", "--model", "bgnbd", "--input", "large.csv");
        var (_, _, small) = Run(true, "clv", "fit", "--model", "bgnbd", "--input", Cdnow);

        Assert.True(new FileInfo(Path.Combine(_dir, "large.csv")).Length > 1 << 20);
        Assert.Equal(0, code);
        Assert.Contains("Reading…", progress, StringComparison.Ordinal);
        Assert.Contains("Predicting… 100 %", progress, StringComparison.Ordinal);
        Assert.Contains("Fitting…", fitting, StringComparison.Ordinal);
        Assert.Equal(80_001, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("…", quiet, StringComparison.Ordinal);
        Assert.DoesNotContain("…", small, StringComparison.Ordinal);

        // The table and the JSON carry the same numbers as the model, row by row.
        using var document = JsonDocument.Parse(json);
        var rows = document.RootElement.GetProperty("predictions");
        var model = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        foreach (var i in new[] { 0, 39_999, 79_999 })
        {
            Assert.Equal($"c{i}", rows[i].GetProperty("id").GetString());
            Assert.Equal(model.ConditionalExpectedPurchases(39, customers[i]), rows[i].GetProperty("expectedPurchases").GetDouble(), 9);
            Assert.Equal(model.ProbabilityAlive(customers[i]), rows[i].GetProperty("pAlive").GetDouble(), 9);
        }
    }
}
