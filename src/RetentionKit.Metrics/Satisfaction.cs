using System;
using System.Collections.Generic;

namespace RetentionKit.Metrics;

/// <summary>Net Promoter Score and customer satisfaction (SPEC M12).</summary>
public static class Satisfaction
{
    /// <summary>
    /// Computes the Net Promoter Score: the percentage of promoters (9–10) minus the percentage of detractors (0–6), in
    /// points from −100 to +100. Passives (7–8) count in the total only.
    /// </summary>
    /// <param name="answers">Answers to "how likely are you to recommend us", each an integer 0–10.</param>
    /// <returns>The counts and the score; the score is null (undefined) when there are no answers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answers"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An answer is outside 0–10.</exception>
    public static NpsResult Nps(IEnumerable<int> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        int promoters = 0, passives = 0, detractors = 0;
        foreach (var answer in answers)
        {
            switch (answer)
            {
                case >= 9 and <= 10: promoters++; break;
                case >= 7 and <= 8: passives++; break;
                case >= 0 and <= 6: detractors++; break;
                default: throw new ArgumentOutOfRangeException(nameof(answers), answer, "answers must each be an integer from 0 to 10.");
            }
        }

        return new NpsResult(promoters, passives, detractors);
    }

    /// <summary>
    /// Computes CSAT: the share of answers at or above <paramref name="satisfiedFrom"/> on a 1–<paramref name="scaleMax"/>
    /// scale (by default 4 or 5 on a 1–5 scale).
    /// </summary>
    /// <param name="answers">Answers, each an integer from 1 to <paramref name="scaleMax"/>.</param>
    /// <param name="scaleMax">The top of the scale; at least 2.</param>
    /// <param name="satisfiedFrom">The lowest answer that counts as satisfied; between 1 and <paramref name="scaleMax"/>.</param>
    /// <returns>The counts and the score; the score is null (undefined) when there are no answers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answers"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An answer is outside the scale, or the scale or threshold is invalid.</exception>
    public static CsatResult Csat(IEnumerable<int> answers, int scaleMax = 5, int satisfiedFrom = 4)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (scaleMax < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(scaleMax), scaleMax, "scaleMax must be at least 2.");
        }

        if (satisfiedFrom < 1 || satisfiedFrom > scaleMax)
        {
            throw new ArgumentOutOfRangeException(nameof(satisfiedFrom), satisfiedFrom, $"satisfiedFrom must be between 1 and scaleMax ({scaleMax}).");
        }

        int satisfied = 0, total = 0;
        foreach (var answer in answers)
        {
            if (answer < 1 || answer > scaleMax)
            {
                throw new ArgumentOutOfRangeException(nameof(answers), answer, $"answers must each be an integer from 1 to {scaleMax}.");
            }

            total++;
            satisfied += answer >= satisfiedFrom ? 1 : 0;
        }

        return new CsatResult(satisfied, total);
    }
}

/// <summary>The answers behind a Net Promoter Score and the score itself.</summary>
/// <param name="Promoters">Answers of 9 or 10.</param>
/// <param name="Passives">Answers of 7 or 8.</param>
/// <param name="Detractors">Answers from 0 to 6.</param>
public sealed record NpsResult(int Promoters, int Passives, int Detractors)
{
    /// <summary>Gets the number of answers.</summary>
    public int Responses => Promoters + Passives + Detractors;

    /// <summary>Gets the score in points, −100 to +100; null (undefined) when there are no answers.</summary>
    public double? Score => Responses == 0 ? null : 100d * (Promoters - Detractors) / Responses;
}

/// <summary>The answers behind a CSAT score and the score itself.</summary>
/// <param name="Satisfied">Answers at or above the satisfied threshold.</param>
/// <param name="Responses">All answers.</param>
public sealed record CsatResult(int Satisfied, int Responses)
{
    /// <summary>Gets the share of satisfied answers; null (undefined) when there are no answers.</summary>
    public Rate? Score => Responses == 0 ? null : Rate.FromCounts(Satisfied, Responses);
}
