using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using RetentionKit.Scoring;
using RetentionKit.Playbooks.Internal;
using static System.FormattableString;

namespace RetentionKit.Playbooks;

/// <summary>A step due today (or held back by a frequency cap).</summary>
/// <param name="Step">The step.</param>
/// <param name="DueOn">The day it fell due.</param>
/// <param name="IdempotencyKey">The delivery's key (<see cref="Enrolment.KeyOf"/>).</param>
public readonly record struct DueStep(PlaybookStep Step, LocalDate DueOn, string IdempotencyKey);

/// <summary>What today's run does to one enrolment.</summary>
/// <param name="Playbook">The playbook; null for an enrolment in a playbook that is no longer defined (it exits).</param>
/// <param name="Before">The enrolment before the run; null when it starts today.</param>
/// <param name="After">The enrolment after the run, assuming every step in <paramref name="Deliver"/> is delivered.</param>
/// <param name="Deliver">The steps to deliver now, in order.</param>
/// <param name="Deferred">Steps due but held back by a frequency cap; they stay due.</param>
public sealed record PlannedEnrolment(Playbook? Playbook, Enrolment? Before, Enrolment After, ImmutableArray<DueStep> Deliver, ImmutableArray<DueStep> Deferred)
{
    /// <summary>Gets the steps that fell due today in a control enrolment (<see cref="Enrolment.IsControl"/>): recorded, counted against the caps, never delivered.</summary>
    public ImmutableArray<DueStep> Withheld { get; init; } = [];

    /// <summary>Gets whether the enrolment starts today.</summary>
    public bool Starts => Before is null;

    /// <summary>Gets whether the enrolment ends today (completed or exited).</summary>
    public bool Ends => !After.IsActive;
}

/// <summary>A playbook whose trigger fired but that did not enrol the customer, and why.</summary>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="Reason">Why not.</param>
/// <param name="WaitsBehind">
/// For an intervention held back by one of equal or higher priority that is running (one intervention at a time): the
/// running playbook's id. It enrols once that ends, if its trigger still fires then. Null for any other reason.
/// </param>
public readonly record struct DeclinedEnrolment(string Playbook, string Reason, string? WaitsBehind = null);

/// <summary>Today's plan for one customer: enrolments that start, steps to deliver, enrolments that end.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Today">Today in the customer's zone.</param>
/// <param name="Enrolments">Every enrolment the run changes, interventions by priority first, then the lifecycle.</param>
/// <param name="Declined">Triggers that fired without enrolling.</param>
public sealed record CustomerPlan(CustomerId Customer, LocalDate Today, ImmutableArray<PlannedEnrolment> Enrolments, ImmutableArray<DeclinedEnrolment> Declined)
{
    /// <summary>Gets the customer's enrolments after the plan: the ones it starts added, the ones it changes replaced (by id).</summary>
    /// <param name="enrolments">The enrolments the plan was made from.</param>
    /// <returns>The enrolments after it, as a store would hold them.</returns>
    public ImmutableArray<Enrolment> ApplyTo(ImmutableArray<Enrolment> enrolments)
    {
        var result = enrolments.IsDefault ? [] : enrolments;
        foreach (var planned in Enrolments)
        {
            var at = -1;
            for (var i = 0; planned.Before is not null && i < result.Length && at < 0; i++)
            {
                at = string.Equals(result[i].Id, planned.After.Id, StringComparison.Ordinal) ? i : -1;
            }

            result = at < 0 ? result.Add(planned.After) : result.SetItem(at, planned.After);
        }

        return result;
    }
}

