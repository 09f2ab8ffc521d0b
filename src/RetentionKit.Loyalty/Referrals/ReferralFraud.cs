using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>What a fraud check concludes, from harmless to disqualifying.</summary>
public enum FraudVerdict
{
    /// <summary>Nothing found.</summary>
    Pass = 0,

    /// <summary>Suspicious: let a person look before rewards are released.</summary>
    Flag = 1,

    /// <summary>Disqualifying: the referral is not rewarded.</summary>
    Block = 2,
}

/// <summary>
/// What the host knows of a referral's two sides for the fraud checks. Pass identifiers already hashed (the library
/// never needs the e-mail address or card number itself); null where unknown.
/// </summary>
/// <param name="Referrer">The referring customer.</param>
/// <param name="Referred">The referred customer.</param>
/// <param name="ReferrerEmailHash">A hash of the referrer's normalised e-mail address.</param>
/// <param name="ReferredEmailHash">A hash of the referred customer's normalised e-mail address.</param>
/// <param name="ReferrerDevice">The referrer's device fingerprint.</param>
/// <param name="ReferredDevice">The referred customer's device fingerprint.</param>
/// <param name="ReferrerPayment">The referrer's payment-method fingerprint.</param>
/// <param name="ReferredPayment">The referred customer's payment-method fingerprint.</param>
public sealed record ReferralSignals(
    CustomerId Referrer,
    CustomerId Referred,
    string? ReferrerEmailHash = null,
    string? ReferredEmailHash = null,
    string? ReferrerDevice = null,
    string? ReferredDevice = null,
    string? ReferrerPayment = null,
    string? ReferredPayment = null);

/// <summary>One check's conclusion.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="Verdict">Its verdict.</param>
/// <param name="Reason">Why, in words; empty for a pass.</param>
public sealed record FraudFinding(string Check, FraudVerdict Verdict, string Reason);

/// <summary>The pipeline's conclusion: the worst verdict and every check's finding.</summary>
/// <param name="Verdict">The worst verdict of any check.</param>
/// <param name="Findings">Every finding that is not a pass, in the checks' order.</param>
public sealed record FraudAssessment(FraudVerdict Verdict, ImmutableArray<FraudFinding> Findings);

/// <summary>A fraud check on a referral (L5). Implement it for a rule of your own and register it with <c>AddReferralFraudCheck&lt;T&gt;()</c>.</summary>
public interface IReferralFraudCheck
{
    /// <summary>Gets the check's name, unique in the pipeline.</summary>
    string Name { get; }

    /// <summary>Checks a referral.</summary>
    /// <param name="signals">What the host knows of both sides.</param>
    /// <returns>The finding; <see cref="FraudVerdict.Pass"/> when nothing is wrong.</returns>
    FraudFinding Check(ReferralSignals signals);
}

/// <summary>
/// Runs fraud checks in order and keeps the worst verdict (L5). Built in: self-referral (same customer, same e-mail
/// hash or same payment method → block) and a shared device (→ flag, since households and offices share devices).
/// </summary>
public sealed class ReferralFraudPipeline
{
    /// <summary>Initializes a new instance of the <see cref="ReferralFraudPipeline"/> class.</summary>
    /// <param name="checks">The checks, run in this order: the built-ins (<see cref="BuiltIn"/>) and any of the host's own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="checks"/> is null.</exception>
    /// <exception cref="ArgumentException">A check is null, or two share a name.</exception>
    public ReferralFraudPipeline(IEnumerable<IReferralFraudCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        Checks = [.. checks];
        if (Checks.Any(c => c is null) || Checks.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != Checks.Length)
        {
            throw new ArgumentException("Every check must be non-null with a unique name.", nameof(checks));
        }
    }

    /// <summary>Gets the built-in checks.</summary>
    public static ImmutableArray<IReferralFraudCheck> BuiltIn { get; } =
    [
        new SignalMatch("self-referral", FraudVerdict.Block, s => s.Referrer == s.Referred ? "the referrer referred themselves" : null),
        new SignalMatch("same-email", FraudVerdict.Block, s => Same(s.ReferrerEmailHash, s.ReferredEmailHash) ? "both sides have the same e-mail address" : null),
        new SignalMatch("same-payment", FraudVerdict.Block, s => Same(s.ReferrerPayment, s.ReferredPayment) ? "both sides pay with the same payment method" : null),
        new SignalMatch("same-device", FraudVerdict.Flag, s => Same(s.ReferrerDevice, s.ReferredDevice) ? "both sides signed in from the same device" : null),
    ];

    /// <summary>Gets the checks, in order.</summary>
    public ImmutableArray<IReferralFraudCheck> Checks { get; }

    /// <summary>Runs every check.</summary>
    /// <param name="signals">What the host knows of both sides.</param>
    /// <returns>The worst verdict with the findings that are not passes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signals"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A check returned a finding under another check's name or a verdict that is not defined.</exception>
    public FraudAssessment Assess(ReferralSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var worst = FraudVerdict.Pass;
        var findings = ImmutableArray.CreateBuilder<FraudFinding>();
        foreach (var check in Checks)
        {
            var finding = check.Check(signals);
            if (finding is null || !string.Equals(finding.Check, check.Name, StringComparison.Ordinal) || !Enum.IsDefined(finding.Verdict))
            {
                throw new InvalidOperationException($"The fraud check '{check.Name}' ({check.GetType().Name}) must return a finding under its own name with a defined verdict.");
            }

            if (finding.Verdict != FraudVerdict.Pass)
            {
                findings.Add(finding);
                worst = finding.Verdict > worst ? finding.Verdict : worst;
            }
        }

        return new FraudAssessment(worst, findings.ToImmutable());
    }

    private static bool Same(string? a, string? b) => !string.IsNullOrEmpty(a) && string.Equals(a, b, StringComparison.Ordinal);

    private sealed class SignalMatch(string name, FraudVerdict verdict, Func<ReferralSignals, string?> reason) : IReferralFraudCheck
    {
        public string Name { get; } = name;

        public FraudFinding Check(ReferralSignals signals) =>
            reason(signals) is { } why ? new FraudFinding(Name, verdict, why) : new FraudFinding(Name, FraudVerdict.Pass, string.Empty);
    }
}
