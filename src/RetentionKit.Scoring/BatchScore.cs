namespace RetentionKit.Scoring;

/// <summary>One customer's result from the batch path: the numbers of a <see cref="CustomerScore"/> without the explanation.</summary>
/// <remarks>Undefined values (see <see cref="Notes"/>) are NaN here and null in <see cref="CustomerScore"/>.</remarks>
public readonly struct BatchScore
{
    // The scores are computed in single precision and kept so (40 bytes a customer instead of 48); the probability in double.
    private readonly float _riskScore;
    private readonly float _retentionScore;

    internal BatchScore(float riskScore, double churnProbability, float retentionScore, ulong activeSignals, ulong redFlags, byte activeSignalCount, RiskLevel level, RetentionBand band, ScoreNotes flags)
    {
        _riskScore = riskScore;
        ChurnProbability = churnProbability;
        _retentionScore = retentionScore;
        ActiveSignals = activeSignals;
        RedFlags = redFlags;
        ActiveSignalCount = activeSignalCount;
        Level = level;
        Band = band;
        Notes = flags;
    }

    /// <summary>Gets the weighted risk score, 0–100 (higher is riskier); NaN when <see cref="ScoreNotes.RiskUndefined"/>.</summary>
    public double RiskScore => _riskScore;

    /// <summary>
    /// Gets the churn probability, in [0, 1]: the model's when <see cref="Notes"/> has <see cref="ScoreNotes.Calibrated"/>,
    /// otherwise the documents' rule of thumb (not a measured probability); NaN when the rule of thumb has no measured signal.
    /// </summary>
    public double ChurnProbability { get; }

    /// <summary>Gets the retention score, 0–100 (higher is better); NaN when <see cref="ScoreNotes.RetentionUndefined"/>.</summary>
    public double RetentionScore => _retentionScore;

    /// <summary>Gets the active signals as bits: bit i is <see cref="ScoringEngine.Signals"/>[i].</summary>
    public ulong ActiveSignals { get; }

    /// <summary>Gets the matched red flags as bits: bit i is <see cref="ScoringEngine.RedFlags"/>[i].</summary>
    public ulong RedFlags { get; }

    /// <summary>Gets the number of active signals.</summary>
    public byte ActiveSignalCount { get; }

    /// <summary>Gets the risk level: cut on the model's probability, or by active-signal count for the rule of thumb.</summary>
    public RiskLevel Level { get; }

    /// <summary>Gets the retention band (at risk when the score is undefined; check <see cref="Notes"/>).</summary>
    public RetentionBand Band { get; }

    /// <summary>Gets what was incomplete or special.</summary>
    public ScoreNotes Notes { get; }
}
