using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NodaTime;
using NodaTime.Text;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Simulation;

namespace WorkerHost;

/// <summary>The company's data: here a simulated customer base, made once; in a real host, your database.</summary>
/// <param name="Base">The simulated customers, their months of activity and their feedback.</param>
internal sealed record SimulatedCompany(SimulatedCustomerBase Base)
{
    public static SimulatedCompany From(IConfiguration sample) => new(CustomerBaseSimulator.Run(new SimulationSettings(
        sample.GetValue("Customers", 400),
        sample.GetValue("Months", 12),
        seed: 42,
        LocalDatePattern.Iso.Parse(sample["Start"] ?? "2025-01-01").GetValueOrThrow())));
}

/// <summary>
/// The daily run's input: each customer's measures of the last full month before the date, and their state. Scoped:
/// the run reads it in a scope of its own, as it would a DbContext.
/// </summary>
internal sealed class SimulatedWarehouse(SimulatedCompany company) : ICustomerDataSource
{
    private static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];

    public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var month = runDate.PlusMonths(-1).ToYearMonth();
        var signups = company.Base.Customers.ToDictionary(c => c.Id);
        foreach (var activity in company.Base.Activity.Where(a => a.Month == month && partition.Contains(a.Customer)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var customer = signups[activity.Customer];
            var snapshot = new CustomerSnapshot(activity.Customer, runDate)
            {
                Logins = activity.Logins,
                BaselineLogins = activity.BaselineLogins,
                FeatureShare = activity.FeatureShare,
                EmailsSent = activity.EmailsSent,
                EmailsOpened = activity.EmailsOpened,
                SupportTickets = activity.SupportTickets,
                NegativeTickets = activity.NegativeTickets,
                DaysPaymentLate = activity.DaysPaymentLate,
                CompetitorVisits = activity.CompetitorVisits,
                UsageOfLimit = activity.UsageOfLimit,
            };
            var state = new CustomerState(activity.Customer, Madrid, customer.SignupDate) { Industry = customer.Industry, LimitUsage = activity.UsageOfLimit };
            yield return new CustomerDay(snapshot, state);
        }
    }
}

/// <summary>
/// A channel that writes each step to the log (playbook, step, template; the customer only at Debug). A real channel
/// calls your e-mail provider or CRM with <see cref="StepDelivery.IdempotencyKey"/> as the provider's idempotency key.
/// </summary>
internal sealed partial class LoggingChannel(PlaybookChannel channel, ILogger<LoggingChannel> logger) : IPlaybookChannel
{
    private readonly ConcurrentDictionary<string, bool> _sent = new(StringComparer.Ordinal);

    public PlaybookChannel Channel => channel;

    public ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default)
    {
        if (_sent.TryAdd(delivery.IdempotencyKey, true))
        {
            Delivered(logger, channel.Name, delivery.Playbook.Id, delivery.Step.Id, delivery.Step.Template);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "{Channel}: {Playbook} / {Step} ({Template})")]
    private static partial void Delivered(ILogger logger, string channel, string playbook, string step, string template);
}

/// <summary>A clock fixed at one instant: the sample's one-day run is the same on every machine.</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
