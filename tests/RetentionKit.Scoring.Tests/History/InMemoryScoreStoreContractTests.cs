using RetentionKit.Scoring.History;
using RetentionKit.Testing;

namespace RetentionKit.Scoring.Tests.History;

/// <summary>The score-history contract against the in-memory store.</summary>
public sealed class InMemoryScoreHistoryStoreContractTests : ScoreHistoryStoreContract
{
    protected override IScoreHistoryStore CreateStore() => new InMemoryScoreHistoryStore();
}

/// <summary>The score-override contract against the in-memory store.</summary>
public sealed class InMemoryScoreOverrideStoreContractTests : ScoreOverrideStoreContract
{
    protected override IScoreOverrideStore CreateStore() => new InMemoryScoreOverrideStore();
}
