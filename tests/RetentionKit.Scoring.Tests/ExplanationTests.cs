using System.Collections.Generic;
using System.Linq;

namespace RetentionKit.Scoring.Tests;

public sealed class ExplanationTests
{
    private sealed class CountingSignal : IChurnSignal
    {
        public int Described { get; private set; }

        public SignalKey Key { get; } = new("Counting");

        public SignalCategory Category => SignalCategory.Behavioural;

        public SignalAction Action => SignalAction.PersonalOutreach;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public SignalReading Read(ScoringRow row) => new(SignalState.Active, 1, 0);

        public string Describe(ScoringRow row, SignalReading reading)
        {
            Described++;
            return $"always active (NPS {row[Measures.Nps]})";
        }
    }

    [Fact]
    public void Reasons_are_rendered_when_first_read_and_then_kept()
    {
        var options = new ScoringOptions();
        options.Signals["Counting"] = new SignalOptions { Weight = 1 };
        var signal = new CountingSignal();
        var engine = new ScoringEngine(options, [signal]);

        var score = engine.Score(Snapshots.Healthy() with { Nps = 8 });
        var explanation = score.Risk.Signals.Single(s => s.Key == signal.Key);

        Assert.Equal(0, signal.Described);
        Assert.Equal("always active (NPS 8)", explanation.Reason);
        Assert.Same(explanation.Reason, explanation.Reason);
        Assert.Equal(1, signal.Described);
        Assert.Equal(SignalState.Active, explanation.State);
        Assert.Equal(explanation.Weight, explanation.Contribution);
    }

    [Fact]
    public void A_missing_component_explains_that_its_weight_was_shared()
    {
        var score = Snapshots.DefaultEngine.Score(Snapshots.Healthy() with { DaysPaymentLate = null, RoiMultiple = null });
        var value = score.Retention.Components.Single(c => c.Key.Name == "Value");

        Assert.Null(value.Value);
        Assert.Equal(0, value.Weight);
        Assert.Equal(0, value.Contribution);
        Assert.Equal("no data for any input; its weight is shared among the measured components", value.Reason);
    }
}
