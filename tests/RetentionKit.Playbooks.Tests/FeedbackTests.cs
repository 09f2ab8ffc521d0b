using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 24 (SPEC B13): feedback collected as one record, analysed (sentiment, topics, priority), acted on (response, escalation, follow-up, resolution) and summed into improvements.</summary>
public sealed class FeedbackTests
{
    private static readonly LocalDate Day = new(2026, 3, 2);
    private static readonly FeedbackAnalyzer Analyzer = new(new FeedbackOptions());

    private static FeedbackRecord Record(string text, int? nps = null, double? satisfaction = null, string id = "f-1", string customer = "c-1", LocalDate? on = null) =>
        new(id, new CustomerId(customer), on ?? Day, FeedbackSource.Comment, text, nps, satisfaction);

    [Fact]
    public void A_record_needs_an_id_and_something_said()
    {
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => new FeedbackRecord(" ", new CustomerId("c"), Day, FeedbackSource.Nps, nps: 3)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => new FeedbackRecord("f", new CustomerId("c"), Day, FeedbackSource.Comment, "  "));
        Assert.StartsWith("Feedback f has no text, NPS answer or satisfaction rating; it must have at least one.", empty.Message, StringComparison.Ordinal);
        Assert.Equal("nps", Assert.Throws<ArgumentOutOfRangeException>(() => new FeedbackRecord("f", new CustomerId("c"), Day, FeedbackSource.Nps, nps: 11)).ParamName);
        Assert.Equal("satisfaction", Assert.Throws<ArgumentOutOfRangeException>(() => new FeedbackRecord("f", new CustomerId("c"), Day, FeedbackSource.EmailSurvey, satisfaction: double.NaN)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentOutOfRangeException>(() => new FeedbackRecord("f", new CustomerId("c"), Day, (FeedbackSource)9, "ok")).ParamName);
        Assert.Null(new FeedbackRecord("f", new CustomerId("c"), Day, FeedbackSource.InAppSurvey, " ", satisfaction: 8).Text);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 0.24)]
    [InlineData(7, 0.40)]
    [InlineData(8, 0.45)]
    [InlineData(9, 0.80)]
    [InlineData(10, 1.00)]
    public void NPS_answers_map_detractors_to_negative_and_promoters_to_positive(double score, double sentiment) =>
        Assert.Equal(sentiment, FeedbackAnalyzer.SentimentOfScore(score), 12);

    [Property(MaxTest = 300)]
    public Property The_sentiment_of_a_score_rises_with_it_and_stays_in_0_to_1() =>
        Prop.ForAll(Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (a, b) =>
        {
            var (low, high) = (Math.Min(a, b) / 100d, Math.Max(a, b) / 100d);
            var (s, t) = (FeedbackAnalyzer.SentimentOfScore(low), FeedbackAnalyzer.SentimentOfScore(high));
            return s <= t && s >= 0 && t <= 1;
        });

    [Theory]
    [InlineData("La aplicación es muy LENTA y además se cuelga cada día", "bugs,performance")]
    [InlineData("The invoice was wrong and the new pricing is too expensive", "pricing")]
    [InlineData("It crashes when I export; also the export screen is confusing", "usability,bugs")]
    [InlineData("Me gustaría una integración con Slack", "missing-feature")]
    [InlineData("A supportive team, great product", "")]
    [InlineData("No encuentro la documentación de la API", "documentation")]
    public void Topics_are_found_in_Spanish_and_English_whatever_the_case_and_accents(string text, string topics) =>
        Assert.Equal(topics.Length == 0 ? [] : topics.Split(','), Analyzer.Analyze(Record(text)).Topics.ToArray());

    [Fact]
    public void Negative_feedback_from_a_valuable_customer_at_risk_is_urgent_and_gets_all_four_actions()
    {
        // Text: "frustrating" is the lexicon's one word, 0.5 − 0.5 × 1 ÷ 2 = 0.25; NPS 3 maps to 0.12; the mean is 0.185.
        // Priority: 100 × (0.45 × (1 − 0.185) + 0.35 × 0.6 + 0.20 × 1) = 77.675: urgent.
        var item = Analyzer.Analyze(Record("Support never answers my tickets, very frustrating", nps: 3), churnProbability: 0.6, segment: ValueSegment.High);

        Assert.Equal(0.185, item.Sentiment!.Value, 12);
        Assert.Equal(SentimentBand.Negative, item.Band);
        Assert.Equal(["support"], item.Topics.ToArray());
        Assert.Equal(ImprovementArea.SupportOptimization, item.Area);
        Assert.Equal("support", item.Team);
        Assert.Equal(77.675, item.Urgency, 9);
        Assert.Equal(FeedbackPriority.Urgent, item.Level);
        Assert.Equal(
            [
                new FeedbackAction(FeedbackActionKind.ImmediateResponse, Day, TemplateIds.FeedbackResponse, null),
                new FeedbackAction(FeedbackActionKind.Escalation, Day, TemplateIds.FeedbackEscalation, "support"),
                new FeedbackAction(FeedbackActionKind.FollowUp, new LocalDate(2026, 3, 5), TemplateIds.FeedbackFollowUp, null),
                new FeedbackAction(FeedbackActionKind.Resolution, new LocalDate(2026, 3, 9), TemplateIds.FeedbackResolution, null),
            ],
            item.Actions.ToArray());
        Assert.True(item.IsOpen);
    }

    [Fact]
    public void Positive_feedback_gets_a_thank_you_and_nothing_else()
    {
        var item = Analyzer.Analyze(Record("Love it, support was great", nps: 10));

        Assert.Equal(SentimentBand.Positive, item.Band);
        Assert.Equal([new FeedbackAction(FeedbackActionKind.ImmediateResponse, Day, TemplateIds.FeedbackThanks, null)], item.Actions.ToArray());
    }

    [Fact]
    public void A_neutral_feature_request_is_routed_to_product_and_closed_with_an_answer()
    {
        // No lexicon word in the text; a satisfaction of 7.5 maps to 0.425: neutral.
        var item = Analyzer.Analyze(Record("It would be nice to have an integration with Slack", satisfaction: 7.5));

        Assert.Equal(SentimentBand.Neutral, item.Band);
        Assert.Equal(ImprovementArea.FeatureRequests, item.Area);
        Assert.Equal([FeedbackActionKind.ImmediateResponse, FeedbackActionKind.Escalation, FeedbackActionKind.Resolution], item.Actions.Select(a => a.Kind).ToArray());
        Assert.Equal("product", item.Actions[1].Team);
    }

    [Fact]
    public void Feedback_without_a_topic_goes_to_the_default_team_and_unread_text_counts_as_neutral()
    {
        var item = Analyzer.Analyze(Record("Hmm."), churnProbability: null, segment: null);

        Assert.Null(item.Sentiment);
        Assert.Null(item.Band);
        Assert.Null(item.Area);
        Assert.Equal("customer-success", item.Team);
        Assert.Equal(100 * ((0.45 * 0.5) + (0.20 * 0.2)), item.Urgency, 9); // unknown sentiment 0.5, unknown risk 0, unknown value as low
        Assert.Equal(FeedbackPriority.Normal, item.Level);
    }

    [Property(MaxTest = 300)]
    public Property Priority_rises_with_negativity_risk_and_value_and_stays_within_0_to_100()
    {
        var unit = Gen.Choose(0, 100).Select(i => i / 100d);
        var segment = Gen.Elements<ValueSegment?>(null, ValueSegment.Low, ValueSegment.Medium, ValueSegment.High);
        return Prop.ForAll(
            (from s1 in unit from s2 in unit from r1 in unit from r2 in unit from g1 in segment from g2 in segment select (s1, s2, r1, r2, g1, g2)).ToArbitrary(),
            input =>
            {
                var (s1, s2, r1, r2, g1, g2) = input;
                static int Rank(ValueSegment? s) => s is { } v ? (int)v : 0;
                var (sentHigh, sentLow) = (Math.Max(s1, s2), Math.Min(s1, s2));
                var (riskLow, riskHigh) = (Math.Min(r1, r2), Math.Max(r1, r2));
                var (segLow, segHigh) = Rank(g1) <= Rank(g2) ? (g1, g2) : (g2, g1);
                var low = Analyzer.Urgency(sentHigh, riskLow, segLow);
                var high = Analyzer.Urgency(sentLow, riskHigh, segHigh);
                return low <= high && low >= 0 && high <= 100
                    && Analyzer.Urgency(sentHigh, riskHigh, segLow) <= high && Analyzer.Urgency(sentLow, riskLow, segHigh) <= high;
            });
    }

    [Fact]
    public void Priority_halves_every_half_life()
    {
        var item = Analyzer.Analyze(Record("very frustrating", nps: 0), churnProbability: 1, segment: ValueSegment.High);

        Assert.Equal(item.Urgency, item.PriorityOn(Day), 12);
        Assert.Equal(item.Urgency / 2, item.PriorityOn(Day.PlusDays(14)), 12);
        Assert.Equal(item.Urgency / 4, item.PriorityOn(Day.PlusDays(28)), 12);
        Assert.Equal("asOf", Assert.Throws<ArgumentOutOfRangeException>(() => item.PriorityOn(Day.PlusDays(-1))).ParamName);
    }

    [Fact]
    public void Resolving_cancels_the_follow_up_closes_the_escalation_and_sends_the_resolution_that_day()
    {
        var item = Analyzer.Analyze(Record("The app is slow and broken", nps: 2)).Complete(FeedbackActionKind.ImmediateResponse, Day);

        var resolved = item.Resolve(Day.PlusDays(2), "We fixed the slow export.");

        Assert.False(resolved.IsOpen);
        Assert.Equal(Day.PlusDays(2), resolved.ResolvedOn);
        Assert.Equal(Day, resolved.Actions[0].DoneOn);
        Assert.Equal(Day.PlusDays(2), resolved.Actions[1].DoneOn);
        Assert.True(resolved.Actions[2].Cancelled);
        Assert.Equal(Day.PlusDays(2), resolved.Actions[3].Due);
        Assert.True(resolved.Actions[3].IsPending);
        Assert.Same(resolved, resolved.Resolve(Day.PlusDays(2), "We fixed the slow export."));
        Assert.Throws<InvalidOperationException>(() => resolved.Resolve(Day.PlusDays(3), "Again."));
        Assert.Equal("day", Assert.Throws<ArgumentOutOfRangeException>(() => item.Resolve(Day.PlusDays(-1), "x")).ParamName);
        Assert.Equal("resolution", Assert.Throws<ArgumentException>(() => item.Resolve(Day, " ")).ParamName);
        var cancelled = Assert.Throws<InvalidOperationException>(() => resolved.Complete(FeedbackActionKind.FollowUp, Day.PlusDays(3)));
        Assert.Equal("Feedback f-1's FollowUp action is already cancelled.", cancelled.Message);
    }

    [Fact]
    public void Completing_an_action_is_idempotent_on_its_day_and_refused_for_an_action_the_item_lacks()
    {
        var item = Analyzer.Analyze(Record("Love it", nps: 10));

        var done = item.Complete(FeedbackActionKind.ImmediateResponse, Day);

        Assert.Same(done, done.Complete(FeedbackActionKind.ImmediateResponse, Day));
        Assert.Equal("Feedback f-1's ImmediateResponse action is already done on 2026-03-02.", Assert.Throws<InvalidOperationException>(() => done.Complete(FeedbackActionKind.ImmediateResponse, Day.PlusDays(1))).Message);
        Assert.Equal("Feedback f-1 has no Escalation action.", Assert.Throws<InvalidOperationException>(() => item.Complete(FeedbackActionKind.Escalation, Day)).Message);
    }

    [Fact]
    public void Improvements_are_counted_by_area_and_segment_month_by_month()
    {
        var segments = new Dictionary<string, ValueSegment> { ["a"] = ValueSegment.High, ["b"] = ValueSegment.Low };
        var items = new[]
        {
            Analyzer.Analyze(Record("So slow, and the screen is confusing", nps: 2, id: "1", customer: "a", on: new LocalDate(2026, 1, 10))),
            Analyzer.Analyze(Record("Very slow today", nps: 4, id: "2", customer: "a", on: new LocalDate(2026, 3, 3))),
            Analyzer.Analyze(Record("Slow reports", satisfaction: 8, id: "3", customer: "a", on: new LocalDate(2026, 3, 20))),
            Analyzer.Analyze(Record("Loading time is slow", nps: 8, id: "4", customer: "b", on: new LocalDate(2026, 2, 1))),
            Analyzer.Analyze(Record("Nothing to add", nps: 9, id: "5", customer: "c", on: new LocalDate(2026, 2, 2))),
        };

        var demand = FeedbackImprovements.Summarise(items, new FeedbackOptions(), c => segments.TryGetValue(c.Value, out var s) ? s : null);

        Assert.Equal(3, demand.Length);
        Assert.Equal((ImprovementArea.PerformanceOptimization, (ValueSegment?)ValueSegment.High, 3, 2), (demand[0].Area, demand[0].Segment, demand[0].Count, demand[0].Negative));
        Assert.Equal([1, 0, 2], demand[0].ByMonth.ToArray());
        Assert.Equal(2, demand[0].Trend);
        Assert.True(demand[0].IsProduct);
        Assert.Equal((ImprovementArea.UxImprovements, (ValueSegment?)ValueSegment.High, 1), (demand[1].Area, demand[1].Segment, demand[1].Count));
        Assert.Equal((ImprovementArea.PerformanceOptimization, (ValueSegment?)ValueSegment.Low, 1, 0), (demand[2].Area, demand[2].Segment, demand[2].Count, demand[2].Negative));
        Assert.Equal([0, 1, 0], demand[2].ByMonth.ToArray());
        Assert.Empty(FeedbackImprovements.Summarise([], new FeedbackOptions(), _ => null));
    }

    [Fact]
    public void A_bad_taxonomy_or_formula_is_refused_listing_every_problem()
    {
        var options = new FeedbackOptions { HalfLifeDays = 0, RiskWeight = -1, FollowUpAfterDays = 9, HighFrom = 70 };
        options.Topics["pricing"].Team = " ";
        options.Topics["bugs"].Phrases = ["..."];

        var error = Assert.Throws<ArgumentException>(() => new FeedbackAnalyzer(options));

        Assert.Contains("Feedback:Topics:pricing:Team must name the team that owns the topic.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:Topics:bugs:Phrases must hold at least one phrase, each with at least one word.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:RiskWeight must be a finite number of at least 0 (was -1).", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:HalfLifeDays must be at least 1 (was 0).", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:NormalFrom (20), HighFrom (70) and UrgentFrom (60) must rise strictly within (0, 100].", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:FollowUpAfterDays (9) must not be negative, nor above ResolveWithinDays (7).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_configures_the_taxonomy_and_replaces_the_classifier_through_dependency_injection()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddPlaybooks(o =>
        {
            o.Disabled = BuiltInPlaybooks.All.Select(p => p.Id).ToHashSet();
            o.Feedback.Topics["pricing"].Team = "finance";
        }));
        using var provider = services.BuildServiceProvider();

        var item = provider.GetRequiredService<FeedbackAnalyzer>().Analyze(Record("Too expensive", nps: 2));

        Assert.Equal("finance", item.Team);
        Assert.IsType<InMemoryFeedbackStore>(provider.GetRequiredService<IFeedbackStore>());

        var replaced = new ServiceCollection();
        replaced.AddSingleton<ITopicClassifier>(new FixedClassifier("support"));
        replaced.AddRetentionKit(kit => kit.AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Select(p => p.Id).ToHashSet()));
        using var host = replaced.BuildServiceProvider();
        Assert.Equal("support", host.GetRequiredService<FeedbackAnalyzer>().Analyze(Record("Too expensive", nps: 2)).Team);

        var bad = new ServiceCollection();
        bad.AddRetentionKit(kit => kit.AddPlaybooks(o => o.Feedback.HalfLifeDays = 0));
        using var badHost = bad.BuildServiceProvider();
        Assert.Contains("RetentionKit:Playbooks:Feedback:HalfLifeDays must be at least 1 (was 0).", Assert.Throws<OptionsValidationException>(() => badHost.GetRequiredService<IOptions<PlaybookOptions>>().Value).Message, StringComparison.Ordinal);
    }

    private sealed class FixedClassifier(string topic) : ITopicClassifier
    {
        public IReadOnlyList<string> Classify(string text) => [topic];
    }
}
