using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RetentionKit.Scoring.Tests;

public class ScoringPropertyTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    // Batch = single, exactly: arrays up to 600 rows cross the 128-row chunks and end in padded partial vectors.
    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 60)]
    public bool ScoreBatch_EqualsScore_ForEveryRow(CustomerSnapshot[] snapshots)
    {
        var batch = Snapshots.BatchOf(Engine, snapshots);

        var results = new BatchScore[snapshots.Length];
        Engine.ScoreBatch(batch, results);
        for (var i = 0; i < snapshots.Length; i++)
        {
            var single = Engine.Score(snapshots[i]);
            var b = results[i];
            var mask = single.Risk.Signals.Select((s, j) => s.State == SignalState.Active ? 1UL << j : 0UL).Aggregate(0UL, (x, y) => x | y);
            var same = Same(b.RiskScore, single.Risk.Score) && Same(b.ChurnProbability, single.Risk.ChurnProbability)
                && Same(b.RetentionScore, single.Retention.ComputedValue) && b.Level == single.Risk.Level
                && (single.Retention.Band is null || b.Band == single.Retention.Band) && b.Notes == single.Notes
                && b.ActiveSignals == mask && b.ActiveSignalCount == single.Risk.ActiveSignals.Length
                && BitCount(b.RedFlags) == single.Risk.RedFlags.Length;
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    // Write's documented guarantee: different rows written from several threads at once hold what one thread writes.
    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 40)]
    public bool Write_OfDifferentRowsFromSeveralThreads_EqualsOneThread(CustomerSnapshot[] snapshots)
    {
        var serial = Engine.CreateBatch(snapshots.Length);
        for (var i = 0; i < snapshots.Length; i++)
        {
            serial.Write(i, snapshots[i]);
        }

        var parallel = Engine.CreateBatch(snapshots.Length);
        System.Threading.Tasks.Parallel.For(0, snapshots.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel.Write(i, snapshots[i]));

        return Engine.Measures.All(m => serial.Column(m.Key).SequenceEqual(parallel.Column(m.Key)));
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)])]
    public bool Scores_StayInTheirBounds(CustomerSnapshot snapshot)
    {
        var score = Engine.Score(snapshot);
        return score.Risk.Score is null or (>= 0d and <= 100d)
            && score.Risk.ChurnProbability is null or (>= 0d and <= 1d)
            && score.Retention.Value is null or (>= 0d and <= 100d)
            && score.Risk.Signals.All(s => s.Contribution >= 0d && s.Contribution <= s.Weight)
            && score.Retention.Components.All(c => c.Value is null or (>= 0d and <= 100d));
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)])]
    public bool Contributions_AddUpToTheScores(CustomerSnapshot snapshot)
    {
        var score = Engine.Score(snapshot);
        // Contributions are the explanation's double arithmetic; the scores the kernel's single-precision sums.
        var riskOk = score.Risk.Score is not { } risk || Math.Abs(score.Risk.Signals.Sum(s => s.Contribution) - risk) < ScoreTolerance;
        var retentionOk = score.Retention.ComputedValue is not { } retention || Math.Abs(score.Retention.Components.Sum(c => c.Contribution) - retention) < ScoreTolerance;
        return riskOk && retentionOk;
    }

    // Normalisation within categories: the points the measured signals carry add up to 100, whatever the weights.
    [Property(Arbitrary = [typeof(ScoringArbitraries)])]
    public bool SignalWeights_OfMeasuredSignals_AddUpTo100(CustomerSnapshot snapshot)
    {
        var score = Engine.Score(snapshot);
        var total = score.Risk.Signals.Sum(s => s.Weight);
        return score.Risk.Score is null ? total == 0d : Math.Abs(total - 100d) < 1e-9;
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)])]
    public Property AddingAnActiveSignal_NeverLowersRiskOrProbability(CustomerSnapshot snapshot, byte pick)
    {
        var keys = Engine.Signals.Select(s => s.Key.Name).ToArray();
        var key = keys[pick % keys.Length];
        var before = Engine.Score(snapshot);
        var wasActive = before.Risk.Signals.Single(s => s.Key.Name == key).State == SignalState.Active;
        var fired = Fire(snapshot, key);
        return (!wasActive && fired is not null).When(() =>
        {
            var after = Engine.Score(fired!);
            return after.Risk.Signals.Single(s => s.Key.Name == key).State == SignalState.Active
                && after.Risk.Score >= (before.Risk.Score ?? 0d) - 1e-9
                && after.Risk.ChurnProbability >= (before.Risk.ChurnProbability ?? 0d) - 1e-12;
        });
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)])]
    public Property RaisingAComponentInput_NeverLowersTheRetentionScore(CustomerSnapshot snapshot, byte pick)
    {
        var improved = Improve(snapshot, pick % 9);
        return (improved is not null && Engine.Score(snapshot).Retention.Value is not null).When(() =>
            Engine.Score(improved!).Retention.Value >= Engine.Score(snapshot).Retention.Value - 1e-9);
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 50)]
    public bool Weights_ScaledTogether_ChangeNothing(CustomerSnapshot snapshot, byte factorPick)
    {
        var factor = new[] { 0.5, 2d, 10d, 1000d }[factorPick % 4];
        var options = new ScoringOptions();
        options.CategoryWeights.Behavioural *= factor;
        options.CategoryWeights.Sentiment *= factor;
        options.CategoryWeights.Competitive *= factor;
        foreach (var signal in options.Signals.Values)
        {
            signal.Weight *= factor;
        }

        foreach (var key in options.RetentionScore.ComponentWeights.Keys.ToArray())
        {
            options.RetentionScore.ComponentWeights[key] *= factor;
        }

        var scaled = new ScoringEngine(options).Score(snapshot);
        var original = Engine.Score(snapshot);
        return Close(scaled.Risk.Score, original.Risk.Score, ScoreTolerance) && Close(scaled.Retention.Value, original.Retention.Value, ScoreTolerance)
            && Close(scaled.Risk.ChurnProbability, original.Risk.ChurnProbability, ScoreTolerance / 100) && scaled.Risk.Level == original.Risk.Level;
    }

    private static CustomerSnapshot? Fire(CustomerSnapshot s, string key) => key switch
    {
        "LowEmailEngagement" => s.EmailsSent >= 1 ? s with { EmailsOpened = 0 } : null,
        "LowLoginFrequency" => s.BaselineLogins >= 1 ? s with { Logins = 0 } : null,
        "NegativeTicketSentiment" => s.SupportTickets >= 1 ? s with { NegativeTickets = 1 } : null,
        _ => Signals.BuiltInSignalTests.Set(s, key, key switch
        {
            "ReducedUsage" => 0.1,
            "IncreasedSupport" => 5,
            "LatePayment" => 20,
            "NegativeFeedback" => 3,
            "NegativeComments" => 0.1,
            "LowSurveySatisfaction" => 3,
            "CompetitorVisits" => 4,
            _ => 1,
        }) with { NegativeTickets = key == "IncreasedSupport" ? s.NegativeTickets : s.NegativeTickets },
    };

    private static CustomerSnapshot? Improve(CustomerSnapshot s, int which) => which switch
    {
        0 => s.Nps < 10 ? s with { Nps = s.Nps + 1 } : null,
        1 => s.SurveySatisfaction < 10 ? s with { SurveySatisfaction = s.SurveySatisfaction + 1 } : null,
        2 => s.FeatureShare <= 0.9 ? s with { FeatureShare = s.FeatureShare + 0.1 } : null,
        3 => s.Logins < 40 ? s with { Logins = s.Logins + 1 } : null,
        4 => s.EmailsOpened < s.EmailsSent ? s with { EmailsOpened = s.EmailsOpened + 1 } : null,
        5 => s.RoiMultiple is not null ? s with { RoiMultiple = s.RoiMultiple + 0.5 } : null,
        6 => s.DaysPaymentLate >= 1 ? s with { DaysPaymentLate = s.DaysPaymentLate - 1 } : null,
        7 => s.CommentSentiment <= 0.9 ? s with { CommentSentiment = s.CommentSentiment + 0.1 } : null,
        _ => s.UsageOfLimit <= 1.2 ? s with { UsageOfLimit = s.UsageOfLimit + 0.1 } : null,
    };

    private static bool Same(double batch, double? single) => single is { } value ? batch.Equals(value) : double.IsNaN(batch);

    /// <summary>How close two 0–100 scores computed in single precision by different routes are: well under 1e-4.</summary>
    private const double ScoreTolerance = 1e-4;

    private static bool Close(double? a, double? b, double tolerance) => (a is null && b is null) || (a is { } x && b is { } y && Math.Abs(x - y) < tolerance);

    private static int BitCount(ulong value) => System.Numerics.BitOperations.PopCount(value);
}
