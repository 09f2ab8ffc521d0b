
namespace RetentionKit.Hosting.Tests;

public sealed class InMemoryDailyRunStoreContractTests : DailyRunStoreContract
{
    protected override IDailyRunStore CreateStore() => new InMemoryDailyRunStore();
}
