using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    // L5: the programme resolved from DI runs the host's checks on the host's signals.
    [Fact]
    public async Task ReferralProgram_ThroughDI_UsesTheHostsSignalsAndChecks()
    {
        var services = new ServiceCollection();
        services.AddSingleton<NodaTime.IClock>(new NodaTime.Testing.FakeClock(NodaTime.Instant.FromUtc(2026, 3, 1, 0, 0)));
        services.AddRetentionKit(kit => kit.AddLoyalty(o => o.Referrals.AttributionWindowDays = 7).AddReferralFraudCheck<TestAccountCheck>().AddReferralSignals<SharedCardSignals>());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var program = provider.GetRequiredService<ReferralProgram>();
        var clock = provider.GetRequiredService<NodaTime.IClock>();
        var code = (await program.IssueCodeAsync(Ana)).ToString();

        var test = await program.AttributeAsync(code, new CustomerId("test-1"), clock.GetCurrentInstant());
        var shared = await program.AttributeAsync(code, new CustomerId("shares-card"), clock.GetCurrentInstant());
        var late = await program.AttributeAsync(code, Bo, clock.GetCurrentInstant() - NodaTime.Duration.FromDays(8));

        Assert.Equal((ReferralOutcome.Attributed, ReferralStatus.Flagged), (test.Outcome, test.Referral!.Status));
        Assert.Equal("test-account", Assert.Single(test.Referral.Findings).Check);
        Assert.Equal((ReferralOutcome.Blocked, "same-payment: both sides pay with the same payment method"), (shared.Outcome, shared.Reason));
        Assert.Equal(ReferralOutcome.OutsideWindow, late.Outcome);
        Assert.Same(provider.GetRequiredService<IReferralStore>(), provider.GetRequiredService<IReferralStore>());
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

    private sealed class SharedCardSignals : IReferralSignalSource
    {
        public ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(referred.Value == "shares-card"
                ? new ReferralSignals(referrer, referred, ReferrerPayment: "card-1", ReferredPayment: "card-1")
                : new ReferralSignals(referrer, referred));
    }

    private sealed class Liar : IReferralFraudCheck
    {
        public string Name => "liar";

        public FraudFinding Check(ReferralSignals signals) => new("someone-else", FraudVerdict.Pass, string.Empty);
    }
}
