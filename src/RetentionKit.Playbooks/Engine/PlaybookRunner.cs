using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks.Internal;

namespace RetentionKit.Playbooks;

/// <summary>A customer the run could not serve: what failed and why. The run went on to the next customer.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Playbook">The playbook being worked on when it failed, if any.</param>
/// <param name="Step">The step being delivered when it failed, if any.</param>
/// <param name="Error">What was thrown (a channel's, or the store's).</param>
public sealed record CustomerFailure(CustomerId Customer, string? Playbook, string? Step, Exception Error)
{
    /// <summary>Gets the reason, for a summary: the exception's type and message.</summary>
    public string Reason => $"{Error.GetType().Name}: {Error.Message}";
}

/// <summary>What a run did.</summary>
/// <param name="Plans">Every customer's plan that changed something, in input order.</param>
/// <param name="Delivered">The steps delivered, in order.</param>
public sealed record PlaybookRunReport(ImmutableArray<CustomerPlan> Plans, ImmutableArray<StepDelivery> Delivered)
{
    /// <summary>
    /// Gets the customers the run could not serve, in input order. Nothing recorded for them past the failure: the next
    /// run plans them again and delivers what is still due under the same idempotency keys.
    /// </summary>
    public ImmutableArray<CustomerFailure> Failures { get; init; } = [];

    /// <summary>
    /// Gets the steps due today held until their send time (only with a <see cref="IPlaybookStepScheduler"/>); each
    /// customer was scheduled for the earliest of theirs. Not recorded: the scheduled run delivers them.
    /// </summary>
    public ImmutableArray<HeldStep> Held { get; init; } = [];

    /// <summary>Gets how many enrolments started.</summary>
    public int Started => Count(static p => p.Starts);

    /// <summary>Gets how many enrolments completed.</summary>
    public int Completed => Count(static p => p.After.Status == EnrolmentStatus.Completed);

    /// <summary>Gets how many enrolments exited early.</summary>
    public int Exited => Count(static p => p.After.Status == EnrolmentStatus.Exited);

    private int Count(Func<PlannedEnrolment, bool> predicate)
    {
        var n = 0;
        foreach (var plan in Plans)
        {
            foreach (var e in plan.Enrolments)
            {
                n += predicate(e) ? 1 : 0;
            }
        }

        return n;
    }
}

/// <summary>
/// Runs the engine against the store and the channels: plans each customer's day, records new enrolments, delivers the
/// due steps through the host's channels, and records what was delivered. Running it twice in a day delivers nothing
/// the second time; a run that stops between a delivery and its record delivers the step again with the same
/// idempotency key, which the channel refuses (see <see cref="IPlaybookChannel"/>). A failure for one customer (a
/// channel or the store throws) is reported in <see cref="PlaybookRunReport.Failures"/> and the run goes on to the next
/// customer; only cancellation stops it.
/// </summary>
public sealed class PlaybookRunner
{
    private readonly PlaybookEngine _engine;
    private readonly IEnrolmentStore _store;
    private readonly IClock _clock;
    private readonly Dictionary<PlaybookChannel, IPlaybookChannel> _channels = [];
    private readonly PlaybookTelemetry _telemetry;
    private readonly IPlaybookStepScheduler? _scheduler;
    private readonly LocalTime? _sendAt;

