using System;

namespace RetentionKit.Playbooks.Experiments;

/// <summary>How an observed success rate stands against the range a playbook is expected to reach.</summary>
public enum RangeVerdict
{
    /// <summary>The interval straddles a bound of the range (or there are no trials): the data cannot tell yet.</summary>
    NotEnoughData = 0,

    /// <summary>The whole interval lies below the range: the playbook does less than promised.</summary>
    Below = 1,

    /// <summary>The whole interval lies inside the range.</summary>
    Within = 2,

    /// <summary>The whole interval lies above the range.</summary>
    Above = 3,
}

/// <summary>An observed success rate, its interval and its verdict against the expected range.</summary>
/// <param name="Observed">The successes and trials.</param>
/// <param name="Lower">The Wilson interval's lower bound.</param>
/// <param name="Upper">The Wilson interval's upper bound.</param>
/// <param name="Verdict">Below, within, above the expected range, or not enough data to say.</param>
public sealed record RangeAssessment(Proportion Observed, double Lower, double Upper, RangeVerdict Verdict)
{
    /// <summary>
    /// Compares a success rate with an expected range (a playbook's <see cref="Playbook.ExpectedSuccess"/>, the source
    /// documents' numbers) by its Wilson interval: a verdict only when the whole interval is on one side of the range
    /// or inside it, so that a handful of enrolments is "not enough data", said explicitly, rather than a verdict.
    /// </summary>
    /// <param name="observed">The successes and trials.</param>
    /// <param name="expected">The expected range, low to high.</param>
    /// <param name="level">The interval's confidence level, in (0, 1); 0.9 by default.</param>
    /// <returns>The assessment.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The counts or the level break their rules, or the range is reversed.</exception>
    public static RangeAssessment Against(Proportion observed, (Rate Low, Rate High) expected, double level = 0.9)
    {
        if (expected.Low > expected.High)
        {
            throw new ArgumentOutOfRangeException(nameof(expected), $"The expected range runs from {expected.Low} to {expected.High}; its low end must not exceed its high end.");
        }

        var (lower, upper) = observed.WilsonInterval(level);
        var verdict = observed.Trials == 0 ? RangeVerdict.NotEnoughData
            : upper < expected.Low.Fraction ? RangeVerdict.Below
            : lower > expected.High.Fraction ? RangeVerdict.Above
            : lower >= expected.Low.Fraction && upper <= expected.High.Fraction ? RangeVerdict.Within
            : RangeVerdict.NotEnoughData;
        return new RangeAssessment(observed, lower, upper, verdict);
    }
}
