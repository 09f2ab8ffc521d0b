using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Cli.Data;
using RetentionKit.Loyalty;
using RetentionKit.Loyalty.Earning;
using RetentionKit.Loyalty.Ledger;
using RetentionKit.Loyalty.Referrals;
using RetentionKit.Loyalty.Rewards;
using RetentionKit.Loyalty.Tiers;
using RetentionKit.Metrics.Subscriptions;

namespace RetentionKit.Cli.Pipeline;

/// <summary>
/// The loyalty stage: runs the loyalty programme over the data's history, day by day on its own clock, and reports
/// the tiers at the as-of date, the points earned, redeemed, expired and clawed back per month, and the referral funnel.
/// </summary>
/// <remarks>
/// How the data becomes loyalty events (the sample holds activity per month, not per day): daily use — a month with
/// L logins counts min(L, days in the month) days of use at the daily-use points; features — the month's feature share
/// × <see cref="Features"/> features, each earning the feature-used points once a month; the two are one posting at the
/// month's end (<see cref="UsageReason"/>); feedback — every feedback row, as an event through the earning rules. A customer who gives an NPS of 9 or 10 (the "positive feedback" moment) is issued a
/// referral code. At each month end due points expire, and a member with at least the price of the cheapest catalogue
/// reward redeems the dearest reward they can afford. Referrals: the data has none, so a stable hash picks
/// <see cref="ReportOptions.AssumedReferredShare"/> of new customers and one of the codes held at their sign-up; the
/// first payment qualifies the referral, a cancellation within the refund window reverses it.
/// </remarks>
/// <param name="options">The programme's options.</param>
/// <param name="partitionSize">About how many customers run on one ledger at a time (see <see cref="Plan"/>).</param>
internal sealed class LoyaltyStage(LoyaltyOptions options, int partitionSize = LoyaltyStage.PartitionSize)
{
    /// <summary>The number of features a plan is assumed to have.</summary>
    public const int Features = 10;

    /// <summary>
    /// The default of how many customers run on one ledger at a time: small, because a partition's ledger lives only
    /// while it runs, and whatever the partitions in flight hold when the collector runs is copied into the older
    /// generations (5,000 cost the 100,000-customer run a quarter of its collector pauses more).
    /// </summary>
    public const int PartitionSize = 1_000;

    /// <summary>The reason of a month's usage posting: the two earning rules it applies.</summary>
    public const string UsageReason = LoyaltyEventKinds.DailyUse + " + " + LoyaltyEventKinds.FeatureUsed;

    /// <summary>Runs the programme through the context's date; with a kept state, only what happened after its previous run is posted.</summary>
    public LoyaltySummary Run(PipelineContext context, double referredShare) =>
        RunAsync(context, referredShare).AsTask().GetAwaiter().GetResult();

