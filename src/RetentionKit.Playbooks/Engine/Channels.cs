using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>A step to deliver today: what, to whom, under which idempotency key.</summary>
/// <param name="IdempotencyKey">Enrolment id + step id: the same on every run, so the channel can refuse a second delivery.</param>
/// <param name="Customer">The customer's state (for rendering the message).</param>
/// <param name="Playbook">The playbook.</param>
/// <param name="Step">The step.</param>
/// <param name="DueOn">The day the step was due (earlier than today when it was held back by a cap or the engine did not run).</param>
/// <param name="Enrolment">The enrolment, as it stood before today's run.</param>
public sealed record StepDelivery(string IdempotencyKey, CustomerState Customer, Playbook Playbook, PlaybookStep Step, LocalDate DueOn, Enrolment Enrolment)
{
    /// <summary>
    /// Gets the template variant to prefer when rendering (<see cref="TemplateCatalog.Render"/>): the enrolment's A/B
    /// variant; else for win-back the customer's churn reason, so the message answers why they left; for onboarding
    /// the customer's industry (B5), so a catalogue with <c>onboarding.welcome#retail</c> speaks to retailers; for the
    /// retention offer the offer chosen (<c>retention-offer.offer#upgrade-month</c>), and on the escalation the improved
    /// offer when one is worth its cost (<c>retention-offer.escalation#improved-discount</c>).
    /// </summary>
    public string? TemplateVariant => Enrolment.Variant ?? Playbook.Kind switch
    {
        PlaybookKind.WinBack => Customer.ChurnReason,
        PlaybookKind.Onboarding => Customer.Industry,
        PlaybookKind.Retention when Enrolment.ImprovedOffer is { } improved && Step.Template == TemplateIds.RetentionOfferEscalation => "improved-" + improved,
        PlaybookKind.Retention => Enrolment.Offer,
        _ => null,
    };
}

/// <summary>
/// A way to reach customers or staff, implemented by the host (an e-mail provider, the product's message centre, the
/// CRM's task list, the dialler). The engine delivers a step, then records it; if the process stops between the two,
/// the next run delivers the same step again with the same <see cref="StepDelivery.IdempotencyKey"/>, and the channel
/// must treat a key it has already delivered as done — as payment and e-mail APIs do with their idempotency keys.
/// </summary>
public interface IPlaybookChannel
{
    /// <summary>Gets the channel this implementation serves.</summary>
    PlaybookChannel Channel { get; }

    /// <summary>Delivers a step; a key already delivered is a success that sends nothing.</summary>
    /// <param name="delivery">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the channel has accepted the step.</returns>
    ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default);
}
