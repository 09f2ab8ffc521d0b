using System;
using RetentionKit.Scoring;

namespace RetentionKit.Benchmarks;

/// <summary>Fills a batch with plausible, seeded measures: most customers healthy, some with signals, a few measures missing.</summary>
internal static class ScoringInputGenerator
{
    public static void Fill(ScoringBatch batch, int seed)
    {
        var random = new Random(seed);
        var n = batch.Capacity;
        var sent = batch.Column(Measures.EmailsSent);
        var opened = batch.Column(Measures.EmailsOpened);
        var features = batch.Column(Measures.FeatureShare);
        var tickets = batch.Column(Measures.SupportTickets);
        var late = batch.Column(Measures.DaysPaymentLate);
        var logins = batch.Column(Measures.Logins);
        var baseline = batch.Column(Measures.BaselineLogins);
        var nps = batch.Column(Measures.Nps);
        var sentiment = batch.Column(Measures.CommentSentiment);
        var social = batch.Column(Measures.NegativeSocialMentions);
        var survey = batch.Column(Measures.SurveySatisfaction);
        var negativeTickets = batch.Column(Measures.NegativeTickets);
        var visits = batch.Column(Measures.CompetitorVisits);
        var searches = batch.Column(Measures.AlternativeSearches);
        var evaluations = batch.Column(Measures.CompetitorEvaluations);
        var trials = batch.Column(Measures.CompetitorTrials);
        var reviews = batch.Column(Measures.ContractReviews);
        var usage = batch.Column(Measures.UsageOfLimit);
        var roi = batch.Column(Measures.RoiMultiple);
        for (var i = 0; i < n; i++)
        {
            sent[i] = random.Next(0, 20);
            opened[i] = (float)Math.Floor(sent[i] * random.NextDouble());
            features[i] = (float)random.NextDouble();
            tickets[i] = random.Next(0, 6);
            negativeTickets[i] = random.Next(0, (int)tickets[i] + 1);
            late[i] = random.Next(0, 10) < 8 ? 0 : random.Next(0, 40);
            baseline[i] = random.Next(0, 40);
            logins[i] = random.Next(0, 40);
            nps[i] = random.Next(0, 5) == 0 ? ScoringBatch.Missing : random.Next(0, 11);
            sentiment[i] = random.Next(0, 3) == 0 ? ScoringBatch.Missing : (float)random.NextDouble();
            social[i] = random.Next(0, 20) == 0 ? 1 : 0;
            survey[i] = random.Next(0, 3) == 0 ? ScoringBatch.Missing : random.Next(0, 11);
            visits[i] = random.Next(0, 5);
            searches[i] = random.Next(0, 10) == 0 ? 1 : 0;
            evaluations[i] = random.Next(0, 15) == 0 ? 1 : 0;
            trials[i] = random.Next(0, 30) == 0 ? 1 : 0;
            reviews[i] = random.Next(0, 12) == 0 ? 1 : 0;
            usage[i] = (float)(random.NextDouble() * 1.2);
            roi[i] = random.Next(0, 4) == 0 ? ScoringBatch.Missing : (float)(random.NextDouble() * 5);
        }
    }
}
