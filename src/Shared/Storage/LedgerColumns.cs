using System;
using System.Collections.Immutable;
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
}
