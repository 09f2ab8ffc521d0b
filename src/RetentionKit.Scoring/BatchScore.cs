using System;

namespace RetentionKit.Scoring;

/// <summary>One customer's result from the batch path: the numbers of a <see cref="CustomerScore"/> without the explanation.</summary>
/// <remarks>Undefined values (see <see cref="Notes"/>) are NaN here and null in <see cref="CustomerScore"/>.</remarks>
public readonly struct BatchScore
{
    // 40 bytes a customer, laid out as the kernel writes them: the two scores in single precision (the risk score's
    // bits low, the retention score's high), the probability in double, the two masks, then the count, level, band
    // and notes a byte each (in that order from the lowest byte).
    private readonly ulong _scores;
    private readonly uint _classes;

    internal BatchScore(ulong scores, double churnProbability, ulong activeSignals, ulong redFlags, uint classes)
    {
        _scores = scores;
        ChurnProbability = churnProbability;
        ActiveSignals = activeSignals;
        RedFlags = redFlags;
        _classes = classes;
    }

    /// <summary>Gets the weighted risk score, 0–100 (higher is riskier); NaN when <see cref="ScoreNotes.RiskUndefined"/>.</summary>
    public double RiskScore => BitConverter.UInt32BitsToSingle(unchecked((uint)_scores));

    /// <summary>
    /// Gets the churn probability, in [0, 1]: the model's when <see cref="Notes"/> has <see cref="ScoreNotes.Calibrated"/>,
    /// otherwise the documents' rule of thumb (not a measured probability); NaN when the rule of thumb has no measured signal.
    /// </summary>
    public double ChurnProbability { get; }

    /// <summary>Gets the retention score, 0–100 (higher is better); NaN when <see cref="ScoreNotes.RetentionUndefined"/>.</summary>
    public double RetentionScore => BitConverter.UInt32BitsToSingle(unchecked((uint)(_scores >> 32)));

    /// <summary>Gets the active signals as bits: bit i is <see cref="ScoringEngine.Signals"/>[i].</summary>
    public ulong ActiveSignals { get; }

    /// <summary>Gets the matched red flags as bits: bit i is <see cref="ScoringEngine.RedFlags"/>[i].</summary>
    public ulong RedFlags { get; }

    /// <summary>Gets the number of active signals.</summary>
    public byte ActiveSignalCount => unchecked((byte)_classes);

    /// <summary>Gets the risk level: cut on the model's probability, or by active-signal count for the rule of thumb.</summary>
    public RiskLevel Level => unchecked((RiskLevel)(byte)(_classes >> 8));

    /// <summary>Gets the retention band (at risk when the score is undefined; check <see cref="Notes"/>).</summary>
    public RetentionBand Band => unchecked((RetentionBand)(byte)(_classes >> 16));

    /// <summary>Gets what was incomplete or special.</summary>
    public ScoreNotes Notes => (ScoreNotes)(byte)(_classes >> 24);
}
