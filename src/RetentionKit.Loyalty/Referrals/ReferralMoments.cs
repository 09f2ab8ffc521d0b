using System;
using System.Collections.Immutable;
using NodaTime;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>A good moment to ask a customer for a referral (L5).</summary>
public enum ReferralMoment
{
    /// <summary>The customer reached their first success with the product, recently.</summary>
    FirstSuccess = 0,

    /// <summary>The customer's realised ROI is positive.</summary>
    PositiveRoi = 1,

    /// <summary>The customer recently gave positive feedback (a promoter's NPS).</summary>
    PositiveFeedback = 2,

    /// <summary>The customer's one-year anniversary is now.</summary>
    Anniversary = 3,
}

/// <summary>What the host knows of a customer's milestones, for <see cref="ReferralMoments"/>.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="SignedUp">The sign-up date.</param>
/// <param name="FirstSuccess">When the customer first reached the outcome they bought the product for; null if not yet.</param>
/// <param name="RoiMultiple">The realised ROI as a multiple of what they paid (1.5 = 150 %); null when unknown.</param>
/// <param name="LatestNps">The latest NPS answer, 0–10; null when none.</param>
/// <param name="LatestNpsOn">When it was given.</param>
public sealed record CustomerMilestones(CustomerId Customer, LocalDate SignedUp, LocalDate? FirstSuccess = null, double? RoiMultiple = null, int? LatestNps = null, LocalDate? LatestNpsOn = null);

/// <summary>When the moments open, and for how long.</summary>
public sealed class ReferralMomentOptions
{
    /// <summary>Gets or sets how many days after an event (first success, feedback, anniversary) the moment stays open. Default 7.</summary>
    public int OpenForDays { get; set; } = 7;

    /// <summary>Gets or sets the ROI multiple from which ROI counts as positive. Default 1 (the customer got back what they paid).</summary>
    public double PositiveRoiFrom { get; set; } = 1d;

    /// <summary>Gets or sets the NPS answer from which feedback counts as positive. Default 9 (a promoter).</summary>
    public int PositiveNpsFrom { get; set; } = 9;
}

/// <summary>
/// Finds the moments to ask for a referral (L5): first success, positive ROI, positive feedback and the one-year
/// anniversary, for Playbooks to act on. Event moments stay open for <see cref="ReferralMomentOptions.OpenForDays"/>
/// days from the event (the event's day included); positive ROI is a state and stays open while it holds — a
/// playbook's cooldown decides how often to ask.
/// </summary>
public sealed class ReferralMoments
{
    private readonly int _openForDays;
    private readonly double _positiveRoiFrom;
    private readonly int _positiveNpsFrom;

    /// <summary>Initializes a new instance of the <see cref="ReferralMoments"/> class.</summary>
    /// <param name="options">The options; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A window is below 1 day, the ROI threshold is not finite, or the NPS threshold is outside 0–10.</exception>
    public ReferralMoments(ReferralMomentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OpenForDays, 1, "options.OpenForDays");
        if (!double.IsFinite(options.PositiveRoiFrom))
        {
            throw new ArgumentOutOfRangeException("options.PositiveRoiFrom", options.PositiveRoiFrom, "The ROI threshold must be a finite number.");
        }

        if (options.PositiveNpsFrom is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException("options.PositiveNpsFrom", options.PositiveNpsFrom, "The NPS threshold is an answer from 0 to 10.");
        }

        _openForDays = options.OpenForDays;
        _positiveRoiFrom = options.PositiveRoiFrom;
        _positiveNpsFrom = options.PositiveNpsFrom;
    }

    /// <summary>Gets the moments open for a customer on a day.</summary>
    /// <param name="milestones">The customer's milestones.</param>
    /// <param name="today">The day, in the customer's zone.</param>
    /// <returns>The open moments, in the enum's order; empty when none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="milestones"/> is null.</exception>
    /// <exception cref="ArgumentException">A milestone lies after <paramref name="today"/> or before the sign-up, or the NPS answer is outside 0–10.</exception>
    public ImmutableArray<ReferralMoment> Open(CustomerMilestones milestones, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        Check(milestones, today);
        var moments = ImmutableArray.CreateBuilder<ReferralMoment>();
        if (milestones.FirstSuccess is { } success && IsOpen(success, today))
        {
            moments.Add(ReferralMoment.FirstSuccess);
        }

        if (milestones.RoiMultiple >= _positiveRoiFrom)
        {
            moments.Add(ReferralMoment.PositiveRoi);
        }

        if (milestones.LatestNps >= _positiveNpsFrom && milestones.LatestNpsOn is { } answered && IsOpen(answered, today))
        {
            moments.Add(ReferralMoment.PositiveFeedback);
        }

        for (var years = 1; milestones.SignedUp.PlusYears(years) <= today; years++)
        {
            if (IsOpen(milestones.SignedUp.PlusYears(years), today))
            {
                moments.Add(ReferralMoment.Anniversary);
                break;
            }
        }

        return moments.ToImmutable();
    }

    private bool IsOpen(LocalDate eventDay, LocalDate today) =>
        eventDay <= today && Period.Between(eventDay, today, PeriodUnits.Days).Days < _openForDays;

    private static void Check(CustomerMilestones milestones, LocalDate today)
    {
        if (milestones.SignedUp > today || milestones.FirstSuccess > today || milestones.LatestNpsOn > today)
        {
            throw new ArgumentException($"Customer {milestones.Customer}'s milestones lie after {today:yyyy-MM-dd}; they must be in the past.", nameof(milestones));
        }

        if (milestones.FirstSuccess < milestones.SignedUp)
        {
            throw new ArgumentException($"Customer {milestones.Customer}'s first success ({milestones.FirstSuccess:yyyy-MM-dd}) is before the sign-up ({milestones.SignedUp:yyyy-MM-dd}).", nameof(milestones));
        }

        if (milestones.LatestNps is < 0 or > 10 || (milestones.LatestNps is null) != (milestones.LatestNpsOn is null) || (milestones.RoiMultiple is { } roi && !double.IsFinite(roi)))
        {
            throw new ArgumentException($"Customer {milestones.Customer}'s NPS answer must be 0–10 with its date (or neither), and the ROI a finite number.", nameof(milestones));
        }
    }
}