/// <summary>
/// The playbook engine (B15): given a customer's state, their enrolments and today's date, it says which enrolments
/// start, which steps are due, and which enrolments complete or exit. Pure and deterministic — the same inputs give
/// the same plan — so it can be run twice, replayed, and simulated (<see cref="PlaybookSimulator"/>).
/// </summary>
/// <remarks>
/// Policy: at most one active enrolment per playbook per customer; one intervention at a time, the highest priority
/// winning (a new one of higher priority pre-empts the running one); no upsell or cross-sell for a customer at risk
/// (high risk level, the at-risk retention band, or a retention intervention running); a retention offer only when its
/// cost is below the expected saved value (M15); frequency caps per channel over a rolling window, holding steps back
/// rather than dropping them; re-entry after the playbook's cooldown; A/B variants by a stable hash.
/// </remarks>
public sealed class PlaybookEngine
{
    private readonly Playbook[] _byPriority;
    private readonly Dictionary<string, Playbook> _byId;
    private readonly PlaybookOptions _options;
    private readonly Dictionary<PlaybookStep, int> _channelOf = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _capOf;
    private readonly bool[] _isContact;

    // The reason a trigger waits behind a running intervention, one string per pair of playbooks: a large base declines
    // the same pairs every day, and formatting the sentence each time was a tenth of the planning's time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Waiting, string Running), string> _waitReasons = new();

    /// <summary>Initializes a new instance of the <see cref="PlaybookEngine"/> class.</summary>
    /// <param name="playbooks">The playbooks; ids unique.</param>
    /// <param name="options">The policy; copied where it matters.</param>
    /// <exception cref="ArgumentException">Two playbooks share an id.</exception>
    public PlaybookEngine(IEnumerable<Playbook> playbooks, PlaybookOptions options)
    {
        ArgumentNullException.ThrowIfNull(playbooks);
        ArgumentNullException.ThrowIfNull(options);
        var all = playbooks.ToArray();
        _byId = new Dictionary<string, Playbook>(StringComparer.Ordinal);
        foreach (var playbook in all)
        {
            ArgumentNullException.ThrowIfNull(playbook, nameof(playbooks));
            if (!_byId.TryAdd(playbook.Id, playbook))
            {
                throw new ArgumentException($"Two playbooks have the id '{playbook.Id}'.", nameof(playbooks));
            }
        }

        // Interventions by priority (highest first), then the lifecycle; ties by id, so the order never depends on input order.
        _byPriority = [.. all.Where(p => !options.Disabled.Contains(p.Id))
            .OrderByDescending(p => p.IsIntervention)
            .ThenByDescending(p => p.Priority)
            .ThenBy(p => p.Id, StringComparer.Ordinal)];
        _options = options;

        // Each distinct channel (by name) gets a slot, so the caps count in arrays rather than by name on the hot path.
        var slots = new Dictionary<PlaybookChannel, int>();
        var caps = new List<int>();
        var contact = new List<bool>();
        foreach (var playbook in all)
        {
            foreach (var step in playbook.Steps)
            {
                if (!slots.TryGetValue(step.Channel, out var slot))
                {
                    slot = slots.Count;
                    slots.Add(step.Channel, slot);
                    caps.Add(options.CapOf(step.Channel));
                    contact.Add(step.Channel.IsContact);
                }
                else if (contact[slot] != step.Channel.IsContact)
                {
                    throw new ArgumentException($"Channel '{step.Channel.Name}' is a contact in one step and not in another (playbook '{playbook.Id}', step '{step.Id}'): a channel is one or the other.", nameof(playbooks));
                }

                _channelOf[step] = slot;
            }
        }

        (_capOf, _isContact) = (caps.ToArray(), contact.ToArray());
    }

    /// <summary>Gets the playbooks the engine runs, interventions by priority first.</summary>
    public IReadOnlyList<Playbook> Playbooks => _byPriority;

    /// <summary>Gets the policy the engine was made with.</summary>
    internal PlaybookOptions Options => _options;

