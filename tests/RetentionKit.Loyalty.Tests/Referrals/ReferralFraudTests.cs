using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Loyalty.Tests.Referrals;

public class ReferralFraudTests
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly CustomerId Bo = new("bo");
    private static readonly ReferralFraudPipeline Pipeline = new(ReferralFraudPipeline.BuiltIn);

    [Fact]
    public void CleanReferral_Passes()
    {
        var assessment = Pipeline.Assess(new ReferralSignals(Ana, Bo, "h-ana", "h-bo", "dev-1", "dev-2", "card-1", "card-2"));

        Assert.Equal(FraudVerdict.Pass, assessment.Verdict);
        Assert.Empty(assessment.Findings);
    }

    [Theory]
    [InlineData("self-referral", FraudVerdict.Block)]
    [InlineData("same-email", FraudVerdict.Block)]
    [InlineData("same-payment", FraudVerdict.Block)]
    [InlineData("same-device", FraudVerdict.Flag)]
    public void EachBuiltInCheck_FindsItsCase(string check, FraudVerdict verdict)
    {
        var signals = check switch
        {
            "self-referral" => new ReferralSignals(Ana, Ana),
            "same-email" => new ReferralSignals(Ana, Bo, ReferrerEmailHash: "h", ReferredEmailHash: "h"),
            "same-payment" => new ReferralSignals(Ana, Bo, ReferrerPayment: "card", ReferredPayment: "card"),
            _ => new ReferralSignals(Ana, Bo, ReferrerDevice: "dev", ReferredDevice: "dev"),
        };

        var assessment = Pipeline.Assess(signals);

        var finding = Assert.Single(assessment.Findings);
        Assert.Equal((check, verdict), (finding.Check, finding.Verdict));
        Assert.False(string.IsNullOrWhiteSpace(finding.Reason));
        Assert.Equal(verdict, assessment.Verdict);
    }

    [Fact]
    public void UnknownSignals_NeverMatch_AndTheWorstVerdictWins()
    {
        Assert.Equal(FraudVerdict.Pass, Pipeline.Assess(new ReferralSignals(Ana, Bo, "", "", null, null)).Verdict);
        var both = Pipeline.Assess(new ReferralSignals(Ana, Bo, ReferrerDevice: "d", ReferredDevice: "d", ReferrerPayment: "c", ReferredPayment: "c"));
        Assert.Equal(FraudVerdict.Block, both.Verdict);
        Assert.Equal(["same-payment", "same-device"], both.Findings.Select(f => f.Check));
    }

    // L5 extensibility: a host check through DI joins the pipeline after the built-ins.
    [Fact]
    public void CustomCheck_ThroughDI_RunsAfterTheBuiltIns()
    {
        var services = new ServiceCollection();
        services.AddRetentionKit(kit => kit.AddLoyalty().AddReferralFraudCheck<TestAccountCheck>().AddReferralFraudCheck<TestAccountCheck>());
        using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ReferralFraudPipeline>();

        var assessment = pipeline.Assess(new ReferralSignals(Ana, new CustomerId("test-42")));

        Assert.Equal(["self-referral", "same-email", "same-payment", "same-device", "test-account"], pipeline.Checks.Select(c => c.Name));
        Assert.Equal(FraudVerdict.Flag, assessment.Verdict);
        Assert.Equal("test-account", Assert.Single(assessment.Findings).Check);
    }

    [Fact]
    public void BrokenChecks_AreCaught()
    {
        Assert.Throws<ArgumentException>("checks", () => new ReferralFraudPipeline([new TestAccountCheck(), new TestAccountCheck()]));
        Assert.Throws<ArgumentNullException>("signals", () => Pipeline.Assess(null!));
        var liar = new ReferralFraudPipeline([new Liar()]);
        Assert.Throws<InvalidOperationException>(() => liar.Assess(new ReferralSignals(Ana, Bo)));
    }

    private sealed class TestAccountCheck : IReferralFraudCheck
    {
        public string Name => "test-account";

        public FraudFinding Check(ReferralSignals signals) => signals.Referred.Value.StartsWith("test-", StringComparison.Ordinal)
            ? new FraudFinding(Name, FraudVerdict.Flag, "the referred account looks like a test account")
            : new FraudFinding(Name, FraudVerdict.Pass, string.Empty);
    }

    private sealed class Liar : IReferralFraudCheck
    {
        public string Name => "liar";

        public FraudFinding Check(ReferralSignals signals) => new("someone-else", FraudVerdict.Pass, string.Empty);
    }
}
