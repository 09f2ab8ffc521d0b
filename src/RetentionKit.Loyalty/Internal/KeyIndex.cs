using System;

namespace RetentionKit.Loyalty.Internal;

/// <summary>Where a <see cref="KeyIndex"/> finds the key a stored value stands for.</summary>
internal interface IKeySource
{
    /// <summary>Gets the key of a value held in the index.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its key.</returns>
    string KeyOf(int value);
}

/// <summary>
/// A set of string keys, each with an <see cref="int"/> value, that does not hold the keys: they stay where the
/// values point (the ledger's rows), and the index keeps one 8-byte slot per key — the key's hash and its value — in
/// an open-addressing table with linear probing. Nothing in it is a reference, so the garbage collector never scans
/// it, and growing it discards one array of plain numbers. Keys are never removed (idempotency keys are forever).
/// </summary>
/// <param name="source">Resolves a value back to its key for comparison.</param>
internal sealed class KeyIndex(IKeySource source)
{
    private const int FirstSize = 8;

    // 0 is an empty slot; otherwise the hash in the high half and the value, encoded non-zero, in the low half.
    private ulong[] _slots = new ulong[FirstSize];

    /// <summary>Gets how many keys the index holds.</summary>
    public int Count { get; private set; }

    /// <summary>Looks a key up.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value when found.</param>
    /// <param name="position">Where the key is, or where it would go: pass it to <see cref="Add"/> before any other change.</param>
    /// <returns>Whether the key is held.</returns>
    public bool TryFind(string key, out int value, out Position position)
    {
        var hash = StringComparer.Ordinal.GetHashCode(key);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                (value, position) = (0, new Position(i, hash, _slots.Length));
                return false;
            }

            if (unchecked((int)(slot >> 32)) == hash && string.Equals(source.KeyOf(Decode(slot)), key, StringComparison.Ordinal))
            {
                (value, position) = (Decode(slot), new Position(i, hash, _slots.Length));
                return true;
            }
        }
    }

    /// <summary>Adds a key that <see cref="TryFind"/> did not find, at the position it returned.</summary>
    /// <param name="position">The position <see cref="TryFind"/> returned.</param>
    /// <param name="value">The key's value (<see cref="IKeySource.KeyOf"/> must give the key back for it from now on).</param>
    public void Add(Position position, int value)
    {
        if (position.Size != _slots.Length || _slots[position.Index] != 0)
        {
            throw new InvalidOperationException("The index changed since the key was looked up.");
        }

        _slots[position.Index] = unchecked(((ulong)(uint)position.Hash << 32) | (uint)Encode(value));
        Count++;
        if (Count * 4 > _slots.Length * 3)
        {
            Grow();
        }
    }

    // Values 0, 1, … are stored as 1, 2, …; negative values as themselves: never 0.
    private static int Encode(int value) => value >= 0 ? value + 1 : value;

    private static int Decode(ulong slot)
    {
        var code = unchecked((int)slot);
        return code > 0 ? code - 1 : code;
    }

    private void Grow()
    {
        var old = _slots;
        var slots = new ulong[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot != 0)
            {
                var i = unchecked((int)(slot >> 32)) & mask;
                while (slots[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                slots[i] = slot;
            }
        }

        _slots = slots;
    }

    /// <summary>Where a key is, or would go.</summary>
    /// <param name="Index">The slot.</param>
    /// <param name="Hash">The key's hash.</param>
    /// <param name="Size">The table's size when it was looked up.</param>
    internal readonly record struct Position(int Index, int Hash, int Size);
}
