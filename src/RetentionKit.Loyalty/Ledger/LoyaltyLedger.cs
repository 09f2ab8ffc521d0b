using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Internal;

namespace RetentionKit.Loyalty.Ledger;

/// <summary>
/// The points ledger (L4): append-only, idempotent postings on lots, FIFO consumption by earliest expiry, expiry
/// against the clock, reversals linked to their original, and balances as of any instant.
/// </summary>
/// <remarks>
/// <para>
/// Every posting carries an idempotency key, unique per member. The same key with the same request returns the first
/// outcome and writes nothing, a rejection included (<see cref="PostingStatus.InsufficientPoints"/> stays rejected);
/// the same key with another request throws <see cref="IdempotencyConflictException"/>. Argument errors throw and are
/// not remembered. Keys starting with <c>~</c> are the ledger's own (expiry).
/// </para>
/// <para>
/// Requests for one member are serialised in this instance; several instances (or processes) may share a store: each
/// append is conditional on the version the decision was made on, and a lost race is re-decided on the new state.
/// Debits first post the expiry of every lot past its date, so a redemption never spends expired points. Entry times
/// come from the clock, never earlier than the member's previous entry.
/// </para>
/// </remarks>
public sealed class LoyaltyLedger
{
    /// <summary>The prefix of the ledger's own keys; host keys may not start with it.</summary>
    public const string ReservedKeyPrefix = "~";

    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxKeyLength = 200;

    private const int MaxAttempts = 16;

    private readonly ILoyaltyLedgerStore _store;

    // The in-memory store, when that is the store: decisions are then made under its lock on its own fold of the
    // member's entries (one look-up, no cache here, no race to lose).
    private readonly InMemoryLoyaltyLedgerStore? _memory;
    private readonly IClock _clock;
    private readonly Duration? _expiry;
    private readonly ReversalShortfallPolicy _shortfall;
    private readonly ConcurrentDictionary<CustomerId, Slot> _slots = new();

