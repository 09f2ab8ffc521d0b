using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RetentionKit.Playbooks.Internal;

/// <summary>
/// The playbooks package's meter and spans (names in docs/hosting.md). Tags carry playbook ids, channel names and
/// outcomes — configuration, not personal data; never a customer or a message.
/// </summary>
internal sealed class PlaybookTelemetry
{
    public const string Name = "RetentionKit.Playbooks";

    public static readonly ActivitySource Source = new(Name, typeof(PlaybookTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Counter<long> _steps;
    private readonly Counter<long> _enrolments;
    private readonly Counter<long> _outcomes;

    public PlaybookTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _steps = meter.CreateCounter<long>("retentionkit.playbooks.steps", "{step}", "Playbook steps (interventions) by playbook, channel and outcome: due, delivered, failed, deferred by a frequency cap, or withheld (a control's step, never sent).");
        _outcomes = meter.CreateCounter<long>("retentionkit.playbooks.outcomes", "{enrolment}", "Enrolment outcomes decided, by playbook, arm (treated or control) and result (succeeded or failed): the numbers an experiment dashboard reads.");
        _enrolments = meter.CreateCounter<long>("retentionkit.playbooks.enrolments", "{enrolment}", "Enrolments by playbook and outcome: started, completed, exited (goal met or stopped), or declined (a trigger fired without enrolling).");
    }

    public void Step(string playbook, PlaybookChannel channel, string outcome) =>
        _steps.Add(1, new KeyValuePair<string, object?>("playbook", playbook), new KeyValuePair<string, object?>("channel", channel.Name), new KeyValuePair<string, object?>("outcome", outcome));

    public void Enrolment(string playbook, string outcome) =>
        _enrolments.Add(1, new KeyValuePair<string, object?>("playbook", playbook), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records what a customer's plan holds before it is carried out: due and deferred steps, starts, ends, declines.</summary>
    public void Planned(CustomerPlan plan)
    {
        foreach (var declined in plan.Declined)
        {
            Enrolment(declined.Playbook, "declined");
        }

        foreach (var planned in plan.Enrolments)
        {
            var playbook = planned.After.Playbook;
            if (planned.Starts)
            {
                Enrolment(playbook, "started");
            }

            if (planned.Ends)
            {
                Enrolment(playbook, planned.After.Status == EnrolmentStatus.Completed ? "completed" : "exited");
            }

            foreach (var due in planned.Deliver)
            {
                Step(playbook, due.Step.Channel, "due");
            }

            foreach (var due in planned.Deferred)
            {
                Step(playbook, due.Step.Channel, "due");
                Step(playbook, due.Step.Channel, "deferred");
            }

            foreach (var due in planned.Withheld)
            {
                Step(playbook, due.Step.Channel, "due");
                Step(playbook, due.Step.Channel, "withheld");
            }

            if (planned.After.Outcome is { } outcome && planned.Before?.Outcome is null)
            {
                _outcomes.Add(1, new KeyValuePair<string, object?>("playbook", playbook), new KeyValuePair<string, object?>("arm", planned.After.IsControl ? "control" : "treated"), new KeyValuePair<string, object?>("result", outcome.Succeeded ? "succeeded" : "failed"));
            }
        }
    }
}
