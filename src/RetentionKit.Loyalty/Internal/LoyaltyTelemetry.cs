using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Internal;

/// <summary>
/// The loyalty package's meter and spans (names in docs/hosting.md). Tags carry kinds and outcomes only — never a
/// customer id, a key or a reason text. Without an <see cref="IMeterFactory"/> the instruments are created on a meter of
/// the same name that nothing listens to unless a listener subscribes by name.
/// </summary>
internal sealed class LoyaltyTelemetry
{
    public const string Name = "RetentionKit.Loyalty";

    public static readonly ActivitySource Source = new(Name, typeof(LoyaltyTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly string[] Kinds = ["earn", "redeem", "expire", "reverse", "adjust"];
    private static readonly string[] Statuses = ["posted", "insufficient_points", "entry_not_found", "not_reversible", "exceeds_reversible"];
    private static readonly string[] Outcomes =
        ["attributed", "qualified", "reversed", "approved", "rejected", "held_for_review", "blocked", "code_not_found", "self_referral", "already_referred", "outside_window", "not_found", "not_applicable"];

    private readonly Counter<long> _postings;
    private readonly Counter<long> _points;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _attributed;
    private readonly Counter<long> _qualified;

    public LoyaltyTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _postings = meter.CreateCounter<long>("retentionkit.loyalty.postings", "{posting}", "Posting requests answered by the ledger, by kind and outcome (posted, duplicate, conflict, or the rejection).");
        _points = meter.CreateCounter<long>("retentionkit.loyalty.points", "{point}", "Points moved by postings written now, by kind.");
        _rejections = meter.CreateCounter<long>("retentionkit.loyalty.rejections", "{rejection}", "Postings and referrals refused, by reason.");
        _attributed = meter.CreateCounter<long>("retentionkit.loyalty.referrals.attributed", "{referral}", "Referrals attributed to a referrer now (flagged ones included).");
        _qualified = meter.CreateCounter<long>("retentionkit.loyalty.referrals.qualified", "{referral}", "Referrals that qualified now: both sides rewarded.");
    }

    /// <summary>Records one answered posting request.</summary>
    public void Posted(PostingKind kind, PostingResult result)
    {
        var k = Kinds[(int)kind];
        if (result.Replayed)
        {
            _postings.Add(1, new KeyValuePair<string, object?>("kind", k), new KeyValuePair<string, object?>("outcome", "duplicate"));
            return;
        }

        var status = Statuses[(int)result.Status];
        _postings.Add(1, new KeyValuePair<string, object?>("kind", k), new KeyValuePair<string, object?>("outcome", status));
        if (result.IsPosted)
        {
            _points.Add(System.Math.Abs(result.Entry?.Points ?? 0), new KeyValuePair<string, object?>("kind", k));
        }
        else
        {
            _rejections.Add(1, new KeyValuePair<string, object?>("reason", status));
        }
    }

    /// <summary>Records a request refused because its key was used for another request.</summary>
    public void Conflict(PostingKind kind) =>
        _postings.Add(1, new KeyValuePair<string, object?>("kind", Kinds[(int)kind]), new KeyValuePair<string, object?>("outcome", "conflict"));

    /// <summary>Records expiry entries written.</summary>
    public void Expired(IReadOnlyCollection<LedgerEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        long points = 0;
        foreach (var entry in entries)
        {
            points += System.Math.Abs(entry.Points);
        }

        _postings.Add(entries.Count, new KeyValuePair<string, object?>("kind", "expire"), new KeyValuePair<string, object?>("outcome", "posted"));
        _points.Add(points, new KeyValuePair<string, object?>("kind", "expire"));
    }

    /// <summary>Records a referral programme answer.</summary>
    public ReferralResult Referral(ReferralResult result)
    {
        switch (result.Outcome)
        {
            case ReferralOutcome.Attributed when result.Changed:
                _attributed.Add(1);
                break;
            case ReferralOutcome.Qualified when result.Changed:
                _qualified.Add(1);
                break;
            case ReferralOutcome.Blocked or ReferralOutcome.CodeNotFound or ReferralOutcome.SelfReferral or ReferralOutcome.OutsideWindow or ReferralOutcome.Rejected:
                _rejections.Add(1, new KeyValuePair<string, object?>("reason", Outcomes[(int)result.Outcome]));
                break;
        }

        return result;
    }
}
