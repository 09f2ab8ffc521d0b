using System;
using System.Linq;
using System.Runtime.Intrinsics;
using FsCheck.Xunit;
using RetentionKit.Scoring.Tests.Model;

namespace RetentionKit.Scoring.Tests.Kernel;

/// <summary>
/// The kernel runs 512-bit loops where the machine accelerates them (CI's does) and narrower ones elsewhere; both
/// must give the same bits. Each test scores the same rows both ways on engines of its own (the width is a setting
/// of an engine's kernel). On a machine without AVX-512 both ways are the narrow loops and the tests still hold;
/// CI also runs the whole Scoring suite with AVX-512 and then AVX2 switched off.
/// </summary>
public sealed class VectorWidthTests
{
    private static (BatchScore[] Wide, BatchScore[] Narrow) BothWays(Func<ScoringEngine> build, Func<ScoringEngine, ScoringBatch> fill, int rows)
    {
        var wide = build();
        var narrow = build();
        narrow.Kernel.Wide = false;
        Assert.Equal(Vector512.IsHardwareAccelerated, wide.Kernel.Wide);
        var wideResults = new BatchScore[rows];
        var narrowResults = new BatchScore[rows];
        wide.ScoreBatch(fill(wide), wideResults);
        narrow.ScoreBatch(fill(narrow), narrowResults);
        return (wideResults, narrowResults);
    }

    private static ScoringEngine Calibrated()
    {
        // A coefficient on every term, so that every part of the model's loop counts.
        var options = new ScoringOptions();
        options.Calibration.Enabled = true;
        options.Calibration.Intercept = -1.5;
        var terms = new ScoringEngine(new ScoringOptions()).ModelTerms;
        for (var k = 0; k < terms.Length; k++)
        {
            options.Calibration.Coefficients[terms[k]] = (((k * 5) % 9) - 4) * 0.3;
        }

        return new ScoringEngine(options);
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 40)]
    public bool The_rule_of_thumb_gives_the_same_bits_on_every_width(CustomerSnapshot[] snapshots)
    {
        var (wide, narrow) = BothWays(() => new ScoringEngine(new ScoringOptions()), e => Snapshots.BatchOf(e, snapshots), snapshots.Length);
        return wide.AsSpan().SequenceEqual(narrow);
    }

    [Property(Arbitrary = [typeof(ScoringArbitraries)], MaxTest = 40)]
    public bool A_calibrated_model_gives_the_same_bits_on_every_width(CustomerSnapshot[] snapshots)
    {
        var (wide, narrow) = BothWays(Calibrated, e => Snapshots.BatchOf(e, snapshots), snapshots.Length);
        return wide.AsSpan().SequenceEqual(narrow) && wide.All(s => (s.Notes & ScoreNotes.Calibrated) != 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(2_050)]
    public void Features_give_the_same_bits_on_every_width(int rows)
    {
        ScoringBatch Fill(ScoringEngine engine)
        {
            var random = new Random(rows);
            var batch = engine.CreateBatch(rows);
            var tenure = batch.Column(ChurnModelTests.Tenure.Measure.Key);
            var paperless = batch.Column(ChurnModelTests.Paperless.Measure.Key);
            var contract = batch.Column(ChurnModelTests.Contract.Measure.Key);
            for (var i = 0; i < rows; i++)
            {
                tenure[i] = random.Next(5) == 0 ? ScoringBatch.Missing : (float)(random.NextDouble() * 120);
                paperless[i] = random.Next(5) == 0 ? ScoringBatch.Missing : random.Next(2);
                contract[i] = random.Next(5) == 0 ? ScoringBatch.Missing : random.Next(3);
            }

            return batch;
        }

        var (wide, narrow) = BothWays(() => ChurnModelTests.FeaturesOnly(), Fill, rows);

        Assert.Equal(wide, narrow);
        Assert.True(rows < 30 || wide.Select(s => s.ChurnProbability).Distinct().Count() > 10, "the features should spread the probabilities");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4_095)]
    [InlineData(4_098)]
    public void A_bad_value_is_found_in_the_same_row_on_every_width(int row)
    {
        foreach (var wide in new[] { false, Vector512.IsHardwareAccelerated })
        {
            var engine = new ScoringEngine(new ScoringOptions());
            engine.Kernel.Wide = wide;
            var batch = engine.CreateBatch(4_099);
            batch.Column(Measures.Logins)[row] = -1;

            var error = Assert.Throws<ArgumentException>(() => engine.ScoreBatch(batch, new BatchScore[4_099]));

            Assert.StartsWith($"batch column Logins, row {row}, is -1; it must be between 0 and", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wide_loops_cannot_be_asked_for_where_the_machine_lacks_them()
    {
        var kernel = new ScoringEngine(new ScoringOptions()).Kernel;
        if (Vector512.IsHardwareAccelerated)
        {
            kernel.Wide = false;
            kernel.Wide = true;
            Assert.True(kernel.Wide);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => kernel.Wide = true);
            Assert.False(kernel.Wide);
        }
    }
}