    private async ValueTask<LoyaltySummary> RunAsync(PipelineContext context, double referredShare)
    {
        var (data, asOf, state) = (context.Data, context.AsOf, context.State);
        var referrals = state?.Referrals ?? new InMemoryReferralStore();
        var plan = Plan(data, context.EventsByDate, asOf, referredShare, partitionSize);
        var tierList = new TierService(new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), new StageClock(), options), new StageClock(), options).Tiers;
        var rows = RowsByPartition(data, context.EventsByDate, context.Customers, plan);
        var found = new Totals[plan.Partitions];

        // Partitions share nothing but the referral store (thread-safe, and a referral never crosses partitions), so
        // in memory they run side by side; a kept state's stores take one partition at a time (one SQLite writer).
        await Parallel.ForEachAsync(
            Enumerable.Range(0, plan.Partitions),
            new ParallelOptions { MaxDegreeOfParallelism = state is null ? Environment.ProcessorCount : 1 },
            async (partition, _) => found[partition] = await RunPartitionAsync(context, plan, rows[partition], referrals, new Totals(tierList)).ConfigureAwait(false)).ConfigureAwait(false);
        var totals = new Totals(tierList);
        foreach (var part in found)
        {
            totals.Add(part);
        }

        // The analytics read the referral store only; the ledger the program needs is never touched.
        var analytics = new ReferralProgram(referrals, new LoyaltyLedger(new InMemoryLoyaltyLedgerStore(), new StageClock(), options), new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), null, new StageClock(), options);
        return new LoyaltySummary(
            asOf,
            totals.Members,
            totals.Postings,
            totals.Redemptions,
            totals.Outstanding,
            context.Customers.ActiveCount,
            [.. totals.Tiers.Select(t => new TierCount(t.Name, t.From, totals.TierCounts[t.Name]))],
            [.. totals.PerMonth.OrderBy(p => p.Key).Select(p => new PointsMonth(p.Key, p.Value[0], p.Value[1], p.Value[2], p.Value[3]))],
            await analytics.GetAnalyticsAsync().ConfigureAwait(false),
            referredShare,
            plan.MonthEnds.Count);
    }

    /// <summary>
    /// Runs the programme for one partition's customers: its own ledger (unless the state keeps one), the shared
    /// referral store, and every action of its customers in time order; adds what it found to the totals.
    /// </summary>
    private async ValueTask<Totals> RunPartitionAsync(PipelineContext context, RunPlan plan, PartitionRows rows, IReferralStore referrals, Totals totals)
    {
        var (data, asOf, state, lastAsOf) = (context.Data, context.AsOf, context.State, context.LastAsOf);
        var clock = new StageClock();
        var ledger = new LoyaltyLedger(state?.Ledger ?? new InMemoryLoyaltyLedgerStore(), clock, options);
        var earning = new EarningService(ledger, options, []);
        var catalog = new RewardCatalog(ledger, options);
        var tiers = new TierService(ledger, clock, options);
        var program = new ReferralProgram(referrals, ledger, new ReferralFraudPipeline(ReferralFraudPipeline.BuiltIn), null, clock, options);
        var rewards = catalog.Rewards.OrderBy(r => r.Value.Points).ThenBy(r => r.Key, StringComparer.Ordinal).ToArray();
        var end = At(asOf.PlusDays(1), 0);

        var actions = Actions(data, asOf, plan, rows);
        var members = new HashSet<CustomerId>();

        // Members whose balance read 0 at a month end: they hold no lot, so until they are credited again a month end
        // has nothing to expire or redeem for them and skips them (most of them have churned).
        var settled = new HashSet<CustomerId>();
        var issued = new HashSet<CustomerId>();
        var currency = new Currency(options.Referrals.Currency);
        var mrr = new Dictionary<CustomerId, Money>();

        // With a kept state, what happened through the last run's as-of date is in the stores already: those actions
        // only rebuild this run's bookkeeping (members, code holders, revenue), and nothing is posted for them.
        var resume = lastAsOf is { } last ? At(last.PlusDays(1), 0) : Instant.MinValue;
        var earns = new List<EarnRequest>();
        for (var a = 0; a < actions.Length; a++)
        {
            var action = actions[a];
            clock.Now = action.At;
            if (action.At < resume)
            {
                Remember(action, members, issued, mrr, currency);
                continue;
            }

            switch (action.Kind)
            {
                case ActionKind.Earn:
                    // A month's usage points for every member land at the same instant: one batch, a few commits.
                    earns.Clear();
                    for (; a < actions.Length && actions[a].Kind == ActionKind.Earn && actions[a].At == action.At; a++)
                    {
                        members.Add(actions[a].Customer);
                        settled.Remove(actions[a].Customer);
                        earns.Add(new EarnRequest(actions[a].Customer, actions[a].Points, actions[a].Id!, actions[a].EventKind!));
                    }

                    a--;
                    await ledger.EarnManyAsync(earns).ConfigureAwait(false);
                    break;
                case ActionKind.Event:
                    members.Add(action.Customer);
                    settled.Remove(action.Customer);
                    await earning.EarnAsync(new LoyaltyEvent(action.Id!, action.Customer, action.EventKind!, action.At, DateTimeZone.Utc)).ConfigureAwait(false);
                    break;
                case ActionKind.IssueCode:
                    if (issued.Add(action.Customer))
                    {
                        await program.IssueCodeAsync(action.Customer).ConfigureAwait(false);
                    }

                    break;
                case ActionKind.Pay:
                    mrr[action.Customer] = new Money(action.Amount, currency);
                    if (action.Referred && action.Amount > 0m && await program.GetReferralAsync(action.Customer).ConfigureAwait(false) is { Status: ReferralStatus.Attributed } referral)
                    {
                        settled.Remove(referral.Referrer); // the referrer is credited
                        await program.QualifyAsync(action.Customer, new ReferralPayment(action.Id!, new Money(action.Amount, currency), mrr.TryGetValue(referral.Referrer, out var paid) ? paid : null)).ConfigureAwait(false);
                    }

                    break;
                case ActionKind.Cancel:
                    mrr.Remove(action.Customer);
                    await program.RefundAsync(action.Customer, action.Id!).ConfigureAwait(false);
                    break;
                case ActionKind.SignUp:
                    // The plan chose the referrer (a code holder at this moment, by a stable hash).
                    var code = await program.IssueCodeAsync(action.Referrer!.Value).ConfigureAwait(false);
                    await program.AttributeAsync(code.ToString(), action.Customer, action.At - Duration.FromDays(3)).ConfigureAwait(false);
                    break;
                case ActionKind.MonthEnd:
                    foreach (var member in members)
                    {
                        if (settled.Contains(member))
                        {
                            continue;
                        }

                        // The balance leaves out points past their date. A member who can afford a reward redeems it,
                        // and the redemption posts the due expiries before its debit (a replayed one posts nothing, so
                        // the expiries are then posted on their own); anyone else has the due expiries posted.
                        var balance = await ledger.GetBalanceAsync(member).ConfigureAwait(false);
                        var reward = default(KeyValuePair<string, (string Name, long Points)>);
                        for (var r = rewards.Length - 1; r >= 0 && balance > 0 && reward.Key is null; r--)
                        {
                            reward = rewards[r].Value.Points <= balance ? rewards[r] : default;
                        }

                        if (reward.Key is null)
                        {
                            await ledger.ExpireAsync(member).ConfigureAwait(false);
                            if (balance == 0)
                            {
                                settled.Add(member);
                            }

                            continue;
                        }

                        var redeemed = await catalog.RedeemAsync(member, reward.Key, $"{member}:{action.At.InUtc().Date:yyyy-MM}:reward").ConfigureAwait(false);
                        if (redeemed.Posting is { Replayed: true })
                        {
                            await ledger.ExpireAsync(member).ConfigureAwait(false);
                        }
                    }

                    break;
            }
        }

        // Each member's history is read once, for the months and (for a customer paying today) the tier.
        clock.Now = end;
        var active = rows.Active.ToHashSet();
        foreach (var customer in rows.Active)
        {
            if (!members.Contains(customer))
            {
                totals.TierCounts[tiers.GetStatus(customer, [], end).Tier.Name]++;
            }
        }

        totals.Members += members.Count;
        foreach (var member in members)
        {
            await ledger.ExpireAsync(member).ConfigureAwait(false); // so the months account for every lapsed point
            var history = (await ledger.GetHistoryAsync(member).ConfigureAwait(false)).ToArray();
            if (active.Contains(member))
            {
                totals.TierCounts[tiers.GetStatus(member, history, end).Tier.Name]++;
            }

            totals.Postings += history.Length;
            totals.Outstanding += await ledger.GetBalanceAsync(member).ConfigureAwait(false);
            foreach (var e in history)
            {
                var date = e.At.InUtc().Date;
                var month = new YearMonth(date.Year, date.Month);
                if (!totals.PerMonth.TryGetValue(month, out var sums))
                {
                    totals.PerMonth[month] = sums = new long[4];
                }

                var column = e.Kind switch
                {
                    PostingKind.Earn => 0,
                    PostingKind.Redeem => 1,
                    PostingKind.Expire => 2,
                    PostingKind.Reverse when e.Points < 0 => 3,
                    _ => -1,
                };
                if (column >= 0)
                {
                    sums[column] += Math.Abs(e.Points);
                }

                totals.Redemptions += e.Kind == PostingKind.Redeem ? 1 : 0;
            }
        }

        return totals;
    }

    /// <summary>What an action already run leaves in this run's bookkeeping.</summary>
    private static void Remember(StageAction action, HashSet<CustomerId> members, HashSet<CustomerId> issued, Dictionary<CustomerId, Money> mrr, Currency currency)
    {
        switch (action.Kind)
        {
            case ActionKind.Earn or ActionKind.Event:
                members.Add(action.Customer);
                break;
            case ActionKind.IssueCode:
                issued.Add(action.Customer);
                break;
            case ActionKind.Pay:
                mrr[action.Customer] = new Money(action.Amount, currency);
                break;
            case ActionKind.Cancel:
                mrr.Remove(action.Customer);
                break;
        }
    }

    /// <summary>
    /// Decides, before anything is posted, who refers whom and how the customers split into partitions. The referrer
    /// of a new customer is drawn from the code holders of that moment, and who holds a code depends on feedback alone,
    /// so it is known without the ledger. A referral ties two customers' ledgers (the referrer is credited when the
    /// referred pays), so customers linked by referrals share a partition; the rest are spread evenly. Each partition
    /// then runs on its own ledger, which keeps the memory and the collector's work proportional to a partition.
    /// </summary>
    private static RunPlan Plan(DataSet data, IReadOnlyList<SubscriptionEvent> events, LocalDate asOf, double referredShare, int partitionSize)
    {
        var limit = At(asOf.PlusDays(1), 0);

        // The moments that decide referrals, in the order the run meets them (instant, then kind, then data order).
        var moments = new List<(Instant At, ActionKind Kind, CustomerId Customer)>();
        foreach (var f in data.Feedback)
        {
            if (f.Nps >= 9)
            {
                moments.Add((Noon(f.Date) + Duration.FromMinutes(2), ActionKind.IssueCode, f.Customer));
            }
        }

        if (referredShare > 0d)
        {
            foreach (var customer in FirstChanges(events))
            {
                moments.Add((customer.At, ActionKind.SignUp, customer.Customer));
            }
        }

        var ordered = InRunOrder(moments, m => (m.At, m.Kind));
        var holders = new CodeHolders();
        var referrerOf = new Dictionary<CustomerId, CustomerId>();
        foreach (var (at, kind, customer) in ordered)
        {
            if (at >= limit)
            {
                break;
            }

            if (kind == ActionKind.IssueCode)
            {
                holders.Add(customer);
            }
            else if (holders.Count > 0 && Unit("referred", customer) < referredShare)
            {
                referrerOf[customer] = holders[(int)(Unit("referrer", customer) * holders.Count)];
            }
        }

        // Union-find over the referrals: a customer's partition is its group's, by the group's first-seen customer.
        var index = new Dictionary<CustomerId, int>();
        var parent = new List<int>();
        int Node(CustomerId c)
        {
            if (!index.TryGetValue(c, out var i))
            {
                index[c] = i = parent.Count;
                parent.Add(i);
            }

            return i;
        }

        int Root(int i)
        {
            while (parent[i] != i)
            {
                i = parent[i] = parent[parent[i]];
            }

            return i;
        }

        foreach (var c in data.Customers)
        {
            Node(c.Id);
        }

        foreach (var (referred, referrer) in referrerOf)
        {
            var (a, b) = (Root(Node(referred)), Root(Node(referrer)));
            parent[Math.Max(a, b)] = Math.Min(a, b);
        }

        var partitions = Math.Max(1, (index.Count + partitionSize - 1) / partitionSize);
        var partitionOf = new Dictionary<CustomerId, int>(index.Count);
        foreach (var (customer, i) in index)
        {
            partitionOf[customer] = Root(i) % partitions;
        }

        return new RunPlan(partitions, partitionOf, referrerOf, MonthEnds(data, events, limit));
    }

    /// <summary>Each customer's first subscription change (their sign-up), at the hour a sign-up is run.</summary>
    private static IEnumerable<(Instant At, CustomerId Customer)> FirstChanges(IReadOnlyList<SubscriptionEvent> events)
    {
        var seen = new HashSet<CustomerId>();
        foreach (var e in events)
        {
            if (e is SubscriptionChange && seen.Add(e.Customer))
            {
                yield return (At(e.EffectiveDate, 9), e.Customer);
            }
        }
    }

    /// <summary>
    /// Every partition's rows of the data (positions in the activity, feedback and events lists, the events in date
    /// order) and its active customers, in one pass over the data rather than one per partition.
    /// </summary>
    private static PartitionRows[] RowsByPartition(DataSet data, IReadOnlyList<SubscriptionEvent> events, CustomerBase customers, RunPlan plan)
    {
        var rows = new PartitionRows[plan.Partitions];
        for (var p = 0; p < rows.Length; p++)
        {
            rows[p] = new PartitionRows();
        }

        for (var i = 0; i < data.Activity.Count; i++)
        {
            rows[plan.PartitionOf(data.Activity[i].Customer)].Activity.Add(i);
        }

        for (var i = 0; i < data.Feedback.Count; i++)
        {
            rows[plan.PartitionOf(data.Feedback[i].Customer)].Feedback.Add(i);
        }

        foreach (var e in events)
        {
            rows[plan.PartitionOf(e.Customer)].Events.Add(e);
        }

        foreach (var customer in customers.Active)
        {
            rows[plan.PartitionOf(customer.Customer)].Active.Add(customer.Customer);
        }

        return rows;
    }

    /// <summary>One partition's actions in the order they run: instant, then kind, then the order of the data.</summary>
    private StageAction[] Actions(DataSet data, LocalDate asOf, RunPlan plan, PartitionRows rows)
    {
        var actions = new List<StageAction>(rows.Activity.Count + rows.Feedback.Count + rows.Events.Count + plan.MonthEnds.Count);
        var limit = At(asOf.PlusDays(1), 0);
        var dailyUse = Points(LoyaltyEventKinds.DailyUse);
        var featureUsed = Points(LoyaltyEventKinds.FeatureUsed);
        var usageKeys = new Dictionary<YearMonth, string>();
        foreach (var row in rows.Activity)
        {
            var a = data.Activity[row];

            // One posting per customer-month for the month's use: its days of use (a day counts once, however many
            // logins) at the daily-use points plus the features used at the feature-used points. Both would land at
            // the same instant with the same expiry, so one lot is what two would be for balances, expiry and
            // redemption, at half the ledger's entries. The per-day cap is applied by counting days.
            var days = Math.Min(a.Logins, a.Month.Days());
            var features = (int)Math.Round(a.FeatureShare * Features, MidpointRounding.AwayFromZero);
            var points = days * dailyUse + features * featureUsed;
            if (points > 0)
            {
                var at = Noon(a.Month.LastDay());
                if (!usageKeys.TryGetValue(a.Month, out var suffix))
                {
                    usageKeys[a.Month] = suffix = string.Create(CultureInfo.InvariantCulture, $":{a.Month.Year:D4}-{a.Month.Month:D2}:usage");
                }

                var key = string.Concat(a.Customer.Value, suffix);
                actions.Add(new StageAction(at, ActionKind.Earn, a.Customer, key, UsageReason, Points: points));
            }
        }

        foreach (var i in rows.Feedback)
        {
            var f = data.Feedback[i];
            var at = Noon(f.Date) + Duration.FromMinutes(1);
            actions.Add(new StageAction(at, ActionKind.Event, f.Customer, string.Concat(f.Customer.Value, ":feedback-", i.ToString(CultureInfo.InvariantCulture)), LoyaltyEventKinds.Feedback));
            if (f.Nps >= 9)
            {
                actions.Add(new StageAction(at + Duration.FromMinutes(1), ActionKind.IssueCode, f.Customer));
            }
        }

        var seen = new HashSet<CustomerId>();
        foreach (var e in rows.Events)
        {
            var at = At(e.EffectiveDate, 9);
            switch (e)
            {
                case SubscriptionChange c:
                    if (seen.Add(e.Customer) && plan.ReferrerOf.TryGetValue(e.Customer, out var referrer))
                    {
                        actions.Add(new StageAction(at, ActionKind.SignUp, e.Customer) { Referrer = referrer });
                    }

                    actions.Add(new StageAction(at + Duration.FromHours(1), ActionKind.Pay, e.Customer, e.Id, Amount: c.Terms.MonthlyNetAmount.Amount, Referred: true));
                    break;
                case Reactivation r:
                    actions.Add(new StageAction(at + Duration.FromHours(1), ActionKind.Pay, e.Customer, e.Id, Amount: r.Terms.MonthlyNetAmount.Amount));
                    break;
                default:
                    actions.Add(new StageAction(at, ActionKind.Cancel, e.Customer, e.Id));
                    break;
            }
        }

        actions.RemoveAll(a => a.At >= limit);
        actions.AddRange(plan.MonthEnds.Select(m => new StageAction(m, ActionKind.MonthEnd, default)));

        return InRunOrder(actions, a => (a.At, a.Kind));
    }

    /// <summary>
    /// Items in the order the run meets them: by instant, then kind, and items alike in both keep their order in the
    /// list (a stable sort), so that a run over more months makes the same decisions for the months both cover.
    /// </summary>
    private static T[] InRunOrder<T>(List<T> items, Func<T, (Instant At, ActionKind Kind)> key)
    {
        var keys = new SortKey[items.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var (at, kind) = key(items[i]);
            keys[i] = new SortKey(at.ToUnixTimeTicks(), kind, i);
        }

        var sorted = items.ToArray();
        Array.Sort(keys, sorted);
        return sorted;
    }

    /// <summary>
    /// The month ends the run stops at: from the month of the earliest action of any customer to the as-of date, the
    /// same for every partition. Every action falls on its row's date, so the earliest date gives that month.
    /// </summary>
    private static List<Instant> MonthEnds(DataSet data, IReadOnlyList<SubscriptionEvent> events, Instant limit)
    {
        LocalDate? earliest = events.Count > 0 ? events[0].EffectiveDate : null;
        if (data.Activity.Count > 0)
        {
            // An activity row falls on its month's last day: the earliest month gives the earliest of them.
            var month = data.Activity[0].Month;
            foreach (var a in data.Activity)
            {
                month = a.Month < month ? a.Month : month;
            }

            earliest = earliest is { } e && e <= month.LastDay() ? e : month.LastDay();
        }

        foreach (var f in data.Feedback)
        {
            earliest = earliest is { } e && e <= f.Date ? e : f.Date;
        }

        return earliest is { } first ? MonthEnds(Noon(first), limit) : [];
    }

    private long Points(string kind) => options.EarningRules.TryGetValue(kind, out var rule) && rule is not null ? rule.Points : 0;

    private static List<Instant> MonthEnds(Instant from, Instant limit)
    {
        var result = new List<Instant>();
        var date = from.InUtc().Date;
        var month = new YearMonth(date.Year, date.Month);
        while (true)
        {
            var last = At(month.LastDay(), 23);
            if (last >= limit)
            {
                return result;
            }

            result.Add(last);
            month = month.PlusMonths(1);
        }
    }

    /// <summary>The customers holding a code, in the order they got it (a referrer is drawn by position), with a set for lookups.</summary>
    private sealed class CodeHolders
    {
        private readonly List<CustomerId> _order = [];
        private readonly HashSet<CustomerId> _set = [];

        public int Count => _order.Count;

        public CustomerId this[int index] => _order[index];

        public bool Contains(CustomerId customer) => _set.Contains(customer);

        public void Add(CustomerId customer)
        {
            if (_set.Add(customer))
            {
                _order.Add(customer);
            }
        }
    }

    private static Instant Noon(LocalDate date) => At(date, 12);

    /// <summary>An hour of a date in UTC (without a time-zone lookup: UTC has no gaps).</summary>
    private static Instant At(LocalDate date, int hour) => date.At(new LocalTime(hour, 0)).InUtc().ToInstant();

    /// <summary>A point in [0, 1) from SHA-256 of a purpose and the customer's id: the same on every run.</summary>
    private static double Unit(string purpose, CustomerId customer)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\u001f" + customer.Value), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1d / (1UL << 53));
    }

    private enum ActionKind
    {
        Cancel = 0,
        SignUp = 1,
        Pay = 2,
        Earn = 3,
        Event = 4,
        IssueCode = 5,
        MonthEnd = 6,
    }

    /// <summary>An action's place: by instant, then kind, then its position in the list.</summary>
    private readonly record struct SortKey(long Ticks, ActionKind Kind, int Index) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other) =>
            Ticks != other.Ticks ? Ticks.CompareTo(other.Ticks) : Kind != other.Kind ? ((int)Kind).CompareTo((int)other.Kind) : Index.CompareTo(other.Index);
    }

    private sealed record StageAction(Instant At, ActionKind Kind, CustomerId Customer, string? Id = null, string? EventKind = null, decimal Amount = 0m, bool Referred = false, long Points = 0)
    {
        /// <summary>Gets the referrer of a sign-up.</summary>
        public CustomerId? Referrer { get; init; }
    }

    /// <summary>Who refers whom, which partition each customer runs in, and the month ends.</summary>
    private sealed record RunPlan(int Partitions, Dictionary<CustomerId, int> Partitioning, Dictionary<CustomerId, CustomerId> ReferrerOf, List<Instant> MonthEnds)
    {
        /// <summary>Gets a customer's partition (0 for one the data never names).</summary>
        public int PartitionOf(CustomerId customer) => Partitioning.GetValueOrDefault(customer);
    }

    /// <summary>What the partitions found, added up.</summary>
    private sealed class Totals(ImmutableArray<Tier> tiers)
    {
        public ImmutableArray<Tier> Tiers { get; } = tiers;

        public Dictionary<string, int> TierCounts { get; } = tiers.ToDictionary(t => t.Name, _ => 0, StringComparer.Ordinal);

        public Dictionary<YearMonth, long[]> PerMonth { get; } = [];

        public int Members { get; set; }

        public long Postings { get; set; }

        public long Redemptions { get; set; }

        public long Outstanding { get; set; }

        /// <summary>Adds another partition's totals to these.</summary>
        public void Add(Totals other)
        {
            foreach (var (tier, count) in other.TierCounts)
            {
                TierCounts[tier] += count;
            }

            foreach (var (month, sums) in other.PerMonth)
            {
                if (!PerMonth.TryGetValue(month, out var mine))
                {
                    PerMonth[month] = mine = new long[sums.Length];
                }

                for (var i = 0; i < sums.Length; i++)
                {
                    mine[i] += sums[i];
                }
            }

            Members += other.Members;
            Postings += other.Postings;
            Redemptions += other.Redemptions;
            Outstanding += other.Outstanding;
        }
    }

    /// <summary>A partition's rows of the data and its customers active at the as-of date.</summary>
    private sealed class PartitionRows
    {
        public List<int> Activity { get; } = [];

        public List<int> Feedback { get; } = [];

        public List<SubscriptionEvent> Events { get; } = [];

        public List<CustomerId> Active { get; } = [];
    }

    private sealed class StageClock : IClock
    {
        public Instant Now { get; set; }

        public Instant GetCurrentInstant() => Now;
    }
}

internal sealed record TierCount(string Tier, long From, int Customers);

internal sealed record PointsMonth(YearMonth Month, long Earned, long Redeemed, long Expired, long ClawedBack);

internal sealed record LoyaltySummary(
    LocalDate AsOf,
    int Members,
    long Postings,
    long Redemptions,
    long Outstanding,
    int ActiveCustomers,
    ImmutableArray<TierCount> Tiers,
    ImmutableArray<PointsMonth> Months,
    ReferralAnalytics Referrals,
    double AssumedReferredShare,
    int MonthEnds);
