using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RetentionKit.TestUtilities;
using NodaTime;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Message templates (B14): both languages for every built-in step, culture-aware values, no "[Nombre]" ever sent.</summary>
public class TemplateTests
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-ES");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    private static readonly Dictionary<string, object> Values = new()
    {
        ["name"] = "Lucía", ["product"] = "Acme", ["feature"] = "informes", ["manager"] = "Marta", ["days"] = 14,
        ["discount"] = Rate.FromPercent(30), ["price"] = Money.Usd(1234.5m), ["date"] = new LocalDate(2026, 3, 2), ["plan"] = "Pro", ["metric"] = "+12 %",
    };

    [Fact]
    public void EveryBuiltInStep_HasATemplate_InSpanishAndEnglish_ThatRendersWithTheStandardValues()
    {
        // Every step's template and the thank-you that the feedback loop's actions use; the conversation scripts (with
        // their own values) are rendered by ScriptTemplateTests.
        var steps = BuiltInPlaybooks.All.SelectMany(p => p.Steps).Select(s => s.Template).Append(TemplateIds.FeedbackThanks).Distinct().ToList();
        var scripts = PublicConstants.Values(typeof(TemplateIds)).Count(id => id.StartsWith("script.", StringComparison.Ordinal));

        foreach (var id in steps)
        {
            foreach (var culture in new[] { Spanish, English })
            {
                var template = TemplateCatalog.BuiltIn.Find(id, culture);
                Assert.True(template is not null && template.Language == culture.TwoLetterISOLanguageName, $"{id} has no {culture.TwoLetterISOLanguageName} template");
                var message = TemplateCatalog.BuiltIn.Render(id, culture, Values);
                Assert.DoesNotContain("{", message.Subject + message.Body, StringComparison.Ordinal);
                Assert.DoesNotContain("[", message.Subject + message.Body, StringComparison.Ordinal);
            }
        }

        Assert.Equal((steps.Count + scripts) * 2, TemplateCatalog.BuiltIn.Templates.Count(t => !t.Id.Contains('#', StringComparison.Ordinal)));
    }

    [Fact]
    public void MoneyDatesAndRates_AreFormattedForTheCulture()
    {
        Assert.Equal("1.234,50 US$", TemplateCatalog.Format(Money.Usd(1234.5m), Spanish));
        Assert.Equal("$1,234.50", TemplateCatalog.Format(Money.Usd(1234.5m), English));
        Assert.Equal("99,00 €", TemplateCatalog.Format(new Money(99m, Currency.Eur), Spanish));
        Assert.Equal("lunes, 2 de marzo de 2026", TemplateCatalog.Format(new LocalDate(2026, 3, 2), Spanish));
        Assert.Equal("Monday, March 2, 2026", TemplateCatalog.Format(new LocalDate(2026, 3, 2), English));
        Assert.Equal("30 %", TemplateCatalog.Format(Rate.FromPercent(30), Spanish));
        Assert.Equal("30%", TemplateCatalog.Format(Rate.FromPercent(30), English));
        Assert.Equal("1.500", TemplateCatalog.Format(1500, Spanish));
    }

    [Fact]
    public void AMissingValue_FailsTheRendering_NamingTheTemplateAndThePlaceholder()
    {
        var values = new Dictionary<string, object>(Values);
        values.Remove("name");
        values["product"] = " ";

        var missing = Assert.Throws<MissingTemplateValueException>(() => TemplateCatalog.BuiltIn.Render("onboarding.welcome", Spanish, values));

        Assert.Equal(("onboarding.welcome", "product"), (missing.Template, missing.Placeholder)); // the subject's {product} comes first
        Assert.Equal("Template 'onboarding.welcome' needs a value for '{product}', and none was given.", missing.Message);
    }

    [Fact]
    public void AVariant_IsPreferred_AndAnUnknownLanguageFallsBackToEnglish()
    {
        var byReason = TemplateCatalog.BuiltIn.Render("win-back.we-miss-you", Spanish, Values, variant: "price");
        var plain = TemplateCatalog.BuiltIn.Render("win-back.we-miss-you", Spanish, Values, variant: "other");
        var german = TemplateCatalog.BuiltIn.Render("onboarding.welcome", CultureInfo.GetCultureInfo("de-DE"), Values);

        Assert.Equal("win-back.we-miss-you#price", byReason.Template);
        Assert.Contains("1.234,50 US$", byReason.Body, StringComparison.Ordinal);
        Assert.Equal("win-back.we-miss-you", plain.Template);
        Assert.Equal("Welcome to Acme, Lucía", german.Subject);
    }

    [Fact]
    public void WinBack_IsPersonalisedByTheChurnReason_AndAnAbArmWins()
    {
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.WinBack);
        var customer = PlaybookFixture.Customer() with { ChurnedOn = PlaybookFixture.Day0, ChurnReason = "price" };
        var enrolment = new Enrolment(PlaybookFixture.Ana, playbook.Id, PlaybookFixture.Day0);
        var delivery = new StepDelivery(enrolment.KeyOf("we-miss-you"), customer, playbook, playbook.Steps[0], PlaybookFixture.Day0.PlusDays(30), enrolment);

        Assert.Equal("price", delivery.TemplateVariant);
        Assert.Equal("win-back.we-miss-you#price", TemplateCatalog.BuiltIn.Render(delivery.Step.Template, Spanish, Values, delivery.TemplateVariant).Template);
        Assert.Equal("b", (delivery with { Enrolment = enrolment with { Variant = "b" } }).TemplateVariant);
        foreach (var reason in new[] { "price", "product", "support", "competitor", "payment" })
        {
            foreach (var culture in new[] { Spanish, English })
            {
                Assert.Equal("win-back.we-miss-you#" + reason, TemplateCatalog.BuiltIn.Render("win-back.we-miss-you", culture, Values, reason).Template);
            }
        }

        Assert.Null((delivery with { Playbook = BuiltInPlaybooks.All[0] }).TemplateVariant);
        var onboarding = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.Onboarding);
        Assert.Equal("retail", (delivery with { Playbook = onboarding, Customer = customer with { Industry = "retail" } }).TemplateVariant);
    }

    [Fact]
    public void HostTemplates_ReplaceOrAddToTheBuiltInOnes()
    {
        var catalog = TemplateCatalog.BuiltIn.With([new MessageTemplate("onboarding.welcome", "es", "¡Hola, {name}!", "Bienvenida.")]);

        Assert.Equal("¡Hola, Lucía!", catalog.Render("onboarding.welcome", Spanish, Values).Subject);
        Assert.Equal("Welcome to Acme, Lucía", TemplateCatalog.BuiltIn.With([]).Render("onboarding.welcome", English, Values).Subject);
        Assert.Throws<KeyNotFoundException>(() => catalog.Render("nope", Spanish, Values));
        Assert.Equal("templates", Assert.Throws<ArgumentException>(() => catalog.With([new MessageTemplate("x", "es", " ", "b")])).ParamName);
    }
}
