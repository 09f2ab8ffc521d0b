using System;
using System.Collections.Immutable;
using System.Linq;
using RetentionKit.Scoring;
using RetentionKit.Segmentation;

namespace RetentionKit.Playbooks;

/// <summary>
/// Analyses feedback (SPEC B13): its sentiment, topics and owning team, its priority, and the actions it calls for —
/// the immediate response, the escalation to the topic's team, the follow-up and the resolution message.
/// </summary>
/// <remarks>
/// <para>Sentiment is the mean of what the feedback holds: the text's sentiment from the analyser, and NPS answer or
/// satisfaction rating mapped to [0, 1] by <see cref="SentimentOfScore"/>.</para>
/// <para>Actions: negative feedback gets all four (response and escalation the same day, follow-up after
/// <see cref="FeedbackOptions.FollowUpAfterDays"/> unless resolved, resolution expected within
/// <see cref="FeedbackOptions.ResolveWithinDays"/>); neutral feedback the response, and, when it names a topic, the
/// escalation and the resolution message (a feature request is routed to product and closed with an answer); positive
/// feedback a thank-you.</para>
/// </remarks>
public sealed class FeedbackAnalyzer
{
    private readonly FeedbackOptions _options;
    private readonly ISentimentAnalyzer _sentiment;
    private readonly ITopicClassifier _topics;

    /// <summary>Initializes a new instance of the <see cref="FeedbackAnalyzer"/> class.</summary>
    /// <param name="options">The options; their rules are checked here.</param>
    /// <param name="sentimentAnalyzer">The text's sentiment; null for the built-in lexicon analyser (Spanish and English).</param>
    /// <param name="topicClassifier">The text's topics; null for the built-in phrase classifier over <see cref="FeedbackOptions.Topics"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options break a rule; the message lists every problem.</exception>
    public FeedbackAnalyzer(FeedbackOptions options, ISentimentAnalyzer? sentimentAnalyzer = null, ITopicClassifier? topicClassifier = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _sentiment = sentimentAnalyzer ?? SentimentAnalyzers.Lexicon;
        _topics = topicClassifier ?? new PhraseTopicClassifier(options);
    }

    /// <summary>Maps an NPS answer or a 0–10 rating to a sentiment: detractors (below 7) 0–0.28, passives (7 to 9) 0.4–0.5, promoters (9 and up) 0.8–1.</summary>
    /// <param name="score">The answer, 0–10.</param>
    /// <returns>The sentiment in [0, 1], rising with the score.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not a finite number in [0, 10].</exception>
    public static double SentimentOfScore(double score)
    {
        RetentionKit.Internal.Guard.FiniteInRange(score, 0d, 10d);
        return score < 7 ? 0.04 * score : score < 9 ? 0.4 + (0.05 * (score - 7)) : 0.8 + (0.2 * (score - 9));
    }

    /// <summary>Analyses one piece of feedback.</summary>
    /// <param name="feedback">The feedback.</param>
    /// <param name="churnProbability">The customer's churn probability, or null when unknown (counted as 0).</param>
    /// <param name="segment">The customer's value segment, or null when unknown (counted as low).</param>
    /// <returns>The item, open, with its actions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="feedback"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="churnProbability"/> is not in [0, 1].</exception>
    /// <exception cref="InvalidOperationException">The sentiment analyser returned a value outside [0, 1], or the topic classifier null.</exception>
    public FeedbackItem Analyze(FeedbackRecord feedback, double? churnProbability = null, ValueSegment? segment = null)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (churnProbability is { } p)
        {
            RetentionKit.Internal.Guard.FiniteInRange(p, 0d, 1d, nameof(churnProbability));
        }

