using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RetentionKit.TestUtilities;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24: the second document's ten scripts as customer-facing templates, every placeholder filled in Spanish and English, a missing value named.</summary>
public sealed class ScriptTemplateTests
{
    private static readonly Dictionary<string, object> Values = new()
    {
        ["name"] = "Lucía", ["product"] = "Acme", ["feature"] = "informes", ["plan"] = "Pro", ["days"] = 30, ["price"] = Money.Usd(99m),
        ["metric1"] = "leads", ["expected1"] = "+50 %", ["metric2"] = "time per campaign", ["expected2"] = "−30 %", ["metric3"] = "ROI", ["expected3"] = "200 %",
        ["usage1"] = "1,240 documents", ["usage2"] = "12 active users", ["result"] = "a third less time on reports",
        ["weeklyUses"] = 45, ["includedUses"] = 50, ["upgradeFeatures"] = "API, SSO", ["upgradePrice"] = Money.Usd(60m), ["upgradeRoi"] = "4 : 1",
        ["addOnUses"] = 100, ["addOnPrice"] = Money.Usd(25m), ["need"] = "approval workflows", ["reason"] = "you review many documents",
        ["biggerResult"] = "twice the leads", ["users"] = 4, ["seatPrice"] = Money.Usd(15m), ["teamUsers"] = 15, ["teamFeatures"] = "shared workspaces",
        ["teamPrice"] = Money.Usd(150m), ["saving"] = Money.Usd(15m),
    };

    public static TheoryData<string> Scripts => [.. PublicConstants.Values(typeof(TemplateIds)).Where(id => id.StartsWith("script.", StringComparison.Ordinal))];

    [Fact]
    public void There_is_one_script_for_each_of_the_documents_ten()
    {
        Assert.Equal(
            ["script.expansion-need", "script.expansion-new-feature", "script.expansion-usage", "script.reactivation", "script.renewal-check-in", "script.save", "script.success-check-in", "script.upsell-results", "script.upsell-team", "script.value-check-in"],
            PublicConstants.Values(typeof(TemplateIds)).Where(id => id.StartsWith("script.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Each_script_renders_in_both_languages_and_names_a_missing_value(string id)
    {
        foreach (var language in new[] { "es", "en" })
        {
            var message = TemplateCatalog.BuiltIn.Render(id, CultureInfo.GetCultureInfo(language), Values);
            Assert.DoesNotContain("{", message.Subject + message.Body, StringComparison.Ordinal);
            Assert.Contains("Lucía", message.Subject + message.Body, StringComparison.Ordinal);
            Assert.EndsWith("?", message.Body.TrimEnd(), StringComparison.Ordinal); // one clear next step, asked
        }

        var template = TemplateCatalog.BuiltIn.Find(id, CultureInfo.GetCultureInfo("en"))!;
        var used = Values.Keys.Where(k => (template.Subject + template.Body).Contains("{" + k + "}", StringComparison.Ordinal)).ToList();
        var missing = used.Last();
        var error = Assert.Throws<MissingTemplateValueException>(() => TemplateCatalog.BuiltIn.Render(id, CultureInfo.GetCultureInfo("en"), Values.Where(v => v.Key != missing).ToDictionary()));
        Assert.Equal((id, missing), (error.Template, error.Placeholder));
    }

    [Fact]
    public void The_expansion_by_usage_and_team_scripts_give_both_options_with_their_numbers()
    {
        var usage = TemplateCatalog.BuiltIn.Render(TemplateIds.ScriptExpansionUsage, CultureInfo.GetCultureInfo("en-US"), Values).Body;
        Assert.Contains("You use informes 45 times a week and your plan includes 50", usage, StringComparison.Ordinal);
        Assert.Contains("Option 1: move to Pro", usage, StringComparison.Ordinal);
        Assert.Contains("$60.00 more a month", usage, StringComparison.Ordinal);
        Assert.Contains("Return: 4 : 1", usage, StringComparison.Ordinal);
        Assert.Contains("Option 2: an add-on of uses\n- 100 more uses a month\n- $25.00 a month", usage, StringComparison.Ordinal);

        var team = TemplateCatalog.BuiltIn.Render(TemplateIds.ScriptUpsellTeam, CultureInfo.GetCultureInfo("es-ES"), Values).Body;
        Assert.Contains("Ahora tenéis 4 usuarios", team, StringComparison.Ordinal);
        Assert.Contains("Ahorras 15,00 US$ frente a usuarios sueltos", team, StringComparison.Ordinal);
        Assert.Equal("Lucía, tu suscripción se renueva en 30 días", TemplateCatalog.BuiltIn.Render(TemplateIds.ScriptRenewalCheckIn, CultureInfo.GetCultureInfo("es"), Values).Subject);
    }
}
