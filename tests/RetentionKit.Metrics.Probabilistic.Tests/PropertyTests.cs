using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>Invariants of the models over random parameters and histories: bounds, monotonicity, order-independence.</summary>
public class PropertyTests
{
    /// <summary>Parameters from a wide range, including large a and b (little heterogeneity in dropout).</summary>
    private static readonly Gen<BgNbdModel> Models =
        from r in Gen.Choose(5, 500)
        from alpha in Gen.Choose(1, 400)
        from a in Gen.Elements(0.3, 0.793, 1.5, 4.0, 40.0, 2e5)
        from bOverA in Gen.Choose(5, 60)
        select new BgNbdModel(r / 100d, alpha / 10d, a, a * bOverA / 10d);

    /// <summary>Valid histories in days-as-weeks, up to 300 repeat purchases.</summary>
    private static readonly Gen<PurchaseHistory> Histories =
        from t in Gen.Choose(1, 520)
        from x in Gen.Choose(0, 300)
        from tx in Gen.Choose(1, t)
        select new PurchaseHistory(x, x == 0 ? 0 : tx / 7d, t / 7d);

    [Property(MaxTest = 300)]
    public Property PAlive_IsAProbability_FallsWithTheTimeSinceTheLastPurchase_AndRisesWithRecency() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (model, h) = pair;
            var alive = model.ProbabilityAlive(h);
            var older = model.ProbabilityAlive(h with { T = h.T + 1 });
            var later = h.Frequency > 0 && h.Recency + 0.5 <= h.T ? model.ProbabilityAlive(h with { Recency = h.Recency + 0.5 }) : alive;
            return alive is >= 0 and <= 1 && older <= alive + 1e-12 && later >= alive - 1e-12;
        });

    [Property(MaxTest = 300)]
    public Property ExpectedPurchases_AreFiniteNonNegative_AndGrowWithTheHorizon() =>
        Prop.ForAll(Gen.Zip(Models, Histories).ToArbitrary(), pair =>
        {
            var (model, h) = pair;
            var horizons = new[] { 0d, 1, 13, 52, 104 };
            var conditional = horizons.Select(t => model.ConditionalExpectedPurchases(t, h)).ToArray();
            var fresh = horizons.Select(model.ExpectedPurchases).ToArray();
            return conditional.All(double.IsFinite) && fresh.All(double.IsFinite) && conditional[0] == 0 && fresh[0] == 0
                && conditional.Zip(conditional.Skip(1)).All(p => p.Second >= p.First - 1e-9)
                && fresh.Zip(fresh.Skip(1)).All(p => p.Second >= p.First - 1e-9);
        });

    [Property(MaxTest = 200)]
    public Property KaplanMeier_StaysInTheUnitInterval_NeverRises_AndIgnoresTheOrderOfObservations() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(0, 60), Gen.Elements(true, false))).Where(l => l.Count > 0).ToArbitrary(), rows =>
        {
            var observations = rows.Select(r => new SurvivalObservation(r.Item1, r.Item2)).ToList();
            var curve = KaplanMeierCurve.Estimate(observations);
            var reversed = KaplanMeierCurve.Estimate(Enumerable.Reverse(observations));
            var survival = curve.Steps.Select(s => s.Survival).ToList();
            return survival.All(s => s is >= 0 and <= 1)
                && survival.Zip(survival.Skip(1)).All(p => p.Second <= p.First)
                && curve.Steps.All(s => s.StandardError >= 0 && s.Lower <= s.Survival + 1e-12 && s.Upper >= s.Survival - 1e-12)
                && curve.Steps.SequenceEqual(reversed.Steps)
                && curve.Subjects == observations.Count;
        });

    [Property(MaxTest = 200)]
    public Property ShiftedBetaGeometric_SurvivalFalls_AndTheRetentionRateRisesWithTenure() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(1, 500), Gen.Choose(1, 500)).ToArbitrary(), p =>
        {
            var model = new ShiftedBetaGeometricModel(p.Item1 / 100d, p.Item2 / 100d);
            var survival = Enumerable.Range(0, 20).Select(model.Survival).ToList();
            var retention = Enumerable.Range(1, 19).Select(model.RetentionRate).ToList();
            return survival[0] == 1 && survival.Zip(survival.Skip(1)).All(s => s.Second < s.First && s.Second > 0)
                && retention.Zip(retention.Skip(1)).All(r => r.Second >= r.First && r.Second < 1);
        });

    [Property(MaxTest = 100)]
    public Property TransactionSummary_IgnoresTheOrderOfTheLog_AndEveryHistoryIsValid() =>
        Prop.ForAll(Gen.ListOf(from c in Gen.Choose(0, 9) from day in Gen.Choose(0, 120) from cents in Gen.Choose(0, 5_000) select (c, day, cents)).ToArbitrary(), rows =>
        {
            var start = new LocalDate(2026, 1, 1);
            var log = rows.Select(r => new Transaction($"c{r.c}", start.PlusDays(r.day), r.cents / 100m)).ToList();
            var end = start.PlusDays(90);
            var forward = TransactionSummary.From(log, end);
            var backward = TransactionSummary.From(Enumerable.Reverse(log), end);
            return forward.SequenceEqual(backward) && forward.All(s =>
            {
                s.History.Validate("s");
                return s.History.T > 0 && s.MonetaryValue >= 0;
            });
        });

    [Property(MaxTest = 200)]
    public Property TransactionSummary_EqualsGroupingByCustomerThenDay() =>
        Prop.ForAll(Gen.ListOf(from c in Gen.Choose(0, 6) from day in Gen.Choose(0, 40) from cents in Gen.Choose(0, 900) select (c, day, cents)).ToArbitrary(), rows =>
        {
            var start = new LocalDate(2026, 1, 1);
            var end = start.PlusDays(30);
            var log = rows.Select(r => new Transaction($"c{r.c}", start.PlusDays(r.day), r.cents / 100m)).ToList();

            // The definition, literally: days by customer, each day's values summed, the first day not a repeat.
            var expected = log.Where(t => t.Date <= end)
                .GroupBy(t => t.Customer).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Customer: g.Key, Days: g.GroupBy(t => t.Date).OrderBy(d => d.Key).Select(d => (Date: d.Key, Value: d.Sum(t => t.Value))).ToList()))
                .Where(c => c.Days[0].Date != end)
                .Select(c =>
                {
                    var repeats = c.Days.Skip(1).ToList();
                    var first = c.Days[0].Date;
                    return new CustomerSummary(c.Customer, new PurchaseHistory(
                        repeats.Count, repeats.Count == 0 ? 0 : Period.Between(first, repeats[^1].Date, PeriodUnits.Days).Days / 7d, Period.Between(first, end, PeriodUnits.Days).Days / 7d),
                        repeats.Count == 0 ? 0m : repeats.Average(r => r.Value));
                });
            return TransactionSummary.From(log, end).SequenceEqual(expected);
        });
}
