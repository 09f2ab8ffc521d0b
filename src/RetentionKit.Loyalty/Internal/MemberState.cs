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
/// <remarks>
/// The state keeps no entry objects: per entry only the facts later decisions need, and the lots as values, all in
/// arrays. A posting then leaves nothing behind for the garbage collector to trace or promote (the throughput of L4).
/// </remarks>
internal sealed class MemberState(CustomerId member)
{
    // What later decisions need of each entry, at index sequence - 1.
    private readonly ValueLog<EntryFacts> _entries = new();

    // Every lot ever opened, in opening order; an entry's facts name the index of the lot it opened.
    private readonly ValueLog<LotState> _lots = new();

    // Indexes into _lots ordered by (expiry, id): the FIFO order of consumption (LI-8). No lot before _head has points
    // left, so a debit starts at _head; lots arrive in expiry order almost always, so opening one appends.
    private readonly List<int> _order = [];
    private int _head;

    public CustomerId Member { get; } = member;

    public long Version => _entries.Count;

    public long Balance { get; private set; }

    public long Qualifying { get; private set; }

    public Instant LastAt { get; private set; } = Instant.MinValue;

    /// <summary>Gets whether every entry so far folded cleanly; false once <see cref="Apply"/> threw (the state is then discarded).</summary>
    public bool IsConsistent { get; private set; } = true;

    /// <summary>Gets what the state knows of an entry: its kind, its points and the lots it moved.</summary>
    public EntrySummary Summary(long sequence)
    {
        var facts = _entries[(int)(sequence - 1)];
        return new(facts.Kind, facts.Points, facts.Allocations);
    }

    /// <summary>Points already reversed of an entry (for an earn: clawed back plus written off).</summary>
    public long ReversedOf(long sequence) => _entries[(int)(sequence - 1)].Reversed;

    /// <summary>Points earlier reversals of a debit gave back, per lot.</summary>
    public Dictionary<long, long> RestoredBy(long sequence)
    {
        var restored = new Dictionary<long, long>();
        for (var i = (int)sequence; i < _entries.Count; i++)
        {
            ref var e = ref _entries[i];
            if (e.Reverses == sequence)
            {
                foreach (var a in e.Allocations)
                {
                    restored[a.Lot] = restored.GetValueOrDefault(a.Lot) + a.Points;
                }
            }
        }

        return restored;
    }

    /// <summary>Gets the lots with points left, earliest expiry first, without allocating.</summary>
    public OpenLotList OpenLots => new(this);

    /// <summary>Gets the lot an entry opened; null when the entry opened none or does not exist.</summary>
    public LotState? LotOf(long id)
    {
        var index = LotIndex(id);
        return index < 0 ? null : _lots[index];
    }

    public LoyaltyAccount Snapshot()
    {
        var lots = ImmutableArray.CreateBuilder<Lot>();
        foreach (var lot in OpenLots)
        {
            lots.Add(lot.ToLot());
        }

        return new(Member, Version, Balance, Qualifying, lots.ToImmutable());
    }

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

    private int LotIndex(long id) => id > 0 && id <= _entries.Count ? _entries[(int)(id - 1)].Lot : -1;

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

        var lot = -1;
        switch (e.Kind)
        {
            case PostingKind.Earn:
            case PostingKind.Adjust when e.Points > 0:
                Require(e, e.Points > 0 && e.Allocations.IsEmpty, "a credit opens a lot and consumes none");
                lot = _lots.Count;
                _lots.Add(new LotState(e.Sequence, e.Points, e.At, e.ExpiresAt));
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
                var expired = -1;
                if (e.Kind == PostingKind.Expire)
                {
                    expired = e.Allocations.Length == 1 ? LotIndex(e.Allocations[0].Lot) : -1;
                    Require(e, expired >= 0 && _lots[expired].Remaining == -e.Points, "an expiry takes all that remains of one lot (LI-8)");
                }

                Take(e, e.Allocations, -e.Points);
                if (expired >= 0)
                {
                    _lots[expired].Expirations++;
                }

                break;
            case PostingKind.Reverse:
                ApplyReversal(e);
                break;
            default:
                throw Corrupt(e, $"unknown kind {e.Kind}");
        }

