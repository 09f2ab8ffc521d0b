using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using RetentionKit.Cli.Commands;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Cli.Report;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Tests.Report;

// The page's customer data is serialised in blocks side by side and joined in order: whatever the block size, the
// text is exactly what one serialiser writes for the whole page.
public sealed class ReportDataTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void Blocks_OfAnySize_WriteWhatOneSerialiserWrites(int blockSize)
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(300, 8, 5, SimulationSettings.Default.Start));
        using var host = new CliApplication(TextWriter.Null, TextWriter.Null, Path.GetTempPath(), interactive: false).Host(configFile: null);
        var result = host.GetService(typeof(RetentionPipeline)) is RetentionPipeline pipeline
            ? pipeline.Run(DataSet.From(simulated), simulated.Settings.End)
            : throw new Xunit.Sdk.XunitException("the host has no pipeline");
        Assert.True(result.Customers.Length > 64, "the base should fill several blocks");

        using var blocks = new MemoryStream();
        ReportData.Start(result, blockSize).WriteTo(blocks);

        var whole = new ReportPage(
            result.Currency.Code,
            result.AsOf.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            [.. result.Scoring.Months.Select(m => m.Month.ToString("MMM yy", System.Globalization.CultureInfo.InvariantCulture))],
            [.. result.Customers.Select(ReportData.Customer)]);
        var expected = JsonSerializer.Serialize(whole, ReportJsonContext.Default.ReportPage);
        Assert.Equal(expected, Encoding.UTF8.GetString(blocks.ToArray()));
    }
}
