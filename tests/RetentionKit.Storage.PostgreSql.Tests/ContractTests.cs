using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;
using RetentionKit.Testing;

namespace RetentionKit.Storage.PostgreSql.Tests;

// The contract suites of RetentionKit.Testing on PostgreSQL, each test in a fresh schema of the shared server. On a
// machine without PostgreSQL, SkipReason reports them as skipped with the install command.

public sealed class PostgreSqlLoyaltyLedgerStoreContractTests : LoyaltyLedgerStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override ILoyaltyLedgerStore CreateStore() => new PostgreSqlLoyaltyLedgerStore(PostgreSql.Database());
}

public sealed class PostgreSqlReferralStoreContractTests : ReferralStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override IReferralStore CreateStore() => new PostgreSqlReferralStore(PostgreSql.Database());
}

public sealed class PostgreSqlEnrolmentStoreContractTests : EnrolmentStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override IEnrolmentStore CreateStore() => new PostgreSqlEnrolmentStore(PostgreSql.Database());
}

public sealed class PostgreSqlBadgeStoreContractTests : BadgeStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override RetentionKit.Loyalty.Badges.IBadgeStore CreateStore() => new PostgreSqlBadgeStore(PostgreSql.Database());
}

public sealed class PostgreSqlFeedbackStoreContractTests : FeedbackStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override IFeedbackStore CreateStore() => new PostgreSqlFeedbackStore(PostgreSql.Database());
}

public sealed class PostgreSqlScoreHistoryStoreContractTests : ScoreHistoryStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override IScoreHistoryStore CreateStore() => new PostgreSqlScoreHistoryStore(PostgreSql.Database());
}

public sealed class PostgreSqlScoreOverrideStoreContractTests : ScoreOverrideStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override IScoreOverrideStore CreateStore() => new PostgreSqlScoreOverrideStore(PostgreSql.Database());
}

public sealed class PostgreSqlDailyRunStoreContractTests : DailyRunStoreContract
{
    public static string? SkipReason => PostgreSql.Unavailable;

    protected override RetentionKit.Hosting.IDailyRunStore CreateStore() => new PostgreSqlDailyRunStore(PostgreSql.Database());
}
