using System;
using System.Linq;

namespace RetentionKit.Scoring.Tests;

// The batch path against itself: the vector loops (whole batches, across chunk boundaries and vector tails) against
// the scalar loops (a batch of one, as the explained path runs it); and its guarantees — no allocation, nothing
// written on bad input.
public sealed class ScoringBatchTests
{
    private static readonly ScoringEngine Engine = Snapshots.DefaultEngine;

    /// <summary>A seeded batch with every measure, ~10 % of values missing, and values straddling every threshold.</summary>
    private static ScoringBatch RandomBatch(int rows, int seed)
    {
        var random = new Random(seed);
        var batch = Engine.CreateBatch(rows);
        float Maybe(float value) => random.Next(10) == 0 ? float.NaN : value;
        var sent = batch.Column(Measures.EmailsSent);
        var opened = batch.Column(Measures.EmailsOpened);
        var tickets = batch.Column(Measures.SupportTickets);
        var negative = batch.Column(Measures.NegativeTickets);
        for (var i = 0; i < rows; i++)
        {
            sent[i] = random.Next(0, 20);
            opened[i] = Maybe((float)Math.Floor(sent[i] * random.NextDouble()));
            tickets[i] = random.Next(0, 7);
            negative[i] = Maybe(random.Next(0, (int)tickets[i] + 1));
            batch.Column(Measures.FeatureShare)[i] = Maybe((float)random.NextDouble());
            batch.Column(Measures.DaysPaymentLate)[i] = Maybe(random.Next(0, 40));
            batch.Column(Measures.Logins)[i] = Maybe(random.Next(0, 40));
            batch.Column(Measures.BaselineLogins)[i] = Maybe(random.Next(0, 40));
            batch.Column(Measures.Nps)[i] = Maybe(random.Next(0, 11));
            batch.Column(Measures.CommentSentiment)[i] = Maybe((float)random.NextDouble());
            batch.Column(Measures.NegativeSocialMentions)[i] = Maybe(random.Next(0, 3));
            batch.Column(Measures.SurveySatisfaction)[i] = Maybe(random.Next(0, 11));
            batch.Column(Measures.CompetitorVisits)[i] = Maybe(random.Next(0, 6));
            batch.Column(Measures.AlternativeSearches)[i] = Maybe(random.Next(0, 3));
            batch.Column(Measures.CompetitorEvaluations)[i] = Maybe(random.Next(0, 2));
            batch.Column(Measures.CompetitorTrials)[i] = Maybe(random.Next(0, 2));
            batch.Column(Measures.ContractReviews)[i] = Maybe(random.Next(0, 2));
            batch.Column(Measures.UsageOfLimit)[i] = Maybe((float)(random.NextDouble() * 1.5));
            batch.Column(Measures.RoiMultiple)[i] = Maybe((float)(random.NextDouble() * 5));
        }

        // A few rows with nothing at all, so that undefined scores cross the vector loops too.
        for (var i = 7; i < rows; i += 97)
        {
            foreach (var measure in Engine.Measures)
            {
                batch.Column(measure.Key)[i] = float.NaN;
            }
        }

        // Every fifth row measures only two signals, so that low and medium levels (at most two active) occur.
        for (var i = 1; i < rows; i += 5)
        {
            foreach (var measure in Engine.Measures.Where(m => m.Key != Measures.FeatureShare && m.Key != Measures.Nps))
            {
                batch.Column(measure.Key)[i] = float.NaN;
            }
        }

        return batch;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(1_003)] // seven full chunks and a ragged one, whose tail is shorter than a vector
    public void TheVectorLoops_GiveBitIdenticalResults_ToTheScalarLoops(int rows)
    {
        var batch = RandomBatch(rows, seed: rows);
        var whole = new BatchScore[rows];
        Engine.ScoreBatch(batch, whole);

        var one = new BatchScore[1];
        for (var i = 0; i < rows; i++)
        {
            Engine.ScoreBatch(batch, i, one);
            Assert.Equal(one[0], whole[i]);
        }

        if (rows >= 128)
        {
            Assert.Contains(whole, s => s.Level == RiskLevel.High);
            Assert.Contains(whole, s => s.Level is RiskLevel.Low or RiskLevel.Medium);
        }

        if (rows > 1_000)
        {
            Assert.Contains(whole, s => (s.Notes & ScoreNotes.RedFlagFloorApplied) != 0);
        }

        Assert.Equal(rows > 7, whole.Any(s => (s.Notes & ScoreNotes.RiskUndefined) != 0));
    }

