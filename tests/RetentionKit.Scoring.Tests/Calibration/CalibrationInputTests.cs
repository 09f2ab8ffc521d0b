using System;
using System.Collections.Generic;
using System.Linq;
using NodaTime;
using RetentionKit.Scoring.Tests.Model;
using static RetentionKit.Scoring.Tests.Model.ChurnModelTests;

namespace RetentionKit.Scoring.Tests.Calibration;

/// <summary>What the fit, the backtest and the report accept and refuse, and that a fit's own report is the fitted engine's.</summary>
public sealed class CalibrationInputTests
{
    private static readonly CalibrationFitOptions FixedRidge = new() { Ridge = 1 };

    private static readonly ScoringEngine Features = new(
        new ScoringOptions { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false }.WithModelPlaceholder(),
        features: [Tenure, Paperless, Contract]);

    /// <summary>Customers of the default engine with varied usage, payments, feedback and tickets, so that signals, components and red flags all vary; churn follows a logistic of them.</summary>
    internal static List<LabelledSnapshot> Mixed(int count, int seed, LocalDate? day = null)
    {
        var random = new Random(seed);
        var examples = new List<LabelledSnapshot>(count);
        for (var i = 0; i < count; i++)
        {
            var nps = random.Next(0, 11);
            var share = Math.Round(random.NextDouble(), 2);
            var late = random.Next(4) == 0 ? 20 : 0;
            var tickets = random.Next(0, 6);
            var usage = Math.Round(random.NextDouble(), 2);
            var unpaid = random.Next(5) == 0; // no payment record: the value component is missing
            var snapshot = new CustomerSnapshot(new CustomerId("m" + i), day ?? Snapshots.Day)
            {
                EmailsSent = 10,
                EmailsOpened = random.Next(0, 11),
                FeatureShare = share,
                SupportTickets = tickets,
                NegativeTickets = random.Next(0, tickets + 1),
                DaysPaymentLate = unpaid ? null : late,
                Logins = random.Next(0, 30),
                BaselineLogins = 20,
                Nps = nps,
                CommentSentiment = Math.Round(random.NextDouble(), 2),
                SurveySatisfaction = random.Next(0, 11),
                UsageOfLimit = usage,
                RoiMultiple = unpaid ? null : random.Next(0, 5),
            };
            var z = -1.5 + (late > 0 ? 1.2 : 0) - (0.15 * (nps - 5)) - share + (unpaid ? 0.4 : -0.5 * usage);
            examples.Add(new LabelledSnapshot(snapshot, random.NextDouble() < 1 / (1 + Math.Exp(-z))));
        }

        return examples;
    }

    /// <summary>Telco-like customers, every fifth without a tenure and every seventh without a contract.</summary>
    private static List<LabelledSnapshot> WithGaps(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<LabelledSnapshot>(count);
        for (var i = 0; i < count; i++)
        {
            var tenure = random.Next(0, 73);
            var contract = random.Next(3);
            var snapshot = new CustomerSnapshot(new CustomerId("g" + i), Snapshots.Day).WithFeature(Paperless, random.Next(2) == 0);
            snapshot = i % 5 == 0 ? snapshot : snapshot.WithFeature(Tenure, tenure);
            snapshot = i % 7 == 0 ? snapshot : snapshot.WithFeature(Contract, Contract.Levels[contract]);
            var z = 0.3 - (0.03 * tenure) - (contract * 0.8) + (i % 5 == 0 ? 0.7 : 0);
            examples.Add(new LabelledSnapshot(snapshot, random.NextDouble() < 1 / (1 + Math.Exp(-z))));
        }

        return examples;
    }

