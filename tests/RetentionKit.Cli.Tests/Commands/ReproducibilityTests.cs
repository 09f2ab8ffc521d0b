using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>
/// The same data gives the same JSON in another process: .NET randomises string hashing per process, so anything
/// read in a hash table's order (a dictionary of model parameters, sums over a frozen dictionary) would differ from one
/// run to the next. Only a second process shows it.
/// </summary>
public sealed class ReproducibilityTests
{
    [Fact]
    public async Task Demo_InTwoProcesses_WritesTheSameJson_ModelParametersInNameOrder()
    {
        var out1 = Directory.CreateTempSubdirectory("rk-repro-").FullName;
        try
        {
            var first = await RunAsync("demo", "--out", out1, "--json");
            Directory.Delete(out1, recursive: true);
            var second = await RunAsync("demo", "--out", out1, "--json");

            Assert.Equal(first, second);
            using var json = JsonDocument.Parse(first);
            var models = json.RootElement.GetProperty("probabilistic").GetProperty("purchases").GetProperty("models");
            foreach (var model in models.EnumerateArray())
            {
                if (model.GetProperty("parameters").ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var names = new System.Collections.Generic.List<string>();
                foreach (var p in model.GetProperty("parameters").EnumerateObject())
                {
                    names.Add(p.Name);
                }

                Assert.Equal([.. names.Order(StringComparer.Ordinal)], names);
            }
        }
        finally
        {
            if (Directory.Exists(out1))
            {
                Directory.Delete(out1, recursive: true);
            }
        }
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RetentionKit.Cli.dll"));
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
