using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Xunit;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>
/// Past 32 signals and 32 red flags a row's masks need their high words: 45 signals and 38 red flags, calibrated with a
/// coefficient on every term. The batch's masks are the explained score's, bit for bit in both words, and its
/// probability is the logistic of the terms.
/// </summary>
public sealed class TwoWordBatchPropertyTests
{
    private static readonly HostSignal[] Extra = [.. Enumerable.Range(0, 30).Select(i => new HostSignal("Logins" + i, i))];

    private static readonly ScoringEngine Engine = Build();

    private static ScoringEngine Build()
    {
        var options = Weighted(Extra, 4);

        for (var i = 0; i < 35; i++)
        {
            // Each red flag wants one of the host signals, so the flags in the high word match on the signals in it.
            options.RedFlags["Flag" + i] = new RedFlagOptions { When = "Logins" + (i % 30), Floor = 0.5 };
        }

        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -0.5;
        var terms = new ScoringEngine(options, Extra).ModelTerms;
        for (var k = 0; k < terms.Length; k++)
        {
            options.Calibration.Coefficients[terms[k]] = Coefficient(k);
        }

        return new ScoringEngine(options, Extra);
    }

    /// <summary>Options with each host signal weighted 1 to <paramref name="weights"/> by its threshold.</summary>
    private static ScoringOptions Weighted(HostSignal[] signals, int weights)
    {
        var options = new ScoringOptions();
        foreach (var signal in signals)
        {
            options.Signals[signal.Key.Name] = new SignalOptions { Weight = 1 + (signal.Below % weights) };
        }

        return options;
    }

    private static double Coefficient(int k) => (((k * 7) % 11) - 5) * 0.04;

    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 30)]
    public bool Masks_in_both_words_and_the_probability_are_the_explained_ones(CustomerSnapshot[] snapshots)
    {
        var batch = Snapshots.BatchOf(Engine, snapshots);
        var results = new BatchScore[snapshots.Length];
        Engine.ScoreBatch(batch, results);
        var coefficients = Engine.ModelTerms.Select((t, k) => (t, k)).ToDictionary(x => x.t, x => Coefficient(x.k));
        var flagIndex = Engine.RedFlags.Select((r, k) => (r.Name, k)).ToDictionary(x => x.Name, x => x.k);
        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = Engine.Score(snapshots[i]);
            var mask = explained.Risk.Signals.Select((s, j) => s.State == SignalState.Active ? 1UL << j : 0UL).Aggregate(0UL, (x, y) => x | y);
            var flags = explained.Risk.RedFlags.Aggregate(0UL, (x, r) => x | (1UL << flagIndex[r.Name]));
            var z = -0.5 + explained.Risk.Signals.Where(s => s.State == SignalState.Active).Sum(s => coefficients["signal." + s.Key.Name])
                + explained.Retention.Components.Sum(c => c.Value is { } v ? coefficients["component." + c.Key.Name] * v / 100d : coefficients["component." + c.Key.Name + ".missing"])
                + explained.Risk.RedFlags.Sum(r => coefficients["redflag." + r.Name]);
            if (results[i].ActiveSignals != mask || results[i].RedFlags != flags
                || results[i].ActiveSignalCount != explained.Risk.ActiveSignals.Length
                || results[i].ChurnProbability != explained.Risk.ChurnProbability
                || Math.Abs(results[i].ChurnProbability - (1 / (1 + Math.Exp(-z)))) > 1e-12)
            {
                return false;
            }
        }

        return Engine.Signals.Length == 45 && Engine.RedFlags.Length == 38;
    }

    private static readonly HostSignal[] Full = [.. Enumerable.Range(0, 49).Select(i => new HostSignal("Logins" + i, i))];

    /// <summary>The rule of thumb with all 64 signals (the high word full), red flags wanting two high-word signals at once.</summary>
    private static readonly ScoringEngine RuleOfThumb = BuildRuleOfThumb();

    private static ScoringEngine BuildRuleOfThumb()
    {
        var options = Weighted(Full, 3);

        for (var i = 0; i < 34; i++)
        {
            options.RedFlags["Pair" + i] = new RedFlagOptions { When = $"Logins{20 + (i % 29)} & Logins{48 - (i % 20)}", Floor = 0.6 + (i % 3 * 0.1) };
        }

        return new ScoringEngine(options, Full);
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 30)]
    public bool With_every_signal_slot_used_the_rule_of_thumb_batch_from_any_row_is_the_explained_score(CustomerSnapshot[] snapshots)
    {
        var padded = snapshots.Prepend(Snapshots.Healthy("first")).ToArray();
        var batch = Snapshots.BatchOf(RuleOfThumb, padded);
        var results = new BatchScore[snapshots.Length];
        RuleOfThumb.ScoreBatch(batch, 1, results); // from the second row: every row read at its own offset
        var flagIndex = RuleOfThumb.RedFlags.Select((r, k) => (r.Name, k)).ToDictionary(x => x.Name, x => x.k);
        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = RuleOfThumb.Score(snapshots[i]);
            var mask = explained.Risk.Signals.Select((s, j) => s.State == SignalState.Active ? 1UL << j : 0UL).Aggregate(0UL, (x, y) => x | y);
            var flags = explained.Risk.RedFlags.Aggregate(0UL, (x, r) => x | (1UL << flagIndex[r.Name]));
            if (results[i].ActiveSignals != mask || results[i].RedFlags != flags || results[i].Level != explained.Risk.Level
                || results[i].ChurnProbability != (explained.Risk.ChurnProbability ?? double.NaN) && !(double.IsNaN(results[i].ChurnProbability) && explained.Risk.ChurnProbability is null)
                || results[i].Notes != explained.Notes
                || !SameScore(results[i].RiskScore, explained.Risk.Score) || !SameScore(results[i].RetentionScore, explained.Retention.ComputedValue))
            {
                return false;
            }
        }

        return RuleOfThumb.Signals.Length == 64 && RuleOfThumb.RedFlags.Length == 37;
    }

    private static bool SameScore(double batch, double? explained) => explained is { } e ? Math.Abs(batch - e) < 1e-9 : double.IsNaN(batch);

    /// <summary>Active where the customer logged in fewer times than its own cut-off; missing without logins.</summary>
    private sealed class HostSignal(string key, int below) : IChurnSignal
    {
        public SignalKey Key { get; } = new(key);

        public int Below => below;

        public SignalCategory Category => (SignalCategory)(below % 3);

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => row.Get(Measures.Logins) is { } logins
            ? new SignalReading(logins < below ? SignalState.Active : SignalState.Inactive, logins, below)
            : SignalReading.Missing(below);

        public string Describe(ScoringRow row, SignalReading reading) => $"{reading.Value} logins";
    }
}
