using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using Orleans;
using RetentionKit.Playbooks;

namespace RetentionKit.Orleans;

/// <summary>The silo's <see cref="IPlaybookStepScheduler"/>: a durable reminder on the customer's grain.</summary>
internal sealed class GrainStepScheduler(IGrainFactory grains) : IPlaybookStepScheduler
{
    public async ValueTask ScheduleAsync(CustomerId customer, Instant at, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await grains.GetGrain<ICustomerGrain>(customer.Value).ScheduleStepsAsync(at.ToDateTimeOffset()).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
    }
}
