using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using MathNet.Numerics.Distributions;

namespace RetentionKit.Playbooks.Experiments;

/// <summary>Successes out of trials: how many enrolments met their goal, say.</summary>
/// <param name="Successes">The successes, 0 to <paramref name="Trials"/>.</param>
/// <param name="Trials">The trials, 0 or more.</param>
public readonly record struct Proportion(int Successes, int Trials)
{
    /// <summary>Gets the observed rate; NaN without trials.</summary>
    public double Rate => Trials == 0 ? double.NaN : (double)Successes / Trials;

    /// <summary>
    /// The Wilson score interval (Wilson 1927): the rates whose score test does not reject the observed count. Unlike
    /// the Wald interval p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and keeps its coverage for small counts and rates
    /// near 0 or 1 (Newcombe 1998 compares seven methods; this is one of the two he recommends).
    /// </summary>
    /// <param name="level">The confidence level, in (0, 1); 0.9 by default.</param>
    /// <returns>The bounds; (0, 1) without trials.</returns>
    public (double Lower, double Upper) WilsonInterval(double level = 0.9)
    {
        Check();
        var z = Statistics.TwoSidedZ(level);
        if (Trials == 0)
        {
            return (0, 1);
        }

        var (n, p) = ((double)Trials, Rate);
        var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
        var half = z / (1 + (z * z / n)) * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n)));
        return (Successes == 0 ? 0 : Math.Max(0, centre - half), Successes == Trials ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>Checks the counts, naming the rule they break.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative trials, or successes outside [0, trials].</exception>
    public void Check()
    {
        if (Trials < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Trials), Trials, "Trials must not be negative.");
        }

        if (Successes < 0 || Successes > Trials)
        {
            throw new ArgumentOutOfRangeException(nameof(Successes), Successes, $"Successes must be between 0 and the trials ({Trials}).");
        }
    }
}

/// <summary>The difference of two success rates with its interval and p-value.</summary>
/// <param name="Difference">Treated rate minus control rate.</param>
/// <param name="Lower">The interval's lower bound.</param>
/// <param name="Upper">The interval's upper bound.</param>
/// <param name="PValue">The two-sided p-value of "no difference" (the pooled score test); 1 when an arm is empty.</param>
public readonly record struct Uplift(double Difference, double Lower, double Upper, double PValue);

