using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Internal;

/// <summary>
/// A member's ledger: the entries as values, and the fold of those entries into balances and lots. The fold is the
/// only way the derived state changes, so the state after n entries is a function of those entries alone (LI-7). It
/// checks every invariant an entry must keep and throws on an entry that breaks one: a corrupt log never folds
/// silently.
/// </summary>
/// <remarks>
/// <para>
/// Entries are held as <see cref="Row"/> values in one append-only array per member, and a credit's row is also its
/// lot (what remains of it lives in the row). A posting then leaves no object of its own behind for the garbage
/// collector to trace or promote, and its facts are stored once (the throughput of L4).
/// </para>
/// <para>
/// The in-memory store appends rows without folding them (<see cref="Append"/>) and folds on demand
/// (<see cref="CatchUp"/>); the ledger's cache for other stores appends and folds in one step (<see cref="Apply"/>).
/// Not thread-safe: callers hold the member's lock, except for <see cref="EntryAt"/> below <see cref="Count"/>, which
/// reads only what never changes.
/// </para>
/// </remarks>
internal sealed class MemberState(CustomerId member)
{
    private readonly ValueLog<Row> _rows = new();

    // Row indexes of the lots ordered by (expiry, id): the FIFO order of consumption (LI-8). No lot before _head has
    // points left, so a debit starts at _head; lots arrive in expiry order almost always, so opening one appends.
    private readonly List<int> _order = [];
    private int _head;

    public CustomerId Member { get; } = member;

    /// <summary>Gets how many entries the state holds (folded or not).</summary>
    public int Count => _rows.Count;

    /// <summary>Gets the last sequence number folded in.</summary>
    public long Version { get; private set; }

    public long Balance { get; private set; }

    public long Qualifying { get; private set; }

    public Instant LastAt { get; private set; } = Instant.MinValue;

    /// <summary>Gets whether every entry folded so far folded cleanly; false once the fold threw.</summary>
    public bool IsConsistent { get; private set; } = true;

    /// <summary>Gets the lots with points left, earliest expiry first, without allocating.</summary>
    public OpenLotList OpenLots => new(this);

    /// <summary>Appends an entry without folding it (the store's write: what it keeps is what it was given).</summary>
    /// <param name="entry">The entry; its sequence is the caller's to check.</param>
    public void Append(LedgerEntry entry) => _rows.Add(new Row(entry));

    /// <summary>Appends an entry and folds it in.</summary>
    /// <param name="entry">The entry: the member's, with the next sequence number.</param>
    /// <exception cref="InvalidOperationException">The entry breaks a ledger rule (the state is then inconsistent).</exception>
    public void Apply(LedgerEntry entry)
    {
        if (entry.Member != Member || entry.Sequence != Count + 1L)
        {
            IsConsistent = false;
            throw new InvalidOperationException($"Ledger entry {entry.Sequence} ({entry.Kind}, key '{entry.IdempotencyKey}') of member {entry.Member} breaks a ledger rule: expected member {Member} and sequence {Count + 1L}.");
        }

        Append(entry);
        CatchUp();
    }

    /// <summary>Folds in every entry appended but not folded yet; a state that failed before is refolded from the start.</summary>
    /// <exception cref="InvalidOperationException">An entry breaks a ledger rule.</exception>
    public void CatchUp()
    {
        if (!IsConsistent)
        {
            Reset();
        }

        while (Version < _rows.Count)
        {
            try
            {
                Fold((int)Version);
            }
            catch (OverflowException)
            {
                IsConsistent = false;
                throw Corrupt(Version + 1, $"it would take the member's points above {long.MaxValue} (LI-12: points never wrap)");
            }
            catch
            {
                IsConsistent = false;
                throw;
            }
        }
    }

    /// <summary>Gets an entry as the object the ledger hands out.</summary>
    /// <param name="index">The entry's index (its sequence − 1), below <see cref="Count"/>.</param>
    public LedgerEntry EntryAt(int index) => _rows[index].ToEntry(Member, index + 1L);

