using System;
using System.Collections.Immutable;
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
        float Maybe(float value) => random.Next(10) == 0 ? ScoringBatch.Missing : value;
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
                batch.Column(measure.Key)[i] = ScoringBatch.Missing;
            }
        }

        // Every fifth row measures only two signals, so that low and medium levels (at most two active) occur.
        for (var i = 1; i < rows; i += 5)
        {
            foreach (var measure in Engine.Measures.Where(m => m.Key != Measures.FeatureShare && m.Key != Measures.Nps))
            {
                batch.Column(measure.Key)[i] = ScoringBatch.Missing;
            }
        }

        return batch;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(1_003)] // seven full chunks and a ragged one, whose tail is shorter than a vector
    [InlineData(4_099)] // columns on cache lines, further apart than the batch's rows
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
        // Warm up both calls measured below (JIT and statics): the part-batch path's first call may initialise what
        // the whole-batch path does not, and whether another test got there first depends on the order tests run in.
        Engine.ScoreBatch(batch, results);
        Engine.ScoreBatch(batch, 5_000, results.AsSpan(0, 5_000));

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
    public void The_columns_of_a_large_batch_are_kept_apart()
    {
        // From 1,024 rows a batch's columns start on cache lines, so they are further apart than its rows.
        var batch = Engine.CreateBatch(3_001);
        for (var c = 0; c < Engine.Measures.Length; c++)
        {
            batch.Column(Engine.Measures[c].Key).Fill(c);
        }

        for (var c = 0; c < Engine.Measures.Length; c++)
        {
            var column = batch.Column(Engine.Measures[c].Key);
            Assert.Equal(3_001, column.Length);
            Assert.True(column.IndexOfAnyExcept((float)c) < 0, $"column {c} was overwritten");
        }

        batch.Clear();
        Assert.All(Engine.Measures, m => Assert.True(batch.Column(m.Key).IndexOfAnyExcept(ScoringBatch.Missing) < 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4_095)]
    [InlineData(4_098)]
    public void A_value_out_of_range_in_any_row_of_a_large_batch_is_found(int row)
    {
        var batch = RandomBatch(4_099, seed: 6);
        var last = Engine.Measures[^1];
        batch.Column(last.Key)[row] = float.PositiveInfinity;

        var error = Assert.Throws<ArgumentException>(() => Engine.ScoreBatch(batch, new BatchScore[4_099]));

        Assert.StartsWith($"batch column {last.Key}, row {row}, is Infinity, which is not a finite number", error.Message, StringComparison.Ordinal);
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
    public void A_row_of_the_batch_reads_each_component_and_signal_as_the_explained_score_shows_them()
    {
        var snapshots = Enumerable.Range(0, 40).Select(i => Snapshots.Healthy($"c-{i}") with
        {
            Logins = i % 9,
            BaselineLogins = 8,
            FeatureShare = i % 7 == 0 ? null : i / 40d,
            Nps = i % 11,
        }).ToArray();
        var batch = Snapshots.BatchOf(Engine, snapshots);

        for (var i = 0; i < snapshots.Length; i++)
        {
            var explained = Engine.Score(snapshots[i]);
            for (var k = 0; k < Engine.Components.Length; k++)
            {
                var reading = Engine.Components[k].Read(batch.Row(i));
                Assert.Equal(explained.Retention.Components[k].Value, reading.IsMissing ? null : reading.Value);
            }

            for (var j = 0; j < Engine.Signals.Length; j++)
            {
                Assert.Equal(explained.Risk.Signals[j].State, Engine.Signals[j].Read(batch.Row(i)).State);
            }
        }

        Assert.Contains(snapshots.Select((_, i) => Engine.Components[0].Read(batch.Row(i)).Value), v => v != Engine.Components[0].Read(batch.Row(0)).Value);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => batch.Row(40)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => batch.Row(-1)).ParamName);
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

    // The batch path looks category shares up in tables built with the engine; a category of more than six signals
    // sums its weights row by row instead, and a category whose signals are not adjacent bits packs them first. Three
    // host signals in the behavioural category (eight in all) and one in the sentiment category (six, not adjacent)
    // take both roads; the risk score must still be the S1 formula computed directly from the signals' states.
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Large_and_scattered_categories_give_the_risk_score_of_the_formula(int seed)
    {
        var options = new ScoringOptions();
        var custom = new[]
        {
            new ThresholdSignal("HostA", SignalCategory.Behavioural),
            new ThresholdSignal("HostB", SignalCategory.Sentiment),
            new ThresholdSignal("HostC", SignalCategory.Behavioural),
            new ThresholdSignal("HostD", SignalCategory.Behavioural),
        };
        var random = new Random(seed);
        foreach (var signal in custom)
        {
            options.Signals[signal.Key.Name] = new SignalOptions { Weight = 1 + random.Next(20) };
        }

        options.Signals["LatePayment"].Weight = 0; // a zero weight is allowed and must count as measured weight 0
        var engine = new ScoringEngine(options, custom);
        var rows = 300;
        var batch = engine.CreateBatch(rows);
        var snapshots = new CustomerSnapshot[rows];
        for (var i = 0; i < rows; i++)
        {
            var snapshot = Snapshots.Healthy($"c-{i}");
            double? Maybe(double value) => random.Next(4) == 0 ? null : value;
            snapshot = snapshot with
            {
                Nps = Maybe(random.Next(0, 11)),
                DaysPaymentLate = Maybe(random.Next(0, 20)),
                FeatureShare = Maybe(random.NextDouble()),
                CompetitorVisits = Maybe(random.Next(0, 5)),
                AdditionalMeasures = custom.Where(_ => random.Next(4) != 0)
                    .ToImmutableDictionary(s => s.Measure, _ => random.NextDouble()),
            };
            snapshots[i] = snapshot;
            batch.Write(i, snapshot);
        }

        var results = new BatchScore[rows];
        engine.ScoreBatch(batch, results);

        for (var i = 0; i < rows; i++)
        {
            var explained = engine.Score(snapshots[i]).Risk;
            double sum = 0d;
            double total = 0d;
            foreach (var category in new[] { SignalCategory.Behavioural, SignalCategory.Sentiment, SignalCategory.Competitive })
            {
                double measured = 0d;
                double active = 0d;
                foreach (var signal in explained.Signals.Where(s => s.Category == category))
                {
                    var weight = options.Signals[signal.Key.Name].Weight;
                    measured += signal.State != SignalState.Missing ? weight : 0d;
                    active += signal.State == SignalState.Active ? weight : 0d;
                }

                var categoryWeight = category switch
                {
                    SignalCategory.Behavioural => options.CategoryWeights.Behavioural,
                    SignalCategory.Sentiment => options.CategoryWeights.Sentiment,
                    _ => options.CategoryWeights.Competitive,
                };
                if (measured > 0d)
                {
                    sum += categoryWeight * (active / measured);
                    total += categoryWeight;
                }
            }

            Assert.Equal(100d * sum / total, results[i].RiskScore, 1e-4); // summed in single precision by the kernel
            Assert.Equal(explained.Score, results[i].RiskScore);
            Assert.Equal(explained.Signals.Count(s => s.State == SignalState.Active), results[i].ActiveSignalCount);
        }
    }

    private sealed class ThresholdSignal(string name, SignalCategory category) : IChurnSignal
    {
        public MeasureKey Measure { get; } = new(name + "Measure");

        public SignalKey Key { get; } = new(name);

        public SignalCategory Category => category;

        public SignalAction Action => SignalAction.RetentionOffer;

        public System.Collections.Generic.IReadOnlyList<MeasureDefinition> AdditionalMeasures => [new(Measure, 0, 1, name)];

        public SignalReading Read(ScoringRow row) =>
            row.Get(Measure) is { } value ? new SignalReading(value >= 0.5 ? SignalState.Active : SignalState.Inactive, value, 0.5) : SignalReading.Missing(0.5);

        public string Describe(ScoringRow row, SignalReading reading) => name;
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
