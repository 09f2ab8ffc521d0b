using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Tests.DependencyInjection;

public class MetricsRetentionKitBuilderExtensionsTests
{
    [Fact]
    public void AddMetrics_ResolvesServicesWithConfiguredOptions()
    {
        using var provider = new ServiceCollection()
            .AddRetentionKit(kit => kit.AddMetrics(o => o.Targets.Nps = 60))
            .BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<SubscriptionAnalyzer>());
        var scorecard = provider.GetRequiredService<KpiScorecard>();
        var nps = scorecard.Evaluate(new KpiActuals(null, null, null, 55, null, null))[3];
        Assert.Equal((60d, KpiStatus.Below), (nps.Target, nps.Status));
    }

    [Fact]
    public void AddMetrics_DefaultOptions_PassStartupValidation()
    {
        using var provider = new ServiceCollection().AddRetentionKit(kit => kit.AddMetrics()).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(0.95, provider.GetRequiredService<IOptions<RetentionKit.Metrics.MetricsOptions>>().Value.Targets.MonthlyRetention);
    }

    [Fact]
    public void AddMetrics_Twice_RegistersNothingTwice()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddMetrics());
        var count = services.Count;
        services.AddRetentionKit(kit => kit.AddMetrics());
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void AddMetrics_InvalidOptions_FailAtStartWithEveryProblem()
    {
        using var provider = new ServiceCollection()
            .AddRetentionKit(kit => kit.AddMetrics(o =>
            {
                o.Targets.CrossSellConversionMin = 0.5;
                o.Targets.AnnualRetention = -1;
                o.Subscriptions.ReactivationWindowMonths = 0;
            }))
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("RetentionKit:Metrics:Targets:CrossSellConversionMin (0.5) must not exceed Targets:CrossSellConversionMax (0.25).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AnnualRetention", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ReactivationWindowMonths", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMetrics_HostRegistrationWins()
    {
        var mine = new SubscriptionAnalyzer(new SubscriptionAnalysisOptions { Discounts = DiscountTreatment.ListPrice });
        using var provider = new ServiceCollection()
            .AddSingleton(mine)
            .AddRetentionKit(kit => kit.AddMetrics())
            .BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<SubscriptionAnalyzer>());
    }

    [Fact]
    public void AddMetrics_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>("kit", () => MetricsRetentionKitBuilderExtensions.AddMetrics(null!));
}