    /// <summary>Gets the idempotency key of an entry.</summary>
    /// <param name="index">The entry's index (its sequence − 1), below <see cref="Count"/>.</param>
    public string KeyAt(int index) => _rows[index].Key;

    /// <summary>Gets what the state knows of a folded entry: its kind, its points and the lots it moved.</summary>
    public EntrySummary Summary(long sequence)
    {
        ref var row = ref Folded(sequence);
        return new(row.Kind, row.Points, row.Allocations);
    }

    /// <summary>Points already reversed of an entry (for an earn: clawed back plus written off).</summary>
    public long ReversedOf(long sequence) => Folded(sequence).Reversed;

    /// <summary>Points earlier reversals of a debit gave back, per lot.</summary>
    public Dictionary<long, long> RestoredBy(long sequence)
    {
        var restored = new Dictionary<long, long>();
        for (var i = (int)sequence; i < Version; i++)
        {
            ref var row = ref _rows[i];
            if (row.Kind == PostingKind.Reverse && row.Reverses == sequence)
            {
                foreach (var a in row.Allocations)
                {
                    restored[a.Lot] = restored.GetValueOrDefault(a.Lot) + a.Points;
                }
            }
        }

        return restored;
    }

    /// <summary>Gets the lot an entry opened; null when the entry opened none or is not folded in.</summary>
    public LotState? LotOf(long id) => LotRow(id) is var index and >= 0 ? Lot(index) : null;

    /// <summary>Gets the account as the log was written: every open lot, expired or not.</summary>
    public LoyaltyAccount Snapshot() => Snapshot(null);

    /// <summary>
    /// Gets the account at an instant: lots past their expiry by then are left out, and their points with them, whether
    /// or not the expiry posting has been written (LI-8: the posting records what already happened).
    /// </summary>
    /// <param name="asOf">The instant; null for the log as written.</param>
    public LoyaltyAccount Snapshot(Instant? asOf)
    {
        var lots = ImmutableArray.CreateBuilder<Lot>();
        var expired = 0L;
        foreach (var lot in OpenLots)
        {
            if (asOf is { } t && lot.ExpiresAt is { } at && at <= t)
            {
                expired += lot.Remaining;
                continue;
            }

            lots.Add(lot.ToLot());
        }

        return new(Member, Version, Balance - expired, Qualifying, lots.ToImmutable());
    }

    /// <summary>Gets the points the member holds at an instant: the balance less what remains of lots past their expiry then.</summary>
    /// <param name="asOf">The instant.</param>
    public long BalanceAt(Instant asOf)
    {
        // Lots are in expiry order: only a prefix of them can be past it.
        var balance = Balance;
        foreach (var lot in OpenLots)
        {
            if (lot.ExpiresAt is not { } at || at > asOf)
            {
                break;
            }

            balance -= lot.Remaining;
        }

        return balance;
    }

    private ref Row RowOf(int index) => ref _rows[index];

    private ref Row Folded(long sequence) =>
        ref sequence >= 1 && sequence <= Version
            ? ref _rows[(int)(sequence - 1)]
            : ref Throw(sequence);

