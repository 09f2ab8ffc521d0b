using System;
using System.IO;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Metrics.Tests.Docs;

// The README's quick start is this method's body, between the markers. ReadmeQuickStart_IsTheCompiledSample checks that
// the README shows exactly this code, so the sample cannot rot.
public class ReadmeQuickStartTests
{
    [Fact]
    public void QuickStart_Runs()
    {
        // begin-snippet: quick-start
        // Formulas: worked examples from the playbook.
        Money clv = CustomerLifetimeValue.Simple(Money.Usd(100m), Rate.FromPercent(80), Rate.FromPercent(5));
        Rate annualChurn = Churn.MonthlyToAnnual(Rate.FromPercent(5));
        var nrr = RevenueRetention.Compute(
            startingRevenue: Money.Usd(100_000m), expansion: Money.Usd(30_000m),
            contraction: Money.Usd(5_000m), churned: Money.Usd(10_000m));

        // Services: register once, resolve where you need them.
        using var provider = new ServiceCollection()
            .AddRetentionKit(kit => kit.AddMetrics(options => options.Targets.Nps = 40))
            .BuildServiceProvider();
        var analyzer = provider.GetRequiredService<SubscriptionAnalyzer>();

        // MRR bridge and cohorts from your billing events.
        var acme = new CustomerId("acme");
        SubscriptionEvent[] history =
        [
            new SubscriptionChange("inv-1", acme, "team", Money.Usd(1_200m), BillingInterval.Annual, new LocalDate(2026, 1, 10)),
            new SubscriptionChange("inv-2", acme, "business", Money.Usd(250m), BillingInterval.Monthly, new LocalDate(2026, 3, 1)),
        ];
        var analysis = analyzer.Analyze(history, asOf: new LocalDate(2026, 3, 31), Currency.Usd);
        MrrBridge march = analysis.Periods[^1].Mrr; // starting 100, expansion 150, ending 250
        // end-snippet

        Assert.Equal(Money.Usd(1600m), clv);
        Assert.Equal(45.96, annualChurn.Percent, 2);
        Assert.Equal(1.15, nrr.Nrr.Fraction, 12);
        Assert.Equal((100m, 150m, 250m), (march.Starting.Amount, march.Expansion.Amount, march.Ending.Amount));
    }

    [Fact]
    public void ReadmeQuickStart_IsTheCompiledSample()
    {
        static string Normalise(string block) => string.Join('\n', block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "ReadmeQuickStartTests.cs.txt"));
        var snippet = Between(source, "// begin-snippet: quick-start", "// end-snippet");
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var code = Between(readme, "<!-- snippet: quick-start -->\n```csharp", "```\n<!-- end-snippet -->");
        Assert.Equal(Normalise(snippet), Normalise(code));
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"marker '{start}' not found");
        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to >= 0, $"marker '{end}' not found");
        return text[from..to].Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