    /// <summary>Gets a playbook by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The playbook, or null.</returns>
    public Playbook? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Plans today for one customer.</summary>
    /// <param name="customer">The customer's state.</param>
    /// <param name="enrolments">The customer's enrolments, active and ended.</param>
    /// <param name="today">Today in the customer's zone.</param>
    /// <returns>The plan; null when nothing changes (the common case, which allocates nothing).</returns>
    /// <exception cref="ArgumentException">An enrolment is another customer's.</exception>
    public CustomerPlan? Plan(CustomerState customer, ImmutableArray<Enrolment> enrolments, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var atRisk = IsAtRisk(customer);
        List<Draft>? drafts = null;
        List<DeclinedEnrolment>? declined = null;
        Draft? intervention = null; // the active intervention after today's exits and starts, and its playbook
        Playbook? interventionPlaybook = null;

        // 1. What is running: goals met, customers no longer suitable, steps due or skipped.
        foreach (var enrolment in enrolments.IsDefault ? [] : enrolments)
        {
            if (enrolment.Customer != customer.Customer)
            {
                throw new ArgumentException($"Enrolment '{enrolment.Id}' is not customer {customer.Customer}'s.", nameof(enrolments));
            }

            if (!enrolment.IsActive)
            {
                // An ended enrolment whose outcome is still open (the goal may yet be met inside the window).
                if (enrolment.Outcome is null && _byId.TryGetValue(enrolment.Playbook, out var ended) && OutcomeOf(ended, enrolment, customer, today) is { } outcome)
                {
                    Add(ref drafts, new Draft(ended, enrolment, enrolment with { Outcome = outcome }));
                }

                continue;
            }

            if (!_byId.TryGetValue(enrolment.Playbook, out var playbook))
            {
                Add(ref drafts, Draft.Exit(null, enrolment, today, $"the playbook '{enrolment.Playbook}' is no longer defined"));
                continue;
            }

            Draft? draft = null;
            var decided = enrolment.Outcome is null ? OutcomeOf(playbook, enrolment, customer, today) : null;
            if (playbook.Goal is { } goal && goal.IsMet(customer, enrolment.StartedOn, today))
            {
                draft = Draft.Exit(playbook, enrolment, today, "goal met: " + goal.Description);
            }
            else if (playbook.IsExpansion && atRisk)
            {
                draft = Draft.Exit(playbook, enrolment, today, "the customer is at risk");
            }
            else if (Steps(playbook, enrolment, customer, today) is { } running)
            {
                draft = running;
            }

            if (decided is not null)
            {
                draft ??= new Draft(playbook, enrolment, enrolment);
                draft.After = draft.After with { Outcome = decided };
            }

            if (draft is not null)
            {
                Add(ref drafts, draft);
            }

            if (playbook.IsIntervention && (draft?.After.IsActive ?? true))
            {
                (intervention, interventionPlaybook) = (draft ?? new Draft(playbook, enrolment, enrolment), playbook);
            }
        }

        // 2. What starts: every trigger that fires, interventions by priority first.
        foreach (var playbook in _byPriority)
        {
            if (playbook.Trigger.Fires(customer, today) is not { } anchor)
            {
                continue;
            }

            // Too late when its last step is already past; the start date itself is worked out only for an enrolment.
            if (Days.Between(anchor, today) - playbook.StartDelayDays > playbook.LengthInDays || !MayEnter(playbook, enrolments, anchor, today))
            {
                continue;
            }

            var start = anchor.PlusDays(playbook.StartDelayDays);

            if (playbook.IsExpansion && (atRisk || interventionPlaybook?.Kind is PlaybookKind.Retention or PlaybookKind.WinBack))
            {
                Add(ref declined, new DeclinedEnrolment(playbook.Id, "the customer is at risk: no upsell or cross-sell"));
                continue;
            }

            if (playbook.IsIntervention && interventionPlaybook is { } running && running.Priority >= playbook.Priority)
            {
                // It waits for the running intervention to end; if it still fires then, it enrols. Said, so that a dry
                // run or a report shows why a trigger that fires did nothing.
                var reason = _waitReasons.GetOrAdd((playbook.Id, running.Id), static (_, pair) => Invariant($"waits behind '{pair.Running.Id}' (priority {pair.Running.Priority}, this one {pair.Waiting.Priority}): one intervention at a time; it enrols when that ends if its trigger still fires"), (Waiting: playbook, Running: running));
                Add(ref declined, new DeclinedEnrolment(playbook.Id, reason, running.Id));
                continue;
            }

            if (playbook.Kind == PlaybookKind.Retention && OfferDeclined(playbook, customer) is { } why)
            {
                Add(ref declined, new DeclinedEnrolment(playbook.Id, why));
                continue;
            }

            if (playbook.IsIntervention && intervention is { Before: { } preempted } && interventionPlaybook is not null)
            {
                drafts?.Remove(intervention);
                var exit = Draft.Exit(interventionPlaybook, preempted, today, Invariant($"pre-empted by '{playbook.Id}' (priority {playbook.Priority})"));
                exit.After = exit.After with { Outcome = intervention.After.Outcome }; // decided today, before it was pre-empted
                Add(ref drafts, exit);
            }

            var enrolment = new Enrolment(customer.Customer, playbook.Id, start, VariantOf(customer.Customer, playbook.Id)) { IsControl = IsHeldOut(customer.Customer, playbook.Id) };
            if (playbook.Kind == PlaybookKind.Retention && playbook.HasOffer)
            {
                // The offer is chosen once, when the customer enrols, so every step speaks of the same one.
                var (offer, improvedOffer) = OffersFor(customer, playbook.Id);
                enrolment = enrolment with { Offer = offer, ImprovedOffer = improvedOffer };
            }

            var draft = Steps(playbook, enrolment, customer, today) ?? new Draft(playbook, enrolment, enrolment);
            draft.Before = null;
            Add(ref drafts, draft);
            if (playbook.IsIntervention)
            {
                (intervention, interventionPlaybook) = (draft, playbook);
            }
        }

        if (drafts is null && declined is null)
        {
            return null;
        }

        var planned = drafts is null ? [] : ApplyCaps(drafts, enrolments, today);
        return new CustomerPlan(customer.Customer, today, planned, declined is null ? [] : [.. declined]);
    }

