using RetentionKit.Metrics.Kpis;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.TestUtilities;

namespace RetentionKit.Metrics.Tests;

public class ContractTests
{
    // Options classes are mutable on purpose: configuration binding sets their properties.
    [Fact]
    public void PublicTypes_AreImmutable_ExceptOptions() =>
        MutabilityAssert.PublicTypesAreImmutable(
            typeof(CustomerLifetimeValue).Assembly,
            typeof(MetricsOptions),
            typeof(SubscriptionAnalysisOptions),
            typeof(KpiTargetOptions));
}
