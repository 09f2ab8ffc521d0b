using System.Threading;
using System.Threading.Tasks;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>
/// Runs a customer's playbooks again at a given instant, so that steps with a send time
/// (<see cref="PlaybookStep.SendAt"/>, <see cref="PlaybookOptions.SendAt"/>) go out at that local time rather than
/// during the nightly run. Registered, it makes <see cref="PlaybookRunner"/> hold a step whose time has not come and
/// schedule its customer; RetentionKit.Orleans implements it with a durable reminder on the customer's grain. Without
/// one, steps are sent when the run meets them.
/// </summary>
public interface IPlaybookStepScheduler
{
    /// <summary>
    /// Asks for the customer's playbooks to be run at <paramref name="at"/> (or soon after; never before). Asked again
    /// for the same customer, the earlier of the two instants still pending wins.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="at">The earliest send time among the steps held.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schedule is durable.</returns>
    ValueTask ScheduleAsync(CustomerId customer, Instant at, CancellationToken cancellationToken = default);
}

/// <summary>A step due today that the run held until its send time.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="Step">The step's id.</param>
/// <param name="SendAt">When it may be sent.</param>
public readonly record struct HeldStep(CustomerId Customer, string Playbook, string Step, Instant SendAt);
