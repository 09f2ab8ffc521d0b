using System.Linq;
using RetentionKit.Scoring;

namespace RetentionKit.Playbooks.Tests;

/// <summary>The retention offer (B3, "churn probability above 70 %") follows the one probability the scoring engine gives.</summary>
public sealed class CalibratedTriggerTests
{
    [Fact]
    public void The_retention_offer_follows_the_model_and_not_the_rule_of_thumb_when_there_is_a_model()
    {
        // A low NPS with reduced usage is a red flag: the rule of thumb floors the probability at 75 %. A calibration
        // fitted on history where that customer churned 20 % of the time says 20 %.
        var snapshot = new CustomerSnapshot(PlaybookFixture.Ana, PlaybookFixture.Day0) { Nps = 3, FeatureShare = 0.1, Logins = 20, BaselineLogins = 20 };
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = System.Math.Log(0.2 / 0.8);
        var ruleOfThumb = new ScoringEngine(new ScoringOptions()).Score(snapshot);
        var calibrated = new ScoringEngine(options).Score(snapshot);
        var offer = BuiltInPlaybooks.All.Single(p => p.Id == BuiltInPlaybooks.RetentionOffer).Trigger;

        var firesOnRule = offer.Fires(PlaybookFixture.Customer() with { Score = ruleOfThumb }, PlaybookFixture.Day0) is not null;
        var firesOnModel = offer.Fires(PlaybookFixture.Customer() with { Score = calibrated }, PlaybookFixture.Day0) is not null;

        Assert.True(ruleOfThumb.Risk.ChurnProbability >= 0.75);
        Assert.Equal(0.2, calibrated.Risk.ChurnProbability!.Value, 12);
        Assert.True(firesOnRule);
        Assert.False(firesOnModel);
    }
}
