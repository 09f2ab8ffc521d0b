using System.Collections.Generic;
using NodaTime;

namespace RetentionKit.Scoring.Tests;

/// <summary>Snapshots for tests: a healthy customer with every measure present and no signal active.</summary>
internal static class Snapshots
{
    public static readonly LocalDate Day = new(2026, 3, 31);

    public static readonly CustomerId Customer = new("c-1");

    public static CustomerSnapshot Healthy(string id = "c-1") => new(new CustomerId(id), Day)
    {
        EmailsSent = 10,
        EmailsOpened = 8,
        FeatureShare = 0.6,
        SupportTickets = 1,
        DaysPaymentLate = 0,
        Logins = 20,
        BaselineLogins = 20,
        Nps = 9,
        CommentSentiment = 0.8,
        NegativeSocialMentions = 0,
        SurveySatisfaction = 9,
        NegativeTickets = 0,
        CompetitorVisits = 0,
        AlternativeSearches = 0,
        CompetitorEvaluations = 0,
        CompetitorTrials = 0,
        ContractReviews = 0,
        UsageOfLimit = 0.8,
        RoiMultiple = 3,
    };

    /// <summary>The healthy snapshot's retention score: 0.4 × 92 + 0.3 × 100 + 0.2 × 88 + 0.1 × 100.</summary>
    public const double HealthyRetention = 94.4;

    public static ScoringEngine DefaultEngine { get; } = new(new ScoringOptions());

    /// <summary>A batch of an engine holding the snapshots, row i the i-th.</summary>
    public static ScoringBatch BatchOf(ScoringEngine engine, IReadOnlyList<CustomerSnapshot> snapshots)
    {
        var batch = engine.CreateBatch(snapshots.Count);
        for (var i = 0; i < snapshots.Count; i++)
        {
            batch.Write(i, snapshots[i]);
        }

        return batch;
    }
}
