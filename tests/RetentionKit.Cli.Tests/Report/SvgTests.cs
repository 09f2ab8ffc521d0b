using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using RetentionKit.Cli.Report;

namespace RetentionKit.Cli.Tests.Report;

public class SvgTests
{
    [Fact]
    public void Line_AsSteps_HoldsEachValueUntilTheNextPoint_ThenDrops()
    {
        var svg = Svg.Line("Survival", ["0", "1", "2"], [new Svg.Series("cohort", [100d, 80d, 50d], "#000", Step: true)], v => v.ToString(CultureInfo.InvariantCulture), minY: 0, maxY: 100);

        var path = Regex.Match(svg, "<path d=\"([^\"]+)\" fill=\"none\" stroke=\"#000\"").Groups[1].Value;
        Assert.Matches(@"^M[\d.]+,[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+ V[\d.]+$", path); // a kink at every point, no slope
        var straight = Svg.Line("Survival", ["0", "1", "2"], [new Svg.Series("cohort", [100d, 80d, 50d], "#000")], v => v.ToString(CultureInfo.InvariantCulture), minY: 0, maxY: 100);
        Assert.Matches("<path d=\"M[\\d.]+,[\\d.]+ L[\\d.]+,[\\d.]+ L", straight);
    }

    [Fact]
    public void Heatmap_PrintsEachShareInItsCell()
    {
        var svg = Svg.Heatmap("Cohorts", ["Jan", "Feb"], 2, (row, age) => row == 1 && age == 1 ? null : 0.5 + (0.25 * age), "months");

        Assert.Equal(["50", "75", "50"], Regex.Matches(svg, "<text [^>]*class=\"cell[^\"]*\">(\\d+)</text>").Select(m => m.Groups[1].Value));
        Assert.Contains("class=\"cell dark\">75<", svg, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1 customer")]
    [InlineData(0, "0 customers")]
    [InlineData(2500, "2,500 customers")]
    public void Plural_CountsInEnglish(int count, string expected) => Assert.Equal(expected, HtmlReport.Plural(count, "customer"));
}
