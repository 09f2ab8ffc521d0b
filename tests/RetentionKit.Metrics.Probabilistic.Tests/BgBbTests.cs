using System;
using System.Globalization;
using System.IO;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>BG/BB against Fader, Hardie &amp; Shang (2010) on the donations data: 11,104 first-time donors, six opportunities.</summary>
public class BgBbTests
{
    // The paper's estimates: α = 1.204, β = 0.750, γ = 0.657, δ = 2.783; log-likelihood about −33,225.6.
    private static readonly BgBbModel Published = new(1.204, 0.750, 0.657, 2.783);

    private static readonly Gen<BgBbModel> Models =
        from alpha in Gen.Elements(0.2, 1.204, 6.0, 80.0)
        from beta in Gen.Elements(0.3, 0.75, 4.0)
        from gamma in Gen.Elements(0.1, 0.657, 1.0, 1.0 + 1e-7, 3.0, 40.0)
        from delta in Gen.Elements(0.4, 2.783, 20.0)
        select new BgBbModel(alpha, beta, gamma, delta);

    private static readonly Gen<DiscretePurchaseHistory> Histories =
        from n in Gen.Choose(1, 60)
        from tx in Gen.Choose(0, n)
        from x in Gen.Choose(tx == 0 ? 0 : 1, tx)
        select new DiscretePurchaseHistory(x, tx, n);

    internal static (DiscretePurchaseHistory[] Rows, double[] Weights) Donations()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "bgbb_donations.csv")).Skip(1)
            .Select(line => line.Split(',').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return ([.. rows.Select(f => new DiscretePurchaseHistory(f[0], f[1], f[2]))], [.. rows.Select(f => (double)f[3])]);
    }

    [Fact]
    public void Fit_OnTheDonations_ReproducesThePublishedParametersAndLogLikelihood()
    {
        var (rows, weights) = Donations();

        var model = BgBbModel.FitTo(rows, weights);

        Assert.Equal(11_104, weights.Sum());
        Assert.Equal(1.204, model.Alpha, 3);
        Assert.Equal(0.750, model.Beta, 3);
        Assert.Equal(0.657, model.Gamma, 3);
        Assert.Equal(2.783, model.Delta, 3);
        Assert.Equal(-33_225.6, model.Fit!.LogLikelihood, 1);
        Assert.True(model.Fit.Converged);
    }

    [Fact]
    public void WeightedRows_FitAsTheExpandedData()
    {
        var (rows, weights) = Donations();
        var expanded = rows.SelectMany((r, i) => Enumerable.Repeat(r, (int)weights[i])).ToArray();

        var weighted = BgBbModel.FitTo(rows, weights);
        var each = BgBbModel.FitTo(expanded);

        Assert.Equal(weighted.Alpha, each.Alpha, 8);
        Assert.Equal(weighted.Delta, each.Delta, 8);
        Assert.Equal(weighted.Fit!.LogLikelihood, each.Fit!.LogLikelihood, 6);
    }

    [Fact]
    public void TheFittedModel_ExpectsTheDonationsTheCohortMade()
    {
        var (rows, weights) = Donations();
        var model = BgBbModel.FitTo(rows, weights);
        var actual = rows.Select((r, i) => r.Frequency * weights[i]).Sum();

        // The cohort's repeat donations over the six calibration years against 11,104 × E[X(6)].
        Assert.Equal(actual, 11_104 * model.ExpectedTransactions(6), actual * 0.01);
    }

    // Every sequence of n opportunities has a probability, and sequences with the same (x, t_x) share it (C(t_x−1, x−1)
    // of them): the likelihood, summed over every history of n periods, must be 1.
    [Property(MaxTest = 100)]
    public Property TheLikelihood_OfEveryHistoryOfNPeriods_SumsToOne() =>
        Prop.ForAll(Models.ToArbitrary(), Gen.Choose(1, 25).ToArbitrary(), (m, n) =>
        {
            var total = Math.Exp(m.LogLikelihood([new DiscretePurchaseHistory(0, 0, n)]));
            for (var tx = 1; tx <= n; tx++)
            {
                for (var x = 1; x <= tx; x++)
                {
                    total += SpecialFunctions.Binomial(tx - 1, x - 1) * Math.Exp(m.LogLikelihood([new DiscretePurchaseHistory(x, tx, n)]));
                }
            }

            Assert.Equal(1, total, 9);
        });

    [Property(MaxTest = 200)]
    public Property TheGradient_IsTheDerivativeOfTheLogLikelihood() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (m, h) = pair;
            GradientCheck.Matches((p, g) => BgBbModel.LogLikelihood([h], [1], p[0], p[1], p[2], p[3], g), [m.Alpha, m.Beta, m.Gamma, m.Delta], $"{m} {h}");
        });

    [Property(MaxTest = 300)]
    public Property PAlive_IsAProbability_AndExpectationsGrowWithTheOpportunities() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (m, h) = pair;
            var alive = m.ProbabilityAlive(h);
            var (near, far) = (m.ConditionalExpectedTransactions(2, h), m.ConditionalExpectedTransactions(8, h));

            Assert.InRange(alive, 0, 1);
            Assert.True(double.IsFinite(near) && near >= 0 && far >= near && far <= 8, $"{near} then {far} ({m}, {h})");
        });

    [Fact]
    public void TheConditionalExpectation_IsTheAliveCustomersTransactionRateTimesTheirSurvival_SummedAhead()
    {
        // E[X(n, n+1) | history] is P(alive at n+1) · E[p | history, alive]: check it against the sum of its definition.
        var h = new DiscretePurchaseHistory(3, 4, 6);
        var m = Published;
        var (x, n) = (h.Frequency, h.Periods);
        var pAliveNext = m.ProbabilityAlive(h);
        var meanP = (m.Alpha + x) / (m.Alpha + m.Beta + n);

        Assert.Equal(pAliveNext * meanP, m.ConditionalExpectedTransactions(1, h), 10);
        Assert.Equal(0, m.ConditionalExpectedTransactions(0, h));
        Assert.Equal(m.ExpectedTransactions(1), m.Alpha / (m.Alpha + m.Beta) * m.Delta / (m.Gamma + m.Delta), 12);
    }

    [Fact]
    public void ADonorWhoStoppedLongAgo_IsLikelyGone_AndOneWhoGaveEveryYear_LikelyAlive()
    {
        Assert.True(Published.ProbabilityAlive(new DiscretePurchaseHistory(1, 1, 6)) < 0.3);
        Assert.True(Published.ProbabilityAlive(new DiscretePurchaseHistory(6, 6, 6)) > 0.9);
        Assert.True(Published.ConditionalExpectedTransactions(5, new DiscretePurchaseHistory(6, 6, 6)) > Published.ConditionalExpectedTransactions(5, new DiscretePurchaseHistory(3, 6, 6)));
    }

    [Fact]
    public void BadInput_IsNamed()
    {
        Assert.Equal("Gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new BgBbModel(1, 1, 0, 1)).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(new DiscretePurchaseHistory(3, 2, 6))).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(new DiscretePurchaseHistory(0, 2, 6))).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(new DiscretePurchaseHistory(1, 7, 6))).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentOutOfRangeException>(() => BgBbModel.FitTo([new DiscretePurchaseHistory(0, 0, 0)])).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => BgBbModel.FitTo([new DiscretePurchaseHistory(0, 0, 3)], [3])).ParamName);
        Assert.Equal("periods", Assert.Throws<ArgumentOutOfRangeException>(() => Published.ExpectedTransactions(-1)).ParamName);
    }
}
