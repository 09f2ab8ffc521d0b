using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Tiers;

namespace RetentionKit.Loyalty.Tests.Tiers;

/// <summary>Regression (issue 21): a tier list from configuration was appended to the built-in four and start-up failed; it now replaces them.</summary>
public sealed class ConfiguredTiersTests
{
    private static ServiceProvider Host(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)));
        services.AddOptions<LoyaltyOptions>().Bind(configuration.GetSection("RetentionKit:Loyalty"));
        services.AddRetentionKit(kit => kit.AddLoyalty());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AConfiguredTierList_ReplacesTheBuiltInOne_AndNoneKeepsIt()
    {
        using var configured = Host(new()
        {
            ["RetentionKit:Loyalty:Tiers:0:Name"] = "Member",
            ["RetentionKit:Loyalty:Tiers:0:From"] = "0",
            ["RetentionKit:Loyalty:Tiers:1:Name"] = "Insider",
            ["RetentionKit:Loyalty:Tiers:1:From"] = "2500",
            ["RetentionKit:Loyalty:Tiers:1:Benefits:0"] = "early access",
        });
        using var plain = Host([]);

        configured.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        var tiers = configured.GetRequiredService<TierService>().Tiers;
        var builtIn = plain.GetRequiredService<TierService>().Tiers;

        Assert.Equal([("Member", 0L), ("Insider", 2_500L)], tiers.Select(t => (t.Name, t.From)));
        Assert.Equal(new[] { "early access" }, tiers[1].Benefits.ToArray());
        Assert.Equal(["Bronze", "Silver", "Gold", "Platinum"], builtIn.Select(t => t.Name));
    }

    [Fact]
    public void ABrokenConfiguredList_IsReported_ByItsOwnIndexes()
    {
        using var configured = Host(new()
        {
            ["RetentionKit:Loyalty:Tiers:0:Name"] = "Member",
            ["RetentionKit:Loyalty:Tiers:0:From"] = "0",
            ["RetentionKit:Loyalty:Tiers:1:Name"] = "Insider",
            ["RetentionKit:Loyalty:Tiers:1:From"] = "0",
        });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => configured.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Loyalty:Tiers:1:From (0) must be above the previous tier's (0).", System.StringComparison.Ordinal));
    }
}
