using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;
using RetentionKit.Scoring.RedFlags;

namespace RetentionKit.Scoring.Tests;

// Every rule of the options, one at a time: breaking it is reported with the option's path and the rule.
public sealed class ScoringOptionsValidationTests
{
    public static TheoryData<string, Action<ScoringOptions>, string> Rules() => new()
    {
        { "unknown signal", o => o.Signals["Nope"] = new SignalOptions { Weight = 1 }, "RetentionKit:Scoring:Signals:Nope names no registered signal (built-in keys: LowEmailEngagement," },
        { "null signal", o => o.Signals["ReducedUsage"] = null!, "RetentionKit:Scoring:Signals:ReducedUsage must not be null." },
        { "negative weight", o => o.Signals["ReducedUsage"].Weight = -1, "RetentionKit:Scoring:Signals:ReducedUsage:Weight " },
        { "NaN threshold", o => o.Signals["ReducedUsage"].Threshold = double.NaN, "RetentionKit:Scoring:Signals:ReducedUsage:Threshold " },
        { "window too long", o => o.Signals["ReducedUsage"].WindowDays = 4000, "RetentionKit:Scoring:Signals:ReducedUsage:WindowDays " },
        { "share threshold above 1 (issue 21)", o => o.Signals["ReducedUsage"].Threshold = 5, "RetentionKit:Scoring:Signals:ReducedUsage:Threshold is 5; the signal measures a share (0 to 1), so its threshold must be from 0 to 1." },
        { "e-mail share threshold above 1", o => o.Signals["LowEmailEngagement"].Threshold = 50, "RetentionKit:Scoring:Signals:LowEmailEngagement:Threshold is 50; the signal measures a share (0 to 1)" },
        { "NPS threshold above 10", o => o.Signals["NegativeFeedback"].Threshold = 70, "RetentionKit:Scoring:Signals:NegativeFeedback:Threshold is 70; the signal measures an NPS answer (0 to 10), so its threshold must be from 0 to 10." },
        { "satisfaction threshold below 1", o => o.Signals["LowSurveySatisfaction"].Threshold = 0.5, "RetentionKit:Scoring:Signals:LowSurveySatisfaction:Threshold is 0.5; the signal measures a satisfaction answer (1 to 10)" },
        { "sentiment threshold above 1", o => o.Signals["NegativeComments"].Threshold = 3, "RetentionKit:Scoring:Signals:NegativeComments:Threshold is 3; the signal measures a sentiment on a 0-1 scale" },
        { "category weights all zero", o => { o.CategoryWeights.Behavioural = 0; o.CategoryWeights.Sentiment = 0; o.CategoryWeights.Competitive = 0; }, "RetentionKit:Scoring:CategoryWeights must not all be zero." },
        { "negative category weight", o => o.CategoryWeights.Competitive = -3, "RetentionKit:Scoring:CategoryWeights:Competitive must be between 0 and 1000000." },
        { "every signal disabled", o => { foreach (var s in o.Signals.Values) { s.Enabled = false; } o.RedFlags.Clear(); }, "RetentionKit:Scoring:Signals: at least one signal must be enabled, unless model features or a model (Calibration or a registered IChurnModel) give the churn probability." },
        { "every signal weight zero", o => { foreach (var s in o.Signals.Values) { s.Weight = 0; } }, "RetentionKit:Scoring:Signals: the enabled signals' weights must not all be zero." },
        { "null band", o => o.RiskLevels.Low = null!, "RetentionKit:Scoring:RiskLevels:Low, Medium and High must not be null." },
        { "band upside down", o => { o.RiskLevels.Low.Minimum = 0.3; o.RiskLevels.Low.Maximum = 0.2; }, "RetentionKit:Scoring:RiskLevels:Low:Minimum (0.3) must not exceed RiskLevels:Low:Maximum (0.2)." },
        { "medium overlaps high", o => o.RiskLevels.Medium.Maximum = 0.8, "RetentionKit:Scoring:RiskLevels:Medium (0.4–0.8) overlaps RiskLevels:High (0.7–0.95): Medium:Maximum must not exceed High:Minimum." },
        { "level counts equal", o => o.RiskLevels.MediumAtActiveSignals = 3, "RetentionKit:Scoring:RiskLevels:MediumAtActiveSignals (3) must be below RiskLevels:HighAtActiveSignals (3)." },
        { "null red flag", o => o.RedFlags["X"] = null!, "RetentionKit:Scoring:RedFlags:X must not be null." },
        { "red flag without condition", o => o.RedFlags["X"] = new RedFlagOptions { When = string.Empty, Floor = 0.5 }, "RetentionKit:Scoring:RedFlags:X:When " },
        { "red flag floor above 1", o => o.RedFlags["X"] = new RedFlagOptions { When = "LatePayment", Floor = 1.5 }, "RetentionKit:Scoring:RedFlags:X:Floor " },
        { "red flag on unknown signal", o => o.RedFlags["X"] = new RedFlagOptions { When = "Unknown & Nps < 3", Floor = 0.5 }, "RetentionKit:Scoring:RedFlags:X:When names the signal 'Unknown', which is not registered or not enabled." },
        { "red flag on unknown measure", o => o.RedFlags["X"] = new RedFlagOptions { When = "LatePayment & Bogus < 3", Floor = 0.5 }, "RetentionKit:Scoring:RedFlags:X:When names the measure 'Bogus', which no registered signal or component declares." },
        { "red flag term not a key", o => o.RedFlags["X"] = new RedFlagOptions { When = "LatePayment & two words", Floor = 0.5 }, "RetentionKit:Scoring:RedFlags:X:When has the term 'two words'; a term is a signal key or 'Measure < number', joined by '&'." },
        { "red flag number not finite", o => o.RedFlags["X"] = new RedFlagOptions { When = "Nps < Infinity", Floor = 0.5 }, "RetentionKit:Scoring:RedFlags:X:When has the term 'Nps < Infinity'; a measure condition reads 'Measure < number'." },
        { "unknown component", o => o.RetentionScore.ComponentWeights["Nope"] = 1, "RetentionKit:Scoring:RetentionScore:ComponentWeights:Nope names no registered component (built-in keys: Engagement, Usage, Satisfaction, Value)." },
        { "NaN component weight", o => o.RetentionScore.ComponentWeights["Usage"] = double.NaN, "RetentionKit:Scoring:RetentionScore:ComponentWeights:Usage is NaN; a weight must be a finite number, zero or more." },
        { "negative component weight", o => o.RetentionScore.ComponentWeights["Usage"] = -1, "RetentionKit:Scoring:RetentionScore:ComponentWeights:Usage is -1; a weight must be a finite number, zero or more." },
        { "component weight missing", o => o.RetentionScore.ComponentWeights.Remove("Usage"), "RetentionKit:Scoring:RetentionScore:ComponentWeights:Usage is missing: the component needs a weight." },
        { "component weights all zero", o => { foreach (var k in o.RetentionScore.ComponentWeights.Keys.ToList()) { o.RetentionScore.ComponentWeights[k] = 0; } }, "RetentionKit:Scoring:RetentionScore:ComponentWeights must not all be zero." },
        { "retention bands not rising", o => o.RetentionScore.HighFrom = 60, "RetentionKit:Scoring:RetentionScore: the bands overlap: LowFrom (40) < MediumFrom (60) < HighFrom (60) must hold." },
        { "sentiment bands crossed", o => { o.Sentiment.NegativeBelow = 0.6; o.Sentiment.PositiveAbove = 0.4; }, "RetentionKit:Scoring:Sentiment:NegativeBelow (0.6) must not exceed Sentiment:PositiveAbove (0.4)." },
        { "unknown calibration feature", o => { o.Calibration.Enabled = true; o.Calibration.Coefficients["bogus"] = 1; }, "RetentionKit:Scoring:Calibration:Coefficients:bogus names no model term;" },
        { "unknown calibration mean", o => { o.Calibration.Enabled = true; o.Calibration.Means["feature.tenure"] = 1; }, "RetentionKit:Scoring:Calibration:Means:feature.tenure names no model term;" },
        { "every component removed without a model", o => o.UseBuiltInComponents = false, "RetentionKit:Scoring:RetentionScore: at least one component must be in use, unless model features or a model" },
        { "unknown disabled component", o => o.RetentionScore.DisabledComponents.Add("Loyalty"), "RetentionKit:Scoring:RetentionScore:DisabledComponents:0 is 'Loyalty', which is not a built-in component" },
        { "built-in signals off, built-in red flags on", o => o.UseBuiltInSignals = false, "RetentionKit:Scoring:RedFlags:CompetitorTrialAndAlternativeSearch:When names the built-in signal 'CompetitorTrial', and UseBuiltInSignals is false: set UseBuiltInRedFlags to false as well." },
        { "feature without a reference level", o => o.Features["Contract"] = new() { Kind = ChurnFeatureKind.Categorical, Levels = ["Monthly", "Yearly"], ReferenceLevel = "Weekly", Description = "contract" }, "RetentionKit:Scoring:Features:Contract: referenceLevel 'Weekly' is not one of the levels (Monthly, Yearly)." },
        { "feature with a blank description", o => o.Features["tenure"] = new() { Minimum = 0, Maximum = 100 }, "RetentionKit:Scoring:Features:tenure: description" },
        { "infinite calibration coefficient", o => { o.Calibration.Enabled = true; o.Calibration.Coefficients["signal.LatePayment"] = double.PositiveInfinity; }, "RetentionKit:Scoring:Calibration:Coefficients:signal.LatePayment must be a finite number." },
        { "null section", o => o.History = null!, "RetentionKit:Scoring: the options must not hold null sections" },
        { "null feature", o => o.Features["tenure"] = null!, "RetentionKit:Scoring:Features:tenure must not be null." },
        { "yes/no feature named after a measure", o => o.Features["Nps"] = new() { Kind = ChurnFeatureKind.Boolean, Description = "promoter" }, "RetentionKit:Scoring:Features:Nps is boolean and has the name of a measure that already exists; only a numeric feature may read an existing measure." },
        { "65 red flags", o => { for (var i = o.RedFlags.Count; i < 65; i++) { o.RedFlags["Late" + i] = new RedFlagOptions { When = "LatePayment", Floor = 0.5 }; } }, "RetentionKit:Scoring:RedFlags: at most 64 red flags can be enabled; 65 are." },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void EachRule_IsReported_WithItsPathAndRule(string rule, Action<ScoringOptions> breakIt, string message)
    {
        var options = new ScoringOptions();
        breakIt(options);

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.True(error.Failures.Any(f => f.StartsWith(message, StringComparison.Ordinal)), $"{rule}: {string.Join(" | ", error.Failures)}");
    }

    [Fact]
    public void DisabledRedFlags_AreNotParsed_AndCalibrationCoefficientsAreCheckedOnlyWhenEnabled()
    {
        var options = new ScoringOptions();
        options.RedFlags["Off"] = new RedFlagOptions { Enabled = false, When = "not a condition", Floor = 0.5 };
        options.Calibration.Coefficients["bogus"] = 1;

        var engine = new ScoringEngine(options);

        Assert.DoesNotContain(engine.RedFlags, r => r.Name == "Off");
        Assert.False(engine.IsCalibrated);
    }

    [Fact]
    public void HostRegistrations_AreCheckedToo()
    {
        var options = new ScoringOptions();
        options.Signals["Twice"] = new SignalOptions { Weight = 1 };

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(
            options,
            [new KeyedSignal("Twice"), new KeyedSignal("Twice"), new KeyedSignal("Unweighted"), new KeyedSignal(null)],
            redFlags: [new FloorRule(1.5)]));

        Assert.Contains("RetentionKit:Scoring:Signals: two registered signals have the key 'Twice'.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Signals:Unweighted is missing: the registered signal KeyedSignal needs an entry with its weight.", StringComparison.Ordinal));
        Assert.Contains("RetentionKit:Scoring:Signals: a registered signal (KeyedSignal) has the default key.", error.Failures);
        Assert.Contains("RetentionKit:Scoring:RedFlags:Floor:Floor is 1.5 (a registered rule); a floor must be between 0 and 1.", error.Failures);
        Assert.Equal("signals", Assert.Throws<ArgumentException>(() => new ScoringEngine(new ScoringOptions(), [null!])).ParamName);
        Assert.Equal("redFlags", Assert.Throws<ArgumentException>(() => new ScoringEngine(new ScoringOptions(), redFlags: [null!])).ParamName);
        Assert.Equal("components", Assert.Throws<ArgumentException>(() => new ScoringEngine(new ScoringOptions(), components: [null!])).ParamName);
    }

    [Fact]
    public void More_than_64_signals_are_refused_because_a_row_holds_them_in_one_mask()
    {
        var options = new ScoringOptions();
        var custom = Enumerable.Range(0, 50).Select(i => new KeyedSignal("Custom" + i)).ToList();
        foreach (var signal in custom)
        {
            options.Signals[signal.Key.Name] = new SignalOptions { Weight = 1 };
        }

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options, custom));

        Assert.Contains("RetentionKit:Scoring:Signals: at most 64 signals can be enabled; 65 are.", error.Failures);
        options.Signals.Remove("Custom0");
        Assert.Equal(64, new ScoringEngine(options, custom.Skip(1)).Signals.Length);
    }

    [Fact]
    public void A_condition_rule_matches_exactly_when_the_engine_applies_it()
    {
        var engine = Snapshots.DefaultEngine;
        var rule = (ConditionRedFlagRule)engine.RedFlags.Single(r => r.Name == "LowNpsAndReducedUsage");
        var cases = new (CustomerSnapshot Snapshot, bool Expected)[]
        {
            (Snapshots.Healthy() with { Nps = 4, FeatureShare = 0.1 }, true),
            (Snapshots.Healthy() with { Nps = 5, FeatureShare = 0.1 }, false), // "Nps < 5" is strict
            (Snapshots.Healthy() with { Nps = 4, FeatureShare = 0.3 }, false), // ReducedUsage fires below 30 %
            (Snapshots.Healthy() with { Nps = null, FeatureShare = 0.1 }, false), // missing is not below
        };

        foreach (var (snapshot, expected) in cases)
        {
            var batch = engine.CreateBatch(1);
            batch.Write(0, snapshot);
            var result = new BatchScore[1];
            engine.ScoreBatch(batch, result);

            Assert.Equal(expected, rule.Matches(new RedFlagArguments(engine, new ScoringRow(batch, 0), result[0].ActiveSignals)));
            Assert.Equal(expected, engine.Score(snapshot).Risk.RedFlags.Any(f => f.Name == rule.Name));
        }

        Assert.Equal("ReducedUsage and Nps below 5", rule.Description);
    }

    private sealed class KeyedSignal(string? key) : IChurnSignal
    {
        public SignalKey Key { get; } = key is null ? default : new SignalKey(key);

        public SignalCategory Category => SignalCategory.Behavioural;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => SignalReading.Missing(0);

        public string Describe(ScoringRow row, SignalReading reading) => string.Empty;
    }

    private sealed class FloorRule(double floor) : IRedFlagRule
    {
        public string Name => "Floor";

        public double Floor => floor;

        public string Description => "a rule with a floor";

        public bool Matches(RedFlagArguments arguments) => true;
    }
}
