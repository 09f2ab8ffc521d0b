using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>Regression (issue 19): every package's validation messages use one notation, the configuration key a user would type.</summary>
public class ValidationNotationTests
{
    [Fact]
    public void EveryPackage_NamesOptionsByTheirFullConfigurationKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);
        services.AddRetentionKit(kit => kit
            .AddMetrics(o => { o.Targets.Nps = 500; o.Targets.UpsellConversionMin = 0.9; })
            .AddScoring(o => { o.CategoryWeights.Sentiment = -1; o.RiskLevels.Low.Minimum = 0.6; o.Sentiment.NegativeBelow = 0.9; })
            .AddSegmentation(o => o.Personas.PowerUsageFrom = 120)
            .AddLoyalty(o =>
            {
                // A tier list of one's own replaces the built-in one: all five are listed, the fifth starting where the fourth does.
                o.Tiers.AddRange([.. new (string, long)[] { ("Bronze", 0), ("Silver", 1_000), ("Gold", 5_000), ("Platinum", 10_000), ("Diamond", 10_000) }.Select(t => new TierOptions { Name = t.Item1, From = t.Item2 })]);
                o.EarningRules["daily-use"].Points = 0;
            })
            .AddPlaybooks(o => { o.CapWindowDays = 0; o.Variants["win-back"] = []; }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var failures = error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToArray();

        Assert.Contains("RetentionKit:Loyalty:Tiers:4:From (10000) must be above the previous tier's (10000).", failures);
        Assert.Contains("RetentionKit:Scoring:CategoryWeights:Sentiment must be between 0 and 1000000.", failures);
        Assert.Contains("RetentionKit:Metrics:Targets:Nps must be between -100 and 100.", failures);
        Assert.Contains("RetentionKit:Playbooks:Variants:win-back must list at least one variant, none blank, none twice.", failures);
        Assert.Contains("RetentionKit:Segmentation:Personas:PowerUsageFrom is 120; it must be a score from 0 to 100.", failures);
        foreach (var section in new[] { "Metrics", "Scoring", "Segmentation", "Loyalty", "Playbooks" })
        {
            Assert.Contains(failures, f => f.StartsWith($"RetentionKit:{section}:", StringComparison.Ordinal));
        }

        Assert.All(failures, f =>
        {
            Assert.Matches(@"^RetentionKit:(Metrics|Scoring|Segmentation|Loyalty|Playbooks):", f);
            Assert.DoesNotMatch(@"\b[A-Z]\w*\.[A-Z]\w*\b|\['|The field ", f);
        });
    }
}
