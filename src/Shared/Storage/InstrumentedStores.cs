using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Hosting;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Storage.Internal;

/// <summary>
/// A store package's meter and spans: every store call is timed (<c>retentionkit.store.duration</c>, tagged with the
/// store, the operation, the database system and whether it failed) under a span of its own, a child of the run step
/// that made it. Linked into both storage packages; the meter and source are named after the package.
/// </summary>
internal sealed class StoreTelemetry : IDisposable
{
    private readonly ActivitySource _source;
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?> _system;

    public StoreTelemetry(string package, string system, IMeterFactory? meterFactory)
    {
        _source = new ActivitySource(package);
        var meter = meterFactory?.Create(package) ?? new Meter(package);
        _duration = meter.CreateHistogram<double>("retentionkit.store.duration", "s", "Time of one call to a RetentionKit store, by store and operation.");
        _system = new("db.system", system);
    }

    public void Dispose() => _source.Dispose();

    public async ValueTask<T> TimeAsync<T>(string store, string operation, Func<ValueTask<T>> call)
    {
        using var span = _source.StartActivity($"retentionkit.store.{store}.{operation}", ActivityKind.Client);
        span?.SetTag("db.system", _system.Value);
        var started = Stopwatch.GetTimestamp();
        var error = true;
        try
        {
            var result = await call().ConfigureAwait(false);
            error = false;
            return result;
        }
        finally
        {
            if (error)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }

            _duration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new("store", store),
                new("operation", operation),
                _system,
                new("error", error));
        }
    }

    public async ValueTask TimeAsync(string store, string operation, Func<ValueTask> call) =>
        await TimeAsync(store, operation, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    public async IAsyncEnumerable<T> TimeAsync<T>(string store, string operation, IAsyncEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = await TimeAsync(store, operation, () => ValueTask.FromResult(items.GetAsyncEnumerator(cancellationToken))).ConfigureAwait(false);
        await using (enumerator.ConfigureAwait(false))
        {
            while (await TimeAsync(store, operation, () => enumerator.MoveNextAsync()).ConfigureAwait(false))
            {
                yield return enumerator.Current;
            }
        }
    }
}

/// <summary>A store wrapped for telemetry; <see cref="Inner"/> is the store itself.</summary>
internal interface IInstrumentedStore
{
    object Inner { get; }
}

/// <summary>Times every call of a ledger store, the batch calls included (passed to the inner store's own).</summary>
internal sealed class InstrumentedLedgerStore(ILoyaltyLedgerStore inner, StoreTelemetry telemetry) : ILoyaltyLedgerStore, IInstrumentedStore
{
    public object Inner => inner;

    private const string Store = "ledger";

    public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "find_key", () => inner.FindKeyAsync(member, key, cancellationToken));

    public ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "read", () => inner.ReadAsync(member, afterSequence, cancellationToken));

    public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "append", () => inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken));

    public ValueTask<IReadOnlyList<IReadOnlyList<LedgerEntry>>> ReadManyAsync(IReadOnlyList<LedgerRead> reads, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "read_many", () => inner.ReadManyAsync(reads, cancellationToken));

    public ValueTask<IReadOnlyList<AppendResult>> AppendBatchAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "append_batch", () => inner.AppendBatchAsync(appends, cancellationToken));

    public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "members", inner.MembersAsync(cancellationToken), cancellationToken);
}

/// <summary>Times every call of a referral store.</summary>
internal sealed class InstrumentedReferralStore(IReferralStore inner, StoreTelemetry telemetry) : IReferralStore, IInstrumentedStore
{
    public object Inner => inner;

    private const string Store = "referrals";

    public ValueTask<AddReferrerStatus> TryAddReferrerAsync(ReferrerAccount account, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "add_referrer", () => inner.TryAddReferrerAsync(account, cancellationToken));

    public ValueTask<ReferrerAccount?> FindReferrerAsync(CustomerId referrer, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "find_referrer", () => inner.FindReferrerAsync(referrer, cancellationToken));

    public ValueTask<ReferrerAccount?> FindReferrerByCodeAsync(ReferralCode code, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "find_referrer_by_code", () => inner.FindReferrerByCodeAsync(code, cancellationToken));

    public ValueTask<bool> TryUpdateReferrerAsync(ReferrerAccount account, long expectedVersion, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "update_referrer", () => inner.TryUpdateReferrerAsync(account, expectedVersion, cancellationToken));

    public ValueTask<bool> TryAddReferralAsync(Referral referral, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "add_referral", () => inner.TryAddReferralAsync(referral, cancellationToken));

    public ValueTask<Referral?> FindReferralAsync(CustomerId referred, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "find_referral", () => inner.FindReferralAsync(referred, cancellationToken));

    public ValueTask<bool> TryUpdateReferralAsync(Referral referral, long expectedVersion, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "update_referral", () => inner.TryUpdateReferralAsync(referral, expectedVersion, cancellationToken));

    public IAsyncEnumerable<ReferrerAccount> ReferrersAsync(CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "referrers", inner.ReferrersAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<Referral> ReferralsAsync(CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "referrals", inner.ReferralsAsync(cancellationToken), cancellationToken);
}

/// <summary>Times every call of an enrolment store.</summary>
internal sealed class InstrumentedEnrolmentStore(IEnrolmentStore inner, StoreTelemetry telemetry) : IEnrolmentStore, IInstrumentedStore
{
    public object Inner => inner;

