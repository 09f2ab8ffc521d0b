using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>Registration: the SQLite stores replace the in-memory ones in either order; options checked at start-up.</summary>
public sealed class UseSqliteTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    public static TheoryData<bool> Orders => new() { true, false };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task UseSqlite_BeforeOrAfterAddLoyalty_TheLedgerKeepsItsPointsInTheFile(bool sqliteFirst)
    {
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);
            services.AddRetentionKit(kit =>
            {
                if (sqliteFirst)
                {
                    kit.UseSqlite(o => o.ConnectionString = _db.ConnectionString).AddLoyalty();
                }
                else
                {
                    kit.AddLoyalty().UseSqlite(o => o.ConnectionString = _db.ConnectionString).UseSqlite();
                }
            });
            return services.BuildServiceProvider();
        }

        var ana = new CustomerId("ana");
        await using (var first = Build())
        {
            first.GetRequiredService<IStartupValidator>().Validate();
            await first.GetRequiredService<LoyaltyLedger>().EarnAsync(ana, 120, "e1", "welcome");
        }

        await using var second = Build();
        Assert.IsType<SqliteLoyaltyLedgerStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(second.GetRequiredService<ILoyaltyLedgerStore>()).Inner);
        Assert.Equal(120, await second.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(ana));
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void UseSqlite_ReplacesEveryStoreOfEveryPackageRegistered_InEitherOrder(bool sqliteFirst)
    {
        var services = new ServiceCollection();
        services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);
        services.AddRetentionKit(kit =>
        {
            if (sqliteFirst)
            {
                kit.UseSqlite(o => o.ConnectionString = _db.ConnectionString);
            }

            kit.AddLoyalty().AddScoring().AddPlaybooks();
            if (!sqliteFirst)
            {
                kit.UseSqlite(o => o.ConnectionString = _db.ConnectionString);
            }
        });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<SqliteLoyaltyLedgerStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(provider.GetRequiredService<ILoyaltyLedgerStore>()).Inner);
        Assert.IsType<SqliteReferralStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(provider.GetRequiredService<RetentionKit.Loyalty.Referrals.IReferralStore>()).Inner);
        Assert.IsType<SqliteEnrolmentStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(provider.GetRequiredService<RetentionKit.Playbooks.IEnrolmentStore>()).Inner);
        Assert.IsType<SqliteScoreHistoryStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(provider.GetRequiredService<RetentionKit.Scoring.IScoreHistoryStore>()).Inner);
        Assert.IsType<SqliteScoreOverrideStore>(Assert.IsAssignableFrom<RetentionKit.Storage.Internal.IInstrumentedStore>(provider.GetRequiredService<RetentionKit.Scoring.IScoreOverrideStore>()).Inner);
        Assert.Single(services, d => d.ServiceType == typeof(ILoyaltyLedgerStore));
    }

    [Fact]
    public async Task UseSqlite_TakesConnectionStringsRetentionKit_FromTheHostsConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:RetentionKit"] = _db.ConnectionString }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRetentionKit(kit => kit.AddLoyalty().UseSqlite());
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("ana"), 5, "e1", "use");

        Assert.Equal(_db.ConnectionString, provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.ConnectionString);
        Assert.True(System.IO.File.Exists(_db.File));
    }

    [Fact]
    public void StartUp_WithoutAConnectionString_OrWithABadTimeout_FailsNamingEveryKey()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddLoyalty().UseSqlite(o => o.BusyTimeout = TimeSpan.Zero));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "RetentionKit:Storage:Sqlite:ConnectionString is not set, nor ConnectionStrings:RetentionKit; the SQLite store needs a file, e.g. \"Data Source=retentionkit.db\".",
                "RetentionKit:Storage:Sqlite:BusyTimeout is 00:00:00; it must be from 1 millisecond to 10 minutes.",
            ],
            error.Failures);
    }
}
