using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>What the count models' tests share: the histories properties draw, and the weighted-rows check.</summary>
internal static class CountModelChecks
{
    /// <summary>Histories from a week to ten years, up to 300 repeat purchases (heavy buyers are where the series overflow).</summary>
    public static readonly Gen<PurchaseHistory> Histories =
        from t in Gen.Choose(1, 520)
        from x in Gen.Choose(0, 300)
        from tx in Gen.Choose(0, t)
        select new PurchaseHistory(x, x == 0 ? 0 : tx, t);

    /// <summary>Asserts that CDNOW's identical histories collapsed into weighted rows fit as the expanded data: the same parameters and log-likelihood.</summary>
    /// <param name="fit">The fit: rows and weights (null for one each) to the parameters, then the log-likelihood.</param>
    public static void WeightedRowsFitAsTheExpandedData(Func<PurchaseHistory[], double[]?, double[]> fit)
    {
        var cdnow = BgNbdTests.Cdnow();
        var groups = cdnow.GroupBy(h => h).ToArray();

        var expanded = fit(cdnow, null);
        var weighted = fit([.. groups.Select(g => g.Key)], [.. groups.Select(g => (double)g.Count())]);

        Assert.True(groups.Length < cdnow.Length);
        for (var j = 0; j < expanded.Length; j++)
        {
            Assert.Equal(expanded[j], weighted[j], 1e-5 * Math.Max(1, Math.Abs(expanded[j])));
        }
    }
}