    public static TheoryData<string> Cases => ["signals, components and red flags", "features with gaps"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fits_own_report_is_what_the_calibrated_engine_says_on_the_same_customers(string terms)
    {
        var (engine, examples) = terms == "features with gaps" ? (Features, WithGaps(1500, 5)) : (Snapshots.DefaultEngine, Mixed(1500, 4));
        var fit = ChurnCalibration.Fit(engine, examples, FixedRidge);

        var calibrated = engine.WithCalibration(fit);
        var probabilities = examples.Select(e => calibrated.Score(e.Snapshot).Risk.ChurnProbability!.Value).ToArray();
        var report = CalibrationReport.Evaluate(probabilities, [.. examples.Select(e => e.Churned)]);

        Assert.True(fit.Terms.Length >= 4, $"only {fit.Terms.Length} terms vary");
        Assert.Equal(fit.Training.LogLoss, report.LogLoss, 5);
        Assert.Equal(fit.Training.BrierScore, report.BrierScore, 5);
        Assert.Equal(fit.Training.Auc, report.Auc, 3);
        Assert.True(fit.Training.Auc > 0.6, $"AUC {fit.Training.Auc}");
    }

    [Fact]
    public void Every_term_of_the_default_engine_that_the_data_varies_is_fitted()
    {
        var fit = ChurnCalibration.Fit(Snapshots.DefaultEngine, Mixed(1500, 4), FixedRidge);

        var kinds = fit.Terms.Select(t => t.Term.Split('.')[0]).ToHashSet();
        Assert.Superset(new HashSet<string> { "signal", "component", "redflag" }, kinds);
        Assert.Contains(fit.Terms, t => t.Term.EndsWith(".missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_terms_mean_and_standard_deviation_are_those_of_the_examples()
    {
        // 30 of 200 paperless: mean 0.15, population standard deviation √(0.15 × 0.85).
        var examples = Enumerable.Range(0, 200).Select(i => new LabelledSnapshot(
            new CustomerSnapshot(new CustomerId("p" + i), Snapshots.Day).WithFeature(Paperless, i < 30),
            i % 3 == 0)).ToList();

        var term = ChurnCalibration.Fit(Plain(Paperless), examples, FixedRidge).Terms.Single();

        Assert.Equal("feature.paperless", term.Term);
        Assert.Equal(0.15, term.Mean, 12);
        Assert.Equal(Math.Sqrt(0.15 * 0.85), term.StandardDeviation, 12);
    }

    private static ScoringEngine Plain(params ChurnFeature[] features) =>
        new(new ScoringOptions { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false }.WithModelPlaceholder(), features: features);

    private static List<LabelledSnapshot> ByTenure(params (double Tenure, bool Churned)[] rows) =>
        [.. rows.Select((r, i) => new LabelledSnapshot(new CustomerSnapshot(new CustomerId("s" + i), Snapshots.Day).WithFeature(Tenure, r.Tenure), r.Churned))];

    public static TheoryData<double[], double[], bool> SeparationCases => new()
    {
        { [1, 2, 3], [3, 4, 5], true },    // churners at or below every stayer, the lowest only churners
        { [3, 4, 5], [1, 2, 3], true },    // at or above
        { [3, 3, 5], [1, 3, 3], true },    // ties at the cut, the top only churners
        { [3, 3], [1, 3], true },          // churners all at the top, which stayers share
        { [1, 1], [1, 3], true },          // churners all at the bottom, which stayers share
        { [3, 5], [3, 3], true },          // stayers all at the churners' bottom
        { [1, 3], [3, 3], true },          // stayers all at the churners' top
        { [2, 3, 4], [1, 3, 5], false },   // interleaved
        { [1, 5], [2, 3, 4], false },      // churners at both ends
        { [2, 3, 4], [1, 5, 3], false },   // stayers at both ends
    };

    [Theory]
    [MemberData(nameof(SeparationCases))]
    public void A_term_that_alone_classifies_one_outcome_is_reported_as_separating(double[] churners, double[] stayers, bool separates)
    {
        var examples = ByTenure([.. churners.Select(t => (t, true)).Concat(stayers.Select(t => (t, false)))]);

        var fit = ChurnCalibration.Fit(Plain(Tenure), examples, FixedRidge);

        Assert.Equal(separates ? ["feature.tenure"] : Array.Empty<string>(), fit.Separation.ToArray());
    }

    [Fact]
    public void A_yes_no_term_with_both_outcomes_on_both_sides_does_not_separate()
    {
        var examples = Enumerable.Range(0, 40).Select(i => new LabelledSnapshot(
            new CustomerSnapshot(new CustomerId("b" + i), Snapshots.Day).WithFeature(Paperless, i % 2 == 0), i % 3 < 2)).ToList();

        Assert.Empty(ChurnCalibration.Fit(Plain(Paperless), examples, FixedRidge).Separation);
    }

    [Fact]
    public void Without_a_penalty_a_separating_term_is_named_in_the_message()
    {
        var examples = ByTenure((1, true), (2, true), (3, false), (4, false), (2.5, true), (5, false));

        var error = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(Plain(Tenure), examples, new CalibrationFitOptions { Ridge = 0 }));

        Assert.StartsWith("The calibration cannot converge without a penalty: the outcomes are separated by feature.tenure (maximum-likelihood coefficients are infinite).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fit_may_use_every_iteration_it_is_allowed()
    {
        var examples = Mixed(600, 8);
        var free = ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, FixedRidge);

        var tight = ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { Ridge = 1, MaxIterations = free.Iterations });

        Assert.Equal(free.Iterations, tight.Iterations);
        Assert.Equal(free.Intercept, tight.Intercept);
        var error = Assert.Throws<InvalidOperationException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { Ridge = 1, MaxIterations = free.Iterations - 1 }));
        Assert.StartsWith($"The calibration did not converge in {free.Iterations - 1} iterations (gradient norm ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_names_every_null_argument()
    {
        var examples = Mixed(20, 1);
        Assert.Equal("engine", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(null!, examples, FixedRidge)).ParamName);
        Assert.Equal("examples", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, (IReadOnlyList<LabelledSnapshot>)null!, FixedRidge)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, null!)).ParamName);

