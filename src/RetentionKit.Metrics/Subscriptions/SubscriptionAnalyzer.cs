using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using NodaTime;
// The argument errors raised inside the nested run describe the caller's 'events' and 'segmentOf' arguments.
#pragma warning disable CA2208

namespace RetentionKit.Metrics.Subscriptions;

/// <summary>
/// Turns a subscription history into monthly MRR movements, customer counts, cohort tables and retention KPIs
/// (SPEC M8–M10).
/// </summary>
/// <remarks>
/// <para>
/// Movements are measured per customer between month-end snapshots: a customer active at both ends whose MRR rose is
/// expansion, whose MRR fell is contraction; active at the start only is churn; active at the end only is new business
/// or a reactivation. Changes that cancel out within a month leave no movement, except a customer who joins and leaves
/// in the same month (see <see cref="SamePeriodSignupAndCancelPolicy"/>). Because every movement is a difference of
/// one customer's MRR, each month's bridge reconciles exactly.
/// </para>
/// <para>
/// Cost is one sort of the events by date (skipped when they arrive in order) and one pass over them; memory beyond the
/// input is proportional to customers plus months (cohort tables are months²/2 cells), not to events × months.
/// </para>
/// <para>Thread safety: instances are immutable and safe to share.</para>
/// </remarks>
public sealed class SubscriptionAnalyzer
{
    private readonly SamePeriodSignupAndCancelPolicy _samePeriod;
    private readonly int? _reactivationWindowMonths;
    private readonly DiscountTreatment _discounts;
    private readonly NormalisedAmountRounding _rounding;

