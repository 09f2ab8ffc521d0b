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
