using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Internal;

/// <summary>How the ledger tables keep what has no column type of its own: instants as ticks plus nanoseconds, lot allocations as text.</summary>
internal static class LedgerColumns
{
    // Ticks round towards the start of time, so the nanoseconds left over are 0 to 99 (the same split as the in-memory rows).
    public static (long Ticks, int Nanos) Split(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        return (ticks, (instant - Instant.FromUnixTimeTicks(ticks)).SubsecondNanoseconds);
    }

    public static Instant Join(long ticks, int nanos) => Instant.FromUnixTimeTicks(ticks) + Duration.FromNanoseconds(nanos);

    public static string EncodeAllocations(ImmutableArray<LotAllocation> allocations)
    {
        var text = new StringBuilder();
        foreach (var a in allocations)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{a.Lot}:{a.Points}");
        }

        return text.ToString();
    }

    public static ImmutableArray<LotAllocation> DecodeAllocations(string text)
    {
        var parts = text.Split(',');
        var builder = ImmutableArray.CreateBuilder<LotAllocation>(parts.Length);
        foreach (var part in parts)
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            builder.Add(new LotAllocation(
                long.Parse(part.AsSpan(0, colon), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                long.Parse(part.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>
    /// The column order both stores select an entry in: sequence, idempotency_key, kind, points, counterparty, at_ticks,
    /// at_nanos, expires_ticks, expires_nanos, allocations, reverses, shortfall, reason, reference.
    /// </summary>
    public static LedgerEntry ReadEntry(DbDataReader reader, CustomerId member) => new()
    {
        Member = member,
        Sequence = reader.GetInt64(0),
        IdempotencyKey = reader.GetString(1),
        Kind = (PostingKind)reader.GetInt32(2),
        Points = reader.GetInt64(3),
        Counterparty = (SystemAccount)reader.GetInt32(4),
        At = Join(reader.GetInt64(5), reader.GetInt32(6)),
        ExpiresAt = reader.IsDBNull(7) ? null : Join(reader.GetInt64(7), reader.GetInt32(8)),
        Allocations = reader.IsDBNull(9) ? [] : DecodeAllocations(reader.GetString(9)),
        Reverses = reader.IsDBNull(10) ? null : reader.GetInt64(10),
        Shortfall = reader.GetInt64(11),
        Reason = reader.GetString(12),
        Reference = reader.IsDBNull(13) ? null : reader.GetString(13),
    };

    /// <summary>Each member once, from the earliest sequence any read of it asks for.</summary>
    public static Dictionary<string, long> Earliest(IReadOnlyList<LedgerRead> reads)
    {
        var from = new Dictionary<string, long>(reads.Count, StringComparer.Ordinal);
        foreach (var (member, after) in reads)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(after, nameof(reads));
            from[member.Value] = from.TryGetValue(member.Value, out var earlier) ? Math.Min(earlier, after) : after;
        }

        return from;
    }

    /// <summary>Cuts what one query found for every member into the answer of each read, in the reads' order.</summary>
    public static IReadOnlyList<LedgerEntry>[] Slice(IReadOnlyList<LedgerRead> reads, Dictionary<string, long> from, Dictionary<string, List<LedgerEntry>> found)
    {
        var results = new IReadOnlyList<LedgerEntry>[reads.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var (member, after) = reads[i];
            results[i] = !found.TryGetValue(member.Value, out var entries) ? []
                : from[member.Value] == after ? entries
                : entries.FindAll(e => e.Sequence > after);
        }

        return results;
    }
}
