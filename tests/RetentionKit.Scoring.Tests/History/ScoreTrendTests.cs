using System;
using System.Linq;
using NodaTime;

namespace RetentionKit.Scoring.Tests.History;

public sealed class ScoreTrendTests
{
    private static readonly CustomerId Customer = new("c-1");
    private static readonly LocalDate AsOf = new(2026, 3, 31);
    private static readonly ScoreHistoryOptions Options = new() { TrendWindowDays = 30, SharpDeclinePointsPerDay = 1, StaleAfterDays = 7 };

    private static ScoreRecord Record(int daysBefore, double? score, RetentionBand? band = null, int observedDaysBefore = -1) => new(
        Customer,
        AsOf.PlusDays(-daysBefore),
        AsOf.PlusDays(-(observedDaysBefore < 0 ? daysBefore : observedDaysBefore)),
        score,
        band ?? (score is { } s ? (s >= 80 ? RetentionBand.High : s >= 60 ? RetentionBand.Medium : s >= 40 ? RetentionBand.Low : RetentionBand.AtRisk) : null),
        10,
        RiskLevel.Low,
        0.1);

    [Fact]
    public void A_steady_decline_gives_its_slope_and_delta_and_a_sharp_decline_alert()
    {
        // Ten daily scores falling 2 points a day: 90, 88, …, 72.
        var records = Enumerable.Range(0, 10).Select(d => Record(9 - d, 90 - (2 * d)));

        var trend = ScoreTrend.Analyze(Customer, records, AsOf, Options);

        Assert.Equal(10, trend.Records);
        Assert.Equal(72, trend.Latest);
        Assert.Equal(-18, trend.Delta!.Value, 9);
        Assert.Equal(-2, trend.SlopePerDay!.Value, 9);
        Assert.Contains(trend.Alerts, a => a.Kind == ScoreAlertKind.SharpDecline && a.Message.Contains("2 points a day", StringComparison.Ordinal));
        Assert.DoesNotContain(trend.Alerts, a => a.Kind == ScoreAlertKind.BandDrop); // 80 → 78 fell a band, but only the last two records (74 → 72) count
    }

    [Theory]
    [InlineData(1.0, true)] // a slope of exactly −1 point a day alerts
    [InlineData(1.5, true)]
    [InlineData(0.99, false)]
    public void The_decline_alert_fires_from_the_configured_rate(double decline, bool alerts)
    {
        var records = Enumerable.Range(0, 5).Select(d => Record(4 - d, 70 - (decline * d), RetentionBand.Medium));

        var trend = ScoreTrend.Analyze(Customer, records, AsOf, Options);

        Assert.Equal(-decline, trend.SlopePerDay!.Value, 9);
        Assert.Equal(alerts, trend.Alerts.Any(a => a.Kind == ScoreAlertKind.SharpDecline));
    }

    [Fact]
    public void A_flat_history_has_no_alert()
    {
        var trend = ScoreTrend.Analyze(Customer, [Record(20, 75), Record(10, 75), Record(0, 75)], AsOf, Options);

        Assert.Equal(0, trend.SlopePerDay!.Value, 12);
        Assert.Equal(0, trend.Delta!.Value, 12);
        Assert.Empty(trend.Alerts);
        Assert.False(trend.IsStale);
    }

    [Fact]
    public void A_band_drop_between_the_last_two_records_alerts_and_a_rise_does_not()
    {
        var drop = ScoreTrend.Analyze(Customer, [Record(2, 61), Record(1, 59)], AsOf, Options);
        var rise = ScoreTrend.Analyze(Customer, [Record(2, 59), Record(1, 61)], AsOf, Options);

        var alert = Assert.Single(drop.Alerts, a => a.Kind == ScoreAlertKind.BandDrop);
        Assert.Contains("from Medium", alert.Message, StringComparison.Ordinal);
        Assert.Contains("to Low", alert.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rise.Alerts, a => a.Kind == ScoreAlertKind.BandDrop);
    }

    [Theory]
    [InlineData(7, false)] // exactly the limit is not stale
    [InlineData(8, true)]
    public void Scores_are_stale_when_the_newest_input_is_older_than_the_limit(int inputAgeDays, bool stale)
    {
        var trend = ScoreTrend.Analyze(Customer, [Record(0, 80, observedDaysBefore: inputAgeDays)], AsOf, Options);

        Assert.Equal(stale, trend.IsStale);
    }

    [Fact]
    public void No_record_means_no_score_and_stale()
    {
        var trend = ScoreTrend.Analyze(Customer, [], AsOf, Options);

        Assert.Equal(0, trend.Records);
        Assert.Null(trend.Latest);
        Assert.Null(trend.Delta);
        Assert.Null(trend.SlopePerDay);
        Assert.Equal("no score recorded", Assert.Single(trend.Alerts).Message);
    }

    [Fact]
    public void Only_the_window_counts_for_the_slope_and_later_records_are_ignored()
    {
        // 40 days ago (outside the 30-day window) a much higher score; tomorrow's record is ignored.
        var records = new[] { Record(40, 100), Record(20, 60), Record(10, 60), Record(-1, 0) };

        var trend = ScoreTrend.Analyze(Customer, records, AsOf, Options);

        Assert.Equal(2, trend.Records);
        Assert.Equal(60, trend.Latest);
        Assert.Equal(0, trend.SlopePerDay!.Value, 12);
        Assert.Equal(30, trend.WindowDays);
    }

    [Fact]
    public void Records_without_a_score_do_not_count_for_the_trend()
    {
        var trend = ScoreTrend.Analyze(Customer, [Record(3, 70), Record(2, null), Record(1, 70)], AsOf, Options);

        Assert.Equal(2, trend.Records);
        Assert.Equal(70, trend.Latest);
    }

    [Fact]
    public void A_record_of_another_customer_or_a_second_record_on_a_day_is_rejected()
    {
        var other = Record(1, 70) with { Customer = new CustomerId("c-2") };
        var foreign = Assert.Throws<ArgumentException>(() => ScoreTrend.Analyze(Customer, [other], AsOf, Options));
        var twice = Assert.Throws<ArgumentException>(() => ScoreTrend.Analyze(Customer, [Record(1, 70), Record(1, 71)], AsOf, Options));

        Assert.Equal("records", foreign.ParamName);
        Assert.Contains("c-2", foreign.Message, StringComparison.Ordinal);
        Assert.Equal("records", twice.ParamName);
        Assert.Contains("2026-03-30", twice.Message, StringComparison.Ordinal);
    }
}
