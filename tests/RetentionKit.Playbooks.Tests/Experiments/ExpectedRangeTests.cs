using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RetentionKit.Playbooks.Experiments;

namespace RetentionKit.Playbooks.Tests.Experiments;

public sealed class ExpectedRangeTests
{
    // The retention offer is expected to keep 40–50 % of the customers it reaches.
    private static readonly (Rate Low, Rate High) Offer = (Rate.FromPercent(40), Rate.FromPercent(50));

    [Theory]
    [InlineData(3, 5, RangeVerdict.NotEnoughData)]     // 60 % of five: anything from ~27 % to ~86 %
    [InlineData(0, 0, RangeVerdict.NotEnoughData)]
    [InlineData(250, 1_000, RangeVerdict.Below)]       // 25 %, interval ~23–27 %
    [InlineData(450, 1_000, RangeVerdict.Within)]      // 45 %, interval ~42–48 %
    [InlineData(700, 1_000, RangeVerdict.Above)]       // 70 %, interval ~68–72 %
    [InlineData(400, 1_000, RangeVerdict.NotEnoughData)] // 40 % exactly: the interval straddles the low end
    public void AVerdict_OnlyWhenTheWholeIntervalIsOnOneSideOrInside(int successes, int trials, RangeVerdict verdict)
    {
        Assert.Equal(verdict, RangeAssessment.Against(new Proportion(successes, trials), Offer).Verdict);
    }

    [Property(MaxTest = 300)]
    public Property TheVerdict_AgreesWithTheInterval_AndMoreDataNeverUndoesIt() =>
        Prop.ForAll(Gen.Choose(1, 300).SelectMany(n => Gen.Choose(0, n).Select(s => new Proportion(s, n))).ToArbitrary(), p =>
        {
            var a = RangeAssessment.Against(p, Offer);
            var tenfold = RangeAssessment.Against(new Proportion(p.Successes * 10, p.Trials * 10), Offer);

            Assert.True(a.Lower <= p.Rate && p.Rate <= a.Upper);
            Assert.True(a.Verdict switch
            {
                RangeVerdict.Below => a.Upper < 0.4,
                RangeVerdict.Above => a.Lower > 0.5,
                RangeVerdict.Within => a.Lower >= 0.4 && a.Upper <= 0.5,
                _ => true,
            });

            // The same rate on ten times the trials narrows the interval: a verdict reached stays.
            Assert.True(a.Verdict == RangeVerdict.NotEnoughData || tenfold.Verdict == a.Verdict, $"{p}: {a.Verdict} then {tenfold.Verdict}");
        });

    [Fact]
    public void AReversedRange_IsRejected()
    {
        Assert.Equal("expected", Assert.Throws<ArgumentOutOfRangeException>(() => RangeAssessment.Against(new Proportion(1, 2), (Rate.FromPercent(50), Rate.FromPercent(40)))).ParamName);
    }
}
