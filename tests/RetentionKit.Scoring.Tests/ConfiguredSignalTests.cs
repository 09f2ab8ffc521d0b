using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RetentionKit.Scoring.Tests;

/// <summary>Issue 21: a host's signal receives its threshold, window and weight from the options, like the built-ins.</summary>
public sealed class ConfiguredSignalTests
{
    private static readonly MeasureKey Logins = new("logins");

    [Fact]
    public void AHostSignal_ReadsTheThresholdAndWindowOfItsOptions()
    {
        var options = new ScoringOptions();
        options.Signals["FewLogins"] = new SignalOptions { Weight = 2, Threshold = 4, WindowDays = 14 };
        var engine = new ScoringEngine(options, [new FewLoginsSignal()]);
        var snapshot = Snapshots.Healthy() with { AdditionalMeasures = ImmutableDictionary<MeasureKey, double>.Empty.Add(Logins, 3) };

        var score = engine.Score(snapshot);
        var signal = Assert.IsType<FewLoginsSignal>(engine.Signals.Single(s => s.Key.Name == "FewLogins"));

        Assert.Equal((4d, 14), (signal.Threshold, signal.WindowDays));
        var explained = score.Risk.Signals.Single(s => s.Key.Name == "FewLogins");
        Assert.Equal(SignalState.Active, explained.State);
        Assert.Equal("3 logins in the last 14 days; threshold: below 4", explained.Reason);

        options.Signals["FewLogins"].Threshold = 3; // 3 is not below 3
        Assert.Equal(SignalState.Inactive, new ScoringEngine(options, [new FewLoginsSignal()]).Score(snapshot).Risk.Signals.Single(s => s.Key.Name == "FewLogins").State);
    }

    [Fact]
    public void AThresholdOutOfRangeForWhatTheSignalMeasures_IsReportedUnderItsKey_AtStartUp()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddScoring(o =>
        {
            o.Signals["FewLogins"] = new SignalOptions { Weight = 1, Threshold = 5000, WindowDays = 14 };
            o.Signals["ReducedUsage"].Threshold = 5;
        }).AddSignal<FewLoginsSignal>());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("RetentionKit:Scoring:Signals:FewLogins:Threshold: a login count threshold must be from 0 to 1000 (was 5000).", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Signals:ReducedUsage:Threshold is 5;", StringComparison.Ordinal)); // both listed together
    }

    [Fact]
    public void ASignalThatReturnsAnotherKey_OrNull_IsRefused()
    {
        var options = new ScoringOptions();
        options.Signals["FewLogins"] = new SignalOptions { Weight = 1, Threshold = 1, WindowDays = 7 };

        var renamed = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options, [new MisbehavingSignal(returnsKey: "Other")]));
        var none = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options, [new MisbehavingSignal(returnsNull: true)]));
        var plain = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options, [new MisbehavingSignal(throws: true)]));

        Assert.Equal("RetentionKit:Scoring:Signals:FewLogins: WithOptions of MisbehavingSignal must return a signal with the key 'FewLogins'.", renamed.Failures.Single());
        Assert.Contains("RetentionKit:Scoring:Signals:FewLogins: WithOptions of MisbehavingSignal must return a signal with the key 'FewLogins'.", none.Failures);
        Assert.Contains("RetentionKit:Scoring:Signals:FewLogins: the signal refused its options.", plain.Failures);
    }

    [Fact]
    public void ASignalKeepingItsOwnThreshold_IsUsedAsRegistered()
    {
        var options = new ScoringOptions();
        options.Signals["Fixed"] = new SignalOptions { Weight = 1, Threshold = 99 };
        var fixedSignal = new FixedSignal();

        var engine = new ScoringEngine(options, [fixedSignal]);

        Assert.Same(fixedSignal, engine.Signals.Single(s => s.Key.Name == "Fixed"));
    }

    /// <summary>Fires when the customer logged in fewer times than the threshold over the window.</summary>
    private sealed class FewLoginsSignal(double threshold = 0, int windowDays = 0) : IChurnSignal
    {
        public SignalKey Key { get; } = new("FewLogins");

        public double Threshold => threshold;

        public int WindowDays => windowDays;

        public SignalCategory Category => SignalCategory.Behavioural;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; } = [new MeasureDefinition(Logins, 0, 1e6, "logins in the window")];

        public SignalReading Read(ScoringRow row) =>
            row[Logins] is var value && double.IsNaN(value) ? SignalReading.Missing(threshold) : new SignalReading(value < threshold ? SignalState.Active : SignalState.Inactive, value, threshold);

        public string Describe(ScoringRow row, SignalReading reading) =>
            string.Create(CultureInfo.InvariantCulture, $"{reading.Value} logins in the last {windowDays} days; threshold: below {reading.Threshold}");

        public IChurnSignal WithOptions(SignalOptions options) =>
            options.Threshold is < 0 or > 1000
                ? throw new ArgumentOutOfRangeException(nameof(threshold), options.Threshold, string.Create(CultureInfo.InvariantCulture, $"a login count threshold must be from 0 to 1000 (was {options.Threshold})."))
                : new FewLoginsSignal(options.Threshold, options.WindowDays);
    }

    /// <summary>A signal whose <see cref="IChurnSignal.WithOptions"/> misbehaves: another key, null, or a refusal without a parameter name.</summary>
    private sealed class MisbehavingSignal(string returnsKey = "FewLogins", bool returnsNull = false, bool throws = false) : IChurnSignal
    {
        public SignalKey Key { get; private init; } = new("FewLogins");

        public SignalCategory Category => SignalCategory.Behavioural;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => SignalReading.Missing(1);

        public string Describe(ScoringRow row, SignalReading reading) => "misbehaving";

        public IChurnSignal WithOptions(SignalOptions options) =>
            throws ? throw new ArgumentException("the signal refused its options.")
            : returnsNull ? null!
            : new MisbehavingSignal(returnsKey) { Key = new(returnsKey) };
    }

    private sealed class FixedSignal : IChurnSignal
    {
        public SignalKey Key { get; } = new("Fixed");

        public SignalCategory Category => SignalCategory.Competitive;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => SignalReading.Missing(1);

        public string Describe(ScoringRow row, SignalReading reading) => "fixed";
    }
}
