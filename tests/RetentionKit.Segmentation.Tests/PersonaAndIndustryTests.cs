using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace RetentionKit.Segmentation.Tests;

public class PersonaAndIndustryTests
{
    private static readonly PersonaClassifier Classifier = new(Facts.DefaultOptions);

    // Power from 70/70 (both, inclusive); struggling below 30/30 (both); casual otherwise.
    [Theory]
    [InlineData(70, 70, Persona.Power)]
    [InlineData(100, 100, Persona.Power)]
    [InlineData(69.99, 100, Persona.Casual)]
    [InlineData(100, 69.99, Persona.Casual)]
    [InlineData(29.99, 29.99, Persona.Struggling)]
    [InlineData(0, 0, Persona.Struggling)]
    [InlineData(30, 0, Persona.Casual)]
    [InlineData(0, 30, Persona.Casual)]
    [InlineData(50, 50, Persona.Casual)]
    public void Classify_AtTheCutOffs(double usage, double engagement, Persona expected) =>
        Assert.Equal(expected, Classifier.Classify(usage, engagement));

    [Fact]
    public void Classify_UnknownScore_IsNoPersona()
    {
        Assert.Null(Classifier.Classify(double.NaN, 90));
        Assert.Null(Classifier.Classify(90, double.NaN));
    }

    [Theory]
    [InlineData(-0.01, 50, "usage")]
    [InlineData(100.01, 50, "usage")]
    [InlineData(50, double.PositiveInfinity, "engagement")]
    public void Classify_OutOfRange_ThrowsNamingTheScore(double usage, double engagement, string argument) =>
        Assert.Throws<ArgumentOutOfRangeException>(argument, () => Classifier.Classify(usage, engagement));

    [Fact]
    public void Classify_UsesConfiguredCutOffs()
    {
        var options = new SegmentationOptions();
        options.Personas.PowerUsageFrom = 80;
        options.Personas.StrugglingEngagementBelow = 40;
        var classifier = new PersonaClassifier(options);

        Assert.Equal(Persona.Casual, classifier.Classify(75, 90));
        Assert.Equal(Persona.Power, classifier.Classify(80, 70));
        Assert.Equal(Persona.Struggling, classifier.Classify(20, 35));
    }