    /// <summary>Initializes a new instance of the <see cref="SubscriptionAnalyzer"/> class.</summary>
    /// <param name="options">The edge-case policies; their values are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every problem.</exception>
    public SubscriptionAnalyzer(SubscriptionAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = RetentionKit.Internal.OptionPaths.Qualify<SubscriptionAnalysisOptions>("Metrics:Subscriptions", new SubscriptionAnalysisOptionsValidator().Validate(null, options));
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage, nameof(options));
        }

        _samePeriod = options.SamePeriodSignupAndCancel;
        _reactivationWindowMonths = options.ReactivationWindowMonths;
        _discounts = options.Discounts;
        _rounding = options.MonthlyAmountRounding;
    }

    /// <summary>Analyses a subscription history up to and including <paramref name="asOf"/>.</summary>
    /// <param name="events">The history in any order; events effective after <paramref name="asOf"/> are not analysed.</param>
    /// <param name="asOf">The last day observed; the month containing it is the last period, ending on this day.</param>
    /// <param name="currency">The currency of every amount in the history.</param>
    /// <param name="segmentOf">Optional: gives each customer's segment label for churn by segment; called once per customer.</param>
    /// <returns>The analysis; with no events it has no periods and no cohorts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// An event is null or in another currency; two different events share an id; a customer's history is impossible
    /// (a cancellation or reactivation before the first subscription, a change or cancellation of a cancelled
    /// customer, a reactivation of an active one); or <paramref name="segmentOf"/> returned a blank label.
    /// </exception>
    public SubscriptionAnalysis Analyze(IEnumerable<SubscriptionEvent> events, LocalDate asOf, Currency currency, Func<CustomerId, string>? segmentOf = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var run = new Run(this, asOf, currency, segmentOf);
        return run.Execute(events);
    }

    private decimal MonthlyAmount(SubscriptionTerms terms)
    {
        // Fast path for the common case (monthly, undiscounted): decimal division and double→decimal conversion are
        // the most expensive steps of the whole pass.
        var discounted = _discounts == DiscountTreatment.NetOfDiscount && terms.Discount.Fraction != 0d;
        var monthly = terms.Interval.Months == 1 && !discounted
            ? terms.Amount
            : discounted ? terms.MonthlyNetAmount : terms.MonthlyListAmount;
        return _rounding == NormalisedAmountRounding.MinorUnit ? monthly.Round().Amount : monthly.Amount;
    }

    private struct CustomerState
    {
        public int Segment;
        public int Cohort;
        public int TouchedPeriod;
        public bool StartActive;
        public decimal StartMrr;
        public bool Active;
        public decimal Mrr;
        public bool EverActive;
        public bool ActivatedInPeriod;
        public bool ActivationIsReactivation;
        public decimal SamePeriodMrr;
        public LocalDate LastCancelDate;
        public ChurnReason LastReason;
        public bool AnchorCaptured;
        public bool AnchorActive;
        public bool Churned;
        public bool Reactivated;
        public string? Plan;
        public string? StartPlan;
        public LocalDate SignedUp;
        public int Cancellations;
        public int Reactivations;
        public LocalDate LastReactivationDate;
    }

    private sealed class SegmentSeries(int periods)
    {
        public readonly int[] EndActiveDelta = new int[periods];
        public readonly decimal[] EndMrrDelta = new decimal[periods];
        public readonly int[] ChurnedFromStart = new int[periods];
        public readonly decimal[] ChurnedMrr = new decimal[periods];
    }

    private sealed class Run
    {
        private readonly SubscriptionAnalyzer _owner;
        private readonly LocalDate _asOf;
        private readonly Currency _currency;
        private readonly Func<CustomerId, string>? _segmentOf;
        private readonly Dictionary<CustomerId, int> _index = [];
        private readonly Dictionary<string, int> _segmentIndex = new(StringComparer.Ordinal);
        private readonly List<string> _segmentNames = [];
        private readonly List<SegmentSeries> _segments = [];
        private readonly Dictionary<ChurnReason, (int Customers, decimal Mrr)> _reasons = [];
        private readonly Dictionary<string, decimal[]> _planDelta = new(StringComparer.Ordinal);
        private int _count;
        private int _anchorActive;
        private int _anchorRetained;
        private int _churnedCustomers;
        private int _reactivatedCustomers;
        private int _firstMonth;
        private int _periods;
        private int _anchor;
        private CustomerStanding[] _standings = [];

        // Per-period aggregates.
        private decimal[] _new = [], _expansion = [], _reactivation = [], _contraction = [], _churn = [], _churnFromStart = [];
        private int[] _newCount = [], _reactivatedCount = [], _churnedCount = [], _churnedFromStartCount = [];

        // Cohorts, indexed by sign-up period then age.
        private int[][] _cohortActiveDelta = [];
        private decimal[][] _cohortMrrDelta = [];
        private int[] _cohortSize = [];
        private decimal[] _cohortInitialMrr = [];

        public Run(SubscriptionAnalyzer owner, LocalDate asOf, Currency currency, Func<CustomerId, string>? segmentOf)
        {
            _owner = owner;
            _asOf = asOf;
            _currency = currency;
            _segmentOf = segmentOf;
        }

        public SubscriptionAnalysis Execute(IEnumerable<SubscriptionEvent> events)
        {
            var source = events as IReadOnlyList<SubscriptionEvent> ?? events.ToArray();

            // Pass 1: number the customers and find the first month. Customers are processed one at a time below, so
            // their state stays in registers and cache instead of being looked up again for every event.
            var customerOf = new int[source.Count];
            var customers = new List<CustomerId>();
            var firstDay = int.MaxValue;
            var kept = 0;
            for (var i = 0; i < source.Count; i++)
            {
                var e = source[i] ?? throw new ArgumentException($"events contains null at index {i}.", nameof(events));
                if (e.EffectiveDate > _asOf)
                {
                    customerOf[i] = -1;
                    continue;
                }

                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, e.Customer, out var exists);
                if (!exists)
                {
                    slot = customers.Count;
                    customers.Add(e.Customer);
                }

                customerOf[i] = slot;
                firstDay = Math.Min(firstDay, e.EffectiveDate.ToDateOnly().DayNumber);
                kept++;
            }

            if (kept == 0)
            {
                return new SubscriptionAnalysis(_currency, _asOf, [], [], ImmutableSortedDictionary<string, ChurnTally>.Empty, null, null, 0, CustomerBase.Empty(_asOf, _currency));
            }

            _firstMonth = MonthIndex(LocalDate.FromDateOnly(DateOnly.FromDayNumber(firstDay)));
            _periods = MonthIndex(_asOf) - _firstMonth + 1;
            _anchor = _periods - 1 - 12;
            Allocate();

            // Pass 2: group the events by customer (a counting sort, stable in input order).
            var offsets = new int[customers.Count + 1];
            foreach (var c in customerOf)
            {
                if (c >= 0)
                {
                    offsets[c + 1]++;
                }
            }

            for (var c = 0; c < customers.Count; c++)
            {
                offsets[c + 1] += offsets[c];
            }

            var order = new SubscriptionEvent[kept];
            var keys = new long[kept];
            var next = (int[])offsets.Clone();
            for (var i = 0; i < customerOf.Length; i++)
            {
                if (customerOf[i] is var c and >= 0)
                {
                    var e = source[i];

                    // Date in the high half, position in the low half: sorting by key is a stable sort by date.
                    keys[next[c]] = ((long)e.EffectiveDate.ToDateOnly().DayNumber << 32) | (uint)i;
                    order[next[c]++] = e;
                }
            }

            // Pass 3: each customer's history in date order.
            _standings = new CustomerStanding[customers.Count];
            for (var c = 0; c < customers.Count; c++)
            {
                int from = offsets[c], count = offsets[c + 1] - from;
                if (!IsSorted(keys.AsSpan(from, count)))
                {
                    Array.Sort(keys, order, from, count);
                }

                var s = new CustomerState { Segment = ResolveSegment(customers[c]), Cohort = -1, TouchedPeriod = -1 };
                for (var k = from; k < from + count; k++)
                {
                    Apply(ref s, order, from, k);
                }

                Finalise(ref s);
                if (!s.AnchorCaptured)
                {
                    s.AnchorActive = s.Active;
                }

                _anchorActive += s.AnchorActive ? 1 : 0;
                _anchorRetained += s.AnchorActive && s.Active ? 1 : 0;
                _churnedCustomers += s.Churned ? 1 : 0;
                _reactivatedCustomers += s.Reactivated ? 1 : 0;
                _standings[c] = Standing(customers[c], in s);
            }

            _count = customers.Count;
            return Build();
        }

        private CustomerStanding Standing(CustomerId customer, in CustomerState s)
        {
            var until = s.Active ? _asOf : s.LastCancelDate;
            var months = MonthIndex(until) - MonthIndex(s.SignedUp);
            if (months > 0 && s.SignedUp.PlusMonths(months) > until)
            {
                months--; // whole months, as NodaTime's Period.Between counts them
            }

            return new CustomerStanding(
                customer,
                s.Active ? CustomerStatus.Active : CustomerStatus.Churned,
                s.Plan!,
                M(s.Mrr),
                s.SignedUp,
                months,
                s.Cancellations > 0 ? s.LastCancelDate : null,
                s.Cancellations > 0 ? s.LastReason : null,
                s.Reactivations > 0 ? s.LastReactivationDate : null,
                s.Cancellations,
                s.Reactivations);
        }

        private static bool IsSorted(ReadOnlySpan<long> keys)
        {
            for (var i = 1; i < keys.Length; i++)
            {
                if (keys[i] < keys[i - 1])
                {
                    return false;
                }
            }

            return true;
        }

        private static int MonthIndex(LocalDate date) => (date.Year * 12) + date.Month - 1;

        private void Allocate()
        {
            var p = _periods;
            _new = new decimal[p];
            _expansion = new decimal[p];
            _reactivation = new decimal[p];
            _contraction = new decimal[p];
            _churn = new decimal[p];
            _churnFromStart = new decimal[p];
            _newCount = new int[p];
            _reactivatedCount = new int[p];
            _churnedCount = new int[p];
            _churnedFromStartCount = new int[p];
            _cohortActiveDelta = new int[p][];
            _cohortMrrDelta = new decimal[p][];
            _cohortSize = new int[p];
            _cohortInitialMrr = new decimal[p];
        }

        private void Apply(ref CustomerState s, SubscriptionEvent[] history, int from, int at)
        {
            var e = history[at];

            // Ids are unique per customer, so a duplicate can only be among the customer's earlier events.
            for (var j = from; j < at; j++)
            {
                var previous = history[j];
                if (string.Equals(previous.Id, e.Id, StringComparison.Ordinal))
                {
                    if (previous.Equals(e))
                    {
                        return; // the same event twice is harmless
                    }

                    throw new ArgumentException($"events contains two different events with id '{e.Id}' for customer '{e.Customer}': {previous} and {e}.", "events");
                }
            }

            var period = MonthIndex(e.EffectiveDate) - _firstMonth;
            if (s.TouchedPeriod < period)
            {
                if (s.TouchedPeriod >= 0)
                {
                    Finalise(ref s);
                }

                if (!s.AnchorCaptured && period > _anchor)
                {
                    s.AnchorActive = s.Active;
                    s.AnchorCaptured = true;
                }

                s.TouchedPeriod = period;
                s.StartActive = s.Active;
                s.StartMrr = s.Mrr;
                s.StartPlan = s.Plan;
                s.ActivatedInPeriod = false;
            }

            switch (e)
            {
                case SubscriptionChange change:
                    var mrr = MonthlyAmount(change.Terms, e);
                    if (!s.EverActive)
                    {
                        s.EverActive = true;
                        s.Active = true;
                        s.Mrr = mrr;
                        s.SignedUp = e.EffectiveDate;
                        s.Cohort = period;
                        s.ActivatedInPeriod = true;
                        s.ActivationIsReactivation = false;
                        _cohortSize[period]++;
                        _cohortInitialMrr[period] += mrr;
                        _cohortActiveDelta[period] ??= new int[_periods - period];
                        _cohortMrrDelta[period] ??= new decimal[_periods - period];
                    }
                    else if (s.Active)
                    {
                        s.Mrr = mrr;
                    }
                    else
                    {
                        throw History(e, "changes the subscription of a cancelled customer; record a Reactivation to bring the customer back");
                    }

                    s.Plan = change.Terms.Plan;
                    break;

                case Cancellation cancellation:
                    if (!s.Active)
                    {
                        throw History(e, s.EverActive ? "cancels a customer who is already cancelled" : "cancels before the customer's first subscription");
                    }

                    s.SamePeriodMrr = s.Mrr;
                    s.Active = false;
                    s.Mrr = 0m;
                    s.LastCancelDate = e.EffectiveDate;
                    s.LastReason = cancellation.Reason;
                    s.Churned = true;
                    s.Cancellations++;
                    break;

                case Reactivation reactivation:
                    if (s.Active)
                    {
                        throw History(e, "reactivates a customer who is active");
                    }

                    if (!s.EverActive)
                    {
                        throw History(e, "reactivates a customer who never subscribed; the first event must be a SubscriptionChange");
                    }

                    s.Active = true;
                    s.Mrr = MonthlyAmount(reactivation.Terms, e);
                    s.ActivatedInPeriod = true;
                    s.ActivationIsReactivation = _owner._reactivationWindowMonths is not { } window
                        || s.LastCancelDate.PlusMonths(window) >= e.EffectiveDate;
                    s.Reactivated |= s.ActivationIsReactivation;
                    s.Plan = reactivation.Terms.Plan;
                    s.Reactivations++;
                    s.LastReactivationDate = e.EffectiveDate;
                    break;

                default:
                    throw new ArgumentException($"events contains an unsupported event type {e.GetType().Name}.", "events");
            }
        }

        private decimal MonthlyAmount(SubscriptionTerms terms, SubscriptionEvent e)
        {
            if (terms.Amount.Currency != _currency)
            {
                throw new ArgumentException($"event '{e.Id}' of customer '{e.Customer}' is in {terms.Amount.Currency}, but the analysis is in {_currency}.", "events");
            }

            return _owner.MonthlyAmount(terms);
        }

        private static ArgumentException History(SubscriptionEvent e, string problem) =>
            new($"event '{e.Id}' of customer '{e.Customer}' on {e.EffectiveDate:uuuu-MM-dd} {problem}.", "events");

        private int ResolveSegment(CustomerId customer)
        {
            if (_segmentOf is null)
            {
                return -1;
            }

            var label = _segmentOf(customer);
            if (string.IsNullOrWhiteSpace(label))
            {
                throw new ArgumentException($"segmentOf returned a blank segment for customer '{customer}'.", "segmentOf");
            }

            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_segmentIndex, label, out var exists);
            if (!exists)
            {
                index = _segments.Count;
                _segments.Add(new SegmentSeries(_periods));
                _segmentNames.Add(label);
            }

            return index;
        }

        private void Finalise(ref CustomerState s)
        {
            var p = s.TouchedPeriod;
            if (!s.StartActive && s.Active)
            {
                CountActivation(ref s, p, s.Mrr);
            }
            else if (s.StartActive && !s.Active)
            {
                _churn[p] += s.StartMrr;
                _churnedCount[p]++;
                _churnFromStart[p] += s.StartMrr;
                _churnedFromStartCount[p]++;
                Tally(s.LastReason, s.StartMrr);
                if (s.Segment >= 0)
                {
                    var series = _segments[s.Segment];
                    series.ChurnedFromStart[p]++;
                    series.ChurnedMrr[p] += s.StartMrr;
                }
            }
            else if (s.StartActive)
            {
                var delta = s.Mrr - s.StartMrr;
                if (delta > 0m)
                {
                    _expansion[p] += delta;
                }
                else if (delta < 0m)
                {
                    _contraction[p] -= delta;
                }
            }
            else if (s.ActivatedInPeriod && _owner._samePeriod == SamePeriodSignupAndCancelPolicy.CountAsNewAndChurned)
            {
                CountActivation(ref s, p, s.SamePeriodMrr);
                _churn[p] += s.SamePeriodMrr;
                _churnedCount[p]++;
                Tally(s.LastReason, s.SamePeriodMrr);
            }

            if (s.StartActive != s.Active || s.StartMrr != s.Mrr || (s.Active && !string.Equals(s.StartPlan, s.Plan, StringComparison.Ordinal)))
            {
                if (s.StartActive)
                {
                    PlanDelta(s.StartPlan!)[p] -= s.StartMrr;
                }

                if (s.Active)
                {
                    PlanDelta(s.Plan!)[p] += s.Mrr;
                }
            }

            var activeDelta = (s.Active ? 1 : 0) - (s.StartActive ? 1 : 0);
            var mrrDelta = s.Mrr - s.StartMrr;
            if (activeDelta == 0 && mrrDelta == 0m)
            {
                return;
            }

            if (s.Segment >= 0)
            {
                var series = _segments[s.Segment];
                series.EndActiveDelta[p] += activeDelta;
                series.EndMrrDelta[p] += mrrDelta;
            }

            var age = p - s.Cohort;
            _cohortActiveDelta[s.Cohort][age] += activeDelta;
            _cohortMrrDelta[s.Cohort][age] += mrrDelta;
        }

        private decimal[] PlanDelta(string plan)
        {
            ref var delta = ref CollectionsMarshal.GetValueRefOrAddDefault(_planDelta, plan, out _);
            return delta ??= new decimal[_periods];
        }

        private void CountActivation(ref CustomerState s, int p, decimal mrr)
        {
            if (s.ActivationIsReactivation)
            {
                _reactivation[p] += mrr;
                _reactivatedCount[p]++;
            }
            else
            {
                _new[p] += mrr;
                _newCount[p]++;
            }
        }

        private void Tally(ChurnReason reason, decimal mrr)
        {
            ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_reasons, reason, out _);
            tally = (tally.Customers + 1, tally.Mrr + mrr);
        }

        private SubscriptionAnalysis Build()
        {
            var periods = ImmutableArray.CreateBuilder<MrrPeriod>(_periods);
            var startMrr = 0m;
            var startCustomers = 0;
            var plans = _planDelta.Keys.Order(StringComparer.Ordinal).ToArray();
            var planMrr = new decimal[plans.Length];
            var segmentActive = new int[_segments.Count];
            var segmentMrr = new decimal[_segments.Count];
            for (var p = 0; p < _periods; p++)
            {
                var endMrr = startMrr + _new[p] + _expansion[p] + _reactivation[p] - _contraction[p] - _churn[p];
                var endCustomers = startCustomers + _newCount[p] + _reactivatedCount[p] - _churnedCount[p];
                var bridge = new MrrBridge(
                    M(startMrr), M(_new[p]), M(_expansion[p]), M(_reactivation[p]), M(_contraction[p]), M(_churn[p]), M(endMrr));
                var customers = new CustomerMovements(startCustomers, _newCount[p], _reactivatedCount[p], _churnedCount[p], _churnedFromStartCount[p], endCustomers);
                var retention = startMrr > 0m
                    ? RevenueRetention.Compute(M(startMrr), M(_expansion[p]), M(_contraction[p]), M(_churnFromStart[p]))
                    : null;

                var bySegment = ImmutableSortedDictionary.CreateBuilder<string, SegmentChurn>(StringComparer.Ordinal);
                for (var g = 0; g < _segments.Count; g++)
                {
                    var series = _segments[g];
                    if (segmentActive[g] > 0 || series.ChurnedFromStart[p] > 0)
                    {
                        bySegment[_segmentNames[g]] = new SegmentChurn(segmentActive[g], series.ChurnedFromStart[p], M(segmentMrr[g]), M(series.ChurnedMrr[p]));
                    }

                    segmentActive[g] += series.EndActiveDelta[p];
                    segmentMrr[g] += series.EndMrrDelta[p];
                }

                var month = MonthOf(p);
                var end = p == _periods - 1 ? _asOf : month.ToDateInterval().End;
                var previous = p == 0 ? null : periods[p - 1];
                var trend = new PeriodTrend(
                    Points(customers.ChurnRate?.Fraction, previous?.Customers.ChurnRate?.Fraction),
                    Points(retention?.Nrr.Fraction, previous?.RevenueRetention?.Nrr.Fraction),
                    startMrr > 0m ? (double)((endMrr - startMrr) / startMrr) : null);
                var byPlan = ImmutableSortedDictionary.CreateBuilder<string, Money>(StringComparer.Ordinal);
                for (var k = 0; k < plans.Length; k++)
                {
                    planMrr[k] += _planDelta[plans[k]][p];
                    if (planMrr[k] != 0m)
                    {
                        byPlan[plans[k]] = M(planMrr[k]);
                    }
                }

                periods.Add(new MrrPeriod(month, end, bridge, customers, retention, bySegment.ToImmutable(), trend) { MrrByPlan = byPlan.ToImmutable() });
                startMrr = endMrr;
                startCustomers = endCustomers;
            }

            var reasons = ImmutableSortedDictionary.CreateBuilder<string, ChurnTally>(StringComparer.Ordinal);
            foreach (var (reason, tally) in _reasons)
            {
                reasons[reason.Code] = new ChurnTally(tally.Customers, M(tally.Mrr));
            }

            Rate? annual = _anchor >= 0 && _anchorActive > 0 ? Rate.FromCounts(_anchorRetained, _anchorActive) : null;
            Rate? reactivationRate = _churnedCustomers > 0 ? Rate.FromCounts(_reactivatedCustomers, _churnedCustomers) : null;
            return new SubscriptionAnalysis(_currency, _asOf, periods.MoveToImmutable(), BuildCohorts(), reasons.ToImmutable(), annual, reactivationRate, _count, new CustomerBase(_asOf, _currency, _standings, _index));
        }

        private static double? Points(double? current, double? previous) =>
            current is { } c && previous is { } p ? (c - p) * 100d : null;

        private ImmutableArray<CohortRow> BuildCohorts()
        {
            var rows = ImmutableArray.CreateBuilder<CohortRow>();
            for (var c = 0; c < _periods; c++)
            {
                var size = _cohortSize[c];
                if (size == 0)
                {
                    continue;
                }

                var ages = _periods - c;
                var cells = ImmutableArray.CreateBuilder<CohortCell>(ages);
                var initial = _cohortInitialMrr[c];
                int active = 0;
                var mrr = 0m;
                for (var a = 0; a < ages; a++)
                {
                    active += _cohortActiveDelta[c][a];
                    mrr += _cohortMrrDelta[c][a];
                    Ratio? revenue = initial > 0m ? Ratio.FromFraction((double)(mrr / initial)) : null;
                    cells.Add(new CohortCell(a, active, Rate.FromCounts(active, size), M(mrr), revenue));
                }

                rows.Add(new CohortRow(MonthOf(c), size, M(initial), cells.MoveToImmutable()));
            }

            return rows.ToImmutable();
        }

        private YearMonth MonthOf(int period)
        {
            var index = _firstMonth + period;
            return new YearMonth(index / 12, (index % 12) + 1);
        }

        private Money M(decimal amount) => new(amount, _currency);
    }
}

[OptionsValidator]
internal sealed partial class SubscriptionAnalysisOptionsValidator : IValidateOptions<SubscriptionAnalysisOptions>
{
}
