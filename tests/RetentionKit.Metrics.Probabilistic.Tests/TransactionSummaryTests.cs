using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NodaTime;
using NodaTime.Text;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>The summary builder: CDNOW's raw transactions give the published per-customer summary.</summary>
public class TransactionSummaryTests
{
    /// <summary>CDNOW's raw log: 6,919 transactions of the 2,357 customers, January 1997 to June 1998.</summary>
    internal static Transaction[] CdnowTransactions() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "CDNOW_sample.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => new Transaction(int.Parse(f[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd").Parse(f[2]).Value, decimal.Parse(f[4], CultureInfo.InvariantCulture)))];

    [Fact]
    public void CdnowTransactions_ReproduceThePublishedSummary()
    {
        var transactions = CdnowTransactions();
        var published = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_customers_summary_with_transactions.csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(f => f[0], f => f[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());

        // The calibration period is the first 39 weeks of 1997: 1 January to 30 September.
        var summaries = TransactionSummary.From(transactions, new LocalDate(1997, 9, 30));

        Assert.Equal(published.Count, summaries.Count);
        foreach (var s in summaries)
        {
            var p = published[s.Customer];
            Assert.True(
                p[0] == s.History.Frequency && Math.Abs(p[1] - s.History.Recency) < 0.006 && Math.Abs(p[2] - s.History.T) < 0.006 && Math.Abs(p[3] - (double)s.MonetaryValue) < 0.006,
                $"customer {s.Customer}: published {string.Join(", ", p)}, built {s.History} {s.MonetaryValue}");
        }
    }

    [Fact]
    public void SameDayPurchases_CountOnce_AndLaterOnesAreLeftOut()
    {
        var d = new LocalDate(2026, 1, 5);
        Transaction[] log = [new("a", d, 10m), new("a", d, 5m), new("a", d.PlusDays(14), 20m), new("a", d.PlusDays(70), 99m), new("b", d.PlusDays(7), 3m)];

        var summaries = TransactionSummary.From(log, d.PlusDays(28));

        Assert.Equal(new CustomerSummary("a", new PurchaseHistory(1, 2, 4), 20m), summaries[0]);
        Assert.Equal(new CustomerSummary("b", new PurchaseHistory(0, 0, 3), 0m), summaries[1]);
        Assert.Equal(2, summaries.Count);

        // A customer first seen on the calibration end has not been watched (T = 0): left out, so every summary fits.
        var withNewcomer = TransactionSummary.From([.. log, new Transaction("c", d.PlusDays(28), 7m)], d.PlusDays(28));
        Assert.Equal(summaries, withNewcomer);
        Assert.True(BgNbdModel.FitTo([.. TransactionSummary.From(BgNbdSimulator.SimulateTransactions(new BgNbdModel(0.243, 4.414, 0.793, 2.426), new GammaGammaModel(6.25, 3.74, 15.44), [.. Enumerable.Range(0, 3_000).Select(i => ($"c{i}", d.PlusDays(i % 29)))], d.PlusDays(300), seed: 2), d.PlusDays(28)).Select(x => x.History)]).Fit!.Converged);
        Assert.Throws<ArgumentOutOfRangeException>(() => TransactionSummary.From([new Transaction("a", d, -1m)], d));
    }
}
