using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Hosting;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Metrics;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using RetentionKit.Storage.Sqlite;
using RetentionKit.Testing;

namespace RetentionKit.Tests;

/// <summary>Issue 21: one call registers every package from one configuration section, and start-up says everything wrong with it at once.</summary>
public sealed class AddRetentionKitTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build().GetSection("RetentionKit");

    private static ServiceProvider Provider(IConfiguration configuration, Action<IRetentionKitBuilder>? configure = null, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Now));
        before?.Invoke(services);
        services.AddRetentionKit(configuration, configure);
        return services.BuildServiceProvider();
    }

    private static List<string> StartUpProblems(ServiceProvider provider)
    {
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(x => x.Failures)];
        }
    }

    [Fact]
    public void EverySection_IsBound_AndTheDefaultsHoldWhereNothingIsSaid()
    {
        using var provider = Provider(Section(
            ("RetentionKit:Metrics:Subscriptions:ReactivationWindowMonths", "6"),
            ("RetentionKit:Scoring:Signals:ReducedUsage:Threshold", "0.4"),
            ("RetentionKit:Segmentation:Personas:PowerUsageFrom", "75"),
            ("RetentionKit:Loyalty:PointsExpireAfterDays", "180"),
            ("RetentionKit:Playbooks:MaxEmails", "2"),
            ("RetentionKit:Playbooks:Disabled:0", "win-back"),
            ("RetentionKit:Run:At", "03:15"),
            ("RetentionKit:Run:TimeZone", "Europe/Madrid"),
            ("RetentionKit:Run:Retry:MaxAttempts", "5")));

        Assert.Empty(StartUpProblems(provider));
        Assert.Equal(0.4, provider.GetRequiredService<IOptions<ScoringOptions>>().Value.Signals[SignalNames.ReducedUsage].Threshold);
        Assert.Equal(180, provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value.PointsExpireAfterDays);
        var playbooks = provider.GetRequiredService<IOptions<PlaybookOptions>>().Value;
        Assert.Equal((2, 3), (playbooks.MaxEmails, playbooks.MaxInApp));
        Assert.Contains("WIN-BACK", playbooks.Disabled); // the set keeps its key comparer
        Assert.DoesNotContain(provider.GetRequiredService<PlaybookEngine>().Playbooks, p => p.Id == "win-back");
        var run = provider.GetRequiredService<IOptions<RunOptions>>().Value;
        Assert.Equal(("03:15", "Europe/Madrid", 5, 8), (run.At, run.TimeZone, run.Retry.MaxAttempts, run.Partitions));
        Assert.Equal(6, provider.GetRequiredService<IOptions<MetricsOptions>>().Value.Subscriptions.ReactivationWindowMonths);
        Assert.Equal(75, provider.GetRequiredService<IOptions<SegmentationOptions>>().Value.Personas.PowerUsageFrom);
        Assert.NotNull(provider.GetRequiredService<ScoringEngine>());
        Assert.NotNull(provider.GetRequiredService<SegmentationCatalog>());
    }

    [Fact]
    public async Task EnvironmentVariables_AsAContainerPlatformWritesThem_ChangeTheRewardTheRuleAndThePlaybookTheyName()
    {
        var prefix = "RKTEST" + Guid.NewGuid().ToString("N")[..8] + "_";
        var variables = new Dictionary<string, string>
        {
            [prefix + "RETENTIONKIT__LOYALTY__REWARDS__PREMIUMFEATURE__POINTS"] = "650",
            [prefix + "RETENTIONKIT__LOYALTY__EARNINGRULES__DAILY_USE__POINTS"] = "12",
            [prefix + "RETENTIONKIT__PLAYBOOKS__DISABLED__0"] = "WINBACK",
        };
        foreach (var (key, value) in variables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            await using var provider = Provider(configuration);
            var ana = new CustomerId("ana");
            await provider.GetRequiredService<LoyaltyLedger>().EarnAsync(ana, 700, "seed", "seed");

            var redeemed = await provider.GetRequiredService<RewardCatalog>().RedeemAsync(ana, RewardKeys.PremiumFeature, "r1");

            Assert.Empty(StartUpProblems(provider));
            Assert.NotNull(redeemed);
            Assert.Equal(50, await provider.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(ana));
            var loyalty = provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value;
            Assert.Equal((5, 12), (loyalty.Rewards.Count, loyalty.EarningRules[RetentionKit.Loyalty.Earning.LoyaltyEventKinds.DailyUse].Points));
            Assert.DoesNotContain(provider.GetRequiredService<PlaybookEngine>().Playbooks, p => p.Id == "win-back");
        }
        finally
        {
            foreach (var key in variables.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }

    [Fact]
    public void UnknownKeysAndUnconvertibleValues_AreAllListedOnce_WithTheRulesOfThePackages()
    {
        using var provider = Provider(Section(
            ("RetentionKit:Reprot:Title", "Weekly"),
            ("RetentionKit:Loyalty:Tiers:0:Nmae", "Gold"),
            ("RetentionKit:Loyalty:Tiers:0:Name", "Gold"),
            ("RetentionKit:Loyalty:Tiers:0:From", "0"),
            ("RetentionKit:Scoring:RiskLevels:Hihg:Minimum", "0.8"),
            ("RetentionKit:Run:Partitions", "eight"),
            ("RetentionKit:Run:Retry", "3"),
            ("RetentionKit:Playbooks:MaxEmails", "-1"),
            ("RetentionKit:Storage:Provider", "Mongo")));

        var problems = StartUpProblems(provider);

        Assert.Contains("RetentionKit:Reprot is not a RetentionKit section (sections: Metrics, Scoring, Segmentation, Loyalty, Playbooks, Storage, Run).", problems);
        Assert.Contains(problems, p => p.StartsWith("RetentionKit:Loyalty:Tiers:0:Nmae is not a setting of RetentionKit:Loyalty:Tiers:0; did you mean 'Name'?", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RetentionKit:Scoring:RiskLevels:Hihg is not a setting of RetentionKit:Scoring:RiskLevels; did you mean 'High'?", StringComparison.Ordinal));
        Assert.Contains("RetentionKit:Run:Partitions is 'eight', which is not a whole number.", problems);
        Assert.Contains("RetentionKit:Run:Retry is '3', but it is a section: give its keys instead of a value.", problems);
        Assert.Contains("RetentionKit:Storage:Provider is 'Mongo'; it must be InMemory, Sqlite or PostgreSql.", problems);
        Assert.Contains(problems, p => p.StartsWith("RetentionKit:Playbooks:MaxEmails must not be negative", StringComparison.Ordinal));
        Assert.Equal(problems.Count, problems.Distinct().Count());
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public async Task AHostStartsOnlyWhenTheConfigurationIsRight_InProduction()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("RetentionKit:Reprot", (string?)"x")]);
        builder.Services.AddRetentionKit(builder.Configuration.GetSection("RetentionKit"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("RetentionKit:Reprot is not a RetentionKit section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWholeConfiguration_CanBePassed_ItsRetentionKitSectionIsUsed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("RetentionKit:Loyalty:PointsExpireAfterDays", (string?)"30"), KeyValuePair.Create("Logging:LogLevel:Default", (string?)"Debug")]).Build();

        using var provider = Provider(configuration);

        Assert.Empty(StartUpProblems(provider));
        Assert.Equal(30, provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value.PointsExpireAfterDays);
    }

    [Fact]
    public void AConfiguredTierList_ReplacesTheDefaults_AndRewardsMergeByKey()
    {
        using var provider = Provider(Section(
            ("RetentionKit:Loyalty:Tiers:0:Name", "Member"),
            ("RetentionKit:Loyalty:Tiers:0:From", "0"),
            ("RetentionKit:Loyalty:Tiers:1:Name", "VIP"),
            ("RetentionKit:Loyalty:Tiers:1:From", "5000"),
            ("RetentionKit:Loyalty:Rewards:premium-feature:Points", "900"),
            ("RetentionKit:Loyalty:Referrals:Incentives:0:Name", "double-credit"),
            ("RetentionKit:Loyalty:Referrals:Incentives:0:ReferrerCredit", "200"),
            ("RetentionKit:Loyalty:Referrals:Incentives:1:Name", "free-month"),
            ("RetentionKit:Loyalty:Referrals:Incentives:1:DiscountMonths", "1")));

        Assert.Empty(StartUpProblems(provider));
        var loyalty = provider.GetRequiredService<IOptions<LoyaltyOptions>>().Value;
        Assert.Equal(["Member", "VIP"], provider.GetRequiredService<RetentionKit.Loyalty.Tiers.TierService>().Tiers.Select(t => t.Name));
        Assert.Equal(5, loyalty.Rewards.Count);
        Assert.Equal(900, loyalty.Rewards["premium-feature"].Points);
        Assert.Equal(["double-credit", "free-month"], provider.GetRequiredService<ReferralProgram>().Incentives.Select(i => i.Name)); // the built-in "standard" replaced, not kept ahead of them
    }

    [Fact]
    public async Task StorageProvider_Sqlite_KeepsTheStateInTheConfiguredFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rk-meta-{Guid.NewGuid():N}.db");
        try
        {
            using var provider = Provider(Section(("RetentionKit:Storage:Provider", "sqlite"), ("RetentionKit:Storage:Sqlite:ConnectionString", $"Data Source={file}"), ("RetentionKit:Storage:Sqlite:BusyTimeout", "00:00:09")));

            Assert.Empty(StartUpProblems(provider));
            Assert.Equal(TimeSpan.FromSeconds(9), provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.BusyTimeout);
            await provider.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("ana"), 25, "k", "seed");
            using var again = Provider(Section(("RetentionKit:Storage:Provider", "Sqlite"), ("RetentionKit:Storage:Sqlite:ConnectionString", $"Data Source={file}")));
            Assert.Equal(25, await again.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(new CustomerId("ana"))); // in the file, not in memory
            Assert.True(new FileInfo(file).Length > 0);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AScopedStore_MakesItsUsersScoped_EachScopeGetsItsOwn_AndValidatedScopesAccept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Now));
        services.AddRetentionKit(Section(), kit =>
        {
            kit.Services.AddScoped<IEnrolmentStore, ScopedEnrolmentStore>();
            kit.Services.AddScoped<ILoyaltyLedgerStore, ScopedLedgerStore>();
            kit.AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.Email))
                .AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.InApp))
                .AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.Task))
                .AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.Call));
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        Assert.Empty(StartUpProblems(provider));
        await using var first = provider.CreateAsyncScope();
        await using var second = provider.CreateAsyncScope();
        var runner = first.ServiceProvider.GetRequiredService<PlaybookRunner>();
        Assert.Same(runner, first.ServiceProvider.GetRequiredService<PlaybookRunner>());
        Assert.NotSame(runner, second.ServiceProvider.GetRequiredService<PlaybookRunner>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<RewardCatalog>(), second.ServiceProvider.GetRequiredService<RewardCatalog>()); // through the ledger
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<PlaybookRunner>()); // never from the root

        await first.ServiceProvider.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("ana"), 10, "k", "seed");
        Assert.Equal(10, await first.ServiceProvider.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(new CustomerId("ana")));
        Assert.Equal(0, await second.ServiceProvider.GetRequiredService<LoyaltyLedger>().GetBalanceAsync(new CustomerId("ana"))); // its own unit of work
    }

    [Fact]
    public void ACaptiveDependency_FailsStartUp_InEveryEnvironment_NamingTheSingletonAndTheScopedService()
    {
        using var captive = Provider(Section(), kit =>
        {
            kit.Services.AddScoped<IEnrolmentStore, ScopedEnrolmentStore>();
            kit.Services.AddSingleton<NightlyReport>();
            kit.Services.AddTransient<ReportFormatter>();
            kit.Services.AddSingleton<WeeklyReport>();
        });
        using var late = Provider(Section(), configure: null);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Now));
        services.AddRetentionKit(Section());
        services.AddScoped<IEnrolmentStore, ScopedEnrolmentStore>(); // after the call: too late to make the runner scoped
        using var tooLate = services.BuildServiceProvider();

        var problems = StartUpProblems(captive);

        Assert.Contains("NightlyReport is a singleton (NightlyReport) that takes the scoped IEnrolmentStore: it would keep one instance for the life of the process. Register it scoped, or take IServiceScopeFactory and resolve the scoped service per operation.", problems);
        Assert.Contains(problems, p => p.StartsWith("WeeklyReport is a singleton (WeeklyReport) that takes the scoped IEnrolmentStore (through ReportFormatter)", StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
        Assert.Empty(StartUpProblems(late));
        Assert.Contains("PlaybookRunner is a singleton that uses the scoped IEnrolmentStore: register IEnrolmentStore inside AddRetentionKit (kit.Services) or before it, so that PlaybookRunner is made scoped too.", StartUpProblems(tooLate));
    }

    [Fact]
    public void ArgumentsAreChecked() =>
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddRetentionKit((IConfiguration)null!)).ParamName);

    private sealed class ScopedEnrolmentStore : IEnrolmentStore
    {
        private readonly InMemoryEnrolmentStore _inner = new();

        public ValueTask<ImmutableArray<Enrolment>> GetAsync(CustomerId customer, CancellationToken cancellationToken = default) => _inner.GetAsync(customer, cancellationToken);

        public ValueTask SaveAsync(Enrolment enrolment, CancellationToken cancellationToken = default) => _inner.SaveAsync(enrolment, cancellationToken);
    }

    private sealed class ScopedLedgerStore : ILoyaltyLedgerStore
    {
        private readonly InMemoryLoyaltyLedgerStore _inner = new();

        private ILoyaltyLedgerStore Inner => _inner;

        public ValueTask<IdempotencyRecord?> FindKeyAsync(CustomerId member, string key, CancellationToken cancellationToken = default) => Inner.FindKeyAsync(member, key, cancellationToken);

        public ValueTask<IReadOnlyList<LedgerEntry>> ReadAsync(CustomerId member, long afterSequence, CancellationToken cancellationToken = default) => Inner.ReadAsync(member, afterSequence, cancellationToken);

        public ValueTask<AppendResult> AppendAsync(CustomerId member, long expectedVersion, IdempotencyRecord record, LedgerEntry? entry, CancellationToken cancellationToken = default) => Inner.AppendAsync(member, expectedVersion, record, entry, cancellationToken);

        public IAsyncEnumerable<CustomerId> MembersAsync(CancellationToken cancellationToken = default) => Inner.MembersAsync(cancellationToken);
    }

    private sealed class NightlyReport(IEnrolmentStore store)
    {
        public IEnrolmentStore Store => store;
    }

    private sealed class ReportFormatter(IEnrolmentStore store)
    {
        public IEnrolmentStore Store => store;
    }

    private sealed class WeeklyReport(ReportFormatter formatter)
    {
        public ReportFormatter Formatter => formatter;
    }
}