    /// <summary>
    /// Plans today for many customers (the daily run): today is the clock's instant in each customer's zone, worked
    /// out once per zone. Only customers whose plan changes something are returned. The plans are produced as they are
    /// read: a run that handles each before asking for the next keeps none of them alive.
    /// </summary>
    /// <param name="customers">The customers' states.</param>
    /// <param name="enrolments">Each customer's enrolments, at the same index (default or empty for none).</param>
    /// <param name="now">The instant of the run.</param>
    /// <returns>The plans, in customer order.</returns>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public IEnumerable<CustomerPlan> PlanDay(IReadOnlyList<CustomerState> customers, IReadOnlyList<ImmutableArray<Enrolment>> enrolments, Instant now)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(enrolments);
        if (customers.Count != enrolments.Count)
        {
            throw new ArgumentException($"There are {customers.Count} customers and {enrolments.Count} enrolment lists; they go by index.", nameof(enrolments));
        }

        return PlanDayCore(customers, enrolments, now);
    }

    private IEnumerable<CustomerPlan> PlanDayCore(IReadOnlyList<CustomerState> customers, IReadOnlyList<ImmutableArray<Enrolment>> enrolments, Instant now)
    {
        DateTimeZone? zone = null;
        var today = default(LocalDate);
        for (var i = 0; i < customers.Count; i++)
        {
            var customer = customers[i];
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            if (!ReferenceEquals(customer.Zone, zone))
            {
                (zone, today) = (customer.Zone, now.InZone(customer.Zone).Date);
            }

            if (Plan(customer, enrolments[i], today) is { } plan)
            {
                yield return plan;
            }
        }
    }

    /// <summary>Gets whether a customer is at risk for the policy: high risk, the at-risk band, or churned.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>Whether upsell and cross-sell are off.</returns>
    public static bool IsAtRisk(CustomerState customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return customer.ChurnedOn is not null || customer.Score is { } s && (s.Risk.Level == RiskLevel.High || s.Retention.Band == RetentionBand.AtRisk);
    }

    /// <summary>Gets the A/B variant of a customer in a playbook: a stable hash of both, the same in every process and run.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="playbook">The playbook's id.</param>
    /// <returns>The variant; null when the playbook has none.</returns>
    public string? VariantOf(CustomerId customer, string playbook)
    {
        if (!_options.Variants.TryGetValue(playbook, out var variants) || variants.Count == 0)
        {
            return null;
        }

        return variants[(int)(unchecked((uint)StableHash(Invariant($"{playbook}\n{customer}"))) % (uint)variants.Count)];
    }

    /// <summary>
    /// Gets whether a customer is in a playbook's control group: a stable hash of both (independent of the variant's)
    /// below the playbook's holdout share (<see cref="PlaybookOptions.HoldoutOf"/>), the same in every process and run.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="playbook">The playbook's id.</param>
    /// <returns>Whether an enrolment of the customer in the playbook is a control.</returns>
    public bool IsHeldOut(CustomerId customer, string playbook)
    {
        var share = _options.HoldoutOf(playbook);
        if (share <= 0)
        {
            return false;
        }

        return (StableHash(Invariant($"holdout\n{playbook}\n{customer}")) >> 11) * (1.0 / (1UL << 53)) < share;
    }

    /// <summary>
    /// The offer and the improved offer of a retention enrolment: the best of each (M15), or, with
    /// <see cref="PlaybookOptions.RandomizeOffers"/>, one of the choices worth their cost by a stable hash (an
    /// experiment), its improved offer the same kind made stronger when that too is worth its cost.
    /// </summary>
    private (string? Offer, string? Improved) OffersFor(CustomerState customer, string playbook)
    {
        if (!_options.RandomizeOffers)
        {
            return (RetentionOffers.Choose(customer, _options)?.Name, RetentionOffers.Choose(customer, _options, improved: true)?.Name);
        }

        var worthwhile = RetentionOffers.Evaluate(customer, _options).Where(o => o.Economics.IsWorthwhile).OrderBy(o => o.Kind).ToArray();
        if (worthwhile.Length == 0)
        {
            return (null, null);
        }

        var drawn = worthwhile[(int)(unchecked((uint)StableHash(Invariant($"offer\n{playbook}\n{customer.Customer}"))) % (uint)worthwhile.Length)];
        var improved = RetentionOffers.Evaluate(customer, _options, improved: true).FirstOrDefault(o => o.Kind == drawn.Kind && o.Economics.IsWorthwhile);
        return (drawn.Name, improved?.Name);
    }

    /// <summary>The outcome the playbook's rule decides today for an enrolment whose outcome is open, or null (still open, or not measured).</summary>
    /// <exception cref="InvalidOperationException">The rule left the outcome open after its window closed.</exception>
    private static EnrolmentOutcome? OutcomeOf(Playbook playbook, Enrolment enrolment, CustomerState customer, LocalDate today)
    {
        if (playbook.Outcome is not { } rule)
        {
            return null;
        }

        var window = playbook.OutcomeWindowDays;
        var elapsed = Days.Between(enrolment.StartedOn, today);
        var closed = elapsed >= window;
        return rule.Decide(customer, enrolment.StartedOn, today, closed) switch
        {
            { } succeeded => new EnrolmentOutcome(succeeded, closed ? enrolment.StartedOn.PlusDays(window) : today, Invariant($"{(succeeded ? "succeeded" : "did not succeed")} by day {Math.Min(elapsed, window)} of {window}: {rule.Description}")),
            null when closed => throw new InvalidOperationException($"The outcome rule of playbook '{playbook.Id}' ({rule.Description}) left enrolment '{enrolment.Id}' open after its {window}-day window closed; a rule must answer then."),
            null => null,
        };
    }

    /// <summary>The first 8 bytes of SHA-256 of the text (UTF-8), little-endian: the same in every process and run, unlike <c>string.GetHashCode()</c>.</summary>
    private static ulong StableHash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BitConverter.ToUInt64(hash);
    }

    private static void Add<T>(ref List<T>? list, T item) => (list ??= []).Add(item);

    /// <summary>Whether the customer may enter: no active enrolment in it, not the same start again, once-only and cooldown respected.</summary>
    private static bool MayEnter(Playbook playbook, ImmutableArray<Enrolment> enrolments, LocalDate anchor, LocalDate today)
    {
        foreach (var e in enrolments.IsDefault ? [] : enrolments)
        {
            if (!string.Equals(e.Playbook, playbook.Id, StringComparison.Ordinal))
            {
                continue;
            }

            if (e.IsActive || playbook.Once || Days.Between(anchor, e.StartedOn) == playbook.StartDelayDays || e.EndedOn is { } ended && Days.Between(ended, today) < playbook.CooldownDays)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why the retention offer is not made (M15), or null when one of its choices is worth its cost.</summary>
    private string? OfferDeclined(Playbook playbook, CustomerState customer)
    {
        if (!playbook.HasOffer)
        {
            return null;
        }

        var offers = RetentionOffers.Evaluate(customer, _options);
        if (offers.IsEmpty)
        {
            return "the offer cannot be weighed: the customer's monthly revenue or lifetime value is unknown, or in different currencies";
        }

        var best = offers[0].Economics;
        return best.IsWorthwhile
            ? null
            : Invariant($"the offer costs {best.Cost.Amount:0.##} {best.Cost.Currency} at the least ({offers[0].Name}), more than the expected saved value ({best.ExpectedSavedValue.Amount:0.##})");
    }

    /// <summary>The steps of an enrolment that fall due by today: skipped when their wait's event happened, else due.</summary>
    private static Draft? Steps(Playbook playbook, Enrolment enrolment, CustomerState customer, LocalDate today)
    {
        Draft? draft = null;
        var elapsed = Days.Between(enrolment.StartedOn, today);
        foreach (var step in playbook.Steps)
        {
            if (step.Day > elapsed)
            {
                break;
            }

            if (enrolment.HasDone(step.Id))
            {
                continue;
            }

            var due = enrolment.StartedOn.PlusDays(step.Day);

            draft ??= new Draft(playbook, enrolment, enrolment);
            if (step.UnlessEvent is { } awaited && customer.Did(awaited, enrolment.StartedOn))
            {
                draft.Skipped.Add(new StepRecord(step.Id, today, Skipped: true));
            }
            else
            {
                draft.Due.Add(new DueStep(step, due, enrolment.KeyOf(step.Id)));
            }
        }

        return draft;
    }

    /// <summary>Delivers what the caps allow, in plan order; a step held back holds back the rest of its enrolment.</summary>
    private ImmutableArray<PlannedEnrolment> ApplyCaps(List<Draft> drafts, ImmutableArray<Enrolment> enrolments, LocalDate today)
    {
        var slots = _capOf.Length;
        Span<int> sent = slots <= 32 ? stackalloc int[slots] : new int[slots];
        Span<int> sentToday = slots <= 32 ? stackalloc int[slots] : new int[slots];
        var contactsToday = 0;
        var windowStart = today.PlusDays(1 - _options.CapWindowDays);
        foreach (var e in enrolments.IsDefault ? [] : enrolments)
        {
            if (!_byId.TryGetValue(e.Playbook, out var playbook))
            {
                continue;
            }

            foreach (var record in e.Steps)
            {
                if (!record.Skipped && record.On >= windowStart && StepOf(playbook, record.Step) is { } step)
                {
                    var slot = _channelOf[step];
                    sent[slot]++;
                    if (record.On == today)
                    {
                        sentToday[slot]++;
                        contactsToday += _isContact[slot] ? 1 : 0;
                    }
                }
            }
        }

        // Interventions by priority first, then the lifecycle; ties by id. Plans hold a handful of drafts: insertion sort.
        for (var i = 1; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var j = i - 1;
            while (j >= 0 && Before(draft, drafts[j]))
            {
                drafts[j + 1] = drafts[j];
                j--;
            }

            drafts[j + 1] = draft;
        }

        var planned = ImmutableArray.CreateBuilder<PlannedEnrolment>(drafts.Count);
        foreach (var draft in drafts)
        {
            var deliverCount = 0;
            foreach (var due in draft.Due)
            {
                var channel = _channelOf[due.Step];
                var contact = _isContact[channel];
                if (sent[channel] >= _capOf[channel]
                    || sentToday[channel] >= _options.MaxPerChannelPerDay
                    || (contact && contactsToday >= _options.MaxContactsPerDay))
                {
                    break; // held back: so is the rest of the enrolment, to keep its order
                }

                sent[channel]++;
                sentToday[channel]++;
                contactsToday += contact ? 1 : 0;
                deliverCount++;
            }

            // A control's steps go through the caps as if sent (so the comparison is fair), and are withheld.
            var control = draft.After.IsControl;
            var deliver = draft.Due.Count == 0 ? [] : ImmutableArray.Create(draft.Due.ToArray(), 0, deliverCount);
            var deferred = deliverCount == draft.Due.Count ? [] : ImmutableArray.Create(draft.Due.ToArray(), deliverCount, draft.Due.Count - deliverCount);
            var after = draft.After;
            if (after.IsActive && (deliverCount > 0 || draft.Skipped.Count > 0))
            {
                var records = ImmutableArray.CreateBuilder<StepRecord>(after.Steps.Length + draft.Skipped.Count + deliverCount);
                records.AddRange(after.Steps);
                records.AddRange(draft.Skipped);
                for (var k = 0; k < deliverCount; k++)
                {
                    records.Add(new StepRecord(draft.Due[k].Step.Id, today) { Withheld = control });
                }

                var steps = records.MoveToImmutable();
                after = draft.Playbook is { } p && steps.Length == p.Steps.Length
                    ? after with { Steps = steps, Status = EnrolmentStatus.Completed, EndedOn = today, EndReason = "completed" }
                    : after with { Steps = steps };
            }

            planned.Add(new PlannedEnrolment(draft.Playbook, draft.Before, after, control ? [] : deliver, deferred) { Withheld = control ? deliver : [] });
        }

        return planned.MoveToImmutable();
    }

    private static bool Before(Draft x, Draft y)
    {
        var (xi, yi) = (x.Playbook?.IsIntervention ?? true, y.Playbook?.IsIntervention ?? true);
        if (xi != yi)
        {
            return xi;
        }

        var (xp, yp) = (x.Playbook?.Priority ?? int.MaxValue, y.Playbook?.Priority ?? int.MaxValue);
        return xp != yp ? xp > yp : string.CompareOrdinal(x.After.Id, y.After.Id) < 0;
    }

    private static PlaybookStep? StepOf(Playbook playbook, string id)
    {
        foreach (var step in playbook.Steps)
        {
            if (string.Equals(step.Id, id, StringComparison.Ordinal))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>An enrolment's plan while it is being worked out.</summary>
    private sealed class Draft(Playbook? playbook, Enrolment? before, Enrolment after)
    {
        public Playbook? Playbook { get; } = playbook;

        public Enrolment? Before { get; set; } = before;

        public Enrolment After { get; set; } = after;

        public List<DueStep> Due { get; } = [];

        public List<StepRecord> Skipped { get; } = [];

        public static Draft Exit(Playbook? playbook, Enrolment enrolment, LocalDate today, string reason) =>
            new(playbook, enrolment, enrolment with { Status = EnrolmentStatus.Exited, EndedOn = today, EndReason = reason });
    }
}