        Balance = balance;
        LastAt = e.At > LastAt ? e.At : LastAt;
        _entries.Add(new EntryFacts(e.Kind, e.Points, e.Reverses ?? 0, lot, e.Allocations));
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
        while (_head < _order.Count && _lots[_order[_head]].Remaining == 0)
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
        ref var a = ref _lots[x];
        ref var b = ref _lots[y];
        var byExpiry = (a.ExpiresAt ?? Instant.MaxValue).CompareTo(b.ExpiresAt ?? Instant.MaxValue);
        return byExpiry != 0 ? byExpiry : a.Id.CompareTo(b.Id);
    }

    private void ApplyReversal(LedgerEntry e)
    {
        Require(e, e.Reverses is { } r && r >= 1 && r < e.Sequence, "a reversal names an earlier entry");
        var target = e.Reverses!.Value;
        ref var original = ref _entries[(int)(target - 1)];
        var already = original.Reversed;
        if (original.Kind == PostingKind.Earn || (original.Kind == PostingKind.Adjust && original.Points > 0))
        {
            Require(e, e.Points <= 0 && e.Shortfall >= 0, "the reversal of a credit debits the member");
            var total = checked(-e.Points + e.Shortfall); // above 0: an entry that moves no point was refused above
            Require(e, checked(already + total) <= original.Points, "reversals never exceed their entry (LI-9)");
            Take(e, e.Allocations, -e.Points);
            original.Reversed = already + total;
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
                var index = LotIndex(a.Lot);
                if (index < 0)
                {
                    throw Corrupt(e, $"lot {a.Lot} does not exist");
                }

                ref var lot = ref _lots[index];
                Require(e, a.Points > 0 && checked(lot.Remaining + a.Points) <= lot.Original, "a lot never holds more than it opened with");
                lot.Remaining += a.Points;
                Reopen(index);
                restored += a.Points;
            }

            Require(e, restored == e.Points, "the allocations add up to the entry");
            original.Reversed = already + e.Points;
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
            var index = LotIndex(a.Lot);
            if (index < 0)
            {
                throw Corrupt(e, $"lot {a.Lot} does not exist");
            }

            ref var lot = ref _lots[index];
            if (a.Points <= 0 || a.Points > lot.Remaining)
            {
                throw Corrupt(e, $"lot {a.Lot} holds {lot.Remaining} points, not {a.Points}"); // formatted only when thrown
            }

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

    /// <summary>What the state keeps of an entry (reversals change <see cref="Reversed"/> of their original).</summary>
    private record struct EntryFacts(PostingKind Kind, long Points, long Reverses, int Lot, ImmutableArray<LotAllocation> Allocations)
    {
        public long Reversed { get; set; }
    }

    /// <summary>The open lots, from the head, skipping lots with nothing left.</summary>
    internal readonly struct OpenLotList(MemberState state)
    {
        public Enumerator GetEnumerator() => new(state);

        internal struct Enumerator(MemberState state)
        {
            private int _index = state._head - 1;

            public readonly LotState Current => state._lots[state._order[_index]];

            public bool MoveNext()
            {
                while (++_index < state._order.Count)
                {
                    if (state._lots[state._order[_index]].Remaining > 0)
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

/// <summary>A lot: what is left of the credit that opened it.</summary>
internal record struct LotState(long Id, long Original, Instant OpenedAt, Instant? ExpiresAt)
{
    public long Remaining { get; set; } = Original;

    /// <summary>Gets or sets how many expiry entries the lot has had (a lot refilled by a reversed redemption can expire again).</summary>
    public int Expirations { get; set; }

    public readonly Lot ToLot() => new(Id, Original, Remaining, OpenedAt, ExpiresAt);
}
