using RetentionKit.TestUtilities;

namespace RetentionKit.Scoring.Tests;

public class ContractTests
{
    // Options classes are mutable so that configuration binding can set them; a batch is a buffer the host fills; the
    // engine keeps private arrays, filled once in its constructor and never exposed, for the batch kernel.
    [Fact]
    public void PublicTypes_AreImmutable_ExceptOptionsAndTheBatchBuffer() =>
        MutabilityAssert.PublicTypesAreImmutable(
            typeof(ScoringEngine).Assembly,
            typeof(ScoringOptions),
            typeof(CategoryWeightOptions),
            typeof(SignalOptions),
            typeof(RiskLevelOptions),
            typeof(ProbabilityBandOptions),
            typeof(RedFlagOptions),
            typeof(SentimentOptions),
            typeof(RetentionScoreOptions),
            typeof(ScoreHistoryOptions),
            typeof(CalibrationOptions),
            typeof(ChurnFeatureOptions),
            typeof(ScoringBatch),
            typeof(ScoringEngine));
}
