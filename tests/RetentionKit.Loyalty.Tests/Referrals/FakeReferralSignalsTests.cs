using System;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Testing;

namespace RetentionKit.Loyalty.Tests.Referrals;

/// <summary>RetentionKit.Testing's FakeReferralSignals: what a host's test sets per customer reaches the fraud checks.</summary>
public sealed class FakeReferralSignalsTests
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly CustomerId Bo = new("bo");

    [Fact]
    public async Task Signals_AreEachSidesOwn_AndUnsetCustomersHaveNone()
    {
        var signals = new FakeReferralSignals().Set(Ana, emailHash: "e-ana", device: "d-1", payment: "card-1").Set(Bo, device: "d-2");

        var read = await signals.GetSignalsAsync(Ana, Bo);
        var unknown = await signals.GetSignalsAsync(new CustomerId("cy"), new CustomerId("dee"));

        Assert.Equal(new ReferralSignals(Ana, Bo, "e-ana", null, "d-1", "d-2", "card-1", null), read);
        Assert.Equal(new ReferralSignals(new CustomerId("cy"), new CustomerId("dee")), unknown);
        Assert.Equal(2, signals.Calls);
        Assert.Equal("customer", Assert.Throws<ArgumentException>(() => signals.Set(default)).ParamName);
    }

    [Fact]
    public async Task ASharedCard_IsFlaggedByTheBuiltInChecks()
    {
        var signals = new FakeReferralSignals().Set(Ana, payment: "card-1").Set(Bo, payment: "card-1");
        var pipeline = new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn);

        var assessment = pipeline.Assess(await signals.GetSignalsAsync(Ana, Bo));
        var clean = pipeline.Assess(await signals.GetSignalsAsync(Ana, new CustomerId("cy")));

        Assert.NotEqual(FraudVerdict.Pass, assessment.Verdict);
        Assert.Equal(FraudVerdict.Pass, clean.Verdict);
    }
}
