using RetentionKit.Testing;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The feedback store contract against the in-memory store.</summary>
public sealed class InMemoryFeedbackStoreContractTests : FeedbackStoreContract
{
    protected override IFeedbackStore CreateStore() => new InMemoryFeedbackStore();
}
