using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24: the win-back discount holds the documents' 40 % minimum, and every message of the sequence speaks to why the customer left.</summary>
public sealed class WinBackTests
{
    private static readonly Dictionary<string, object> Values = new()
    {
        ["name"] = "Ana", ["product"] = "Acme", ["feature"] = "reports", ["manager"] = "Marta", ["plan"] = "Pro",
        ["discount"] = Rate.FromFraction(new PlaybookOptions().WinBackDiscount), ["price"] = Money.Usd(49m), ["date"] = Day0,
    };

    [Theory]
    [InlineData(0.40, null)]
    [InlineData(0.50, null)]
    [InlineData(0.39, "WinBackDiscount must be at least the documents' win-back minimum of 0.40 and below 1 (was 0.39).")]
    [InlineData(1.0, "WinBackDiscount must be at least the documents' win-back minimum of 0.40 and below 1 (was 1).")]
    public void The_discount_is_at_least_the_documents_minimum(double discount, string? failure)
    {
        var result = new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { WinBackDiscount = discount });

        Assert.Equal(failure is null ? [] : [failure], (result.Failures ?? []).Select(f => f[(f.IndexOf("WinBack", StringComparison.Ordinal))..]).ToArray());
        Assert.Equal(0.50, new PlaybookOptions().WinBackDiscount);
    }

    [Theory]
    [InlineData("price", "Ana, 50% off for 3 months", "Our last offer, made for your budget")]
    [InlineData("product", "Ana, Acme has changed", "Customers like you already use reports")]
    [InlineData("support", "Ana, a different service", "Marta is still there for you")]
    [InlineData("competitor", "Ana, compare us again", "A free move back")]
    [InlineData("payment", "Ana, reactivate your account", "Your data is kept until")]
    public void Every_offer_of_the_sequence_speaks_to_the_churn_reason(string reason, string offerSubject, string lastOfferStart)
    {
        var playbook = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.WinBack);
        var customer = PlaybookFixture.Customer() with { ChurnedOn = Day0, ChurnReason = reason };
        var enrolment = new Enrolment(customer.Customer, playbook.Id, Day0);
        string Render(string step, string language)
        {
            var delivery = new StepDelivery("k", customer, playbook, playbook.Steps.Single(s => s.Id == step), Day0, enrolment);
            var message = TemplateCatalog.BuiltIn.Render(playbook.Steps.Single(s => s.Id == step).Template, CultureInfo.GetCultureInfo(language), Values, delivery.TemplateVariant);
            Assert.EndsWith("#" + reason, message.Template, StringComparison.Ordinal);
            return message.Subject + "\n" + message.Body;
        }

        Assert.StartsWith(offerSubject, Render("half-price", "en"), StringComparison.Ordinal);
        Assert.Contains(lastOfferStart, Render("last-offer", "en"), StringComparison.Ordinal);
        Assert.DoesNotContain("{", Render("half-price", "es") + Render("last-offer", "es"), StringComparison.Ordinal);
        Assert.DoesNotContain("{", Render("we-miss-you", "es") + Render("we-miss-you", "en"), StringComparison.Ordinal);
    }
}