    [Fact]
    public void ScoringABatch_AllocatesNothing()
    {
        var batch = RandomBatch(10_000, seed: 3);
        var results = new BatchScore[batch.Capacity];
        Engine.ScoreBatch(batch, results); // warm up: JIT and statics

        var before = GC.GetAllocatedBytesForCurrentThread();
        Engine.ScoreBatch(batch, results);
        Engine.ScoreBatch(batch, 5_000, results.AsSpan(0, 5_000));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_value_out_of_range_anywhere_in_the_batch_writes_nothing_and_names_the_row()
    {
        var batch = RandomBatch(600, seed: 4);
        batch.Column(Measures.FeatureShare)[517] = 1.5f;
        var results = new BatchScore[600];

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, results));

        Assert.Equal("batch", error.ParamName);
        Assert.Contains("FeatureShare, row 517, is 1.5", error.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(default, r));
    }

    [Fact]
    public void A_cross_measure_rule_broken_in_the_batch_writes_nothing()
    {
        var batch = RandomBatch(300, seed: 5);
        batch.Column(Measures.EmailsSent)[299] = 2;
        batch.Column(Measures.EmailsOpened)[299] = 3;
        var results = new BatchScore[300];

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, results));

        Assert.Contains("row 299: EmailsOpened (3) must not exceed EmailsSent (2)", error.Message, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Equal(default, r));
    }

    [Fact]
    public void Rows_outside_the_batch_or_another_engines_batch_are_rejected()
    {
        var batch = RandomBatch(10, seed: 6);

        Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[11]));
        Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, 5, new BatchScore[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.ScoreBatch(batch, -1, new BatchScore[1]));
        var options = new ScoringOptions();
        options.Signals["Extra"] = new SignalOptions { Weight = 1 };
        var other = new ScoringEngine(options, [new ExtraSignal()]);
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => other.ScoreBatch(batch, new BatchScore[1])).ParamName);
    }

    [Fact]
    public void Clear_makes_every_value_missing()
    {
        var batch = RandomBatch(20, seed: 7);
        batch.Clear();
        var results = new BatchScore[20];

        Engine.ScoreBatch(batch, results);

        Assert.All(results, r =>
        {
            Assert.Equal(RiskLevel.Unknown, r.Level);
            Assert.Equal(ScoreNotes.SignalInputsMissing | ScoreNotes.RiskUndefined | ScoreNotes.ComponentInputsMissing | ScoreNotes.RetentionUndefined, r.Notes);
            Assert.True(double.IsNaN(r.RiskScore) && double.IsNaN(r.ChurnProbability) && double.IsNaN(r.RetentionScore));
        });
    }

    private sealed class ExtraSignal : IChurnSignal
    {
        public SignalKey Key { get; } = new("Extra");

        public SignalCategory Category => SignalCategory.Competitive;

        public SignalAction Action => SignalAction.RetentionOffer;

        public System.Collections.Generic.IReadOnlyList<MeasureDefinition> AdditionalMeasures { get; } = [new(new MeasureKey("ExtraMeasure"), 0, 1, "extra")];

        public SignalReading Read(ScoringRow row) => SignalReading.Missing(0);

        public string Describe(ScoringRow row, SignalReading reading) => "extra";
    }
}
