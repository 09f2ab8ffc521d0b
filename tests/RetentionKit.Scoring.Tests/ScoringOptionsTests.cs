using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace RetentionKit.Scoring.Tests;

public class ScoringOptionsTests
{
    [Fact]
    public void Defaults_AreTheSpecificationsNumbers()
    {
        var options = new ScoringOptions();

        Assert.Equal((40d, 30d, 30d), (options.CategoryWeights.Behavioural, options.CategoryWeights.Sentiment, options.CategoryWeights.Competitive));
        Assert.Equal(15, options.Signals.Count);
        Assert.Equal((15d, 0.5, 14), (options.Signals["LowEmailEngagement"].Weight, options.Signals["LowEmailEngagement"].Threshold, options.Signals["LowEmailEngagement"].WindowDays));
        Assert.Equal((20d, 0.3, 30), (options.Signals["ReducedUsage"].Weight, options.Signals["ReducedUsage"].Threshold, options.Signals["ReducedUsage"].WindowDays));
        Assert.Equal((10d, 3d, 7), (options.Signals["CompetitorVisits"].Weight, options.Signals["CompetitorVisits"].Threshold, options.Signals["CompetitorVisits"].WindowDays));
        Assert.Equal((2, 3), (options.RiskLevels.MediumAtActiveSignals, options.RiskLevels.HighAtActiveSignals));
        Assert.Equal((0.90, 0.80, 0.75), (options.RedFlags["CompetitorTrialAndAlternativeSearch"].Floor, options.RedFlags["ContractReviewAndAlternativeSearch"].Floor, options.RedFlags["LowNpsAndReducedUsage"].Floor));
        Assert.Equal((0.3, 0.5), (options.Sentiment.NegativeBelow, options.Sentiment.PositiveAbove));
        Assert.Equal(new Dictionary<string, double> { ["Engagement"] = 40, ["Usage"] = 30, ["Satisfaction"] = 20, ["Value"] = 10 }, options.RetentionScore.ComponentWeights);
        Assert.Equal((40d, 60d, 80d), (options.RetentionScore.LowFrom, options.RetentionScore.MediumFrom, options.RetentionScore.HighFrom));
    }

    [Fact]
    public void Validation_ListsEveryProblemAtOnce()
    {
        var options = new ScoringOptions();
        options.Signals["ReducedUsage"].Weight = -1;
        options.Signals["LatePayment"].Weight = double.NaN;
        options.Signals["Unknown"] = new SignalOptions { Weight = 1 };
        options.RiskLevels.Low.Maximum = 0.5;
        options.RetentionScore.MediumFrom = 30;
        options.RedFlags["Bad"] = new RedFlagOptions { When = "CompetitorTrial & Nps < five", Floor = 0.5 };
        options.Sentiment.NegativeBelow = 0.6;

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Signals:ReducedUsage:Weight ", StringComparison.Ordinal) && f.Contains("Weight", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Signals:LatePayment", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:Signals:Unknown names no registered signal", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:RiskLevels:Low (0.05–0.5) overlaps RiskLevels:Medium (0.4–0.7)", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("RetentionKit:Scoring:RetentionScore: the bands overlap", StringComparison.Ordinal));
        Assert.Contains("RetentionKit:Scoring:RedFlags:Bad:When has the term 'Nps < five'; a measure condition reads 'Measure < number'.", error.Failures);
        Assert.Contains("RetentionKit:Scoring:Sentiment:NegativeBelow (0.6) must not exceed Sentiment:PositiveAbove (0.5).", error.Failures);
        Assert.Equal(7, error.Failures.Count());
    }

    [Fact]
    public void Validation_AllZeroWeights_Fail()
    {
        var options = new ScoringOptions();
        options.CategoryWeights.Behavioural = 0;
        options.CategoryWeights.Sentiment = 0;
        options.CategoryWeights.Competitive = 0;
        foreach (var key in options.RetentionScore.ComponentWeights.Keys)
        {
            options.RetentionScore.ComponentWeights[key] = 0;
        }

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains("RetentionKit:Scoring:CategoryWeights must not all be zero.", error.Failures);
        Assert.Contains("RetentionKit:Scoring:RetentionScore:ComponentWeights must not all be zero.", error.Failures);
    }

    [Fact]
    public void Validation_CategoryWithWeightButOnlyZeroWeightSignals_Fails()
    {
        var options = new ScoringOptions();
        foreach (var key in new[] { "CompetitorVisits", "AlternativeSearches", "CompetitorEvaluation", "CompetitorTrial", "ContractReview" })
        {
            options.Signals[key].Weight = 0;
        }

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains("RetentionKit:Scoring:CategoryWeights:Competitive is 30 but the weights of its enabled signals are all zero.", error.Failures);
    }

    [Fact]
    public void Validation_RedFlagOnADisabledSignal_Fails()
    {
        var options = new ScoringOptions();
        options.Signals["CompetitorTrial"].Enabled = false;

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains("RetentionKit:Scoring:RedFlags:CompetitorTrialAndAlternativeSearch:When names the signal 'CompetitorTrial', which is not registered or not enabled.", error.Failures);
    }

    [Fact]
    public void Validation_LevelCountsOutOfOrder_Fail()
    {
        var options = new ScoringOptions();
        options.RiskLevels.MediumAtActiveSignals = 3;

        var error = Assert.Throws<OptionsValidationException>(() => new ScoringEngine(options));

        Assert.Contains("RetentionKit:Scoring:RiskLevels:MediumAtActiveSignals (3) must be below RiskLevels:HighAtActiveSignals (3).", error.Failures);
    }
}
