using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>Customer lifetime value from the probabilistic models: BG/NBD for how many purchases, Gamma-Gamma for how much each.</summary>
public static class ProbabilisticClv
{
    /// <summary>
    /// CLV by discounted cash flow over a horizon: for each month i, the expected purchases in that month (the change
    /// in BG/NBD's conditional expectation) × the expected transaction value (Gamma-Gamma) × the margin, discounted
    /// by (1 + d)^i.
    /// </summary>
    /// <param name="purchases">The fitted BG/NBD model.</param>
    /// <param name="spend">The fitted Gamma-Gamma model.</param>
    /// <param name="history">The customer's purchase history, in the BG/NBD model's time unit.</param>
    /// <param name="meanValue">The mean value of the customer's repeat purchases (ignored without any).</param>
    /// <param name="months">The horizon in months, 1 to 1,200.</param>
    /// <param name="monthlyDiscountRate">The discount rate per month, 0 or more.</param>
    /// <param name="margin">The margin on revenue, 0 to 1.</param>
    /// <param name="unitsPerMonth">The model's time units per month (4.345 for weeks).</param>
    /// <returns>The CLV, in the currency of the transaction values.</returns>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public static double Value(BgNbdModel purchases, GammaGammaModel spend, PurchaseHistory history, double meanValue, int months, double monthlyDiscountRate, double margin, double unitsPerMonth = 4.345)
    {
        Check(purchases, spend, months, monthlyDiscountRate, margin, unitsPerMonth);
        var alive = purchases.ProbabilityAlive(history); // validates the history
        return Discounted(purchases, history.Frequency, history.T, months, monthlyDiscountRate, unitsPerMonth) * alive * ValueOf(spend, history, meanValue, margin);
    }

    /// <summary>
    /// <see cref="Value"/> for many customers at once: the discounted sum of the monthly purchase increments depends
    /// only on (x, T) apart from P(alive), so it is computed once per distinct pair; the work is split over the cores.
    /// </summary>
    /// <param name="purchases">The fitted BG/NBD model.</param>
    /// <param name="spend">The fitted Gamma-Gamma model.</param>
    /// <param name="histories">The customers' purchase histories.</param>
    /// <param name="meanValues">Each customer's mean repeat purchase value (ignored without repeat purchases).</param>
    /// <param name="months">The horizon in months, 1 to 1,200.</param>
    /// <param name="monthlyDiscountRate">The discount rate per month, 0 or more.</param>
    /// <param name="margin">The margin on revenue, 0 to 1.</param>
    /// <param name="values">Receives each customer's CLV.</param>
    /// <param name="unitsPerMonth">The model's time units per month (4.345 for weeks).</param>
    /// <exception cref="ArgumentException">The arrays differ in length, or an argument is out of range.</exception>
    public static void Values(BgNbdModel purchases, GammaGammaModel spend, PurchaseHistory[] histories, double[] meanValues, int months, double monthlyDiscountRate, double margin, double[] values, double unitsPerMonth = 4.345)
    {
        Check(purchases, spend, months, monthlyDiscountRate, margin, unitsPerMonth);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(meanValues);
        ArgumentNullException.ThrowIfNull(values);
        if (meanValues.Length != histories.Length || values.Length < histories.Length)
        {
            throw new ArgumentException($"The mean values and the outputs must hold {histories.Length} values.", nameof(meanValues));
        }

        for (var i = 0; i < histories.Length; i++)
        {
            histories[i].Validate(nameof(histories), i); // before any output is written
            if (histories[i].Frequency > 0 && !(double.IsFinite(meanValues[i]) && meanValues[i] > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(meanValues), meanValues[i], $"Customer {i} has repeat purchases: their mean value must be positive.");
            }
        }

        // Three passes over fixed ranges: (1) P(alive) per customer (which also validates it) and a local index of the
        // distinct (x, T) pairs of each range; (2) the discounted sum once per distinct pair over all ranges; (3) the
        // values. A pair's sum needs one hypergeometric series per month, so sharing it is what makes a million cheap.
        var n = histories.Length;
        var ranges = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, n / 4_096));
        var pairOf = new int[n];
        var localPairs = new List<(double X, double T)>[ranges];
        Parallel.For(0, ranges, r =>
        {
            var (from, to) = Range(r, ranges, n);
            var seen = new Dictionary<(double X, double T), int>();
            var pairs = new List<(double X, double T)>();
            for (var i = from; i < to; i++)
            {
                var h = histories[i];
                values[i] = purchases.AliveUnchecked(h);
                var key = (h.Frequency, h.T);
                if (!seen.TryGetValue(key, out var id))
                {
                    id = pairs.Count;
                    seen[key] = id;
                    pairs.Add(key);
                }

                pairOf[i] = id;
            }

            localPairs[r] = pairs;
        });

        var global = new Dictionary<(double X, double T), int>();
        var toGlobal = new int[ranges][];
        for (var r = 0; r < ranges; r++)
        {
            toGlobal[r] = new int[localPairs[r].Count];
            for (var k = 0; k < localPairs[r].Count; k++)
            {
                if (!global.TryGetValue(localPairs[r][k], out var id))
                {
                    id = global.Count;
                    global[localPairs[r][k]] = id;
                }

                toGlobal[r][k] = id;
            }
        }

        var keys = new (double X, double T)[global.Count];
        foreach (var (key, id) in global)
        {
            keys[id] = key;
        }

        var discounted = new double[keys.Length];
        Parallel.For(0, keys.Length, k => discounted[k] = Discounted(purchases, keys[k].X, keys[k].T, months, monthlyDiscountRate, unitsPerMonth));
        Parallel.For(0, ranges, r =>
        {
            var (from, to) = Range(r, ranges, n);
            var map = toGlobal[r];
            for (var i = from; i < to; i++)
            {
                values[i] *= discounted[map[pairOf[i]]] * ValueOf(spend, histories[i], meanValues[i], margin);
            }
        });
    }

    private static (int From, int To) Range(int index, int count, int length) =>
        ((int)((long)length * index / count), (int)((long)length * (index + 1) / count));

    private static void Check(BgNbdModel purchases, GammaGammaModel spend, int months, double monthlyDiscountRate, double margin, double unitsPerMonth)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, 1_200);
        RetentionKit.Internal.Guard.FiniteNonNegative(monthlyDiscountRate);
        RetentionKit.Internal.Guard.FiniteInRange(margin, 0, 1);
        RetentionKit.Internal.Guard.FiniteNonNegative(unitsPerMonth);
        if (unitsPerMonth == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitsPerMonth), unitsPerMonth, "A month holds a positive number of the model's time units.");
        }
    }

    /// <summary>Σ_i (E_i − E_(i−1)) / (1+d)^i for a customer known to be alive: depends on (x, T) only; P(alive) scales it.</summary>
    private static double Discounted(BgNbdModel purchases, double x, double age, int months, double monthlyDiscountRate, double unitsPerMonth)
    {
        double discounted = 0, before = 0;
        for (var m = 1; m <= months; m++)
        {
            var upTo = purchases.ExpectedPurchasesIfAlive(m * unitsPerMonth, x, age);
            discounted += (upTo - before) / Math.Pow(1 + monthlyDiscountRate, m);
            before = upTo;
        }

        return discounted;
    }

    private static double ValueOf(GammaGammaModel spend, PurchaseHistory history, double meanValue, double margin) =>
        spend.ConditionalExpectedValue(new SpendHistory(history.Frequency, history.Frequency == 0 ? 0 : meanValue)) * margin;
}
