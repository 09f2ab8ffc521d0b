using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace RetentionKit.Scoring.Tests;

/// <summary>Generators of valid snapshots: every measure in its range, each missing one time in five.</summary>
public static class ScoringArbitraries
{
    public static Arbitrary<CustomerSnapshot> Snapshots() => SnapshotGen.ToArbitrary();

    public static Arbitrary<CustomerSnapshot[]> SnapshotArrays() => Gen.Choose(1, 600).SelectMany(n => Gen.ArrayOf(SnapshotGen, n)).ToArbitrary();

    public static Gen<CustomerSnapshot> SnapshotGen =>
        from values in Gen.ArrayOf(Gen.Choose(0, 1000), 19)
        from missing in Gen.ArrayOf(Gen.Choose(0, 4), 19)
        select Build(values, missing);

    private static CustomerSnapshot Build(int[] v, int[] missing)
    {
        double? Count(int i, int max) => missing[i] == 0 ? null : v[i] % (max + 1);
        double? Share(int i) => missing[i] == 0 ? null : (v[i] % 101) / 100d;
        var sent = Count(0, 20);
        var tickets = Count(3, 6);
        return new CustomerSnapshot(Tests.Snapshots.Customer, Tests.Snapshots.Day)
        {
            EmailsSent = sent,
            EmailsOpened = missing[1] == 0 ? null : sent is { } s ? Math.Floor(s * (v[1] % 101) / 100d) : v[1] % 10,
            FeatureShare = Share(2),
            SupportTickets = tickets,
            DaysPaymentLate = Count(4, 40),
            Logins = Count(5, 40),
            BaselineLogins = Count(6, 40),
            Nps = Count(7, 10),
            CommentSentiment = Share(8),
            NegativeSocialMentions = Count(9, 2),
            SurveySatisfaction = Count(10, 10),
            NegativeTickets = missing[11] == 0 ? null : tickets is { } t ? v[11] % (t + 1) : v[11] % 3,
            CompetitorVisits = Count(12, 5),
            AlternativeSearches = Count(13, 2),
            CompetitorEvaluations = Count(14, 2),
            CompetitorTrials = Count(15, 1),
            ContractReviews = Count(16, 1),
            UsageOfLimit = missing[17] == 0 ? null : (v[17] % 131) / 100d,
            RoiMultiple = missing[18] == 0 ? null : (v[18] % 61) / 10d,
        };
    }
}
