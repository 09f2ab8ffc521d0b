using RetentionKit.TestUtilities;

namespace RetentionKit.Core.Tests;

public class ContractTests
{
    [Fact]
    public void PublicTypes_AreImmutable() => MutabilityAssert.PublicTypesAreImmutable(typeof(Money).Assembly);
}