    /// <summary>Initializes a new instance of the <see cref="PlaybookRunner"/> class.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="store">Where enrolments are kept.</param>
    /// <param name="channels">The host's channels: at most one per channel name, and one for every channel a step of the engine's playbooks is sent on.</param>
    /// <param name="clock">The clock: today is its date in each customer's zone.</param>
    /// <param name="meterFactory">Creates the <c>RetentionKit.Playbooks</c> meter (steps due, delivered, failed, deferred; enrolments); null for a meter nothing listens to by default.</param>
    /// <param name="scheduler">Runs a customer again at a step's send time; null to send every step when the run meets it.</param>
    /// <exception cref="ArgumentException">Two channels serve the same channel name, or a playbook has a step on a channel nobody registered (found now, not on the day the step falls due).</exception>
    public PlaybookRunner(PlaybookEngine engine, IEnrolmentStore store, IEnumerable<IPlaybookChannel> channels, IClock clock, IMeterFactory? meterFactory = null, IPlaybookStepScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(clock);
        foreach (var channel in channels)
        {
            ArgumentNullException.ThrowIfNull(channel, nameof(channels));
            if (!_channels.TryAdd(channel.Channel, channel))
            {
                throw new ArgumentException($"Two channels serve the channel '{channel.Channel}'.", nameof(channels));
            }
        }

        if (MissingChannel(engine, _channels.Keys) is { } missing)
        {
            throw new ArgumentException(missing, nameof(channels));
        }

        (_engine, _store, _clock, _scheduler) = (engine, store, clock, scheduler);
        _sendAt = engine.Options.SendAtTime;
        _telemetry = new PlaybookTelemetry(meterFactory);
    }

    /// <summary>The first step of the engine's playbooks sent on a channel not among <paramref name="registered"/>, said as an error; null when there is none.</summary>
    internal static string? MissingChannel(PlaybookEngine engine, IEnumerable<PlaybookChannel> registered)
    {
        var have = new HashSet<PlaybookChannel>(registered);
        foreach (var playbook in engine.Playbooks)
        {
            foreach (var step in playbook.Steps)
            {
                if (!have.Contains(step.Channel))
                {
                    return $"Playbook '{playbook.Id}' has step '{step.Id}' on {step.Channel}, and no {step.Channel} channel is registered: register an IPlaybookChannel for it, or disable the playbook.";
                }
            }
        }

        return null;
    }

    /// <summary>Runs today for the customers: today is the clock's date in each customer's zone.</summary>
    /// <param name="customers">The customers' states.</param>
    /// <param name="cancellationToken">Cancels the run between deliveries.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled; what was delivered before is recorded.</exception>
    public ValueTask<PlaybookRunReport> RunAsync(IEnumerable<CustomerState> customers, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetCurrentInstant();
        return RunAsync(customers, c => now.InZone(c.Zone).Date, cancellationToken);
    }

    /// <summary>
    /// Runs a given date for the customers, whatever their zones: the daily run of a date (RetentionKit.Hosting), a
    /// date caught up after downtime, or a date run again on purpose — which delivers nothing twice.
    /// </summary>
    /// <param name="customers">The customers' states.</param>
    /// <param name="today">The date to run.</param>
    /// <param name="cancellationToken">Cancels the run between deliveries.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled; what was delivered before is recorded.</exception>
    public ValueTask<PlaybookRunReport> RunAsync(IEnumerable<CustomerState> customers, LocalDate today, CancellationToken cancellationToken = default) =>
        RunAsync(customers, _ => today, cancellationToken);

    private async ValueTask<PlaybookRunReport> RunAsync(IEnumerable<CustomerState> customers, Func<CustomerState, LocalDate> todayOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        using var span = PlaybookTelemetry.Source.StartActivity("retentionkit.playbooks.run");
        var plans = ImmutableArray.CreateBuilder<CustomerPlan>();
        var delivered = ImmutableArray.CreateBuilder<StepDelivery>();
        var failures = ImmutableArray.CreateBuilder<CustomerFailure>();
        var held = ImmutableArray.CreateBuilder<HeldStep>();
        var now = _clock.GetCurrentInstant();
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            var at = new Where();
            try
            {
                await RunCustomerAsync(customer, todayOf(customer), now, plans, delivered, held, at, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(new CustomerFailure(customer.Customer, at.Playbook, at.Step, ex));
            }
        }

        span?.SetTag("retentionkit.plans", plans.Count);
        span?.SetTag("retentionkit.delivered", delivered.Count);
        span?.SetTag("retentionkit.failures", failures.Count);
        return new PlaybookRunReport(plans.ToImmutable(), delivered.ToImmutable()) { Failures = failures.ToImmutable(), Held = held.ToImmutable() };
    }

