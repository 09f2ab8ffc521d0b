using System;
using System.Linq;
using FsCheck.Xunit;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>A calibrated batch with a coefficient on every built-in term: each row's probability is the model's formula.</summary>
public sealed class CalibratedBatchPropertyTests
{
    private static readonly ScoringEngine Engine = EveryTerm();

    /// <summary>The default engine calibrated with a distinct coefficient on every signal, component, missing flag and red flag.</summary>
    private static ScoringEngine EveryTerm()
    {
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -1.5;
        var k = 0;
        foreach (var term in Snapshots.DefaultEngine.ModelTerms)
        {
            options.Calibration.Coefficients[term] = ((k++ % 9) - 4) * 0.3 + 0.05;
        }

        return new ScoringEngine(options);
    }

    /// <summary>
    /// log-odds = intercept + Σ coefficient × term, read off the explained score (signal active, component ÷ 100 or its
    /// missing flag, red flag matched); the batch row's probability is its logistic and equals the explained one exactly.
    /// </summary>
    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 40)]
    public bool Every_row_of_a_calibrated_batch_is_the_logistic_of_its_terms(CustomerSnapshot[] snapshots)
    {
        var batch = Snapshots.BatchOf(Engine, snapshots);

        var results = new BatchScore[snapshots.Length];
        Engine.ScoreBatch(batch, results);
        var coefficients = Engine.ModelTerms.ToDictionary(t => t, t => ((Engine.ModelTerms.IndexOf(t) % 9) - 4) * 0.3 + 0.05);
        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = Engine.Score(snapshots[i]);
            var z = -1.5;
            foreach (var signal in explained.Risk.Signals)
            {
                z += signal.State == SignalState.Active ? coefficients["signal." + signal.Key.Name] : 0d;
            }

            foreach (var component in explained.Retention.Components)
            {
                z += component.Value is { } value
                    ? coefficients["component." + component.Key.Name] * value / 100d
                    : coefficients["component." + component.Key.Name + ".missing"];
            }

            foreach (var flag in explained.Risk.RedFlags)
            {
                z += coefficients["redflag." + flag.Name];
            }

            var expected = 1 / (1 + Math.Exp(-z));
            if (Math.Abs(results[i].ChurnProbability - expected) > 1e-12
                || results[i].ChurnProbability != explained.Risk.ChurnProbability
                || Math.Abs(explained.Risk.Model!.LogOdds - z) > 1e-12
                || results[i].Level != (expected >= 0.7 ? RiskLevel.High : expected >= 0.4 ? RiskLevel.Medium : RiskLevel.Low))
            {
                return false;
            }
        }

        return true;
    }
}