        var sentiment = Sentiment(feedback);
        SentimentBand? band = sentiment is { } s
            ? s < _options.NegativeBelow ? SentimentBand.Negative : s > _options.PositiveAbove ? SentimentBand.Positive : SentimentBand.Neutral
            : null;
        var topics = feedback.Text is { } text
            ? (_topics.Classify(text) ?? throw new InvalidOperationException($"The topic classifier {_topics.GetType().Name} returned null."))
                .Distinct(StringComparer.Ordinal).ToImmutableArray()
            : [];
        var main = topics.IsEmpty ? null : _options.Topics.TryGetValue(topics[0], out var topic) ? topic : null;
        var team = main?.Team ?? _options.DefaultTeam;
        var urgency = Urgency(sentiment, churnProbability, segment);
        var level = urgency >= _options.UrgentFrom ? FeedbackPriority.Urgent
            : urgency >= _options.HighFrom ? FeedbackPriority.High
            : urgency >= _options.NormalFrom ? FeedbackPriority.Normal
            : FeedbackPriority.Low;
        return new FeedbackItem(feedback, sentiment, band, topics, main?.Area, team, urgency, _options.HalfLifeDays, level, Actions(feedback, band, topics, team));
    }

    /// <summary>The priority on arrival: the weighted negativity, risk and value, 0–100.</summary>
    internal double Urgency(double? sentiment, double? churnProbability, ValueSegment? segment)
    {
        var value = segment switch
        {
            ValueSegment.High => 1d,
            ValueSegment.Medium => 0.6,
            _ => 0.2,
        };
        var weights = _options.NegativityWeight + _options.RiskWeight + _options.ValueWeight;
        var sum = (_options.NegativityWeight * (1d - (sentiment ?? 0.5))) + (_options.RiskWeight * (churnProbability ?? 0d)) + (_options.ValueWeight * value);
        return Math.Clamp(100d * sum / weights, 0d, 100d); // rounding only: every part is in [0, 1]
    }

    private double? Sentiment(FeedbackRecord feedback)
    {
        var sum = 0d;
        var count = 0;
        if (feedback.Text is { } text && _sentiment.Analyze(text) is { } read)
        {
            if (!(read is >= 0d and <= 1d))
            {
                throw new InvalidOperationException($"The sentiment analyser {_sentiment.GetType().Name} returned {read}; a sentiment must be between 0 and 1.");
            }

            sum += read;
            count++;
        }

        foreach (var score in new[] { (double?)feedback.Nps, feedback.Satisfaction })
        {
            if (score is { } value)
            {
                sum += SentimentOfScore(value);
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }

    private ImmutableArray<FeedbackAction> Actions(FeedbackRecord feedback, SentimentBand? band, ImmutableArray<string> topics, string team)
    {
        var day = feedback.ReceivedOn;
        var resolveBy = day.PlusDays(_options.ResolveWithinDays);
        return band switch
        {
            SentimentBand.Negative =>
            [
                new(FeedbackActionKind.ImmediateResponse, day, TemplateIds.FeedbackResponse, null),
                new(FeedbackActionKind.Escalation, day, TemplateIds.FeedbackEscalation, team),
                new(FeedbackActionKind.FollowUp, day.PlusDays(_options.FollowUpAfterDays), TemplateIds.FeedbackFollowUp, null),
                new(FeedbackActionKind.Resolution, resolveBy, TemplateIds.FeedbackResolution, null),
            ],
            SentimentBand.Positive => [new(FeedbackActionKind.ImmediateResponse, day, TemplateIds.FeedbackThanks, null)],
            _ when !topics.IsEmpty =>
            [
                new(FeedbackActionKind.ImmediateResponse, day, TemplateIds.FeedbackResponse, null),
                new(FeedbackActionKind.Escalation, day, TemplateIds.FeedbackEscalation, team),
                new(FeedbackActionKind.Resolution, resolveBy, TemplateIds.FeedbackResolution, null),
            ],
            _ => [new(FeedbackActionKind.ImmediateResponse, day, TemplateIds.FeedbackThanks, null)],
        };
    }
}
