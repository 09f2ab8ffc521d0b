using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Storage.PostgreSql.Tests;

/// <summary>UsePostgreSql: every store replaced in either order of calls, the database from any of its three places, and every start-up failure one clear exception.</summary>
public sealed class StartupTests
{
    private static IHost Host(Action<IRetentionKitBuilder> kit, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)));
        services?.Invoke(builder.Services);
        builder.Services.AddRetentionKit(kit);
        return builder.Build();
    }

    [PostgreSqlFact]
    public async Task UsePostgreSql_BeforeOrAfterThePackages_ReplacesEveryStore_AndMigratesAtStart()
    {
        var schema = PostgreSql.NewSchema();
        using var before = Host(kit => kit.UsePostgreSql(o => (o.ConnectionString, o.Schema) = (PostgreSql.ConnectionString, schema)).AddLoyalty().AddScoring().AddPlaybooks());
        using var after = Host(kit => kit.AddLoyalty().AddScoring().AddPlaybooks().UsePostgreSql(o => (o.ConnectionString, o.Schema) = (PostgreSql.ConnectionString, schema)));

        await before.StartAsync();
        await after.StartAsync();

        foreach (var host in new[] { before, after })
        {
            Assert.StartsWith("PostgreSql", Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(host.Services.GetRequiredService<ILoyaltyLedgerStore>()).Inner.GetType().Name, StringComparison.Ordinal);
            Assert.StartsWith("PostgreSql", Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(host.Services.GetRequiredService<RetentionKit.Loyalty.Referrals.IReferralStore>()).Inner.GetType().Name, StringComparison.Ordinal);
            Assert.StartsWith("PostgreSql", Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(host.Services.GetRequiredService<IEnrolmentStore>()).Inner.GetType().Name, StringComparison.Ordinal);
            Assert.StartsWith("PostgreSql", Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(host.Services.GetRequiredService<IScoreHistoryStore>()).Inner.GetType().Name, StringComparison.Ordinal);
            Assert.StartsWith("PostgreSql", Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(host.Services.GetRequiredService<IScoreOverrideStore>()).Inner.GetType().Name, StringComparison.Ordinal);
        }

        var ana = new CustomerId("ana");
        await before.Services.GetRequiredService<LoyaltyLedger>().EarnAsync(ana, 40, "k1", "welcome");
        Assert.Equal(40, await after.Services.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(ana)); // one database
        await before.StopAsync();
        await after.StopAsync();
    }

    [PostgreSqlFact]
    public async Task TheConnectionString_ComesFromConnectionStrings_OrTheApplicationsDataSource()
    {
        var fromConfiguration = PostgreSql.NewSchema();
        var fromDataSource = PostgreSql.NewSchema();
        await using var applications = NpgsqlDataSource.Create(PostgreSql.ConnectionString);
        using var configured = Host(kit => kit.AddLoyalty().UsePostgreSql(o => o.Schema = fromConfiguration), new Dictionary<string, string?> { ["ConnectionStrings:RetentionKit"] = PostgreSql.ConnectionString });
        using var given = Host(kit => kit.AddLoyalty().UsePostgreSql(applications, o => o.Schema = fromDataSource));
        using var registered = Host(kit => kit.AddLoyalty().UsePostgreSql(o => o.Schema = fromDataSource), services: s => s.AddSingleton(applications));

        await configured.StartAsync();
        await given.StartAsync();
        await registered.StartAsync();
        await given.Services.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("bo"), 7, "k1", "welcome");

        Assert.Equal(7, await registered.Services.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(new CustomerId("bo")));
        Assert.Equal(0, await configured.Services.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(new CustomerId("bo")));
        await configured.StopAsync();
        await given.StopAsync();
        await registered.StopAsync();
        Assert.Equal(7, await LedgerOn(applications, fromDataSource).GetBalanceAsync(new CustomerId("bo"))); // the host's data source is not disposed by the kit
    }

    [PostgreSqlFact]
    public async Task AContainerDisposedSynchronously_DisposesTheStore_WithoutThrowing()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)));
        services.AddRetentionKit(kit => kit.AddLoyalty().UsePostgreSql(o => (o.ConnectionString, o.Schema) = (PostgreSql.ConnectionString, PostgreSql.NewSchema())));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("ana"), 1, "k1", "welcome");

        var error = Record.Exception(provider.Dispose);

        Assert.Null(error);
    }

    [Fact]
    public async Task Options_AreValidatedAtStart_EveryProblemListedWithItsKey()
    {
        using var host = Host(kit => kit.AddLoyalty().UsePostgreSql(o => o.Schema = "Bad-Name"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("RetentionKit:Storage:PostgreSql:Schema", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionKit:Storage:PostgreSql:ConnectionString is not set", error.Message, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task AWrongPassword_FailsTheStart_NamingTheStoreAndTheLogin()
    {
        var wrong = new NpgsqlConnectionStringBuilder(PostgreSql.ConnectionString) { Password = "not-the-password", Pooling = false }.ConnectionString;
        using var host = Host(kit => kit.AddLoyalty().UsePostgreSql(o => o.ConnectionString = wrong));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("The PostgreSQL store (database 'postgres'", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused the login of user 'postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServer_FailsTheStart_NamingTheStoreHostAndPort()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port; // free now, and nobody listens once it is closed
        }

        using var host = Host(kit => kit.AddLoyalty().UsePostgreSql(o => o.ConnectionString = $"Host=127.0.0.1;Port={port};Database=app;Username=app;Password=x;Timeout=3"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains($"The PostgreSQL store (database 'app' on 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
    }

    internal static LoyaltyLedger LedgerOn(NpgsqlDataSource dataSource, string schema) =>
        new(new PostgreSqlLoyaltyLedgerStore(new PostgreSqlDatabase(dataSource, ownsDataSource: false, schema, autoMigrate: true)), new FakeClock(Instant.FromUtc(2026, 3, 1, 9, 0)), new RetentionKit.Loyalty.LoyaltyOptions());
}
