using System;
using System.Linq;
using NodaTime;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

public class ReferralMomentsTests
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly LocalDate Signup = new(2025, 3, 10);
    private static readonly ReferralMoments Moments = new(new ReferralMomentOptions());

    [Theory]
    [InlineData("2025-04-01", true)] // the day of the first success
    [InlineData("2025-04-07", true)] // the seventh day
    [InlineData("2025-04-08", false)] // closed
    public void FirstSuccess_OpenForSevenDays(string today, bool open)
    {
        var milestones = new CustomerMilestones(Ana, Signup, FirstSuccess: new LocalDate(2025, 4, 1));

        Assert.Equal(open, Moments.Open(milestones, LocalDate.FromDateTime(DateTime.Parse(today, System.Globalization.CultureInfo.InvariantCulture))).Contains(ReferralMoment.FirstSuccess));
    }

    [Fact]
    public void PositiveRoi_IsAState_AndFeedbackNeedsAPromoterRecently()
    {
        var today = new LocalDate(2025, 6, 1);

        Assert.Equal([ReferralMoment.PositiveRoi], Moments.Open(new CustomerMilestones(Ana, Signup, RoiMultiple: 1.0), today).ToArray());
        Assert.Empty(Moments.Open(new CustomerMilestones(Ana, Signup, RoiMultiple: 0.99), today));
        Assert.Equal([ReferralMoment.PositiveFeedback], Moments.Open(new CustomerMilestones(Ana, Signup, LatestNps: 9, LatestNpsOn: today.PlusDays(-6)), today).ToArray());
        Assert.Empty(Moments.Open(new CustomerMilestones(Ana, Signup, LatestNps: 8, LatestNpsOn: today), today));
        Assert.Empty(Moments.Open(new CustomerMilestones(Ana, Signup, LatestNps: 10, LatestNpsOn: today.PlusDays(-7)), today));
    }

    [Theory]
    [InlineData(2026, 3, 9, false)]
    [InlineData(2026, 3, 10, true)]
    [InlineData(2026, 3, 16, true)]
    [InlineData(2026, 3, 17, false)]
    [InlineData(2027, 3, 12, true)] // every anniversary, not only the first
    public void Anniversary_OpensOnEachYearOfTheSignup(int year, int month, int day, bool open) =>
        Assert.Equal(open, Moments.Open(new CustomerMilestones(Ana, Signup), new LocalDate(year, month, day)).Contains(ReferralMoment.Anniversary));

    [Fact]
    public void Anniversary_OfALeapDaySignup_IsTheTwentyEighth()
    {
        var leap = new CustomerMilestones(Ana, new LocalDate(2024, 2, 29));
        Assert.Contains(ReferralMoment.Anniversary, Moments.Open(leap, new LocalDate(2025, 2, 28)));
    }

    [Fact]
    public void AllAtOnce_InTheEnumsOrder()
    {
        var today = new LocalDate(2026, 3, 10);
        var all = new CustomerMilestones(Ana, Signup, FirstSuccess: today, RoiMultiple: 3, LatestNps: 10, LatestNpsOn: today);

        Assert.Equal([ReferralMoment.FirstSuccess, ReferralMoment.PositiveRoi, ReferralMoment.PositiveFeedback, ReferralMoment.Anniversary], Moments.Open(all, today).ToArray());
    }

    [Fact]
    public void Guards()
    {
        var today = new LocalDate(2025, 6, 1);
        Assert.Throws<ArgumentException>("milestones", () => Moments.Open(new CustomerMilestones(Ana, today.PlusDays(1)), today));
        Assert.Throws<ArgumentException>("milestones", () => Moments.Open(new CustomerMilestones(Ana, Signup, FirstSuccess: Signup.PlusDays(-1)), today));
        Assert.Throws<ArgumentException>("milestones", () => Moments.Open(new CustomerMilestones(Ana, Signup, LatestNps: 11, LatestNpsOn: today), today));
        Assert.Throws<ArgumentException>("milestones", () => Moments.Open(new CustomerMilestones(Ana, Signup, LatestNps: 9), today));
        Assert.Throws<ArgumentException>("milestones", () => Moments.Open(new CustomerMilestones(Ana, Signup, RoiMultiple: double.NaN), today));
        Assert.Throws<ArgumentNullException>("milestones", () => Moments.Open(null!, today));
        Assert.Throws<ArgumentOutOfRangeException>("options.OpenForDays", () => new ReferralMoments(new ReferralMomentOptions { OpenForDays = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options.PositiveNpsFrom", () => new ReferralMoments(new ReferralMomentOptions { PositiveNpsFrom = 11 }));
        Assert.Throws<ArgumentOutOfRangeException>("options.PositiveRoiFrom", () => new ReferralMoments(new ReferralMomentOptions { PositiveRoiFrom = double.PositiveInfinity }));
    }
}
