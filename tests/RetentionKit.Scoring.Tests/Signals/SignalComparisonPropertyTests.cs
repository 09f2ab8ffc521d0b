using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Scoring.Tests.Signals;

// The kernel compares single-precision measures with thresholds moved to the float grid, and turns "above" and
// "at least" into one "less than" on the negated value. Whatever the threshold, a stored value fires exactly when the
// comparison in double precision says so — also for the floats right next to the threshold.
public class SignalComparisonPropertyTests
{
    public static Arbitrary<(string Key, double Threshold, float Value)> Cases() =>
        (from key in Gen.Elements("ReducedUsage", "IncreasedSupport", "CompetitorVisits")
         from whole in Gen.Choose(0, key == "ReducedUsage" ? 999 : 40)
         from fraction in Gen.Choose(0, 999_999)
         let threshold = key == "ReducedUsage" ? (whole + (fraction / 1e6)) / 1000d : whole + (fraction / 1e6)
         from step in Gen.Choose(-3, 3)
         select (key, threshold, Near((float)threshold, step))).ToArbitrary();

    [Property(Arbitrary = [typeof(SignalComparisonPropertyTests)], MaxTest = 300)]
    public bool Signal_FiresExactlyWhenTheDoubleComparisonHolds((string Key, double Threshold, float Value) c)
    {
        var options = new ScoringOptions();
        options.Signals[c.Key].Threshold = c.Threshold;
        var engine = new ScoringEngine(options);
        var snapshot = BuiltInSignalTests.Set(Snapshots.Healthy(), c.Key, c.Value);

        var results = new BatchScore[1];
        engine.ScoreBatch(Snapshots.BatchOf(engine, [snapshot]), results);

        var expected = c.Key switch
        {
            "ReducedUsage" => c.Value < c.Threshold,
            "IncreasedSupport" => c.Value > c.Threshold,
            _ => c.Value >= c.Threshold,
        };
        var bit = 1UL << engine.Signals.IndexOf(engine.Signals.Single(s => s.Key.Name == c.Key));
        return ((results[0].ActiveSignals & bit) != 0) == expected;
    }

    private static float Near(float value, int steps)
    {
        for (; steps > 0; steps--)
        {
            value = MathF.BitIncrement(value);
        }

        for (; steps < 0; steps++)
        {
            value = MathF.BitDecrement(value);
        }

        return Math.Max(value, 0f);
    }
}
