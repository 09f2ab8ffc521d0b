using System;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace RetentionKit.Core.Tests.DependencyInjection;

public class RetentionKitServiceCollectionExtensionsTests
{
    [Fact]
    public void AddRetentionKit_RegistersSystemClock()
    {
        using var provider = new ServiceCollection().AddRetentionKit().BuildServiceProvider();
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void AddRetentionKit_HostClockRegisteredFirst_Wins()
    {
        var fake = new FakeClock(Instant.FromUtc(2026, 11, 22, 9, 0));
        var services = new ServiceCollection().AddSingleton<IClock>(fake);
        using var provider = services.AddRetentionKit().BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void AddRetentionKit_Twice_RegistersNothingTwice()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit();
        var count = services.Count;
        services.AddRetentionKit();
        Assert.Equal(count, services.Count);
        Assert.Single(services, d => d.ServiceType == typeof(IClock));
    }

    [Fact]
    public void AddRetentionKit_PassesBuilderWithSameServices()
    {
        var services = new ServiceCollection();
        IRetentionKitBuilder? seen = null;
        var returned = services.AddRetentionKit(kit => seen = kit);
        Assert.Same(services, returned);
        Assert.NotNull(seen);
        Assert.Same(services, seen!.Services);
    }

    [Fact]
    public void AddRetentionKit_NullServices_Throws() =>
        Assert.Throws<ArgumentNullException>("services", () => RetentionKitServiceCollectionExtensions.AddRetentionKit(null!));
}