/// <summary>The statistics of an experiment with a control group.</summary>
public static class Statistics
{
    /// <summary>
    /// The uplift of treated over control at a fixed horizon: the difference of rates with Newcombe's hybrid score
    /// interval (1998, method 10 — each arm's Wilson interval combined; good coverage where the Wald interval for a
    /// difference fails: small arms, rates near 0 or 1) and the pooled two-proportion z test's p-value.
    /// </summary>
    /// <param name="treated">The treated arm.</param>
    /// <param name="control">The control arm.</param>
    /// <param name="level">The confidence level, in (0, 1); 0.9 by default.</param>
    /// <returns>The uplift; NaN difference and a (−1, 1) interval when an arm is empty.</returns>
    public static Uplift Difference(Proportion treated, Proportion control, double level = 0.9)
    {
        treated.Check();
        control.Check();
        _ = TwoSidedZ(level);
        if (treated.Trials == 0 || control.Trials == 0)
        {
            return new Uplift(double.NaN, -1, 1, 1);
        }

        var (p1, p2) = (treated.Rate, control.Rate);
        var (l1, u1) = treated.WilsonInterval(level);
        var (l2, u2) = control.WilsonInterval(level);
        var d = p1 - p2;
        var lower = d - Math.Sqrt(((p1 - l1) * (p1 - l1)) + ((u2 - p2) * (u2 - p2)));
        var upper = d + Math.Sqrt(((u1 - p1) * (u1 - p1)) + ((p2 - l2) * (p2 - l2)));

        var pooled = (double)(treated.Successes + control.Successes) / (treated.Trials + control.Trials);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1d / treated.Trials) + (1d / control.Trials)));
        var p = se == 0 ? (d == 0 ? 1 : 0) : 2 * (1 - Normal.CDF(0, 1, Math.Abs(d) / se));
        return new Uplift(d, lower, upper, p);
    }

    /// <summary>
    /// Holm's step-down adjustment of several p-values (Holm 1979): the family-wise error stays at the level however
    /// many variants are compared with the control, and it rejects at least what Bonferroni rejects.
    /// </summary>
    /// <param name="pValues">The p-values, each in [0, 1].</param>
    /// <returns>The adjusted p-values, in the same order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A p-value is outside [0, 1].</exception>
    public static ImmutableArray<double> Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
            if (!(pValues[i] is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), pValues[i], $"p-value {i} must be between 0 and 1.");
            }
        }

        Array.Sort(order, (a, b) => pValues[a].CompareTo(pValues[b]) is var c and not 0 ? c : a.CompareTo(b));
        var adjusted = new double[m];
        var running = 0d;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = running;
        }

        return [.. adjusted];
    }

    /// <summary>
    /// The customers each arm needs for a fixed-horizon test to detect an uplift with a given power (two-sided,
    /// normal approximation with unpooled variances under the alternative): n_control = (z_(1−α/2) + z_power)² ·
    /// (p₁(1−p₁)/k + p₀(1−p₀)) / δ², n_treated = k · n_control, k the treated per control.
    /// </summary>
    /// <param name="baseline">The control's success rate p₀, in (0, 1).</param>
    /// <param name="uplift">The smallest uplift worth detecting δ (p₁ = p₀ + δ in (0, 1)); not 0.</param>
    /// <param name="alpha">The false-positive rate, in (0, 1); 0.05 by default.</param>
    /// <param name="power">The chance of detecting δ when it is there, in (0, 1); 0.8 by default.</param>
    /// <param name="treatedPerControl">How many treated customers per control (9 for a 10 % holdout); positive.</param>
    /// <returns>The treated and control customers needed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument outside its range.</exception>
    public static (int Treated, int Control) SampleSize(double baseline, double uplift, double alpha = 0.05, double power = 0.8, double treatedPerControl = 1)
    {
        RetentionKit.Internal.Guard.FiniteInRange(baseline, 0, 1);
        if (baseline is 0 or 1)
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline rate must be strictly between 0 and 1.");
        }

        var p1 = baseline + uplift;
        if (!double.IsFinite(uplift) || uplift == 0 || !(p1 > 0 && p1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(uplift), uplift, $"The uplift must not be 0 and must keep the treated rate strictly between 0 and 1 (baseline {baseline}).");
        }

        if (!(power > 0 && power < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "The power must be between 0 and 1 (0.8 is usual).");
        }

        if (!(treatedPerControl > 0) || !double.IsFinite(treatedPerControl))
        {
            throw new ArgumentOutOfRangeException(nameof(treatedPerControl), treatedPerControl, "The treated per control must be positive (9 for a 10 % holdout).");
        }

        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be between 0 and 1 (0.05 is usual).");
        }

        var z = TwoSidedZ(1 - alpha) + Normal.InvCDF(0, 1, power);
        var control = z * z * ((p1 * (1 - p1) / treatedPerControl) + (baseline * (1 - baseline))) / (uplift * uplift);
        return ((int)Math.Ceiling(control * treatedPerControl), (int)Math.Ceiling(control));
    }

    /// <summary>
    /// An always-valid confidence sequence for the uplift of a holdout experiment (Waudby-Smith, Arbour, Sinha,
    /// Kennedy &amp; Ramdas 2021, "Time-uniform central limit theory", asymptotic confidence sequences): with every
    /// customer treated with the known probability π = 1 − holdout share, each customer's inverse-probability-weighted
    /// outcome φ = T·Y/π − (1−T)·Y/(1−π) has mean uplift, and μ̂ ± √(2(tσ̂²ρ² + 1)/(t²ρ²) · ln(√(tσ̂²ρ² + 1)/α))
    /// covers it at every t at once with probability 1 − α. So the result may be read every day, and a playbook is
    /// called effective the first day the sequence excludes zero, without the false positives that re-running a
    /// fixed-horizon test after each look would bring. The price is a wider interval than the fixed-horizon one at
    /// the same size; ρ makes it tightest near <paramref name="plannedCustomers"/> (for φ of unit variance).
    /// </summary>
    /// <param name="treated">The treated arm so far.</param>
    /// <param name="control">The control arm so far.</param>
    /// <param name="holdoutShare">The share of eligible customers held out as controls, in (0, 1).</param>
    /// <param name="level">The confidence level 1 − α, in (0, 1); 0.9 by default.</param>
    /// <param name="plannedCustomers">The customers (both arms) near which the sequence should be tightest; 1,000 by default.</param>
    /// <returns>The uplift estimate and the sequence's bounds today; (−∞, ∞) bounds with no customers.</returns>
    public static Uplift AlwaysValid(Proportion treated, Proportion control, double holdoutShare, double level = 0.9, int plannedCustomers = 1_000)
    {
        treated.Check();
        control.Check();
        var alpha = 1 - level;
        _ = TwoSidedZ(level);
        if (!(holdoutShare > 0 && holdoutShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutShare), holdoutShare, "The holdout share must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(plannedCustomers, 1);
        var t = (double)(treated.Trials + control.Trials);
        if (t == 0)
        {
            return new Uplift(double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1);
        }

        var pi = 1 - holdoutShare;
        var mean = ((treated.Successes / pi) - (control.Successes / holdoutShare)) / t;
        var variance = Math.Max(0, (((treated.Successes / (pi * pi)) + (control.Successes / (holdoutShare * holdoutShare))) / t) - (mean * mean));
        var logAlpha = -2 * Math.Log(alpha);
        var rho2 = (logAlpha + Math.Log(logAlpha + 1)) / plannedCustomers;
        var scaled = (t * variance * rho2) + 1;
        var half = Math.Sqrt(2 * scaled / (t * t * rho2) * Math.Log(Math.Sqrt(scaled) / alpha));

        // The always-valid p-value: the smallest α whose sequence excludes 0 today (by bisection on α).
        var p = 1d;
        if (Math.Abs(mean) > 0)
        {
            double lo = 1e-12, hi = 1;
            for (var k = 0; k < 60; k++)
            {
                var mid = Math.Sqrt(lo * hi);
                var la = -2 * Math.Log(mid);
                var r2 = (la + Math.Log(la + 1)) / plannedCustomers;
                var sc = (t * variance * r2) + 1;
                var w = Math.Sqrt(2 * sc / (t * t * r2) * Math.Log(Math.Sqrt(sc) / mid));
                (lo, hi) = Math.Abs(mean) > w ? (lo, mid) : (mid, hi);
            }

            p = Math.Min(1, hi);
        }

        return new Uplift(mean, mean - half, mean + half, p);
    }

    /// <summary>
    /// CUPED (Deng, Xu, Kohavi &amp; Walker 2013): each outcome less θ times its pre-period covariate's deviation from the
    /// covariate's mean, θ = cov(Y, X)/var(X) over both arms together. The adjusted outcomes have the same mean
    /// difference between arms in expectation (the covariate predates the treatment) and less variance by a factor
    /// 1 − corr(Y, X)², so the same experiment gives a narrower interval. Pass the adjusted outcomes' means and variances
    /// to a comparison of means; a binary goal adjusted this way is no longer binary.
    /// </summary>
    /// <param name="outcomes">Each customer's outcome (1/0 for a goal met, or a number such as MRR).</param>
    /// <param name="covariates">Each customer's pre-period value of the same or a related measure; finite.</param>
    /// <returns>θ and the adjusted outcomes, in the same order.</returns>
    /// <exception cref="ArgumentException">The lists differ in length, hold fewer than two values or a value that is not finite.</exception>
    public static (double Theta, ImmutableArray<double> Adjusted) Cuped(IReadOnlyList<double> outcomes, IReadOnlyList<double> covariates)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(covariates);
        if (outcomes.Count != covariates.Count || outcomes.Count < 2)
        {
            throw new ArgumentException($"There are {outcomes.Count} outcomes and {covariates.Count} covariates; CUPED needs the same number, at least two.", nameof(covariates));
        }

        double meanY = 0, meanX = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (!double.IsFinite(outcomes[i]) || !double.IsFinite(covariates[i]))
            {
                throw new ArgumentException($"Customer {i}'s outcome or covariate is not a finite number.", double.IsFinite(outcomes[i]) ? nameof(covariates) : nameof(outcomes));
            }

            (meanY, meanX) = (meanY + outcomes[i], meanX + covariates[i]);
        }

        (meanY, meanX) = (meanY / outcomes.Count, meanX / outcomes.Count);
        double covariance = 0, variance = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            covariance += (outcomes[i] - meanY) * (covariates[i] - meanX);
            variance += (covariates[i] - meanX) * (covariates[i] - meanX);
        }

        var theta = variance == 0 ? 0 : covariance / variance; // a constant covariate explains nothing
        var adjusted = ImmutableArray.CreateBuilder<double>(outcomes.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            adjusted.Add(outcomes[i] - (theta * (covariates[i] - meanX)));
        }

        return (theta, adjusted.MoveToImmutable());
    }

    /// <summary>The two-sided normal quantile of a confidence level.</summary>
    internal static double TwoSidedZ(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be between 0 and 1 (0.9 for a 90 % interval).");
        }

        return Normal.InvCDF(0, 1, 0.5 + (level / 2));
    }
}
