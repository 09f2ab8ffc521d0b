using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Sqlite.Tests.Docs;

// The README's "Keeping the state" sample is this method's body between the markers; ReadmeSample_IsTheCompiledSample
// checks that the README shows exactly this code.
public sealed class ReadmeStateQuickStartTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task StateQuickStart_Runs_AndTheSecondPostingIsAReplay()
    {
        string[] args = [$"--ConnectionStrings:RetentionKit=Data Source={_db.File}"];

        // begin-snippet: quick-start-state
        var builder = Host.CreateApplicationBuilder(args); // ConnectionStrings:RetentionKit = "Data Source=retentionkit.db"
        builder.Services.AddRetentionKit(kit => kit.AddLoyalty().AddScoring().AddPlaybooks().UseSqlite());
        using var host = builder.Build();
        await host.StartAsync(); // creates or migrates the schema; a file it cannot use stops the start, naming the cause

        var ledger = host.Services.GetRequiredService<LoyaltyLedger>();
        await ledger.EarnAsync(new CustomerId("acme"), 50, "signup-bonus:acme", "sign-up bonus");

        // The same key again (a retry, another instance, a run after a restart) posts nothing twice.
        var again = await ledger.EarnAsync(new CustomerId("acme"), 50, "signup-bonus:acme", "sign-up bonus");
        // end-snippet

        Assert.True(again.Replayed);
        Assert.Equal(50, again.Balance);
        await host.StopAsync();
        Assert.True(File.Exists(_db.File));
    }

    [Fact]
    public void ReadmeSample_IsTheCompiledSample()
    {
        static string Normalise(string block) => string.Join('\n', block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "ReadmeStateQuickStartTests.cs.txt"));
        var snippet = Between(source, "// begin-snippet: quick-start-state", "// end-snippet");
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var code = Between(readme, "<!-- snippet: quick-start-state -->\n```csharp", "```\n<!-- end-snippet -->");
        Assert.Equal(Normalise(snippet), Normalise(code));
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found");
        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= 0, $"'{end}' not found");
        return text[from..to].Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
