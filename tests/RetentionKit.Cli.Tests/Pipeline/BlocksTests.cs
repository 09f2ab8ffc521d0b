using System;
using System.Linq;
using System.Threading;
using FsCheck;
using FsCheck.Xunit;
using RetentionKit.Cli.Pipeline;

namespace RetentionKit.Cli.Tests.Pipeline;

// Blocks.For: every index once, in blocks of consecutive indexes numbered in order, and a failure reported as one pass
// in index order would report it.
public sealed class BlocksTests
{
    [Property(MaxTest = 200)]
    public bool EveryIndex_IsInExactlyOneBlock_OfConsecutiveIndexes(NonNegativeInt count, PositiveInt size)
    {
        var (n, s) = (count.Get % 5_000, size.Get % 700 + 1);
        var visits = new int[n];
        var blockOf = new int[n];
        Blocks.For(n, s, (block, from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                Interlocked.Increment(ref visits[i]);
                blockOf[i] = block;
            }
        });

        return visits.All(v => v == 1) && Enumerable.Range(0, n).All(i => blockOf[i] == i / s);
    }

    [Fact]
    public void AFailure_IsTheFirstFailingBlocks_Unwrapped()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => Blocks.For(100, 10, (block, _, _) =>
        {
            if (block is 3 or 7)
            {
                throw new InvalidOperationException($"block {block}");
            }
        }));

        Assert.Equal("block 3", thrown.Message);
    }
}
