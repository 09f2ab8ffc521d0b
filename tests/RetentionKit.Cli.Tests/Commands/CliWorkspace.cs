using System;
using System.IO;
using Microsoft.Data.Sqlite;
using RetentionKit.Cli.Commands;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>A working directory of its own for tests that run the tool and keep SQLite files there; removed with them.</summary>
internal sealed class CliWorkspace : IDisposable
{
    public CliWorkspace(string prefix) => Dir = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Dir { get; }

    /// <summary>Runs the tool in this directory, non-interactively: the exit code and what it wrote to each stream.</summary>
    public (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = new CliApplication(stdout, stderr, Dir, interactive: false).Run(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
