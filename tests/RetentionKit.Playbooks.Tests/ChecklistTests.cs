using System.Linq;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24: the second document's check-in and expansion checklists as data, every item, attached to the check-ins and the opportunities.</summary>
public sealed class ChecklistTests
{
    [Fact]
    public void Every_item_of_the_documents_checklists_is_there_in_their_words()
    {
        Assert.Equal(["Verificar uso", "Medir resultados iniciales", "Resolver problemas", "Proporcionar recursos adicionales", "Invitar a comunidad"], Checklists.CheckIn30.In("es").ToArray());
        Assert.Equal(["Medir ROI", "Asegurar satisfacción", "Identificar oportunidades de expansión", "Proporcionar casos de estudio", "Invitar a testimonial"], Checklists.CheckIn90.In("es").ToArray());
        Assert.Equal(["Resumir valor recibido", "Identificar mejoras", "Ofrecer ajustes", "Facilitar renovación", "Celebrar relación"], Checklists.Renewal.In("es").ToArray());
        Assert.Equal(["Monitorear uso", "Escuchar necesidades", "Identificar límites alcanzados", "Notar nuevas features relevantes", "Observar crecimiento del cliente"], Checklists.ExpansionIdentify.In("es").ToArray());
        Assert.Equal(["Conectar con necesidad específica", "Mostrar ROI claro", "Reducir fricción", "Ofrecer prueba", "Sin presión"], Checklists.ExpansionPresent.In("es").ToArray());
        Assert.Equal(["Confirmar valor", "Facilitar proceso", "Establecer expectativas", "Seguimiento inmediato", "Celebrar crecimiento"], Checklists.ExpansionClose.In("es").ToArray());
        Assert.Equal(["expansion-identify", "expansion-present", "expansion-close"], Checklists.Expansion.Select(c => c.Id).ToArray());
        Assert.Equal("Verify usage", Checklists.CheckIn30.In("en")[0]);
        var all = new[] { Checklists.CheckIn30, Checklists.CheckIn90, Checklists.Renewal }.Concat(Checklists.Expansion).ToList();
        Assert.All(all, c => Assert.Equal(c.Items.Length, c.Items.Select(i => i.Id).Distinct().Count()));
    }

    [Theory]
    [InlineData(BuiltInPlaybooks.CheckIn30, "check-in-30")]
    [InlineData(BuiltInPlaybooks.CheckIn90, "check-in-90")]
    [InlineData(BuiltInPlaybooks.RenewalCheckIn, "check-in-renewal")]
    public void Each_check_in_carries_its_checklist(string playbook, string checklist) =>
        Assert.Equal([checklist], BuiltInPlaybooks.All.Single(p => p.Id == playbook).Steps.Single().Checklists.Select(c => c.Id).ToArray());

    [Fact]
    public void The_expansion_calls_and_every_opportunity_carry_the_three_phases()
    {
        var calls = BuiltInPlaybooks.All.Where(p => p.Kind is PlaybookKind.Upsell or PlaybookKind.CrossSell).SelectMany(p => p.Steps).Where(s => s.Owner != OwnerRole.Automated).ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, s => Assert.Equal(Checklists.Expansion, s.Checklists));
        Assert.All(BuiltInPlaybooks.All.SelectMany(p => p.Steps).Where(s => s.Owner == OwnerRole.Automated), s => Assert.Empty(s.Checklists));
        var customer = PlaybookFixture.Customer() with { MonthlyRevenue = Money.Usd(100m), LimitUsage = 0.9 };
        Assert.All(Opportunities.Find(customer, Day0), o => Assert.Equal(Checklists.Expansion, o.Checklists));
        Assert.NotEmpty(Opportunities.Find(customer, Day0));
    }
}