    /// <summary>Initializes a new instance of the <see cref="LoyaltyLedger"/> class.</summary>
    /// <param name="store">Where entries and keys are kept.</param>
    /// <param name="clock">The clock entries are dated by and expiry is evaluated against.</param>
    /// <param name="options">The options; copied.</param>
    /// <param name="meterFactory">Creates the <c>RetentionKit.Loyalty</c> meter (postings, points, rejections); null for a meter nothing listens to by default.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The expiry term is negative.</exception>
    public LoyaltyLedger(ILoyaltyLedgerStore store, IClock clock, LoyaltyOptions options, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PointsExpireAfterDays, "options.PointsExpireAfterDays");
        _store = store;
        _memory = store as InMemoryLoyaltyLedgerStore;
        _clock = clock;
        _expiry = options.PointsExpireAfterDays == 0 ? null : Duration.FromDays(options.PointsExpireAfterDays);
        _shortfall = options.ReversalShortfall;
        Telemetry = new LoyaltyTelemetry(meterFactory);
    }

    /// <summary>Gets the instruments this ledger records on; the referral programme records on the same.</summary>
    internal LoyaltyTelemetry Telemetry { get; }

    /// <summary>Credits earned points: a new lot that expires after the configured term.</summary>
    /// <param name="member">The member.</param>
    /// <param name="points">The points, at least 1.</param>
    /// <param name="idempotencyKey">The key, unique per member (the earning event's id, say).</param>
    /// <param name="reason">Why (the rule's name).</param>
    /// <param name="reference">What the points are for outside the ledger, if anything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> would take the member's balance or qualifying points above <see cref="long.MaxValue"/> (LI-12: points never wrap; nothing is written).</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for another request.</exception>
    /// <exception cref="LedgerConcurrencyException">Other writers kept winning the race.</exception>
    public ValueTask<PostingResult> EarnAsync(CustomerId member, long points, string idempotencyKey, string reason, string? reference = null, CancellationToken cancellationToken = default)
    {
        RequirePositive(points);
        RequireRequest(member, idempotencyKey, reason);
        return PostAsync(member, new Request(PostingKind.Earn, points, idempotencyKey, reason, reference, null), cancellationToken);
    }

    /// <summary>
    /// Credits many earns at once — a day's usage points for the whole base — each exactly as <see cref="EarnAsync"/>
    /// would (its own idempotency key, replayed when seen before), with the store writing them in as few commits as it
    /// can: one batch per round, where round <c>n</c> holds every member's <c>n</c>-th request, so a member's requests
    /// post in the order given.
    /// </summary>
    /// <param name="requests">The earns; every one is checked before anything is written.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One outcome per request, in order.</returns>
    /// <exception cref="ArgumentException">A request breaks a rule of <see cref="EarnAsync"/> (the message gives its position); nothing was written.</exception>
    /// <exception cref="IdempotencyConflictException">A request's key was used for another request: that one was not posted, every other one was (retrying the batch without it is harmless).</exception>
    /// <exception cref="LedgerConcurrencyException">Other writers kept winning the race for a member.</exception>
    public async ValueTask<ImmutableArray<PostingResult>> EarnManyAsync(IReadOnlyList<EarnRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var posts = new Request[requests.Count];
        for (var i = 0; i < posts.Length; i++)
        {
            var r = requests[i];
            try
            {
                RequirePositive(r.Points, nameof(r.Points));
                RequireRequest(r.Member, r.IdempotencyKey, r.Reason);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"requests[{i}]: {ex.Message} Nothing was written.", nameof(requests), ex);
            }

            posts[i] = new Request(PostingKind.Earn, r.Points, r.IdempotencyKey, r.Reason, r.Reference, null);
        }

        var results = new PostingResult[posts.Length];
        IdempotencyConflictException? conflict = null;
        if (_memory is not null)
        {
            for (var i = 0; i < posts.Length; i++)
            {
                try
                {
                    results[i] = await PostAsync(requests[i].Member, posts[i], cancellationToken).ConfigureAwait(false);
                }
                catch (IdempotencyConflictException ex)
                {
                    conflict ??= ex;
                }
            }
        }
        else
        {
            using var span = LoyaltyTelemetry.Source.StartActivity("retentionkit.loyalty.earn_many");
            span?.SetTag("retentionkit.requests", posts.Length);
            conflict = await EarnManyThroughStoreAsync(requests, posts, results, cancellationToken).ConfigureAwait(false);
            foreach (var result in results)
            {
                if (result is not null)
                {
                    Telemetry.Posted(PostingKind.Earn, result);
                }
            }

            if (conflict is not null)
            {
                Telemetry.Conflict(PostingKind.Earn);
            }
        }

        return conflict is null ? ImmutableCollectionsMarshal.AsImmutableArray(results) : throw conflict;
    }

    /// <summary>Spends points on a reward: debits the member's lots, earliest expiry first; rejected whole when the member has too few.</summary>
    /// <param name="member">The member.</param>
    /// <param name="points">The points, at least 1.</param>
    /// <param name="idempotencyKey">The key, unique per member.</param>
    /// <param name="reason">Why (the reward's name).</param>
    /// <param name="reference">What was redeemed, if anything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome; <see cref="PostingStatus.InsufficientPoints"/> with nothing written when the points are not there.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for another request.</exception>
    /// <exception cref="LedgerConcurrencyException">Other writers kept winning the race.</exception>
    public ValueTask<PostingResult> RedeemAsync(CustomerId member, long points, string idempotencyKey, string reason, string? reference = null, CancellationToken cancellationToken = default)
    {
        RequirePositive(points);
        RequireRequest(member, idempotencyKey, reason);
        return PostAsync(member, new Request(PostingKind.Redeem, -points, idempotencyKey, reason, reference, null), cancellationToken);
    }

    /// <summary>A person's correction: a credit opens a lot (that expires like earned points), a debit consumes lots like a redemption.</summary>
    /// <param name="member">The member.</param>
    /// <param name="points">The change, not zero.</param>
    /// <param name="idempotencyKey">The key, unique per member.</param>
    /// <param name="reason">The person's reason, not blank.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="points"/> would take the member's balance or qualifying points above <see cref="long.MaxValue"/> (LI-12: points never wrap; nothing is written).</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for another request.</exception>
    /// <exception cref="LedgerConcurrencyException">Other writers kept winning the race.</exception>
    public ValueTask<PostingResult> AdjustAsync(CustomerId member, long points, string idempotencyKey, string reason, CancellationToken cancellationToken = default)
    {
        if (points == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(points), points, "An adjustment must change the balance.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RequireRequest(member, idempotencyKey, reason);
        return PostAsync(member, new Request(PostingKind.Adjust, points, idempotencyKey, reason, null, null), cancellationToken);
    }

    /// <summary>
    /// Undoes (part of) an earn, a redemption or an adjustment. Reversing a credit claws its points back — from its own
    /// lot first, then by the <see cref="LoyaltyOptions.ReversalShortfall"/> policy — and writes off what the member no
    /// longer has; reversing a debit gives the points back to the lots it took them from.
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="entry">The sequence number of the entry to reverse.</param>
    /// <param name="points">How many of its points to reverse, at least 1; null for all that is not reversed yet.</param>
    /// <param name="idempotencyKey">The key, unique per member (the refund's id, say).</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome: <see cref="PostingStatus.EntryNotFound"/>, <see cref="PostingStatus.NotReversible"/> or <see cref="PostingStatus.ExceedsReversible"/> with nothing written when it cannot be done.</returns>
    /// <exception cref="ArgumentException">An argument breaks its rule.</exception>
    /// <exception cref="IdempotencyConflictException">The key was used for another request.</exception>
    /// <exception cref="LedgerConcurrencyException">Other writers kept winning the race.</exception>
    public ValueTask<PostingResult> ReverseAsync(CustomerId member, long entry, long? points, string idempotencyKey, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entry, 1);
        if (points is { } p)
        {
            RequirePositive(p, nameof(points));
        }

        RequireRequest(member, idempotencyKey, reason);
        return PostAsync(member, new Request(PostingKind.Reverse, points ?? 0, idempotencyKey, reason, null, entry), cancellationToken);
    }

    /// <summary>Posts the expiry of every lot of the member past its date (LI-8); running it again posts nothing.</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The expiry entries written now.</returns>
    public async ValueTask<ImmutableArray<LedgerEntry>> ExpireAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        var expired = await ExpireUnobservedAsync(member, cancellationToken).ConfigureAwait(false);
        Telemetry.Expired(expired);
        return expired;
    }

    private ValueTask<ImmutableArray<LedgerEntry>> ExpireUnobservedAsync(CustomerId member, CancellationToken cancellationToken) =>
        _memory is not null
            ? InMemory(member, create: false, static (ledger, _, log) => log is null ? [] : ledger.ExpireDue(log, log.Folded()), cancellationToken)
            : UnderGateAsync(member, static async (ledger, slot, ct) =>
        {
            await ledger.CatchUpAsync(slot, ct).ConfigureAwait(false);
            return await ledger.ExpireDueAsync(slot, ledger.Now(slot.State), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Gets the member's current account: balance, qualifying points and open lots, lots past their expiry left out (reads never write).</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account; an empty one for a member with no entries.</returns>
    public ValueTask<LoyaltyAccount> GetAccountAsync(CustomerId member, CancellationToken cancellationToken = default) =>
        _memory is not null
            ? InMemory(member, create: false, static (ledger, m, log) => log?.Folded() is { } state ? state.Snapshot(ledger.Now(state)) : new MemberState(m).Snapshot(), cancellationToken)
            : UnderGateAsync(member, static async (ledger, slot, ct) =>
        {
            await ledger.CatchUpAsync(slot, ct).ConfigureAwait(false);
            return slot.State.Snapshot(ledger.Now(slot.State));
        }, cancellationToken);

    /// <summary>
    /// Gets the member's balance now: the points they can spend, leaving out lots past their expiry whether or not
    /// <see cref="ExpireAsync"/> has posted it (reads never write). O(1) plus the lots past their date once the member
    /// is loaded (one read of anything newer in the store).
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The balance; 0 for a member with no entries.</returns>
    public ValueTask<long> GetBalanceAsync(CustomerId member, CancellationToken cancellationToken = default) =>
        _memory is not null
            ? InMemory(member, create: false, static (ledger, _, log) => log?.Folded() is { } state ? state.BalanceAt(ledger.Now(state)) : 0, cancellationToken)
            : UnderGateAsync(member, static async (ledger, slot, ct) =>
        {
            await ledger.CatchUpAsync(slot, ct).ConfigureAwait(false);
            return slot.State.BalanceAt(ledger.Now(slot.State));
        }, cancellationToken);

    /// <summary>Gets the member's account as it stood at an instant: the entries posted by then, less the lots past their expiry by then.</summary>
    /// <param name="member">The member.</param>
    /// <param name="asOf">The instant (inclusive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account then.</returns>
    public async ValueTask<LoyaltyAccount> GetAccountAsync(CustomerId member, Instant asOf, CancellationToken cancellationToken = default)
    {
        RequireMember(member);
        var entries = await _store.ReadAsync(member, 0, cancellationToken).ConfigureAwait(false);
        return Replay(member, entries, asOf);
    }

    /// <summary>Gets every entry of the member, in order.</summary>
    /// <param name="member">The member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    public async ValueTask<IReadOnlyList<LedgerEntry>> GetHistoryAsync(CustomerId member, CancellationToken cancellationToken = default)
    {
        RequireMember(member);
        return await _store.ReadAsync(member, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Folds a member's entries from empty (LI-7), checking every ledger rule on the way.</summary>
    /// <param name="member">The member.</param>
    /// <param name="entries">The member's entries, in order from sequence 1.</param>
    /// <param name="asOf">
    /// Only entries posted at or before this instant, and without the lots past their expiry by then (their points
    /// are gone whether or not the expiry posting was written); null for all entries, folded as written.
    /// </param>
    /// <returns>The account.</returns>
    /// <exception cref="InvalidOperationException">An entry breaks a ledger rule (the message names it and the rule).</exception>
    public static LoyaltyAccount Replay(CustomerId member, IEnumerable<LedgerEntry> entries, Instant? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new MemberState(member);
        foreach (var entry in entries)
        {
            if (asOf is { } t && entry.At > t)
            {
                break;
            }

            state.Apply(entry);
        }

        return state.Snapshot(asOf);
    }

    private ValueTask<PostingResult> PostAsync(CustomerId member, Request request, CancellationToken cancellationToken)
    {
        ValueTask<PostingResult> pending;
        try
        {
            pending = PostUnobservedAsync(member, request, cancellationToken);
        }
        catch (IdempotencyConflictException)
        {
            Telemetry.Conflict(request.Kind);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Telemetry.Posted(request.Kind, pending.Result);
            return pending;
        }

        return ObservedAsync(pending, request.Kind);
    }

    private async ValueTask<PostingResult> ObservedAsync(ValueTask<PostingResult> pending, PostingKind kind)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            Telemetry.Posted(kind, result);
            return result;
        }
        catch (IdempotencyConflictException)
        {
            Telemetry.Conflict(kind);
            throw;
        }
    }

    private ValueTask<PostingResult> PostUnobservedAsync(CustomerId member, Request request, CancellationToken cancellationToken)
    {
        var fingerprint = request.Fingerprint();
        if (_memory is null)
        {
            return PostThroughStoreAsync(member, request, fingerprint, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (result, foreign) = _memory.WithMember(member, create: true, (Ledger: this, Request: request, Fingerprint: fingerprint), static (log, a) => a.Ledger.PostInMemory(log!, a.Request, a.Fingerprint));
        return ValueTask.FromResult(result ?? throw new IdempotencyConflictException(member, foreign!.Value.Key, foreign.Value.Fingerprint, fingerprint));
    }

    private async ValueTask<PostingResult> PostThroughStoreAsync(CustomerId member, Request request, RequestFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(member, static m => new Slot(m));
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (result, foreign) = await PostCoreAsync(slot, request, fingerprint, cancellationToken).ConfigureAwait(false);
            return result ?? throw new IdempotencyConflictException(member, foreign!.Value.Key, foreign.Value.Fingerprint, fingerprint);
        }
        catch (Exception) when (!slot.State.IsConsistent)
        {
            _slots.TryRemove(member, out _); // a log that does not fold is never cached; the next call reads it again
            throw;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>
    /// The store path of <see cref="EarnManyAsync"/>: takes every member's gate (in one order, so two batches never
    /// deadlock), then per round decides each request on its member's state and hands the store one batch; a request
    /// that lost a race (or might overflow on a stale state) goes the single-posting way before the next round.
    /// </summary>
    private async ValueTask<IdempotencyConflictException?> EarnManyThroughStoreAsync(IReadOnlyList<EarnRequest> requests, Request[] posts, PostingResult[] results, CancellationToken cancellationToken)
    {
        var byMember = new Dictionary<CustomerId, List<int>>();
        for (var i = 0; i < posts.Length; i++)
        {
            var member = requests[i].Member;
            if (!byMember.TryGetValue(member, out var list))
            {
                byMember[member] = list = [];
            }

            list.Add(i);
        }

        var members = new List<CustomerId>(byMember.Keys);
        members.Sort(static (a, b) => string.CompareOrdinal(a.Value, b.Value));
        var slots = new List<Slot>(members.Count);
        IdempotencyConflictException? conflict = null;
        try
        {
            foreach (var member in members)
            {
                var slot = _slots.GetOrAdd(member, static m => new Slot(m));
                await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                slots.Add(slot);
            }

            // The members not loaded yet are read in one call (one connection or round trip on a database store).
            var unloaded = slots.FindAll(static s => !s.Loaded);
            if (unloaded.Count > 0)
            {
                var reads = await _store.ReadManyAsync([.. unloaded.Select(static s => new LedgerRead(s.State.Member, s.State.Version))], cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < unloaded.Count; k++)
                {
                    foreach (var entry in reads[k])
                    {
                        unloaded[k].State.Apply(entry);
                    }

                    unloaded[k].Loaded = true;
                }
            }

            var appends = new List<LedgerAppend>(slots.Count);
            var indices = new List<int>(slots.Count);
            var owners = new List<Slot>(slots.Count);
            var fallback = new List<(Slot Slot, int Index)>();
            for (var round = 0; ; round++)
            {
                appends.Clear();
                indices.Clear();
                owners.Clear();
                fallback.Clear();
                for (var m = 0; m < slots.Count; m++)
                {
                    var list = byMember[members[m]];
                    if (round >= list.Count)
                    {
                        continue;
                    }

                    var slot = slots[m];
                    var i = list[round];
                    if (Overflows(slot.State, posts[i]))
                    {
                        fallback.Add((slot, i)); // maybe a replay, maybe a stale state: the single path looks both up
                        continue;
                    }

                    var (record, entry) = Decide(slot.State, posts[i], posts[i].Fingerprint(), Now(slot.State));
                    appends.Add(new LedgerAppend(slot.State.Member, slot.State.Version, record, entry));
                    indices.Add(i);
                    owners.Add(slot);
                }

                if (appends.Count == 0 && fallback.Count == 0)
                {
                    return conflict;
                }

                var appended = appends.Count == 0 ? [] : await _store.AppendBatchAsync(appends, cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < appends.Count; k++)
                {
                    var slot = owners[k];
                    var i = indices[k];
                    switch (appended[k].Status)
                    {
                        case AppendStatus.Appended:
                            slot.State.Apply(appends[k].Entry!);
                            results[i] = new PostingResult(PostingStatus.Posted, appends[k].Entry, slot.State.BalanceAt(appends[k].Entry!.At), false);
                            break;
                        case AppendStatus.KeyExists:
                            var (replayed, foreign) = await ReplayedAsync(slot, appended[k].Existing!.Value, posts[i].Fingerprint(), cancellationToken).ConfigureAwait(false);
                            results[i] = replayed!;
                            conflict ??= foreign is { } f ? new IdempotencyConflictException(slot.State.Member, f.Key, f.Fingerprint, posts[i].Fingerprint()) : null;
                            break;
                        default:
                            fallback.Add((slot, i));
                            break;
                    }
                }

                foreach (var (slot, i) in fallback)
                {
                    var (result, foreign) = await PostCoreAsync(slot, posts[i], posts[i].Fingerprint(), cancellationToken).ConfigureAwait(false);
                    results[i] = result!;
                    conflict ??= foreign is { } f ? new IdempotencyConflictException(slot.State.Member, f.Key, f.Fingerprint, posts[i].Fingerprint()) : null;
                }
            }
        }
        catch (Exception)
        {
            foreach (var slot in slots)
            {
                if (!slot.State.IsConsistent)
                {
                    _slots.TryRemove(slot.State.Member, out _);
                }
            }

            throw;
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Gate.Release();
            }
        }
    }

    /// <summary>Credits points under one of the library's own keys (<see cref="ReservedKeyPrefix"/> + <paramref name="ownKey"/>).</summary>
    internal ValueTask<PostingResult> EarnOwnAsync(CustomerId member, long points, string ownKey, string reason, string? reference, CancellationToken cancellationToken)
    {
        RequirePositive(points);
        RequireMember(member);
        return PostAsync(member, new Request(PostingKind.Earn, points, ReservedKeyPrefix + ownKey, reason, reference, null), cancellationToken);
    }

    /// <summary>Reverses all that is left of an entry under one of the library's own keys.</summary>
    internal ValueTask<PostingResult> ReverseOwnAsync(CustomerId member, long entry, string ownKey, string reason, CancellationToken cancellationToken)
    {
        RequireMember(member);
        return PostAsync(member, new Request(PostingKind.Reverse, 0, ReservedKeyPrefix + ownKey, reason, null, entry), cancellationToken);
    }

    /// <summary>
    /// Earns points for an event under a cap per window: the event takes the first of <paramref name="slots"/> keys
    /// (<paramref name="window"/>:1, :2, …) that is free or already its own. A retry of the event finds its own slot;
    /// when every slot belongs to other events the cap is reached and nothing is written (null). Keys are the ledger's own.
    /// </summary>
    internal async ValueTask<PostingResult?> EarnInWindowAsync(CustomerId member, long points, string window, int slots, string eventId, string reason, CancellationToken cancellationToken)
    {
        RequireMember(member);
        RequirePositive(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        if (_memory is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _memory.WithMember(member, create: true, (Ledger: this, Points: points, Window: window, Slots: slots, EventId: eventId, Reason: reason), static (log, a) =>
            {
                for (var s = 1; s <= a.Slots; s++)
                {
                    var request = WindowRequest(a.Points, a.Window, s, a.EventId, a.Reason);
                    if (a.Ledger.PostInMemory(log!, request, request.Fingerprint()).Result is { } result)
                    {
                        return result;
                    }
                }

                return null;
            });
        }

        var slot = _slots.GetOrAdd(member, static m => new Slot(m));
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var s = 1; s <= slots; s++)
            {
                var request = WindowRequest(points, window, s, eventId, reason);
                var (result, _) = await PostCoreAsync(slot, request, request.Fingerprint(), cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    return result;
                }
            }

            return null;
        }
        catch (Exception) when (!slot.State.IsConsistent)
        {
            _slots.TryRemove(member, out _);
            throw;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private static Request WindowRequest(long points, string window, int slot, string eventId, string reason) =>
        new(PostingKind.Earn, points, string.Create(CultureInfo.InvariantCulture, $"{ReservedKeyPrefix}{window}:{slot}"), reason, eventId, null);

    /// <summary>
    /// Posts on the in-memory store's log, under its lock: the key first (a replay writes nothing, not even due
    /// expiries), then the decision on the folded state, then the append, which cannot lose a race.
    /// </summary>
    private (PostingResult? Result, IdempotencyRecord? Foreign) PostInMemory(InMemoryLoyaltyLedgerStore.MemberLog log, in Request request, RequestFingerprint fingerprint)
    {
        if (log.TryGetRecord(request.Key, out var seen))
        {
            if (seen.Fingerprint != fingerprint)
            {
                return (null, seen);
            }

            var folded = log.Folded();
            return (new PostingResult(seen.Status, seen.Sequence is { } sequence ? log.EntryAt(sequence) : null, folded.BalanceAt(Now(folded)), true), null);
        }

        var state = log.Folded();
        var now = Now(state);
        if (request.Points < 0 || request.Kind == PostingKind.Reverse)
        {
            ExpireDue(log, state, now);
        }

        var (record, entry) = Decide(state, request, fingerprint, now);
        Commit(log, state, record, entry);
        return (new PostingResult(record.Status, entry, state.BalanceAt(now), false), null);
    }

    /// <summary>Appends to the in-memory log under its lock (so at the state's version) and folds the entry in.</summary>
    private static void Commit(InMemoryLoyaltyLedgerStore.MemberLog log, MemberState state, in IdempotencyRecord record, LedgerEntry? entry)
    {
        var appended = log.Append(state.Version, record, entry);
        if (appended.Status != AppendStatus.Appended)
        {
            // Only a host that wrote one of the ledger's own keys straight into the store gets here.
            throw new InvalidOperationException($"The store refused key '{record.Key}' of member {state.Member}: {appended.Status}.");
        }

        state.CatchUp();
    }

    private ImmutableArray<LedgerEntry> ExpireDue(InMemoryLoyaltyLedgerStore.MemberLog log, MemberState state) => ExpireDue(log, state, Now(state));

    private static ImmutableArray<LedgerEntry> ExpireDue(InMemoryLoyaltyLedgerStore.MemberLog log, MemberState state, Instant now)
    {
        ImmutableArray<LedgerEntry>.Builder? written = null;
        while (NextExpiry(state, now) is var (record, entry))
        {
            Commit(log, state, record, entry);
            (written ??= ImmutableArray.CreateBuilder<LedgerEntry>()).Add(entry);
        }

        return written?.ToImmutable() ?? [];
    }

    /// <summary>Runs a read or the expiry on the in-memory store's log of the member, under its lock.</summary>
    private ValueTask<T> InMemory<T>(CustomerId member, bool create, Func<LoyaltyLedger, CustomerId, InMemoryLoyaltyLedgerStore.MemberLog?, T> action, CancellationToken cancellationToken)
    {
        RequireMember(member);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_memory!.WithMember(member, create, (Ledger: this, Member: member, Action: action), static (log, a) => a.Action(a.Ledger, a.Member, log)));
    }

    /// <summary>Posts under the member's gate; a key already used for another request comes back as <c>Foreign</c> instead of a result.</summary>
    private async ValueTask<(PostingResult? Result, IdempotencyRecord? Foreign)> PostCoreAsync(Slot slot, Request request, RequestFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var member = slot.State.Member;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // A credit needs no look-up first: the conditional append refuses a used key and says what it recorded.
            // Debits and reversals look first, so that a replay never posts the expiries a new request would.
            var credit = request.Kind != PostingKind.Reverse && request.Points > 0;
            if ((!credit || attempt > 0) && await _store.FindKeyAsync(member, request.Key, cancellationToken).ConfigureAwait(false) is { } seen)
            {
                return await ReplayedAsync(slot, seen, fingerprint, cancellationToken).ConfigureAwait(false);
            }

            // Optimistic: decide on the cached state and let the conditional append tell whether another writer moved
            // the member on; only then read what it wrote. A lone writer makes one read and one append per posting.
            var current = attempt > 0 || !slot.Loaded;
            if (current)
            {
                await CatchUpAsync(slot, cancellationToken).ConfigureAwait(false);
                slot.Loaded = true;
            }

            var now = Now(slot.State);
            if (request.Points < 0 || request.Kind == PostingKind.Reverse)
            {
                await ExpireDueAsync(slot, now, cancellationToken).ConfigureAwait(false);
            }

            // An overflow on a stale state, or on a credit that may be a replay, is not believed until the key is looked
            // up and the state read.
            if (TryDecide(slot.State, request, fingerprint, now, retryOnOverflow: !current || (credit && attempt == 0)) is not var (record, entry))
            {
                continue;
            }

            var appended = await _store.AppendAsync(member, slot.State.Version, record, entry, cancellationToken).ConfigureAwait(false);
            switch (appended.Status)
            {
                case AppendStatus.Appended:
                    if (entry is not null)
                    {
                        slot.State.Apply(entry);
                    }

                    return (new PostingResult(record.Status, entry, slot.State.BalanceAt(now), false), null);
                case AppendStatus.KeyExists:
                    return await ReplayedAsync(slot, appended.Existing!.Value, fingerprint, cancellationToken).ConfigureAwait(false);
                default:
                    continue; // another writer appended first: decide again on the new state
            }
        }

        throw new LedgerConcurrencyException(member, request.Key, MaxAttempts);
    }

    private async ValueTask<(PostingResult? Result, IdempotencyRecord? Foreign)> ReplayedAsync(Slot slot, IdempotencyRecord seen, RequestFingerprint fingerprint, CancellationToken cancellationToken)
    {
        if (seen.Fingerprint != fingerprint)
        {
            return (null, seen);
        }

        await CatchUpAsync(slot, cancellationToken).ConfigureAwait(false);
        LedgerEntry? entry = null;
        if (seen.Sequence is { } sequence)
        {
            var read = await _store.ReadAsync(slot.State.Member, sequence - 1, cancellationToken).ConfigureAwait(false);
            entry = read.Count > 0 && read[0].Sequence == sequence
                ? read[0]
                : throw new InvalidOperationException($"The store recorded key '{seen.Key}' of member {slot.State.Member} with entry {sequence}, but has no such entry.");
        }

        return (new PostingResult(seen.Status, entry, slot.State.BalanceAt(Now(slot.State)), true), null);
    }

    private (IdempotencyRecord Record, LedgerEntry? Entry)? TryDecide(MemberState state, in Request request, RequestFingerprint fingerprint, Instant now, bool retryOnOverflow) =>
        retryOnOverflow && Overflows(state, request) ? null : Decide(state, request, fingerprint, now);

    /// <summary>Whether a credit would take the balance, or an earn the qualifying points, above <see cref="long.MaxValue"/> (LI-12).</summary>
    private static bool Overflows(MemberState state, in Request request) =>
        request.Kind != PostingKind.Reverse && request.Points > 0
        && (state.Balance > long.MaxValue - request.Points || (request.Kind == PostingKind.Earn && state.Qualifying > long.MaxValue - request.Points));

    private (IdempotencyRecord Record, LedgerEntry? Entry) Decide(MemberState state, in Request request, RequestFingerprint fingerprint, Instant now)
    {
        var sequence = state.Version + 1;
        PostingStatus status;
        LedgerEntry? entry;
        if (request.Kind == PostingKind.Reverse)
        {
            (status, entry) = DecideReversal(state, request, sequence, now);
        }
        else if (request.Points > 0)
        {
            // Earn, or an adjustment that credits. LI-12: an overflow throws here, before anything is written.
            var earn = request.Kind == PostingKind.Earn;
            if (Overflows(state, request))
            {
                throw PointsOverflow(state, request.Points);
            }

            status = PostingStatus.Posted;
            entry = new LedgerEntry
            {
                Member = state.Member,
                Sequence = sequence,
                IdempotencyKey = request.Key,
                Kind = request.Kind,
                Points = request.Points,
                Counterparty = earn ? SystemAccount.Issued : SystemAccount.Adjustments,
                At = now,
                ExpiresAt = _expiry is { } term ? now + term : null,
                Reason = request.Reason,
                Reference = request.Reference,
            };
        }
        else
        {
            // Redeem, or an adjustment that debits: all or nothing (LI-2).
            var allocations = Allocate(state.OpenLots, -request.Points);
            status = allocations.IsDefault ? PostingStatus.InsufficientPoints : PostingStatus.Posted;
            entry = allocations.IsDefault
                ? null
                : new LedgerEntry
                {
                    Member = state.Member,
                    Sequence = sequence,
                    IdempotencyKey = request.Key,
                    Kind = request.Kind,
                    Points = request.Points,
                    Counterparty = request.Kind == PostingKind.Redeem ? SystemAccount.Redeemed : SystemAccount.Adjustments,
                    At = now,
                    Allocations = allocations,
                    Reason = request.Reason,
                    Reference = request.Reference,
                };
        }

        return (new IdempotencyRecord(request.Key, fingerprint, status, entry?.Sequence), entry);
    }

    private (PostingStatus, LedgerEntry?) DecideReversal(MemberState state, in Request request, long sequence, Instant now)
    {
        var target = request.Reverses!.Value;
        if (target > state.Version)
        {
            return (PostingStatus.EntryNotFound, null);
        }

        var original = state.Summary(target);
        if (original.Kind is PostingKind.Expire or PostingKind.Reverse)
        {
            return (PostingStatus.NotReversible, null);
        }

        var reversible = Math.Abs(original.Points) - state.ReversedOf(target);
        var wanted = request.Points == 0 ? reversible : request.Points;
        if (reversible == 0 || wanted > reversible)
        {
            return (PostingStatus.ExceedsReversible, null);
        }

        var entry = new LedgerEntry
        {
            Member = state.Member,
            Sequence = sequence,
            IdempotencyKey = request.Key,
            Kind = PostingKind.Reverse,
            Points = 0,
            Counterparty = original.Kind switch
            {
                PostingKind.Earn => SystemAccount.ClawedBack,
                PostingKind.Redeem => SystemAccount.Redeemed,
                _ => SystemAccount.Adjustments,
            },
            At = now,
            Reverses = target,
            Reason = request.Reason,
        };

        if (original.Points > 0)
        {
            // A credit: its own lot first, then (by policy) the member's other points; the rest is written off.
            var builder = ImmutableArray.CreateBuilder<LotAllocation>();
            var own = state.LotOf(target);
            var fromOwn = Math.Min(wanted, own?.Remaining ?? 0);
            if (fromOwn > 0)
            {
                builder.Add(new LotAllocation(target, fromOwn));
            }

            var taken = fromOwn;
            if (taken < wanted && _shortfall == ReversalShortfallPolicy.TakeFromOtherPoints)
            {
                foreach (var lot in state.OpenLots)
                {
                    if (lot.Id == target)
                    {
                        continue;
                    }

                    var take = Math.Min(wanted - taken, lot.Remaining);
                    builder.Add(new LotAllocation(lot.Id, take));
                    taken += take;
                    if (taken == wanted)
                    {
                        break;
                    }
                }
            }

            return (PostingStatus.Posted, entry with { Points = -taken, Allocations = builder.ToImmutable(), Shortfall = wanted - taken });
        }

        // A debit: give the points back to the lots it took them from, in the order it took them, less what earlier
        // reversals of the same entry already gave back.
        var restoredBefore = state.RestoredBy(target);

        var back = ImmutableArray.CreateBuilder<LotAllocation>();
        var left = wanted;
        foreach (var a in original.Allocations)
        {
            var give = Math.Min(left, a.Points - restoredBefore.GetValueOrDefault(a.Lot));
            if (give > 0)
            {
                back.Add(new LotAllocation(a.Lot, give));
                left -= give;
            }
        }

        return (PostingStatus.Posted, entry with { Points = wanted, Allocations = back.ToImmutable() });
    }

    /// <summary>FIFO by earliest expiry (LI-8): the allocations of <paramref name="points"/>, or default when the lots hold fewer.</summary>
    private static ImmutableArray<LotAllocation> Allocate(MemberState.OpenLotList open, long points)
    {
        // Count the lots it takes first, so the array is allocated once, at its size, and only when the points are there.
        var count = 0;
        var left = points;
        foreach (var lot in open)
        {
            count++;
            left -= Math.Min(left, lot.Remaining);
            if (left == 0)
            {
                break;
            }
        }

        if (left > 0)
        {
            return default;
        }

        var allocations = new LotAllocation[count];
        left = points;
        var i = 0;
        foreach (var lot in open)
        {
            var take = Math.Min(left, lot.Remaining);
            allocations[i] = new LotAllocation(lot.Id, take);
            left -= take;
            if (++i == count)
            {
                break;
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(allocations);
    }

    private async ValueTask<ImmutableArray<LedgerEntry>> ExpireDueAsync(Slot slot, Instant now, CancellationToken cancellationToken)
    {
        ImmutableArray<LedgerEntry>.Builder? written = null;
        for (var attempt = 0; attempt < MaxAttempts;)
        {
            if (NextExpiry(slot.State, now) is not var (record, entry))
            {
                return written?.ToImmutable() ?? [];
            }

            var appended = await _store.AppendAsync(slot.State.Member, slot.State.Version, record, entry, cancellationToken).ConfigureAwait(false);
            if (appended.Status == AppendStatus.Appended)
            {
                slot.State.Apply(entry);
                (written ??= ImmutableArray.CreateBuilder<LedgerEntry>()).Add(entry);
                continue;
            }

            // Another writer expired it (same key) or appended something else: fold in what it wrote and look again.
            attempt++;
            await CatchUpAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        throw new LedgerConcurrencyException(slot.State.Member, $"{ReservedKeyPrefix}expire", MaxAttempts);
    }

    /// <summary>The expiry of the member's first lot when it is due (lots are in expiry order: only the first can be the earliest due).</summary>
    private static (IdempotencyRecord Record, LedgerEntry Entry)? NextExpiry(MemberState state, Instant now)
    {
        foreach (var lot in state.OpenLots)
        {
            if (lot.ExpiresAt is not { } at || at > now)
            {
                return null;
            }

            var key = string.Create(CultureInfo.InvariantCulture, $"{ReservedKeyPrefix}expire:{lot.Id}:{lot.Expirations + 1}");
            var entry = new LedgerEntry
            {
                Member = state.Member,
                Sequence = state.Version + 1,
                IdempotencyKey = key,
                Kind = PostingKind.Expire,
                Points = -lot.Remaining,
                Counterparty = SystemAccount.Expired,
                At = now,
                Allocations = [new LotAllocation(lot.Id, lot.Remaining)],
                Reason = "expired",
            };
            return (new IdempotencyRecord(key, RequestFingerprint.Of(entry), PostingStatus.Posted, entry.Sequence), entry);
        }

        return null;
    }

    /// <summary>Runs a read or the expiry under the member's gate; a state that fails to fold is dropped from the cache.</summary>
    private async ValueTask<T> UnderGateAsync<T>(CustomerId member, Func<LoyaltyLedger, Slot, CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        RequireMember(member);
        var slot = _slots.GetOrAdd(member, static m => new Slot(m));
        await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await action(this, slot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!slot.State.IsConsistent)
        {
            _slots.TryRemove(member, out _);
            throw;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async ValueTask CatchUpAsync(Slot slot, CancellationToken cancellationToken)
    {
        var newer = await _store.ReadAsync(slot.State.Member, slot.State.Version, cancellationToken).ConfigureAwait(false);
        foreach (var entry in newer)
        {
            slot.State.Apply(entry);
        }
    }

    private Instant Now(MemberState state)
    {
        var now = _clock.GetCurrentInstant();
        return now < state.LastAt ? state.LastAt : now;
    }

    private static void RequireRequest(CustomerId member, string idempotencyKey, string reason)
    {
        RequireMember(member);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (idempotencyKey.Length > MaxKeyLength || idempotencyKey.StartsWith(ReservedKeyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"An idempotency key has at most {MaxKeyLength} characters and does not start with '{ReservedKeyPrefix}' (the ledger's own keys).", nameof(idempotencyKey));
        }

        ArgumentNullException.ThrowIfNull(reason);
    }

    // The caller's argument is the points asked for, whatever this method's own parameters are called.
#pragma warning disable CA2208
    private static ArgumentOutOfRangeException PointsOverflow(MemberState state, long points) => new(
        nameof(points),
        points,
        $"points would take the balance ({state.Balance}) or qualifying points ({state.Qualifying}) of member {state.Member} above {long.MaxValue} (LI-12: points never wrap); nothing was written.");
#pragma warning restore CA2208

    private static void RequireMember(CustomerId member)
    {
        if (member.IsDefault)
        {
            throw new ArgumentException("The member must be a real customer id, not default.", nameof(member));
        }
    }

    private static void RequirePositive(long points, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(points))] string? name = null)
    {
        if (points < 1)
        {
            throw new ArgumentOutOfRangeException(name, points, "Points must be at least 1.");
        }
    }

    private sealed class Slot(CustomerId member)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Gets or sets whether the state has been read from the store at least once.</summary>
        public bool Loaded { get; set; }

        public MemberState State { get; } = new(member);
    }

    private readonly record struct Request(PostingKind Kind, long Points, string Key, string Reason, string? Reference, long? Reverses)
    {
        public RequestFingerprint Fingerprint() => new(Kind, Points, Reverses, Reason, Reference);
    }
}