        var batch = Snapshots.DefaultEngine.CreateBatch(4);
        bool[] churned = [true, false];
        Assert.Equal("engine", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(null!, batch, churned, FixedRidge)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, (ScoringBatch)null!, churned, FixedRidge)).ParamName);
        Assert.Equal("churned", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, batch, null!, FixedRidge)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, batch, churned, null!)).ParamName);
    }

    [Fact]
    public void A_batch_fit_takes_outcomes_for_every_row_but_not_more()
    {
        var examples = Mixed(300, 2);
        var batch = Snapshots.BatchOf(Snapshots.DefaultEngine, [.. examples.Select(e => e.Snapshot)]);
        var churned = examples.Select(e => e.Churned).ToList();

        var fromBatch = ChurnCalibration.Fit(Snapshots.DefaultEngine, batch, churned, FixedRidge);
        Assert.Equal(ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, FixedRidge).Intercept, fromBatch.Intercept, 9);

        var error = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, batch, [.. churned, true], FixedRidge));
        Assert.Equal("churned", error.ParamName);
        Assert.StartsWith("churned has 301 outcomes but the batch only 300 rows.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_or_one_sided_examples_are_refused_saying_which()
    {
        static string MessageOf(IReadOnlyList<LabelledSnapshot> examples) =>
            Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, FixedRidge)).Message;

        var examples = Mixed(10, 3);
        Assert.StartsWith("examples is empty.", MessageOf([]), StringComparison.Ordinal);
        Assert.StartsWith("examples must hold both outcomes; all 10 are stayers.", MessageOf([.. examples.Select(e => e with { Churned = false })]), StringComparison.Ordinal);
        Assert.StartsWith("examples must hold both outcomes; all 10 are churners.", MessageOf([.. examples.Select(e => e with { Churned = true })]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fit_needs_one_example_more_than_it_has_terms()
    {
        // Tenure and paperless both vary: two terms and the intercept, three parameters.
        var two = new List<LabelledSnapshot>
        {
            new(new CustomerSnapshot(new CustomerId("a"), Snapshots.Day).WithFeature(Tenure, 10).WithFeature(Paperless, true), true),
            new(new CustomerSnapshot(new CustomerId("b"), Snapshots.Day).WithFeature(Tenure, 20).WithFeature(Paperless, false), false),
        };
        var engine = Plain(Tenure, Paperless);

        var error = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(engine, two, FixedRidge));
        Assert.Equal("examples", error.ParamName);
        Assert.StartsWith("examples has 2 examples; fitting 3 parameters needs at least 3.", error.Message, StringComparison.Ordinal);

        var three = two.Append(new(new CustomerSnapshot(new CustomerId("c"), Snapshots.Day).WithFeature(Tenure, 30).WithFeature(Paperless, true), false)).ToList();
        Assert.Equal(2, ChurnCalibration.Fit(engine, three, FixedRidge).Terms.Length);
    }

    [Fact]
    public void Cross_validation_needs_as_many_of_the_rarer_outcome_as_folds()
    {
        static List<LabelledSnapshot> WithChurners(int churners, bool flip) =>
            [.. ChurnCalibrationFitTests.TelcoLike(60, 9).Select((e, i) => e with { Churned = (i < churners) != flip })];

        var few = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Features, WithChurners(4, flip: false), new CalibrationFitOptions()));
        Assert.StartsWith("examples has 4 churners, fewer than the 5 cross-validation folds; lower CalibrationFitOptions.Folds or fix the ridge.", few.Message, StringComparison.Ordinal);
        var fewStayers = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Features, WithChurners(4, flip: true), new CalibrationFitOptions()));
        Assert.StartsWith("examples has 4 stayers, fewer than", fewStayers.Message, StringComparison.Ordinal);

        Assert.Equal(6, ChurnCalibration.Fit(Features, WithChurners(5, flip: false), new CalibrationFitOptions()).CrossValidation.Length);
    }

    [Fact]
    public void Options_are_checked_before_any_work()
    {
        var examples = Mixed(20, 1);
        static string ParamOf(Action fit) => Assert.ThrowsAny<ArgumentException>(fit).ParamName!;

        Assert.Equal("MaxIterations", ParamOf(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { MaxIterations = 0 })));
        Assert.Equal("HorizonDays", ParamOf(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { HorizonDays = 0 })));
        Assert.Equal("Folds", ParamOf(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { Folds = 1 })));
        foreach (IReadOnlyList<double> candidates in new[] { Array.Empty<double>(), [1, -0.5], [1, double.NaN], [double.PositiveInfinity] })
        {
            var error = Assert.Throws<ArgumentException>(() => ChurnCalibration.Fit(Snapshots.DefaultEngine, examples, new CalibrationFitOptions { RidgeCandidates = candidates }));
            Assert.Equal("RidgeCandidates", error.ParamName);
            Assert.StartsWith("RidgeCandidates must hold at least one finite, non-negative strength.", error.Message, StringComparison.Ordinal);
        }

        Assert.NotEmpty(ChurnCalibration.Fit(Features, ChurnCalibrationFitTests.TelcoLike(200, 3), new CalibrationFitOptions { RidgeCandidates = [0, 1] }).CrossValidation);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ChurnCalibration.Fit(Features, ChurnCalibrationFitTests.TelcoLike(50, 3), new CalibrationFitOptions { Ridge = 1 }).ApplyTo(null!)).ParamName);
    }

    [Fact]
    public void The_backtest_trains_up_to_the_cutoff_less_the_horizon_and_tests_from_the_cutoff()
    {
        var cutoff = new LocalDate(2026, 6, 30);
        var options = new CalibrationFitOptions { HorizonDays = 90, Ridge = 1 };
        var train = Mixed(400, 11, cutoff.PlusDays(-90));
        var between = Mixed(50, 12, cutoff.PlusDays(-89)); // its horizon ends after the cut-off: neither side
        var test = Mixed(300, 13, cutoff);

        var backtest = ChurnBacktest.Run(Snapshots.DefaultEngine, [.. train, .. between, .. test], cutoff, options);

        Assert.Equal(400, backtest.TrainingExamples);
        Assert.Equal(300, backtest.Test.Examples);
        Assert.Equal(300, backtest.Baseline.Examples);
        Assert.Equal(test.Count(e => e.Churned), backtest.Test.Churned);
    }

    [Fact]
    public void The_backtest_refuses_a_side_without_examples_saying_how_many_each_has()
    {
        var cutoff = new LocalDate(2026, 6, 30);
        var options = new CalibrationFitOptions { HorizonDays = 90, Ridge = 1 };
        var train = Mixed(100, 11, cutoff.PlusDays(-90));

        var error = Assert.Throws<ArgumentException>(() => ChurnBacktest.Run(Snapshots.DefaultEngine, train, cutoff, options));

        Assert.Equal("examples", error.ParamName);
        Assert.StartsWith("examples has 100 snapshots dated on or before 2026-04-01 (training) and 0 on or after 2026-06-30 (test); both must have some.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backtest_refuses_a_test_customer_without_a_baseline_probability()
    {
        var cutoff = new LocalDate(2026, 6, 30);
        var options = new CalibrationFitOptions { HorizonDays = 90, Ridge = 1 };
        var unmeasured = new LabelledSnapshot(new CustomerSnapshot(new CustomerId("nothing"), cutoff), true);
        var examples = Mixed(200, 11, cutoff.PlusDays(-100)).Concat(Mixed(50, 12, cutoff)).Append(unmeasured).ToList();

        var error = Assert.Throws<ArgumentException>(() => ChurnBacktest.Run(Snapshots.DefaultEngine, examples, cutoff, options));

        Assert.StartsWith("examples holds a test snapshot whose rule-of-thumb probability is undefined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backtest_names_every_null_argument()
    {
        var cutoff = new LocalDate(2026, 6, 30);
        var examples = Mixed(10, 1);
        Assert.Equal("engine", Assert.Throws<ArgumentNullException>(() => ChurnBacktest.Run(null!, examples, cutoff, FixedRidge)).ParamName);
        Assert.Equal("examples", Assert.Throws<ArgumentNullException>(() => ChurnBacktest.Run(Snapshots.DefaultEngine, null!, cutoff, FixedRidge)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ChurnBacktest.Run(Snapshots.DefaultEngine, examples, cutoff, null!)).ParamName);
        var withNull = Assert.Throws<ArgumentNullException>(() => ChurnBacktest.Run(Snapshots.DefaultEngine, [.. examples, null!], cutoff, FixedRidge));
        Assert.Equal("examples", withNull.ParamName);
        Assert.StartsWith("examples must not contain null.", withNull.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_says_what_is_wrong_with_its_input()
    {
        Assert.StartsWith("predicted has 2 values and churned 1; they must match.", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2], [true])).Message, StringComparison.Ordinal);
        Assert.StartsWith("predicted[1] must be a probability between 0 and 1.", Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationReport.Evaluate([0.1, 1.2], [true, false])).Message, StringComparison.Ordinal);
        Assert.StartsWith("churned must hold both outcomes; all 2 examples are churners, so AUC is undefined.", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2], [true, true])).Message, StringComparison.Ordinal);
        Assert.StartsWith("churned must hold both outcomes; all 3 examples are stayers, so AUC is undefined.", Assert.Throws<ArgumentException>(() => CalibrationReport.Evaluate([0.1, 0.2, 0.3], [false, false, false])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certain_and_wrong_prediction_costs_a_large_but_finite_log_loss()
    {
        // Bounded at 1e-15 from each end: −ln(1e-15) ≈ 34.5 for each of the two wrong certainties.
        var report = CalibrationReport.Evaluate([1.0, 0.0, 0.5, 0.5], [false, true, true, false]);

        Assert.InRange(report.LogLoss, ((2 * 34.3) + (2 * Math.Log(2))) / 4, ((2 * 34.6) + (2 * Math.Log(2))) / 4);
    }
}