    public ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("enrolments", "get", () => inner.GetAsync(customer, cancellationToken));

    public ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("enrolments", "save", () => inner.SaveAsync(enrolment, cancellationToken));
}

/// <summary>Times every call of a badge store.</summary>
internal sealed class InstrumentedBadgeStore(RetentionKit.Loyalty.Badges.IBadgeStore inner, StoreTelemetry telemetry) : RetentionKit.Loyalty.Badges.IBadgeStore, IInstrumentedStore
{
    public object Inner => inner;

    public ValueTask<bool> TryAwardAsync(RetentionKit.Loyalty.Badges.BadgeAward award, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("badges", "award", () => inner.TryAwardAsync(award, cancellationToken));

    public ValueTask<IReadOnlyList<RetentionKit.Loyalty.Badges.BadgeAward>> GetAsync(CustomerId member, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("badges", "get", () => inner.GetAsync(member, cancellationToken));
}

/// <summary>Times every call of a feedback store.</summary>
internal sealed class InstrumentedFeedbackStore(IFeedbackStore inner, StoreTelemetry telemetry) : IFeedbackStore, IInstrumentedStore
{
    public object Inner => inner;

    public ValueTask<FeedbackItem> AddAsync(FeedbackItem item, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "add", () => inner.AddAsync(item, cancellationToken));

    public ValueTask<FeedbackItem?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "get", () => inner.GetAsync(id, cancellationToken));

    public ValueTask<FeedbackItem> CompleteAsync(string id, FeedbackActionKind kind, LocalDate day, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "complete", () => inner.CompleteAsync(id, kind, day, cancellationToken));

    public ValueTask<FeedbackItem> ResolveAsync(string id, LocalDate day, string resolution, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "resolve", () => inner.ResolveAsync(id, day, resolution, cancellationToken));

    public ValueTask<IReadOnlyList<FeedbackItem>> OpenAsync(LocalDate asOf, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "open", () => inner.OpenAsync(asOf, cancellationToken));

    public ValueTask<IReadOnlyList<FeedbackItem>> OverdueAsync(LocalDate asOf, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "overdue", () => inner.OverdueAsync(asOf, cancellationToken));

    public ValueTask<IReadOnlyList<FeedbackItem>> ReceivedAsync(LocalDate first, LocalDate last, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("feedback", "received", () => inner.ReceivedAsync(first, last, cancellationToken));
}

/// <summary>Times every call of a score-history store, the bulk write included (passed to the inner store's own).</summary>
internal sealed class InstrumentedScoreHistoryStore(IScoreHistoryStore inner, StoreTelemetry telemetry) : IScoreHistoryStore, IInstrumentedStore
{
    public object Inner => inner;

    public ValueTask RecordAsync(ScoreRecord record, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_history", "record", () => inner.RecordAsync(record, cancellationToken));

    public ValueTask RecordManyAsync(IEnumerable<ScoreRecord> records, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_history", "record_many", () => inner.RecordManyAsync(records, cancellationToken));

    public ValueTask<IReadOnlyList<ScoreRecord>> GetAsync(CustomerId customer, LocalDate firstDate, LocalDate lastDate, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_history", "get", () => inner.GetAsync(customer, firstDate, lastDate, cancellationToken));
}

/// <summary>Times every call of a score-override store.</summary>
internal sealed class InstrumentedScoreOverrideStore(IScoreOverrideStore inner, StoreTelemetry telemetry) : IScoreOverrideStore, IInstrumentedStore
{
    public object Inner => inner;

    public ValueTask SetAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_overrides", "set", () => inner.SetAsync(scoreOverride, cancellationToken));

    public ValueTask<ScoreOverride?> GetAsync(CustomerId customer, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_overrides", "get", () => inner.GetAsync(customer, cancellationToken));

    public ValueTask<bool> RemoveAsync(CustomerId customer, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync("score_overrides", "remove", () => inner.RemoveAsync(customer, cancellationToken));
}

/// <summary>Times every call of a daily-run store.</summary>
internal sealed class InstrumentedDailyRunStore(IDailyRunStore inner, StoreTelemetry telemetry) : IDailyRunStore, IInstrumentedStore
{
    public object Inner => inner;

    private const string Store = "runs";

    public ValueTask<bool> TryAcquireAsync(LocalDate runDate, RunPartition partition, string instance, Instant now, Instant until, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "acquire", () => inner.TryAcquireAsync(runDate, partition, instance, now, until, cancellationToken));

    public ValueTask<bool> RenewAsync(LocalDate runDate, RunPartition partition, string instance, Instant until, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "renew", () => inner.RenewAsync(runDate, partition, instance, until, cancellationToken));

    public ValueTask<bool> CompleteAsync(PartitionResult result, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "complete", () => inner.CompleteAsync(result, cancellationToken));

    public ValueTask<ImmutableArray<PartitionResult>> GetCompletedAsync(LocalDate runDate, int partitions, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "get_completed", () => inner.GetCompletedAsync(runDate, partitions, cancellationToken));

    public ValueTask ResetAsync(LocalDate runDate, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "reset", () => inner.ResetAsync(runDate, cancellationToken));

    public ValueTask<LocalDate?> GetLatestCompletedAsync(int partitions, LocalDate onOrBefore, CancellationToken cancellationToken = default) =>
        telemetry.TimeAsync(Store, "get_latest_completed", () => inner.GetLatestCompletedAsync(partitions, onOrBefore, cancellationToken));
}
