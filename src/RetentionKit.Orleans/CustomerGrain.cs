using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using Orleans;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Orleans;

/// <summary>
/// The customer grain: a thin shell over the silo's <see cref="LoyaltyLedger"/> (registered by
/// <c>AddRetentionKit(kit =&gt; kit.AddLoyalty())</c>) and its <see cref="ReferralProgram"/>, so the cluster runs the very rules a single process runs. It
/// keeps no state of its own: every posting goes to the ledger's store, and a new activation reads it there.
/// </summary>
internal sealed class CustomerGrain(LoyaltyLedger ledger, ReferralProgram referrals) : Grain, ICustomerGrain
{
    private CustomerId Customer => new(this.GetPrimaryKeyString());

    public async Task<LedgerPosting> EarnAsync(long points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.EarnAsync(Customer, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<LedgerPosting> RedeemAsync(long points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.RedeemAsync(Customer, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<LedgerPosting> ReverseAsync(long entry, long? points, string idempotencyKey, string reason) =>
        LedgerPosting.From(await ledger.ReverseAsync(Customer, entry, points, idempotencyKey, reason).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<int> ExpireAsync() => (await ledger.ExpireAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).Length;

    public async Task<long> GetBalanceAsync() => await ledger.GetBalanceAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);

    public async Task<string> IssueReferralCodeAsync() =>
        (await referrals.IssueCodeAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).ToString();

    public async Task<ReferralAttribution> AttributeReferralAsync(string code, DateTimeOffset codeSeenAt) =>
        ReferralAttribution.From(await referrals.AttributeAsync(code, Customer, Instant.FromDateTimeOffset(codeSeenAt)).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext));

    public async Task<ImmutableArray<LedgerLine>> GetHistoryAsync() =>
        [.. (await ledger.GetHistoryAsync(Customer).AsTask().ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext)).Select(LedgerLine.From)];
}
