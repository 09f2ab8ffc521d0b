using System.Collections.Generic;
using System.Linq;

namespace RetentionKit.Scoring.Tests;

/// <summary>A host's own component and red-flag rule read each row of a batch at its own place, from any first row, as the explained path does.</summary>
public sealed class HostRulesAtOffsetTests
{
    private static ScoringEngine Engine()
    {
        var options = new ScoringOptions();
        options.RetentionScore.ComponentWeights["Support"] = 0.2;
        return new ScoringEngine(options, components: [new SupportComponent()], redFlags: [new ManyTicketsRule()]);
    }

    [Fact]
    public void Rows_after_the_first_get_their_own_component_and_red_flag()
    {
        var engine = Engine();
        CustomerSnapshot[] snapshots =
        [
            Snapshots.Healthy("a") with { SupportTickets = 0, NegativeTickets = 0 },
            Snapshots.Healthy("b") with { SupportTickets = 9, NegativeTickets = 1 },
            Snapshots.Healthy("c") with { SupportTickets = null, NegativeTickets = null },
            Snapshots.Healthy("d") with { SupportTickets = 4, NegativeTickets = null },
            Snapshots.Healthy("e") with { SupportTickets = 2, NegativeTickets = 1 },
        ];
        var batch = Snapshots.BatchOf(engine, snapshots);
        var results = new BatchScore[4];

        engine.ScoreBatch(batch, 1, results);

        for (var i = 0; i < results.Length; i++)
        {
            var explained = engine.Score(snapshots[i + 1]);
            Assert.Equal(explained.Retention.ComputedValue!.Value, results[i].RetentionScore, 4);
            Assert.Equal(explained.Notes, results[i].Notes);
            Assert.Equal(explained.Risk.RedFlags.Any(r => r.Name == "ManyTickets"), results[i].RedFlags != 0 && explained.Risk.RedFlags.Length > 0);
            Assert.Equal(explained.Risk.ChurnProbability!.Value, results[i].ChurnProbability, 12);
        }

        Assert.Equal(["ManyTickets"], engine.Score(snapshots[1]).Risk.RedFlags.Select(r => r.Name).ToArray());
        Assert.Empty(engine.Score(snapshots[0]).Risk.RedFlags);
        Assert.True(engine.Score(snapshots[3]).Notes.HasFlag(ScoreNotes.ComponentInputsMissing), "one of the support component's two inputs is missing");
        Assert.False(engine.Score(snapshots[1]).Notes.HasFlag(ScoreNotes.ComponentInputsMissing));
        Assert.NotEqual(results[0].RetentionScore, results[3].RetentionScore);
    }

    /// <summary>Support health: 100 with no tickets, less 10 a ticket and 20 a negative one; missing without tickets.</summary>
    private sealed class SupportComponent : IRetentionScoreComponent
    {
        public ComponentKey Key { get; } = new("Support");

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public ComponentReading Read(ScoringRow row)
        {
            var tickets = row.Get(Measures.SupportTickets);
            var negative = row.Get(Measures.NegativeTickets);
            var measured = (tickets is null ? 0 : 1) + (negative is null ? 0 : 1);
            return measured == 0
                ? ComponentReading.Missing(2)
                : new ComponentReading(System.Math.Clamp(100 - (10 * (tickets ?? 0)) - (20 * (negative ?? 0)), 0, 100), measured, 2);
        }

        public string Describe(ScoringRow row, ComponentReading reading) => $"support health {reading.Value}";
    }

    /// <summary>Eight tickets or more in the period.</summary>
    private sealed class ManyTicketsRule : IRedFlagRule
    {
        public string Name => "ManyTickets";

        public double Floor => 0.75;

        public string Description => "eight or more support tickets";

        public bool Matches(RedFlagArguments arguments) => arguments.Row.Get(Measures.SupportTickets) >= 8;
    }
}
