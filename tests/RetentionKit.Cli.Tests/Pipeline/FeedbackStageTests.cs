using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;
using RetentionKit.Simulation;
using SimulatedFeedback = RetentionKit.Simulation.FeedbackRecord;

namespace RetentionKit.Cli.Tests.Pipeline;

// Issue 24: the feedback loop in the tool — every row of the year analysed once, topics by segment, the inbox by
// priority, the late follow-ups, and scores by the tone of the latest feedback.
public sealed class FeedbackStageTests
{
    private static readonly FeedbackStage Stage = new(new FeedbackAnalyzer(new FeedbackOptions()), new FeedbackOptions());

    private static readonly Lazy<(DataSet Data, PipelineContext Context, FeedbackSummary Summary)> Simulated = new(() =>
    {
        var simulated = CustomerBaseSimulator.Run(new SimulationSettings(1200, 18, 31, SimulationSettings.Default.Start));
        var data = DataSet.From(simulated);
        var context = PipelineContext.For(data, simulated.Settings.End);
        return (data, context, Stage.Run(context, FrozenDictionary<CustomerId, BatchScore>.Empty, FrozenDictionary<CustomerId, ValueSegment>.Empty));
    });

    [Fact]
    public void Every_row_of_the_last_year_is_analysed_once_and_the_inbox_is_the_last_30_days_by_priority()
    {
        var (data, context, summary) = Simulated.Value;
        var asOf = context.AsOf;
        var year = data.Feedback.Where(f => f.Date > asOf.PlusDays(-FeedbackStage.WindowDays) && f.Date <= asOf).ToList();

        Assert.Equal(year.Count, summary.Items);
        Assert.Equal(year.Count(f => f.Date > asOf.PlusDays(-FeedbackStage.InboxDays)), summary.Inbox.Length);
        Assert.Equal(summary.Inbox.Length, summary.Inbox.Select(i => i.Feedback.Id).Distinct().Count());
        var priorities = summary.Inbox.Select(i => i.PriorityOn(asOf)).ToList();
        Assert.Equal(priorities.OrderByDescending(p => p), priorities);
        Assert.True(summary.Negative > 0 && summary.Negative < summary.Items);
    }

    [Fact]
    public void Responses_and_escalations_count_as_sent_so_only_follow_ups_and_resolutions_run_late()
    {
        var (_, context, summary) = Simulated.Value;
        var late = summary.Inbox.Where(i => !i.OverdueOn(context.AsOf).IsEmpty).ToList();

        Assert.Equal(late.Count, summary.Overdue);
        Assert.NotEmpty(late);
        Assert.All(summary.Inbox.SelectMany(i => i.OverdueOn(context.AsOf)), a => Assert.Contains(a.Kind, new[] { FeedbackActionKind.FollowUp, FeedbackActionKind.Resolution }));
        Assert.All(late, i => Assert.True(i.Feedback.ReceivedOn.PlusDays(3) < context.AsOf));
    }

    [Fact]
    public void Topics_count_every_item_that_raises_them()
    {
        var (_, _, summary) = Simulated.Value;

        var pricing = summary.Topics.Single(t => t.Segment is null && t.Topic == "pricing");

        Assert.True(pricing.Count > 0);
        Assert.True(pricing.Negative > pricing.Count / 2, $"{pricing.Negative} of {pricing.Count}"); // "Too expensive…" and "Demasiado caro…" are the negative comments
        Assert.Equal(summary.Improvements.Where(d => d.Area == ImprovementArea.ProcessOptimization).Sum(d => d.ByMonth.Sum()), summary.Improvements.Where(d => d.Area == ImprovementArea.ProcessOptimization).Sum(d => d.Count));
    }

    [Fact]
    public void A_hand_made_inbox_gives_the_documented_priority_team_and_tone_scores()
    {
        var asOf = new LocalDate(2026, 3, 31);
        var ana = new CustomerId("ana");
        var bea = new CustomerId("bea");
        var data = new DataSet([], [], [],
        [
            new SimulatedFeedback(ana, asOf.PlusDays(-2), 2, null, "Too expensive, and the invoice was wrong"),
            new SimulatedFeedback(ana, asOf.PlusDays(-2), null, 9, null),
            new SimulatedFeedback(bea, asOf.PlusDays(-40), 10, null, "Great product"),
            new SimulatedFeedback(bea, asOf.PlusDays(-400), 0, null, "Terrible"),
        ], []);

        var summary = Stage.Run(PipelineContext.For(data, asOf), FrozenDictionary<CustomerId, BatchScore>.Empty, new Dictionary<CustomerId, ValueSegment> { [ana] = ValueSegment.High }.ToFrozenDictionary());

        Assert.Equal(3, summary.Items); // the row of 400 days ago is outside the year
        Assert.Equal(["ana:2026-03-29:0", "ana:2026-03-29:1"], summary.Inbox.Select(i => i.Feedback.Id).Order(StringComparer.Ordinal).ToArray());
        var complaint = summary.Inbox.Single(i => i.Feedback.Id == "ana:2026-03-29:0");
        Assert.Equal("billing", complaint.Team);
        Assert.Equal(complaint, summary.Inbox[0]); // unhappier than the rating of 9 the same day
        // NPS 2 → 0.08, the text ("expensive", "wrong" is not in the lexicon) 0.25: sentiment 0.165; no churn probability; high value.
        Assert.Equal(100 * ((0.45 * (1 - 0.165)) + (0.20 * 1)) * Math.Pow(0.5, 2 / 14d), complaint.PriorityOn(asOf), 9);
        Assert.Equal(new TopicCount(ValueSegment.High, "pricing", 1, 1), summary.Topics.Single(t => t.Topic == "pricing"));
        Assert.Empty(summary.Tones); // nobody is scored today
    }
}
