using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans;
using Orleans.Runtime;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Orleans;

/// <summary>
/// The customer grain: a thin shell over the silo's <see cref="LoyaltyLedger"/> (registered by
/// <c>AddRetentionKit(kit =&gt; kit.AddLoyalty())</c>) and its <see cref="ReferralProgram"/>, so the cluster runs the very rules a single process runs. It
/// keeps no state of its own: every posting goes to the ledger's store, and a new activation reads it there.
/// </summary>
internal sealed class CustomerGrain(LoyaltyLedger ledger, ReferralProgram referrals, IClock clock) : Grain, ICustomerGrain, IRemindable
{
    /// <summary>The reminder that runs the customer's playbooks at a step's send time.</summary>
    internal const string StepsReminder = "retentionkit-playbook-steps";

    /// <summary>How often a reminder whose run failed fires again (Orleans' reminders are periodic; a run that succeeds removes or moves it).</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(15);

    private Instant? _scheduled;

    private CustomerId Customer => new(this.GetPrimaryKeyString());

    public async Task<LedgerPosting> EarnAsync(long points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.EarnAsync(Customer, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<LedgerPosting> RedeemAsync(long points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.RedeemAsync(Customer, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<LedgerPosting> ReverseAsync(long entry, long? points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.ReverseAsync(Customer, entry, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<int> ExpireAsync() => (await ledger.ExpireAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).Length;

    public async Task<long> GetBalanceAsync() => await ledger.GetBalanceAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);

    public async Task<string> IssueReferralCodeAsync() =>
        (await referrals.IssueCodeAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).ToString();

    public async Task<ReferralAttribution> AttributeReferralAsync(string code, DateTimeOffset codeSeenAt) =>
        ReferralAttribution.From(await referrals.AttributeAsync(code, Customer, Instant.FromDateTimeOffset(codeSeenAt)).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<ReferralAttribution> QualifyReferralAsync(string paymentReference, decimal monthlyAmount, string currency) =>
        ReferralAttribution.From(await referrals.QualifyAsync(Customer, new ReferralPayment(paymentReference, new Money(monthlyAmount, new Currency(currency)))).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<ReferralAttribution> RefundReferralAsync(string refundReference) =>
        ReferralAttribution.From(await referrals.RefundAsync(Customer, refundReference).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<ImmutableArray<EnrolmentLine>> GetEnrolmentsAsync() =>
        ServiceProvider.GetService<IEnrolmentStore>() is { } store
            ? [.. (await store.GetAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).Select(EnrolmentLine.From)]
            : [];

    public async Task<ScoreLine?> GetLatestScoreAsync()
    {
        if (ServiceProvider.GetService<IScoreHistoryStore>() is not { } history)
        {
            return null;
        }

        var today = clock.GetCurrentInstant().InUtc().Date;
        var records = await history.GetAsync(Customer, today.PlusDays(-365), today.PlusDays(1)).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        return records.Count == 0 ? null : ScoreLine.From(records[^1]);
    }

    public async Task<ImmutableArray<LedgerLine>> GetHistoryAsync() =>
        [.. (await ledger.GetHistoryAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).Select(LedgerLine.From)];

    public async Task ScheduleStepsAsync(DateTimeOffset at)
    {
        var when = Instant.FromDateTimeOffset(at);
        if (_scheduled is { } pending && pending <= when)
        {
            return; // an earlier run is pending; it schedules the later steps itself
        }

        _scheduled = when;
        var due = when - clock.GetCurrentInstant();
        await this.RegisterOrUpdateReminder(StepsReminder, due > Duration.Zero ? due.ToTimeSpan() : TimeSpan.Zero, RetryPeriod).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    public Task<DateTimeOffset?> GetScheduledAsync() => Task.FromResult(_scheduled?.ToDateTimeOffset());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != StepsReminder)
        {
            return;
        }

        // The run schedules the customer again (through this grain) if a step's time has still not come.
        _scheduled = null;
        if (ServiceProvider.GetService<DailyRun>() is not { } run)
        {
            // Retrying every quarter of an hour would not help: say what is missing, once.
            if (await this.GetReminder(StepsReminder).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext) is { } orphan)
            {
                await this.UnregisterReminder(orphan).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
            }

            throw new InvalidOperationException($"Customer {Customer}'s steps are due, and this silo cannot run them: steps with a send time need the daily run registered (kit.AddDailyRun<TSource>()), whose source reads the customer.");
        }

        await run.RunCustomerAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        if (_scheduled is null && await this.GetReminder(StepsReminder).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext) is { } reminder)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }
}
