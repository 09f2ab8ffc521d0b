using System;
using System.Linq;
using RetentionKit.TestUtilities;

namespace RetentionKit.Scoring.Tests;

/// <summary>Regression (issue 19): hosts hard-coded "ReducedUsage"; the built-in names are public constants, each naming a built-in.</summary>
public class BuiltInNamesTests
{
    private static readonly ScoringOptions Defaults = new();

    [Fact]
    public void SignalNames_AreExactlyTheBuiltInSignals() =>
        Assert.Equal(Defaults.Signals.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(SignalNames)));

    [Fact]
    public void ComponentNames_AreExactlyTheBuiltInComponents() =>
        Assert.Equal(Defaults.RetentionScore.ComponentWeights.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(ComponentNames)));

    [Fact]
    public void RedFlagNames_AreExactlyTheBuiltInRedFlags() =>
        Assert.Equal(Defaults.RedFlags.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(RedFlagNames)));

    [Fact]
    public void MeasureNames_NameTheTypedMeasuresOneForOne()
    {
        var typed = typeof(Measures).GetProperties().Where(p => p.PropertyType == typeof(MeasureKey)).ToDictionary(p => p.Name, p => ((MeasureKey)p.GetValue(null)!).Name);
        var names = PublicConstants.Of(typeof(MeasureNames));

        Assert.Equal(typed.Count, names.Length);
        Assert.All(names, c => Assert.Equal(c.Value, typed[c.Name]));
        Assert.Equal(Measures.FeatureShare, new MeasureKey(MeasureNames.FeatureShare));
    }

    [Fact]
    public void SignalNames_ConfigureTheSignalTheyName()
    {
        var options = new ScoringOptions();
        options.Signals[SignalNames.ReducedUsage].Weight = 0;
        Assert.Equal(0, options.Signals["ReducedUsage"].Weight);
        Assert.Equal(new SignalKey("ReducedUsage"), new SignalKey(SignalNames.ReducedUsage));
    }
}
