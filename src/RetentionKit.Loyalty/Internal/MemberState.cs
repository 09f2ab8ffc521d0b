using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Loyalty.Internal;

/// <summary>
/// A member's ledger folded into balances and lots. <see cref="Apply"/> is the only way the state changes, so the
/// state after n entries is a function of those entries alone (LI-7). It checks every invariant an entry must keep
/// and throws on an entry that breaks one: a corrupt log never folds silently.
/// </summary>
internal sealed class MemberState(CustomerId member)
{
    private readonly List<LedgerEntry> _entries = [];

    // The lot each entry opened, by sequence number (index 0 unused; null for entries that open none).
    private readonly List<MutableLot?> _lotBySequence = [null];

    // Every lot ever opened, ordered by (expiry, id): the FIFO order of consumption (LI-8). No lot before _head has
    // points left, so a debit starts at _head; lots arrive in expiry order almost always, so opening one appends.
    private readonly List<MutableLot> _order = [];
    private int _head;
    private readonly Dictionary<long, long> _reversed = [];

    public CustomerId Member { get; } = member;

    public long Version => _entries.Count;

    public long Balance { get; private set; }

    public long Qualifying { get; private set; }

    public Instant LastAt { get; private set; } = Instant.MinValue;

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    public LedgerEntry Entry(long sequence) => _entries[(int)(sequence - 1)];

    /// <summary>Points already reversed of an entry (for an earn: clawed back plus written off).</summary>
    public long ReversedOf(long sequence) => _reversed.GetValueOrDefault(sequence);

    /// <summary>Gets the lots with points left, earliest expiry first, without allocating.</summary>
    public OpenLotList OpenLots => new(_order, _head);

    public MutableLot? LotOf(long id) => id > 0 && id < _lotBySequence.Count ? _lotBySequence[(int)id] : null;

    public LoyaltyAccount Snapshot()
    {
        var lots = ImmutableArray.CreateBuilder<Lot>();
        foreach (var lot in OpenLots)
        {
            lots.Add(lot.ToLot());
        }

        return new(Member, Version, Balance, Qualifying, lots.ToImmutable());
    }

    /// <summary>Gets whether every entry so far folded cleanly; false once <see cref="Apply"/> threw (the state is then discarded).</summary>
    public bool IsConsistent { get; private set; } = true;

    public void Apply(LedgerEntry e)
    {
        try
        {
            ApplyChecked(e);
        }
        catch
        {
            IsConsistent = false;
            throw;
        }
    }

    private void ApplyChecked(LedgerEntry e)
    {
        if (e.Member != Member || e.Sequence != Version + 1)
        {
            throw Corrupt(e, $"expected member {Member} and sequence {Version + 1}");
        }

        if (e.Points == 0 && !(e.Kind == PostingKind.Reverse && e.Shortfall > 0))
        {
            throw Corrupt(e, "an entry moves at least one point (only a reversal that is all shortfall moves none)");
        }

        var balance = checked(Balance + e.Points);
        if (balance < 0)
        {
            throw Corrupt(e, $"it would take the balance to {balance}");
        }

        switch (e.Kind)
        {
            case PostingKind.Earn:
            case PostingKind.Adjust when e.Points > 0:
                Require(e, e.Points > 0 && e.Allocations.IsEmpty, "a credit opens a lot and consumes none");
                var lot = new MutableLot(e) { Remaining = e.Points };
                _lotBySequence.Add(lot);
                Open(lot);
                if (e.Kind == PostingKind.Earn)
                {
                    Qualifying = checked(Qualifying + e.Points);
                }

                break;
            case PostingKind.Redeem:
            case PostingKind.Expire:
            case PostingKind.Adjust:
                Require(e, e.Points < 0, "a debit is negative");
                Require(e, e.Kind != PostingKind.Expire || (e.Allocations.Length == 1 && LotOf(e.Allocations[0].Lot)?.Remaining == -e.Points), "an expiry takes all that remains of one lot (LI-8)");
                Take(e, e.Allocations, -e.Points);
                if (e.Kind == PostingKind.Expire)
                {
                    LotOf(e.Allocations[0].Lot)!.Expirations++;
                }

                break;
            case PostingKind.Reverse:
                ApplyReversal(e);
                break;
            default:
                throw Corrupt(e, $"unknown kind {e.Kind}");
        }

        if (!e.OpensLot)
        {
            _lotBySequence.Add(null);
        }

        Balance = balance;
        LastAt = e.At > LastAt ? e.At : LastAt;
        _entries.Add(e);
    }

    /// <summary>Puts a new lot in FIFO order (at the end unless it expires before a later-opened lot).</summary>
    private void Open(MutableLot lot)
    {
        var at = _order.Count;
        while (at > 0 && LotOrder.Instance.Compare(_order[at - 1], lot) > 0)
        {
            at--;
        }

        _order.Insert(at, lot);
        _head = Math.Min(_head, at);
    }

