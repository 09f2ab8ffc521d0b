using System;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Playbooks;

/// <summary>One item of a checklist, in Spanish (the documents' words) and English.</summary>
/// <param name="Id">The item's id, stable for tracking which items were done.</param>
/// <param name="Spanish">The item in Spanish.</param>
/// <param name="English">The item in English.</param>
public sealed record ChecklistItem(string Id, string Spanish, string English);

/// <summary>A checklist: what a success manager or account manager makes sure of in a check-in or an expansion.</summary>
/// <param name="Id">The checklist's id.</param>
/// <param name="Items">Its items, in the documents' order.</param>
public sealed record Checklist(string Id, ImmutableArray<ChecklistItem> Items)
{
    /// <summary>Returns the items in a language: Spanish for <c>es</c>, English otherwise.</summary>
    /// <param name="language">A two-letter language code.</param>
    /// <returns>The items' text.</returns>
    public ImmutableArray<string> In(string language) =>
        [.. Items.Select(i => string.Equals(language, "es", StringComparison.OrdinalIgnoreCase) ? i.Spanish : i.English)];
}

/// <summary>The second document's checklists ("Checklist de retención", "Checklist de expansión"), every item.</summary>
public static class Checklists
{
    /// <summary>Gets the 30-day check-in's checklist.</summary>
    public static Checklist CheckIn30 { get; } = new("check-in-30",
    [
        new("verify-usage", "Verificar uso", "Verify usage"),
        new("measure-early-results", "Medir resultados iniciales", "Measure the first results"),
        new("solve-problems", "Resolver problemas", "Solve problems"),
        new("extra-resources", "Proporcionar recursos adicionales", "Provide additional resources"),
        new("invite-community", "Invitar a comunidad", "Invite to the community"),
    ]);

    /// <summary>Gets the 90-day check-in's checklist.</summary>
    public static Checklist CheckIn90 { get; } = new("check-in-90",
    [
        new("measure-roi", "Medir ROI", "Measure ROI"),
        new("ensure-satisfaction", "Asegurar satisfacción", "Make sure they are satisfied"),
        new("find-expansion", "Identificar oportunidades de expansión", "Find expansion opportunities"),
        new("share-case-studies", "Proporcionar casos de estudio", "Share case studies"),
        new("invite-testimonial", "Invitar a testimonial", "Invite a testimonial"),
    ]);

    /// <summary>Gets the renewal check-in's checklist.</summary>
    public static Checklist Renewal { get; } = new("check-in-renewal",
    [
        new("summarise-value", "Resumir valor recibido", "Summarise the value received"),
        new("find-improvements", "Identificar mejoras", "Find improvements"),
        new("offer-adjustments", "Ofrecer ajustes", "Offer adjustments"),
        new("ease-renewal", "Facilitar renovación", "Make renewing easy"),
        new("celebrate", "Celebrar relación", "Celebrate the relationship"),
    ]);

    /// <summary>Gets the expansion checklist's first phase: identify the opportunity.</summary>
    public static Checklist ExpansionIdentify { get; } = new("expansion-identify",
    [
        new("monitor-usage", "Monitorear uso", "Monitor usage"),
        new("listen-to-needs", "Escuchar necesidades", "Listen to needs"),
        new("limits-reached", "Identificar límites alcanzados", "Spot limits reached"),
        new("relevant-features", "Notar nuevas features relevantes", "Notice relevant new features"),
        new("customer-growth", "Observar crecimiento del cliente", "Watch the customer grow"),
    ]);

    /// <summary>Gets the expansion checklist's second phase: present the opportunity.</summary>
    public static Checklist ExpansionPresent { get; } = new("expansion-present",
    [
        new("connect-need", "Conectar con necesidad específica", "Tie it to a specific need"),
        new("clear-roi", "Mostrar ROI claro", "Show a clear ROI"),
        new("reduce-friction", "Reducir fricción", "Reduce friction"),
        new("offer-trial", "Ofrecer prueba", "Offer a trial"),
        new("no-pressure", "Sin presión", "No pressure"),
    ]);

    /// <summary>Gets the expansion checklist's third phase: close the expansion.</summary>
    public static Checklist ExpansionClose { get; } = new("expansion-close",
    [
        new("confirm-value", "Confirmar valor", "Confirm the value"),
        new("ease-process", "Facilitar proceso", "Make the process easy"),
        new("set-expectations", "Establecer expectativas", "Set expectations"),
        new("follow-up-now", "Seguimiento inmediato", "Follow up at once"),
        new("celebrate-growth", "Celebrar crecimiento", "Celebrate the growth"),
    ]);

    /// <summary>Gets the expansion checklist's three phases in order: identify, present, close.</summary>
    public static ImmutableArray<Checklist> Expansion { get; } = [ExpansionIdentify, ExpansionPresent, ExpansionClose];
}
