using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RetentionKit.Scoring.Tests.DependencyInjection;

public class ScoringRetentionKitBuilderExtensionsTests
{
    [Fact]
    public void AddScoring_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring().AddScoring());

        Assert.Single(services, d => d.ServiceType == typeof(ScoringEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IScoreHistoryStore));
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<ScoringEngine>(), provider.GetRequiredService<ScoringService>().Engine);
    }

    [Fact]
    public void StartupValidation_ListsEveryProblemOnce_SingleFieldAndCrossField()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring(o =>
        {
            o.CategoryWeights.Sentiment = -1;
            o.RiskLevels.Medium.Minimum = 0.2;
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Single(error.Failures, f => f == "RetentionKit:Scoring:CategoryWeights:Sentiment must be between 0 and 1000000.");
        Assert.Single(error.Failures, f => f.StartsWith("RetentionKit:Scoring:RiskLevels:Low (0.05–0.4) overlaps RiskLevels:Medium (0.2–0.7)", StringComparison.Ordinal));
        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void StartupValidation_SeesUnnamedConfigureAndPostConfigureSteps_AsTheOptionsWillBe()
    {
        // An IConfigureOptions that is not named, and a post-configure step that repairs what it broke: start-up
        // validation builds the options as the factory will, so only the problem left standing is reported.
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring());
        services.AddSingleton<IConfigureOptions<ScoringOptions>>(new UnnamedConfigure(o =>
        {
            o.CategoryWeights.Sentiment = -1;
            o.CategoryWeights.Competitive = -2;
        }));
        services.PostConfigure<ScoringOptions>(o => o.CategoryWeights.Competitive = 10);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["RetentionKit:Scoring:CategoryWeights:Sentiment must be between 0 and 1000000."], error.Failures);
    }

    [Fact]
    public void ReadingInvalidOptions_StillFailsOnTheSingleFieldRules()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring(o => o.CategoryWeights.Sentiment = double.NaN));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ScoringOptions>>().Value);

        Assert.Contains("RetentionKit:Scoring:CategoryWeights:Sentiment must be between", error.Message, StringComparison.Ordinal);
    }

    // S3: a red-flag rule of the host's own, registered through DI, sees the measures and the active signals.
    [Fact]
    public void CustomRedFlag_RaisesTheFloor_OnlyWhenItMatches()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring().AddRedFlag<LatePayerWithTicketsRule>().AddRedFlag<LatePayerWithTicketsRule>());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var engine = provider.GetRequiredService<ScoringEngine>();

        var matching = engine.Score(Snapshots.Healthy() with { DaysPaymentLate = 20, SupportTickets = 2 });
        var notLate = engine.Score(Snapshots.Healthy() with { DaysPaymentLate = 5, SupportTickets = 2 });
        var noTickets = engine.Score(Snapshots.Healthy() with { DaysPaymentLate = 20, SupportTickets = 0 });

        Assert.Single(engine.RedFlags, r => r.Name == "LatePayerWithTickets");
        var flag = Assert.Single(matching.Risk.RedFlags);
        Assert.Equal(("LatePayerWithTickets", 0.6, "late payment with open tickets"), (flag.Name, flag.Floor, flag.Description));
        Assert.Equal(0.6, matching.Risk.ChurnProbability);
        Assert.True((matching.Notes & ScoreNotes.RedFlagFloorApplied) != 0);
        Assert.Empty(notLate.Risk.RedFlags);
        Assert.Empty(noTickets.Risk.RedFlags);
        Assert.True(noTickets.Risk.ChurnProbability < 0.6);
        Assert.True((noTickets.Notes & ScoreNotes.RedFlagFloorApplied) == 0);
    }

    // S8: a custom signal and a custom component, registered through DI, change the outcome and explain themselves.
    [Fact]
    public void CustomSignalAndComponent_ChangeTheOutcome_AndAppearInTheExplanation()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit
            .AddScoring(o =>
            {
                o.Signals["AdminInactive"] = new SignalOptions { Weight = 20, Threshold = 30 };
                o.RetentionScore.ComponentWeights["Advocacy"] = 10;
            })
            .AddSignal<AdminInactiveSignal>()
            .AddScoreComponent<AdvocacyComponent>());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var engine = provider.GetRequiredService<ScoringEngine>();

        var snapshot = Snapshots.Healthy() with
        {
            AdditionalMeasures = new Dictionary<MeasureKey, double> { [AdminInactiveSignal.Days] = 45, [AdvocacyComponent.Referrals] = 0 }.ToImmutableDictionary(),
        };
        var score = engine.Score(snapshot);
        var plain = Snapshots.DefaultEngine.Score(Snapshots.Healthy());

        var signal = Assert.Single(score.Risk.ActiveSignals);
        Assert.Equal("AdminInactive", signal.Key.Name);
        Assert.Equal("no admin login for 45 days; fires above 30", signal.Reason);
        Assert.True(score.Risk.Score > plain.Risk.Score);
        var advocacy = score.Retention.Components.Single(c => c.Key.Name == "Advocacy");
        Assert.Equal(0d, advocacy.Value);
        Assert.Equal("0 referrals this year", advocacy.Reason);
        Assert.True(score.Retention.Value < plain.Retention.Value);
    }

    [Fact]
    public async Task Service_AppliesOverrideUntilItLapses_AndRecordsHistory()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring());
        using var provider = services.BuildServiceProvider();
        var service = provider.GetRequiredService<ScoringService>();
        await service.OverrideAsync(new ScoreOverride(Snapshots.Customer, new Score(35), RiskLevel.High, "CFO announced a vendor review", "csm-7", Snapshots.Day.PlusDays(1)));

        var during = await service.ScoreAsync(Snapshots.Healthy());
        var after = await service.ScoreAsync(new CustomerSnapshot(Snapshots.Customer, Snapshots.Day.PlusDays(2)) { Nps = 9, FeatureShare = 0.6 });

        Assert.Equal((35d, RetentionBand.AtRisk, RiskLevel.High, RiskLevel.Low), (during.Retention.Value!.Value, during.Retention.Band!.Value, during.Risk.Level, during.Risk.ComputedLevel));
        Assert.Equal("CFO announced a vendor review", during.Retention.Override!.Reason);
        Assert.Equal(Snapshots.HealthyRetention, during.Retention.ComputedValue!.Value, 5);
        Assert.Null(after.Retention.Override);
        Assert.Equal(RiskLevel.Low, after.Risk.Level);
        var trend = await service.TrendAsync(Snapshots.Customer, Snapshots.Day.PlusDays(2));
        Assert.Equal(2, trend.Records);
    }

    private sealed class AdminInactiveSignal(IOptions<ScoringOptions> options) : IChurnSignal
    {
        public static readonly MeasureKey Days = new("DaysSinceAdminLogin");
        private readonly double _threshold = options.Value.Signals["AdminInactive"].Threshold;

        public SignalKey Key { get; } = new("AdminInactive");

        public SignalCategory Category => SignalCategory.Behavioural;

        public SignalAction Action { get; } = new("CallTheAdmin");

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; } = [new(Days, 0, 3650, "days since an admin logged in")];

        public SignalReading Read(ScoringRow row)
        {
            var days = row[Days];
            return double.IsNaN(days) ? SignalReading.Missing(_threshold) : new SignalReading(days > _threshold ? SignalState.Active : SignalState.Inactive, days, _threshold);
        }

        public string Describe(ScoringRow row, SignalReading reading) => FormattableString.Invariant($"no admin login for {reading.Value} days; fires above {reading.Threshold}");
    }

    private sealed class AdvocacyComponent : IRetentionScoreComponent
    {
        public static readonly MeasureKey Referrals = new("ReferralsThisYear");

        public ComponentKey Key { get; } = new("Advocacy");

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; } = [new(Referrals, 0, 1000, "referrals made this year")];

        public ComponentReading Read(ScoringRow row) =>
            row.Get(Referrals) is { } referrals ? new ComponentReading(Math.Min(100d, referrals * 25d), 1, 1) : ComponentReading.Missing(1);

        public string Describe(ScoringRow row, ComponentReading reading) => FormattableString.Invariant($"{row[Referrals]} referrals this year");
    }

    private sealed class LatePayerWithTicketsRule : IRedFlagRule
    {
        public string Name => "LatePayerWithTickets";

        public double Floor => 0.6;

        public string Description => "late payment with open tickets";

        public bool Matches(RedFlagArguments arguments) =>
            arguments.IsActive(new SignalKey("LatePayment")) && !arguments.IsActive(new SignalKey("NotASignal")) && arguments.Row[Measures.SupportTickets] >= 1;
    }

    private sealed class UnnamedConfigure(Action<ScoringOptions> configure) : IConfigureOptions<ScoringOptions>
    {
        public void Configure(ScoringOptions options) => configure(options);
    }
}
