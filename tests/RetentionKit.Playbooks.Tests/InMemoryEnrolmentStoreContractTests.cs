using RetentionKit.Testing;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The enrolment store contract against the in-memory store.</summary>
public sealed class InMemoryEnrolmentStoreContractTests : EnrolmentStoreContract
{
    protected override IEnrolmentStore CreateStore() => new InMemoryEnrolmentStore();
}
