using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Tests.Ledger;

namespace RetentionKit.Loyalty.Tests.Referrals;

/// <summary>A referral programme on in-memory stores, a fake clock and signals the test sets.</summary>
internal sealed class ReferralFixture
{
    public static readonly CustomerId Ana = new("ana");
    public static readonly CustomerId Bea = new("bea");
    public static readonly CustomerId Cai = new("cai");
    public static readonly ReferralPayment Payment = new("inv-1", Money.Usd(50m), Money.Usd(80m));

    public ReferralFixture(Action<LoyaltyOptions>? configure = null, ILoyaltyLedgerStore? ledgerStore = null, int expireAfterDays = 365)
    {
        Ledgers = new LedgerFixture(expireAfterDays, store: ledgerStore);
        Options = new LoyaltyOptions();
        configure?.Invoke(Options);
        Program = new ReferralProgram(Store, Ledgers.Ledger, new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), Signals, Ledgers.Clock, Options);
    }

    public LedgerFixture Ledgers { get; }

    public LoyaltyOptions Options { get; }

    public InMemoryReferralStore Store { get; } = new();

    public TestSignals Signals { get; } = new();

    public ReferralProgram Program { get; }

    public Instant Now => Ledgers.Clock.GetCurrentInstant();

    public LoyaltyLedger Ledger => Ledgers.Ledger;

    public void Advance(Duration by) => Ledgers.Clock.Advance(by);

    /// <summary>Issues the referrer's code and attributes the referred customer to it, seen just now.</summary>
    public async Task<Referral> ReferAsync(CustomerId referrer, CustomerId referred)
    {
        var code = await Program.IssueCodeAsync(referrer);
        var result = await Program.AttributeAsync(code.ToString(), referred, Now);
        return result.Referral ?? throw new InvalidOperationException($"not attributed: {result.Outcome} {result.Reason}");
    }

    public async Task<long> BalanceAsync(CustomerId member) => await Ledger.GetBalanceAsync(member);

    /// <summary>Signals by referred customer; the referrer's side fixed per test.</summary>
    public sealed class TestSignals : IReferralSignalSource
    {
        public ConcurrentDictionary<CustomerId, Func<CustomerId, CustomerId, ReferralSignals>> ByReferred { get; } = new();

        public ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ByReferred.TryGetValue(referred, out var make) ? make(referrer, referred) : new ReferralSignals(referrer, referred));
    }
}
