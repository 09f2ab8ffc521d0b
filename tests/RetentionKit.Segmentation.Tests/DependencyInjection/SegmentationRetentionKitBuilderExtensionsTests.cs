using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RetentionKit.Segmentation.Tests.DependencyInjection;

public class SegmentationRetentionKitBuilderExtensionsTests
{
    [Fact]
    public void AddSegmentation_RegistersTheBuiltInsOnce()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddSegmentation().AddSegmentation());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var catalog = provider.GetRequiredService<SegmentationCatalog>();

        Assert.Equal(new[] { "value", "persona", "industry", "rfm" }, catalog.All.Select(s => s.Name));
        Assert.Single(services, d => d.ServiceType == typeof(SegmentationCatalog));
        Assert.Equal(ValueSegment.Medium, provider.GetRequiredService<ValueSegmenter>().Classify(Money.Usd(1_000m)));
        Assert.Equal(Persona.Power, provider.GetRequiredService<PersonaClassifier>().Classify(70, 70));
    }

    // G7: a custom segmentation, registered through DI, joins the built-ins and segments customers its own way.
    [Fact]
    public void CustomSegmentation_ThroughDI_JoinsTheCatalogAndRuns()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddSegmentation().AddCustomerSegmentation<PlanSizeSegmentation>().AddCustomerSegmentation<PlanSizeSegmentation>());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var catalog = provider.GetRequiredService<SegmentationCatalog>();
        CustomerFacts[] customers = [Facts.Customer(0, clv: 100m), Facts.Customer(1, clv: 20_000m), Facts.Customer(2, clv: 20_000m)];

        var assignments = catalog.RunAll(customers);

        Assert.Equal(5, catalog.All.Length);
        var plan = Assert.Single(assignments, a => a.Segmentation == "plan size");
        Assert.Equal(new[] { 0, 1, 1 }, plan.SegmentOf);
        Assert.Equal(new[] { 1, 2 }, plan.Counts);
        Assert.True(plan.IsOrdered);
        Assert.Same(catalog["Plan Size"], provider.GetServices<ICustomerSegmentation>().Single(s => s is PlanSizeSegmentation));
    }

    [Fact]
    public void StartupValidation_DuplicateSegmentationName_Fails()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddSegmentation().AddCustomerSegmentation<ImpostorRfm>());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(error.Failures);
        Assert.Contains("The segmentation name 'RFM' is used twice (again by ImpostorRfm)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_InvalidOptions_ListsEveryProblemOnce()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddSegmentation(o =>
        {
            o.ValueThresholds["USD"].HighAbove = 10m;
            o.Personas.PowerEngagementFrom = -1;
            o.Industries["other"] = new IndustryProfileOptions { Name = "Other" };
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            new[]
            {
                "RetentionKit:Segmentation:ValueThresholds:USD:HighAbove (10) must not be below MediumFrom (1000).",
                "RetentionKit:Segmentation:Personas:PowerEngagementFrom is -1; it must be a score from 0 to 100.",
                "RetentionKit:Segmentation:Industries:other: 'other' is reserved for customers of no configured industry.",
            },
            error.Failures);
    }

    [Fact]
    public void Options_BindFromConfiguration()
    {
        const string json = """
            {
              "RetentionKit": {
                "Segmentation": {
                  "ValueThresholds": { "EUR": { "MediumFrom": 800, "HighAbove": 8000 } },
                  "Personas": { "PowerUsageFrom": 75 },
                  "Industries": { "healthcare": { "Name": "Healthcare", "Content": [ "compliance guides" ], "Support": "clinical support", "Community": "health community" } }
                }
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<SegmentationOptions>().BindConfiguration("RetentionKit:Segmentation");
        services.AddRetentionKit(kit => kit.AddSegmentation());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(ValueSegment.High, provider.GetRequiredService<ValueSegmenter>().Classify(Money.Eur(8_000.5m)));
        Assert.Equal(ValueSegment.Medium, provider.GetRequiredService<ValueSegmenter>().Classify(Money.Usd(8_000.5m)));
        Assert.Equal(Persona.Casual, provider.GetRequiredService<PersonaClassifier>().Classify(72, 90));
        var industries = (IndustrySegmentation)provider.GetRequiredService<SegmentationCatalog>()["industry"];
        Assert.Equal("compliance guides", industries.ProfileOf("Healthcare")!.Content.Single());
    }

    [Fact]
    public void AddSegmentation_NullBuilder_Throws()
    {
        Assert.Throws<ArgumentNullException>("kit", () => SegmentationRetentionKitBuilderExtensions.AddSegmentation(null!));
        Assert.Throws<ArgumentNullException>("kit", () => SegmentationRetentionKitBuilderExtensions.AddCustomerSegmentation<PlanSizeSegmentation>(null!));
    }

    /// <summary>A host's own segmentation: small or large plan by lifetime value, with a cut-off from the options.</summary>
    private sealed class PlanSizeSegmentation(IOptions<SegmentationOptions> options) : ICustomerSegmentation
    {
        private readonly decimal _largeFrom = options.Value.ValueThresholds["USD"].HighAbove;

        public string Name => "plan size";

        public ImmutableArray<string> Segments { get; } = ["small", "large"];

        public bool IsOrdered => true;

        public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments)
        {
            for (var i = 0; i < customers.Length; i++)
            {
                segments[i] = customers[i].LifetimeValue.Amount > _largeFrom ? 1 : 0;
            }
        }
    }

    private sealed class ImpostorRfm : ICustomerSegmentation
    {
        public string Name => "RFM";

        public ImmutableArray<string> Segments { get; } = ["all"];

        public bool IsOrdered => false;

        public void Assign(ReadOnlySpan<CustomerFacts> customers, Span<int> segments) => segments[..customers.Length].Clear();
    }
}
