using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Tests;

/// <summary>Starts the child process of the crash and multi-process tests (tests/RetentionKit.Storage.Sqlite.CrashHost) and reads its acknowledgements.</summary>
internal static class CrashHost
{
    /// <summary>Starts a child that posts keys k{first}…k{first + count − 1} for members m0…m{members − 1} to the store (a SQLite file, or pg|connection string|schema).</summary>
    public static Process Start(string file, int first, int count, int members)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "RetentionKit.Storage.Sqlite.CrashHost.dll"), file, Text(first), Text(count), Text(members) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The crash host did not start.");
    }

    /// <summary>Reads one line of the child's output: the key and status it acknowledged, or null for any other line.</summary>
    public static (string Key, PostingStatus Status)? Ack(string line) =>
        line.Split(' ') is ["ack", var key, var status] ? (key, Enum.Parse<PostingStatus>(status)) : null;

    /// <summary>Reads a child's acknowledgements to the end and checks that it exited cleanly.</summary>
    public static async Task<Dictionary<string, PostingStatus>> FinishAsync(Process child)
    {
        using (child)
        {
            var acks = new Dictionary<string, PostingStatus>(StringComparer.Ordinal);
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (Ack(line) is var (key, status))
                {
                    acks[key] = status;
                }
            }

            var errors = await child.StandardError.ReadToEndAsync();
            await child.WaitForExitAsync();
            Xunit.Assert.True(child.ExitCode == 0, $"a child failed: {errors}");
            return acks;
        }
    }

    /// <summary>The number in a key k{n}.</summary>
    public static int Number(string key) => int.Parse(key.AsSpan(1), CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
