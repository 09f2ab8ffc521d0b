using System;
using System.Text;

namespace RetentionKit.Hosting;

/// <summary>
/// One of the parts the daily run splits the customers into: customer <c>c</c> is in partition
/// <c>hash(c) mod Count</c>, with a hash that is the same on every machine, process and version (32-bit FNV-1a of the id's
/// UTF-8 bytes, finished with MurmurHash3's mixer), so a source can select a partition's customers itself (<see cref="Contains"/>).
/// </summary>
public readonly record struct RunPartition
{
    /// <summary>Initializes a new instance of the <see cref="RunPartition"/> struct.</summary>
    /// <param name="index">The partition, from 0 to <paramref name="count"/> − 1.</param>
    /// <param name="count">How many partitions there are; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or <paramref name="index"/> is outside [0, count).</exception>
    public RunPartition(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A partition index must be from 0 to {count - 1} (count {count}).");
        }

        (Index, Count) = (index, count);
    }

    /// <summary>Gets the partition's index.</summary>
    public int Index { get; }

    /// <summary>Gets how many partitions there are.</summary>
    public int Count { get; }

    /// <summary>Gets the partition a customer is in, for a number of partitions.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="count">How many partitions there are; at least 1.</param>
    /// <returns>The index, from 0 to <paramref name="count"/> − 1.</returns>
    public static int Of(CustomerId customer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var id = customer.Value;
        if (id.Length == 0)
        {
            throw new ArgumentException("The customer id is the default (empty) value.", nameof(customer));
        }

        var bytes = Encoding.UTF8.GetBytes(id);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        // FNV-1a's low bits are weak for small moduli; MurmurHash3's finaliser spreads every input bit over them.
        // On an unsigned value >> and >>> are the same shift, so Stryker's swap of them is an equivalent mutant.
        // Stryker disable Bitwise : equivalent on uint
        hash ^= hash >> 16;
        hash = unchecked(hash * 0x85ebca6bu);
        hash ^= hash >> 13;
        hash = unchecked(hash * 0xc2b2ae35u);
        hash ^= hash >> 16;
        // Stryker restore Bitwise
        return (int)(hash % (uint)count);
    }

    /// <summary>Gets whether a customer is in this partition.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>Whether it is.</returns>
    public bool Contains(CustomerId customer) => Of(customer, Count) == Index;

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