    [Fact]
    public void Segmentation_MapsPersonasAndUnknown_AndNamesABadCustomer()
    {
        var segmentation = new PersonaSegmentation(Facts.DefaultOptions);
        CustomerFacts[] customers =
        [
            Facts.Customer(0, usage: 90, engagement: 90),
            Facts.Customer(1, usage: 10, engagement: 10),
            Facts.Customer(2, usage: 50, engagement: 10),
            Facts.Customer(3, usage: double.NaN, engagement: 10),
        ];
        var segments = new int[4];

        segmentation.Assign(customers, segments);

        Assert.Equal([2, 0, 1, PersonaSegmentation.Unknown], segments);
        Assert.Equal(new[] { "struggling", "casual", "power", "unknown" }, segmentation.Segments);
        Assert.False(segmentation.IsOrdered);
        var error = Assert.Throws<ArgumentException>("customers", () => segmentation.Assign([Facts.Customer(7, usage: 101)], new int[1]));
        Assert.Contains("c00007 (row 0)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Persona.Power, "advocacy and referrals", "technical and frequent updates")]
    [InlineData(Persona.Casual, "more usage", "value-focused, educational")]
    [InlineData(Persona.Struggling, "re-engagement", "motivational, with success stories")]
    public void PersonaProfiles_CarryStyleAndGoal(Persona persona, string goal, string style)
    {
        var profile = PersonaProfile.For(persona);

        Assert.Equal((persona, goal, style), (profile.Persona, profile.Goal, profile.CommunicationStyle));
        Assert.NotEmpty(profile.Content);
        Assert.Throws<ArgumentOutOfRangeException>("persona", () => PersonaProfile.For((Persona)9));
    }

    [Fact]
    public void PersonaProfiles_CarryEveryItemTheDocumentsList()
    {
        // "Power users: uso intensivo, alta engagement; features avanzadas, beta access" · "Casual: uso básico, engagement
        // medio; tips y best practices" · "Struggling: uso bajo, engagement bajo; soporte adicional, training".
        Assert.Equal("intensive use, high engagement", PersonaProfile.For(Persona.Power).Characteristics);
        Assert.Superset(new HashSet<string> { "advanced features", "beta access" }, PersonaProfile.For(Persona.Power).Content.ToHashSet());
        Assert.Equal("basic use, medium engagement", PersonaProfile.For(Persona.Casual).Characteristics);
        Assert.Superset(new HashSet<string> { "tips and tricks", "best practices" }, PersonaProfile.For(Persona.Casual).Content.ToHashSet());
        Assert.Equal("low use, low engagement", PersonaProfile.For(Persona.Struggling).Characteristics);
        Assert.Superset(new HashSet<string> { "extra support", "training" }, PersonaProfile.For(Persona.Struggling).Content.ToHashSet());
    }

    [Theory]
    [InlineData("technology", "technical documentation", "API access,integrations", "technical support", "developer community")]
    [InlineData("marketing", "marketing best practices", "campaign management", "marketing support", "marketer community")]
    [InlineData("sales", "sales methodologies", "CRM integration", "sales support", "sales community")]
    public void IndustryProfiles_CarryEveryItemTheDocumentsList(string key, string content, string features, string support, string community)
    {
        var profile = new IndustrySegmentation(new SegmentationOptions()).ProfileOf(key)!;

        Assert.Contains(content, profile.Content);
        Assert.Equal(features.Split(','), profile.Features.ToArray());
        Assert.Equal((support, community), (profile.Support, profile.Community));
    }

    [Fact]
    public void Industries_BuiltInsAndHostAdditions_WithOtherLast()
    {
        var options = new SegmentationOptions();
        var retail = new IndustryProfileOptions { Name = "Retail", Support = "store operations support", Community = "retail community" };
        retail.Content.Add("seasonal campaign guides");
        retail.Integrations.Add("point of sale");
        options.Industries["Retail"] = retail;
        var segmentation = new IndustrySegmentation(options);

        Assert.Equal(new[] { "marketing", "retail", "sales", "technology", IndustrySegmentation.Other }, segmentation.Segments);
        var profile = segmentation.ProfileOf("RETAIL");
        Assert.NotNull(profile);
        Assert.Equal(("retail", "Retail", "point of sale"), (profile.Key, profile.Name, profile.Integrations.Single()));
        Assert.Contains("developer community", segmentation.ProfileOf("technology")!.Community, StringComparison.Ordinal);
        Assert.Contains("CRM integration", segmentation.ProfileOf("sales")!.Integrations);
        Assert.Null(segmentation.ProfileOf("mining"));
        Assert.Null(segmentation.ProfileOf(null));

        CustomerFacts[] customers = [Facts.Customer(0, industry: "Technology"), Facts.Customer(1, industry: null), Facts.Customer(2, industry: "mining"), Facts.Customer(3, industry: "retail")];
        var segments = new int[4];
        segmentation.Assign(customers, segments);
        Assert.Equal([3, 4, 4, 1], segments);
    }

    [Fact]
    public void Industries_InvalidProfiles_ListEveryProblem()
    {
        var options = new SegmentationOptions();
        options.Industries["Other"] = new IndustryProfileOptions { Name = "Other" };
        options.Industries[" padded"] = new IndustryProfileOptions { Name = "" };
        options.Industries["sales"].Content.Add(" ");

        var error = Assert.Throws<OptionsValidationException>(() => new IndustrySegmentation(options));

        Assert.Contains("RetentionKit:Segmentation:Industries:Other: 'other' is reserved for customers of no configured industry.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:Industries: padded: an industry key must be non-blank without surrounding spaces.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:Industries: padded:Name must not be blank.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:Industries:sales: Content and Integrations must not hold blank entries.", error.Failures);
        Assert.Equal(4, error.Failures.Count());
    }

    [Fact]
    public void Personas_InvalidCutOffs_ListEveryProblem()
    {
        var options = new SegmentationOptions();
        options.Personas.PowerUsageFrom = 120;
        options.Personas.StrugglingEngagementBelow = double.NaN;
        options.Personas.StrugglingUsageBelow = 60;
        options.Personas.PowerEngagementFrom = 20;

        var error = Assert.Throws<OptionsValidationException>(() => new PersonaClassifier(options));

        Assert.Contains("RetentionKit:Segmentation:Personas:PowerUsageFrom is 120; it must be a score from 0 to 100.", error.Failures);
        Assert.Contains("RetentionKit:Segmentation:Personas:StrugglingEngagementBelow is NaN; it must be a score from 0 to 100.", error.Failures);
        Assert.Equal(2, error.Failures.Count());

        options.Personas.PowerUsageFrom = 50;
        options.Personas.StrugglingEngagementBelow = 30;
        var crossed = Assert.Throws<OptionsValidationException>(() => new PersonaClassifier(options));
        Assert.Contains("RetentionKit:Segmentation:Personas:StrugglingUsageBelow (60) must not exceed PowerUsageFrom (50).", crossed.Failures);
        Assert.Contains("RetentionKit:Segmentation:Personas:StrugglingEngagementBelow (30) must not exceed PowerEngagementFrom (20).", crossed.Failures);
    }
}
