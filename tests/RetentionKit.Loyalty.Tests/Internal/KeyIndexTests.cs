using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RetentionKit.Loyalty.Internal;

namespace RetentionKit.Loyalty.Tests.Internal;

public class KeyIndexTests
{
    [Property(MaxTest = 200)]
    public void EveryKeyAdded_IsFoundWithItsValue_AndNoOtherKeyIs(NonEmptyString[] raw, int seed)
    {
        var keys = raw.Select(k => k.Get).Distinct(StringComparer.Ordinal).ToList();
        var source = new Source();
        var index = new KeyIndex(source);
        var random = new System.Random(seed);
        foreach (var key in keys)
        {
            // Values as the store uses them: entry indexes (0, 1, …) and complements of record indexes (−1, −2, …).
            var value = random.Next(2) == 0 ? source.Keys.Count : ~source.Keys.Count;
            Assert.False(index.TryFind(key, out _, out var position));
            source.Keys[value] = key;
            index.Add(position, value);
        }

        Assert.Equal(keys.Count, index.Count);
        foreach (var (value, key) in source.Keys)
        {
            Assert.True(index.TryFind(key, out var found, out _));
            Assert.Equal(value, found);
        }

        Assert.False(index.TryFind(string.Concat(keys) + "!", out _, out _));
    }

    [Fact]
    public void APositionFromBeforeTheIndexChanged_IsRefused()
    {
        var source = new Source();
        var index = new KeyIndex(source);
        index.TryFind("a", out _, out var stale);
        for (var i = 0; i < 7; i++)
        {
            source.Keys[i] = $"k{i}";
            index.TryFind(source.Keys[i], out _, out var position);
            index.Add(position, i); // the seventh key fills 8 slots past three quarters: the table grows to 16
        }

        var error = Assert.Throws<InvalidOperationException>(() => index.Add(stale, 99));
        Assert.Equal("The index changed since the key was looked up.", error.Message);
        index.TryFind("b", out _, out var fresh);
        source.Keys[7] = "b";
        index.Add(fresh, 7);
        Assert.Throws<InvalidOperationException>(() => index.Add(fresh, 8)); // the slot is taken now
        Assert.Equal(8, index.Count);
    }

    private sealed class Source : IKeySource
    {
        public Dictionary<int, string> Keys { get; } = [];

        public string KeyOf(int value) => Keys[value];
    }
}
