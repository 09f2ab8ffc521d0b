using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NodaTime;
using NodaTime.Testing;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Testing;

namespace RetentionKit.Tests;

/// <summary>Issue 21 (SPEC H3): each package's meter, created through IMeterFactory, counts what a dashboard needs; store calls are timed and traced.</summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly Instant Morning = new LocalDateTime(2026, 3, 2, 9, 0).InUtc().ToInstant();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"rk-telemetry-{Guid.NewGuid():N}.db");
    private readonly RecordingPlaybookChannel _email = new(PlaybookChannel.Email);
    private readonly ServiceProvider _provider;

    public TelemetryTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            KeyValuePair.Create("RetentionKit:Storage:Provider", (string?)"Sqlite"),
            KeyValuePair.Create("RetentionKit:Storage:Sqlite:ConnectionString", (string?)$"Data Source={_file}"),
        ]).Build();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<IClock>(new FakeClock(Morning));
        services.AddRetentionKit(configuration, kit => kit
            .AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Where(p => p.Id != BuiltInPlaybooks.Onboarding).Select(p => p.Id).ToHashSet())
            .AddPlaybookChannel(_ => _email)
            .AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.InApp))
            .AddPlaybookChannel(_ => new RecordingPlaybookChannel(PlaybookChannel.Call)));
        _provider = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private IMeterFactory Meters => _provider.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Loyalty_CountsPostingsByKindAndOutcome_PointsMoved_Rejections_AndReferrals()
    {
        using var postings = new MetricCollector<long>(Meters, "RetentionKit.Loyalty", "retentionkit.loyalty.postings");
        using var points = new MetricCollector<long>(Meters, "RetentionKit.Loyalty", "retentionkit.loyalty.points");
        using var rejections = new MetricCollector<long>(Meters, "RetentionKit.Loyalty", "retentionkit.loyalty.rejections");
        using var attributed = new MetricCollector<long>(Meters, "RetentionKit.Loyalty", "retentionkit.loyalty.referrals.attributed");
        using var qualified = new MetricCollector<long>(Meters, "RetentionKit.Loyalty", "retentionkit.loyalty.referrals.qualified");
        var ledger = _provider.GetRequiredService<LoyaltyLedger>();
        var referrals = _provider.GetRequiredService<ReferralProgram>();
        var ana = new CustomerId("ana");

        await ledger.EarnAsync(ana, 100, "e1", "daily-use");
        await ledger.EarnAsync(ana, 100, "e1", "daily-use"); // a retry: a duplicate, nothing written
        await ledger.RedeemAsync(ana, 500, "r1", "premium-feature"); // too few points
        await ledger.RedeemAsync(ana, 40, "r2", "premium-feature");
        await Assert.ThrowsAsync<IdempotencyConflictException>(async () => await ledger.EarnAsync(ana, 7, "e1", "other"));
        var code = await referrals.IssueCodeAsync(ana);
        await referrals.AttributeAsync(code.ToString(), new CustomerId("bea"), Morning);
        await referrals.AttributeAsync("NOPE-0000", new CustomerId("cai"), Morning);
        await referrals.QualifyAsync(new CustomerId("bea"), new ReferralPayment("inv-1", Money.Usd(50m), Money.Usd(80m)));

        long Count(string kind, string outcome) => postings.GetMeasurementSnapshot().Where(m => m.Tags["kind"] as string == kind && m.Tags["outcome"] as string == outcome).Sum(m => m.Value);
        Assert.Equal(1, Count("earn", "duplicate"));
        Assert.Equal(1, Count("redeem", "insufficient_points"));
        Assert.Equal(1, Count("redeem", "posted"));
        Assert.Equal(1, Count("earn", "conflict"));
        Assert.True(Count("earn", "posted") >= 2); // ana's 100 and the referral points
        Assert.Equal(40, points.GetMeasurementSnapshot().Where(m => m.Tags["kind"] as string == "redeem").Sum(m => m.Value));
        Assert.Equal(1, rejections.GetMeasurementSnapshot().Where(m => m.Tags["reason"] as string == "insufficient_points").Sum(m => m.Value));
        Assert.Equal(1, rejections.GetMeasurementSnapshot().Where(m => m.Tags["reason"] as string == "code_not_found").Sum(m => m.Value));
        Assert.Equal(1, attributed.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, qualified.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(postings.GetMeasurementSnapshot(), m => Assert.Equal(["kind", "outcome"], m.Tags.Keys.Order())); // no customer, no key
    }

    [Fact]
    public async Task Scoring_CountsCustomersByPath_AndAlertsByKind()
    {
        using var customers = new MetricCollector<long>(Meters, "RetentionKit.Scoring", "retentionkit.scoring.customers");
        using var alerts = new MetricCollector<long>(Meters, "RetentionKit.Scoring", "retentionkit.scoring.alerts");
        var engine = _provider.GetRequiredService<ScoringEngine>();
        var scoring = _provider.GetRequiredService<ScoringService>();
        var day = new LocalDate(2026, 3, 1);
        CustomerSnapshot Snapshot(string id, LocalDate on) => new(new CustomerId(id), on) { Logins = 20, BaselineLogins = 20, EmailsSent = 10, EmailsOpened = 8, FeatureShare = 0.6, Nps = 9 };

        var batch = engine.CreateBatch(3);
        for (var i = 0; i < 3; i++)
        {
            batch.Write(i, Snapshot($"b{i}", day));
        }

        engine.ScoreBatch(batch, new BatchScore[3]);
        await scoring.ScoreAsync(Snapshot("ana", day.PlusDays(-20)));
        var trend = await scoring.TrendAsync(new CustomerId("ana"), day); // twenty days without a record: stale

        Assert.Equal(3, customers.GetMeasurementSnapshot().Where(m => m.Tags["path"] as string == "batch").Sum(m => m.Value));
        Assert.Equal(1, customers.GetMeasurementSnapshot().Where(m => m.Tags["path"] as string == "explained").Sum(m => m.Value));
        Assert.True(trend.IsStale);
        Assert.Equal(1, alerts.GetMeasurementSnapshot().Where(m => m.Tags["kind"] as string == "stale").Sum(m => m.Value));
    }

    [Fact]
    public async Task Playbooks_CountStepsDueDeliveredFailed_AndEnrolmentsStarted_TaggedWithPlaybookAndChannel()
    {
        using var steps = new MetricCollector<long>(Meters, "RetentionKit.Playbooks", "retentionkit.playbooks.steps");
        using var enrolments = new MetricCollector<long>(Meters, "RetentionKit.Playbooks", "retentionkit.playbooks.enrolments");
        _email.FailWhen(d => d.Customer.Customer.Value == "c1" ? new InvalidOperationException("mail server down") : null);
        var runner = _provider.GetRequiredService<PlaybookRunner>();
        var zone = DateTimeZone.Utc;

        var report = await runner.RunAsync([new CustomerState(new CustomerId("c0"), zone, new LocalDate(2026, 3, 1)), new CustomerState(new CustomerId("c1"), zone, new LocalDate(2026, 3, 1))]);

        long Count(string outcome) => steps.GetMeasurementSnapshot().Where(m => m.Tags["outcome"] as string == outcome && m.Tags["playbook"] as string == "onboarding" && m.Tags["channel"] as string == "Email").Sum(m => m.Value);
        Assert.Equal((2, 1, 1), (Count("due"), Count("delivered"), Count("failed")));
        Assert.Single(report.Failures);
        Assert.Equal(2, enrolments.GetMeasurementSnapshot().Where(m => m.Tags["outcome"] as string == "started").Sum(m => m.Value));
    }

    [Fact]
    public async Task StoreCalls_AreTimed_ByStoreAndOperation_UnderSpansOfTheStorePackage()
    {
        using var durations = new MetricCollector<double>(Meters, "RetentionKit.Storage.Sqlite", "retentionkit.store.duration");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "RetentionKit.Storage.Sqlite",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        await _provider.GetRequiredService<LoyaltyLedger>().EarnAsync(new CustomerId("ana"), 10, "k1", "seed");
        await _provider.GetRequiredService<IEnrolmentStore>().GetAsync(new CustomerId("ana"));

        var measured = durations.GetMeasurementSnapshot();
        Assert.Contains(measured, m => m.Tags["store"] as string == "ledger" && m.Tags["operation"] as string == "append" && m.Tags["db.system"] as string == "sqlite" && (bool)m.Tags["error"]! == false && m.Value > 0);
        Assert.Contains(measured, m => m.Tags["store"] as string == "enrolments" && m.Tags["operation"] as string == "get");
        Activity[] stopped;
        lock (spans)
        {
            stopped = [.. spans]; // other tests' spans may stop on other threads meanwhile
        }

        Assert.Contains(stopped, s => s.OperationName == "retentionkit.store.ledger.append" && s.Kind == ActivityKind.Client);
        Assert.Contains(stopped, s => s.OperationName == "retentionkit.store.enrolments.get");
    }
}
