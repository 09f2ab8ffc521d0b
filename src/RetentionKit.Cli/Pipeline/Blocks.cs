using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace RetentionKit.Cli.Pipeline;

/// <summary>Work on a range of indexes cut into blocks of consecutive ones, the blocks run side by side.</summary>
internal static class Blocks
{
    /// <summary>
    /// Runs <paramref name="body"/> once per block of <paramref name="size"/> consecutive indexes below
    /// <paramref name="count"/>, blocks side by side. A failure fails the whole as one pass in index order would: the
    /// exception of the first block that has one is rethrown as it was thrown (not wrapped), and every block that failed
    /// stopped at its first.
    /// </summary>
    /// <param name="count">How many indexes.</param>
    /// <param name="size">Indexes per block.</param>
    /// <param name="body">The work of a block: its number, its first index and the index after its last.</param>
    public static void For(int count, int size, Action<int, int, int> body)
    {
        var failures = new Exception?[(count + size - 1) / size];
        Parallel.For(0, failures.Length, block =>
        {
            try
            {
                body(block, block * size, Math.Min(count, (block + 1) * size));
            }
            catch (Exception e)
            {
                failures[block] = e;
            }
        });
        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