    private async ValueTask RunCustomerAsync(CustomerState customer, LocalDate today, Instant now, ImmutableArray<CustomerPlan>.Builder plans, ImmutableArray<StepDelivery>.Builder delivered, ImmutableArray<HeldStep>.Builder held, Where at, CancellationToken cancellationToken)
    {
        var enrolments = await _store.GetAsync(customer.Customer, cancellationToken).ConfigureAwait(false);
        if (_engine.Plan(customer, enrolments, today) is not { } plan)
        {
            return;
        }

        plans.Add(plan);
        _telemetry.Planned(plan);
        Instant? wake = null;
        foreach (var planned in plan.Enrolments)
        {
            at.Playbook = planned.After.Playbook;
            at.Step = null;
            // A new enrolment is recorded before its first delivery: a later run then finds it (and its keys) even
            // if this one stops half-way, instead of starting it again on another day under other keys.
            if (planned.Before is null)
            {
                await _store.SaveAsync(planned.After with { Steps = [], Status = EnrolmentStatus.Active, EndedOn = null, EndReason = null, Outcome = null }, cancellationToken).ConfigureAwait(false);
            }

            List<string>? holding = null;
            foreach (var due in planned.Deliver)
            {
                cancellationToken.ThrowIfCancellationRequested();
                at.Step = due.Step.Id;

                // A step with a send time still to come today waits for the scheduled run, and so do the enrolment's
                // later steps: they go out in order.
                var sendAt = _scheduler is null ? null : SendTime(due, today, customer.Zone);
                if (holding is not null || sendAt > now)
                {
                    var when = sendAt > now ? sendAt.Value : now;
                    if (sendAt > now && !(wake < when))
                    {
                        wake = when; // the earliest own send time: the steps behind it go out with it
                    }

                    (holding ??= []).Add(due.Step.Id);
                    held.Add(new HeldStep(customer.Customer, planned.After.Playbook, due.Step.Id, when));
                    continue;
                }

                var channel = _channels.GetValueOrDefault(due.Step.Channel)
                    ?? throw new InvalidOperationException($"Step '{due.Step.Id}' of playbook '{planned.Playbook!.Id}' is due on {due.Step.Channel}, and no channel for it is registered.");
                var delivery = new StepDelivery(due.IdempotencyKey, customer, planned.Playbook!, due.Step, due.DueOn, planned.Before ?? planned.After);
                try
                {
                    await channel.DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _telemetry.Step(planned.After.Playbook, due.Step.Channel, "failed");
                    throw;
                }

                _telemetry.Step(planned.After.Playbook, due.Step.Channel, "delivered");
                delivered.Add(delivery);
            }

            at.Step = null;
            await _store.SaveAsync(holding is null ? planned.After : Unsent(planned.After, holding, today), cancellationToken).ConfigureAwait(false);
        }

        if (wake is { } first)
        {
            await _scheduler!.ScheduleAsync(customer.Customer, first, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>When a due step may be sent: its send time on today in the customer's zone; null when it has none.</summary>
    private LocalTime? SendTimeOf(PlaybookStep step) => step.SendAt ?? _sendAt;

    private Instant? SendTime(DueStep due, LocalDate today, DateTimeZone zone) =>
        SendTimeOf(due.Step) is { } time ? today.At(time).InZoneLeniently(zone).ToInstant() : null;

    /// <summary>The enrolment as recorded while some of today's steps wait: without their records, still running.</summary>
    private static Enrolment Unsent(Enrolment after, List<string> holding, LocalDate today)
    {
        var steps = after.Steps.RemoveAll(r => r.On == today && !r.Skipped && holding.Contains(r.Step));
        return after.Status == EnrolmentStatus.Completed
            ? after with { Steps = steps, Status = EnrolmentStatus.Active, EndedOn = null, EndReason = null }
            : after with { Steps = steps };
    }

    /// <summary>Where a customer's run is, for the failure report.</summary>
    private sealed class Where
    {
        public string? Playbook { get; set; }

        public string? Step { get; set; }
    }
}