    private ref Row Throw(long sequence) =>
        throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"The state holds entries 1 to {Version}.");

    private LotState Lot(int index) => new(this, index);

    /// <summary>The row of the lot an entry opened; −1 when it opened none or is not folded in.</summary>
    private int LotRow(long id) => id >= 1 && id <= Version && _rows[(int)(id - 1)].OpensLot ? (int)(id - 1) : -1;

    /// <summary>Forgets the fold (not the entries) so the next <see cref="CatchUp"/> starts again from the first entry.</summary>
    private void Reset()
    {
        for (var i = 0; i < _rows.Count; i++)
        {
            _rows[i].ResetFold();
        }

        _order.Clear();
        _head = 0;
        Version = 0;
        Balance = 0;
        Qualifying = 0;
        LastAt = Instant.MinValue;
        IsConsistent = true;
    }

    private void Fold(int index)
    {
        ref var e = ref _rows[index];
        var sequence = index + 1L;
        if (e.Points == 0 && !(e.Kind == PostingKind.Reverse && e.Shortfall > 0))
        {
            throw Corrupt(sequence, "an entry moves at least one point (only a reversal that is all shortfall moves none)");
        }

        var balance = checked(Balance + e.Points);
        if (balance < 0)
        {
            throw Corrupt(sequence, $"it would take the balance to {balance}");
        }

        switch (e.Kind)
        {
            case PostingKind.Earn:
            case PostingKind.Adjust when e.Points > 0:
                Require(sequence, e.Points > 0 && e.Allocations.IsEmpty, "a credit opens a lot and consumes none");
                if (e.Kind == PostingKind.Earn)
                {
                    Qualifying = checked(Qualifying + e.Points);
                }

                e.Remaining = e.Points;
                Open(index);
                break;
            case PostingKind.Redeem:
            case PostingKind.Expire:
            case PostingKind.Adjust:
                Require(sequence, e.Points < 0, "a debit is negative");
                var expired = -1;
                if (e.Kind == PostingKind.Expire)
                {
                    expired = e.Allocations.Length == 1 ? LotRow(e.Allocations[0].Lot) : -1;
                    Require(sequence, expired >= 0 && _rows[expired].Remaining == -e.Points, "an expiry takes all that remains of one lot (LI-8)");
                }

                Take(sequence, e.Allocations, -e.Points);
                if (expired >= 0)
                {
                    _rows[expired].Expirations++;
                }

                break;
            case PostingKind.Reverse:
                FoldReversal(sequence, ref e);
                break;
            default:
                throw Corrupt(sequence, $"unknown kind {e.Kind}");
        }

        Balance = balance;
        LastAt = e.At > LastAt ? e.At : LastAt;
        Version = sequence;
    }

    /// <summary>Puts a new lot in FIFO order (at the end unless it expires before a later-opened lot).</summary>
    private void Open(int lot)
    {
        var at = _order.Count;
        while (at > 0 && Compare(_order[at - 1], lot) > 0)
        {
            at--;
        }

        _order.Insert(at, lot);
        _head = Math.Min(_head, at);
    }

    /// <summary>Moves the head past lots with nothing left.</summary>
    private void Advance()
    {
        while (_head < _order.Count && _rows[_order[_head]].Remaining == 0)
        {
            _head++;
        }
    }

    /// <summary>A lot got points back: it may sit before the head.</summary>
    private void Reopen(int lot)
    {
        int low = 0, high = _order.Count - 1;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (Compare(_order[middle], lot) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        _head = Math.Min(_head, low);
    }

    /// <summary>The FIFO order of two lots: earliest expiry (never last), then earliest opened.</summary>
    private int Compare(int x, int y)
    {
        var byExpiry = Row.CompareExpiry(_rows[x], _rows[y]);
        return byExpiry != 0 ? byExpiry : x.CompareTo(y);
    }

    private void FoldReversal(long sequence, ref Row e)
    {
        Require(sequence, e.Reverses is { } r && r >= 1 && r < sequence, "a reversal names an earlier entry");
        ref var original = ref _rows[(int)(e.Reverses!.Value - 1)];
        var already = original.Reversed;
        if (original.OpensLot)
        {
            Require(sequence, e.Points <= 0 && e.Shortfall >= 0, "the reversal of a credit debits the member");
            var total = checked(-e.Points + e.Shortfall); // above 0: an entry that moves no point was refused above
            Require(sequence, checked(already + total) <= original.Points, "reversals never exceed their entry (LI-9)");
            Take(sequence, e.Allocations, -e.Points);
            original.Reversed = already + total;
            if (original.Kind == PostingKind.Earn)
            {
                Qualifying = checked(Qualifying - total);
            }
        }
        else if (original.Kind == PostingKind.Redeem || original.Kind == PostingKind.Adjust)
        {
            Require(sequence, e.Points > 0 && e.Shortfall == 0, "the reversal of a debit credits the member");
            Require(sequence, checked(already + e.Points) <= -original.Points, "reversals never exceed their entry (LI-9)");
            long restored = 0;
            foreach (var a in e.Allocations)
            {
                var index = LotRow(a.Lot);
                if (index < 0)
                {
                    throw Corrupt(sequence, $"lot {a.Lot} does not exist");
                }

                ref var lot = ref _rows[index];
                Require(sequence, a.Points > 0 && checked(lot.Remaining + a.Points) <= lot.Points, "a lot never holds more than it opened with");
                lot.Remaining += a.Points;
                Reopen(index);
                restored += a.Points;
            }

            Require(sequence, restored == e.Points, "the allocations add up to the entry");
            original.Reversed = already + e.Points;
        }
        else
        {
            throw Corrupt(sequence, $"a {original.Kind} entry cannot be reversed");
        }
    }

    private void Take(long sequence, ImmutableArray<LotAllocation> allocations, long points)
    {
        long taken = 0;
        foreach (var a in allocations)
        {
            var index = LotRow(a.Lot);
            if (index < 0)
            {
                throw Corrupt(sequence, $"lot {a.Lot} does not exist");
            }

            ref var lot = ref _rows[index];
            if (a.Points <= 0 || a.Points > lot.Remaining)
            {
                throw Corrupt(sequence, $"lot {a.Lot} holds {lot.Remaining} points, not {a.Points}"); // formatted only when thrown
            }

            lot.Remaining -= a.Points;
            taken = checked(taken + a.Points);
        }

        Advance();
        Require(sequence, taken == points, "the allocations add up to the entry");
    }

    private void Require(long sequence, bool condition, string rule)
    {
        if (!condition)
        {
            throw Corrupt(sequence, rule);
        }
    }

    private InvalidOperationException Corrupt(long sequence, string rule)
    {
        ref var e = ref _rows[(int)(sequence - 1)];
        return new($"Ledger entry {sequence} ({e.Kind}, key '{e.Key}') of member {Member} breaks a ledger rule: {rule}.");
    }

    /// <summary>
    /// One entry as a value: everything but the member and the sequence (the state and the row's place give those),
    /// and what the fold made of it. Only the fold's fields change after the row is appended. Kept compact (104 bytes):
    /// instants as 100 ns ticks plus the nanoseconds left over, optional values behind flags.
    /// </summary>
    private struct Row
    {
        public readonly string Key;
        public readonly string Reason;
        public readonly string? Reference;
        public readonly ImmutableArray<LotAllocation> Allocations;
        public readonly PostingKind Kind;
        public readonly SystemAccount Counterparty;
        public readonly long Points;
        public readonly long Shortfall;
        private readonly long _atTicks;
        private readonly long _expiresAtTicks;
        private readonly long _reverses;
        private readonly byte _atNanos;
        private readonly byte _expiresAtNanos;
        private readonly Flags _flags;

        public Row(LedgerEntry entry)
        {
            Key = entry.IdempotencyKey;
            Reason = entry.Reason;
            Reference = entry.Reference;
            Allocations = entry.Allocations;
            Points = entry.Points;
            Shortfall = entry.Shortfall;
            (_atTicks, _atNanos) = Split(entry.At);
            if (entry.ExpiresAt is { } expiresAt)
            {
                (_expiresAtTicks, _expiresAtNanos) = Split(expiresAt);
                _flags |= Flags.Expires;
            }

            if (entry.Reverses is { } reverses)
            {
                _reverses = reverses;
                _flags |= Flags.Reverses;
            }

            Kind = entry.Kind;
            Counterparty = entry.Counterparty;
        }

        [Flags]
        private enum Flags : byte
        {
            None = 0,
            Expires = 1,
            Reverses = 2,
        }

        /// <summary>For a lot: the points left.</summary>
        public long Remaining { get; set; }

        /// <summary>For any entry: the points reversals took back (for an earn, written off included).</summary>
        public long Reversed { get; set; }

        /// <summary>For a lot: how many expiry entries it has had (a lot refilled by a reversed redemption can expire again).</summary>
        public int Expirations { get; set; }

        public readonly Instant At => Join(_atTicks, _atNanos);

        public readonly Instant? ExpiresAt => (_flags & Flags.Expires) != 0 ? Join(_expiresAtTicks, _expiresAtNanos) : null;

        public readonly long? Reverses => (_flags & Flags.Reverses) != 0 ? _reverses : null;

        public readonly bool OpensLot => Kind == PostingKind.Earn || (Kind == PostingKind.Adjust && Points > 0);

        /// <summary>Orders two lots for FIFO consumption: earliest expiry first, never-expiring last (ties: the caller's).</summary>
        public static int CompareExpiry(in Row a, in Row b)
        {
            var (ae, be) = ((a._flags & Flags.Expires) != 0, (b._flags & Flags.Expires) != 0);
            if (ae != be)
            {
                return ae ? -1 : 1;
            }

            var byTicks = ae ? a._expiresAtTicks.CompareTo(b._expiresAtTicks) : 0;
            return byTicks != 0 ? byTicks : a._expiresAtNanos.CompareTo(b._expiresAtNanos);
        }

        public void ResetFold() => (Remaining, Reversed, Expirations) = (0, 0, 0);

        public readonly LedgerEntry ToEntry(CustomerId member, long sequence) => new()
        {
            Member = member,
            Sequence = sequence,
            IdempotencyKey = Key,
            Kind = Kind,
            Points = Points,
            Counterparty = Counterparty,
            At = At,
            ExpiresAt = ExpiresAt,
            Allocations = Allocations,
            Reverses = Reverses,
            Shortfall = Shortfall,
            Reason = Reason,
            Reference = Reference,
        };

        // Ticks round towards the start of time, so the nanoseconds left over are 0 to 99.
        private static (long Ticks, byte Nanos) Split(Instant instant)
        {
            var ticks = instant.ToUnixTimeTicks();
            return (ticks, (byte)(instant - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds);
        }

        private static Instant Join(long ticks, byte nanos) => Instant.FromUnixTimeTicks(ticks) + Duration.FromNanoseconds(nanos);
    }

    /// <summary>A lot: what is left of the credit that opened it. A view of the state: read it before the state changes.</summary>
    internal readonly struct LotState
    {
        private readonly MemberState _state;
        private readonly int _row;

        internal LotState(MemberState state, int row) => (_state, _row) = (state, row);

        /// <summary>Gets the lot's id: the sequence number of the entry that opened it.</summary>
        public long Id => _row + 1L;

        public long Original => _state.RowOf(_row).Points;

        public long Remaining => _state.RowOf(_row).Remaining;

        public Instant? ExpiresAt => _state.RowOf(_row).ExpiresAt;

        public int Expirations => _state.RowOf(_row).Expirations;

        public Lot ToLot()
        {
            ref var row = ref _state.RowOf(_row);
            return new(Id, row.Points, row.Remaining, row.At, row.ExpiresAt);
        }
    }

    /// <summary>The open lots, from the head, skipping lots with nothing left.</summary>
    internal readonly struct OpenLotList(MemberState state)
    {
        public Enumerator GetEnumerator() => new(state);

        internal struct Enumerator(MemberState state)
        {
            private int _index = state._head - 1;

            public readonly LotState Current => state.Lot(state._order[_index]);

            public bool MoveNext()
            {
                while (++_index < state._order.Count)
                {
                    if (state._rows[state._order[_index]].Remaining > 0)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}

/// <summary>What the state knows of an entry.</summary>
internal readonly record struct EntrySummary(PostingKind Kind, long Points, ImmutableArray<LotAllocation> Allocations);