    /// <summary>Moves the head past lots with nothing left.</summary>
    private void Advance()
    {
        while (_head < _order.Count && _order[_head].Remaining == 0)
        {
            _head++;
        }
    }

    /// <summary>A lot got points back: it may sit before the head.</summary>
    private void Reopen(MutableLot lot)
    {
        var at = _order.BinarySearch(lot, LotOrder.Instance);
        _head = Math.Min(_head, at);
    }

    private void ApplyReversal(LedgerEntry e)
    {
        Require(e, e.Reverses is { } r && r >= 1 && r < e.Sequence, "a reversal names an earlier entry");
        var original = Entry(e.Reverses!.Value);
        var already = ReversedOf(original.Sequence);
        if (original.Kind == PostingKind.Earn || (original.Kind == PostingKind.Adjust && original.Points > 0))
        {
            Require(e, e.Points <= 0 && e.Shortfall >= 0, "the reversal of a credit debits the member");
            var total = checked(-e.Points + e.Shortfall);
            Require(e, total > 0, "a reversal reverses at least one point");
            Require(e, checked(already + total) <= original.Points, "reversals never exceed their entry (LI-9)");
            Take(e, e.Allocations, -e.Points);
            _reversed[original.Sequence] = already + total;
            if (original.Kind == PostingKind.Earn)
            {
                Qualifying = checked(Qualifying - total);
            }
        }
        else if (original.Kind == PostingKind.Redeem || original.Kind == PostingKind.Adjust)
        {
            Require(e, e.Points > 0 && e.Shortfall == 0, "the reversal of a debit credits the member");
            Require(e, checked(already + e.Points) <= -original.Points, "reversals never exceed their entry (LI-9)");
            long restored = 0;
            foreach (var a in e.Allocations)
            {
                var lot = LotOf(a.Lot) ?? throw Corrupt(e, $"lot {a.Lot} does not exist");
                Require(e, a.Points > 0 && checked(lot.Remaining + a.Points) <= lot.Original, "a lot never holds more than it opened with");
                lot.Remaining += a.Points;
                Reopen(lot);
                restored += a.Points;
            }

            Require(e, restored == e.Points, "the allocations add up to the entry");
            _reversed[original.Sequence] = already + e.Points;
        }
        else
        {
            throw Corrupt(e, $"a {original.Kind} entry cannot be reversed");
        }
    }

    private void Take(LedgerEntry e, ImmutableArray<LotAllocation> allocations, long points)
    {
        long taken = 0;
        foreach (var a in allocations)
        {
            var lot = LotOf(a.Lot) ?? throw Corrupt(e, $"lot {a.Lot} does not exist");
            Require(e, a.Points > 0 && a.Points <= lot.Remaining, $"lot {a.Lot} holds {lot.Remaining} points, not {a.Points}");
            lot.Remaining -= a.Points;
            taken = checked(taken + a.Points);
        }

        Advance();

        Require(e, taken == points, "the allocations add up to the entry");
    }

    private static void Require(LedgerEntry e, bool condition, string rule)
    {
        if (!condition)
        {
            throw Corrupt(e, rule);
        }
    }

    private static InvalidOperationException Corrupt(LedgerEntry e, string rule) =>
        new($"Ledger entry {e.Sequence} ({e.Kind}, key '{e.IdempotencyKey}') of member {e.Member} breaks a ledger rule: {rule}.");

    /// <summary>A lot: what is left of the credit that opened it (read from that entry, not copied).</summary>
    internal sealed class MutableLot(LedgerEntry opened)
    {
        public long Id => opened.Sequence;

        public long Original => opened.Points;

        public Instant OpenedAt => opened.At;

        public Instant? ExpiresAt => opened.ExpiresAt;

        public long Remaining { get; set; }

        /// <summary>How many expiry entries the lot has had (a lot refilled by a reversed redemption can expire again).</summary>
        public int Expirations { get; set; }

        public Lot ToLot() => new(Id, Original, Remaining, OpenedAt, ExpiresAt);
    }

    /// <summary>The open lots, from the head, skipping lots with nothing left.</summary>
    internal readonly struct OpenLotList(List<MutableLot> order, int head)
    {
        public Enumerator GetEnumerator() => new(order, head);

        internal struct Enumerator(List<MutableLot> order, int head)
        {
            private int _index = head - 1;

            public readonly MutableLot Current => order[_index];

            public bool MoveNext()
            {
                while (++_index < order.Count)
                {
                    if (order[_index].Remaining > 0)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }

    private sealed class LotOrder : IComparer<MutableLot>
    {
        public static readonly LotOrder Instance = new();

        public int Compare(MutableLot? x, MutableLot? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var byExpiry = (x!.ExpiresAt ?? Instant.MaxValue).CompareTo(y!.ExpiresAt ?? Instant.MaxValue);
            return byExpiry != 0 ? byExpiry : x.Id.CompareTo(y.Id);
        }
    }
}
