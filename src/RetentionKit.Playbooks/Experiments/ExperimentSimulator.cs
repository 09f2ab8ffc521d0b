using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Playbooks.Experiments;

/// <summary>A segment of simulated customers: its share of the base, its success rate without the playbook, and the playbook's true effect on it.</summary>
/// <param name="Name">The segment's name.</param>
/// <param name="Share">Its share of the customers, positive (the shares are normalised).</param>
/// <param name="BaseRate">The chance a customer recovers within the outcome window untreated (a control), in [0, 1].</param>
/// <param name="Effect">What treatment adds to that chance (zero or negative allowed); base + effect in [0, 1].</param>
public sealed record SimulatedSegment(string Name, double Share, double BaseRate, double Effect);

/// <summary>
/// Simulates an experiment on the re-engagement playbook (B1) through the real engine: customers whose engagement has
/// fallen arrive day by day, the engine enrols them (holding out controls by its hash, assigning variants), and each
/// recovers within the outcome window with the chance of its segment — plus the true effect (and its variant's) if it
/// was treated. The engine's outcome rule decides the outcomes. One uniform draw per customer serves both arms, so a
/// customer who recovers as a control would also recover treated when the effect is not negative.
/// </summary>
public static class ExperimentSimulator
{
    /// <summary>Runs the experiment.</summary>
    /// <param name="engine">An engine with the built-in re-engagement playbook (and the holdout and variants under test).</param>
    /// <param name="segments">The segments; at least one.</param>
    /// <param name="customers">How many customers arrive; at least 1.</param>
    /// <param name="days">Over how many days they arrive; at least 1.</param>
    /// <param name="seed">The random seed; the same seed gives the same enrolments.</param>
    /// <param name="variantEffects">An extra effect per variant, added to the segment's for treated customers in it; none by default.</param>
    /// <returns>Every customer's enrolment, its outcome decided, and each customer's segment.</returns>
    /// <exception cref="ArgumentException">The engine has no re-engagement playbook, or a segment, count or rate is out of range.</exception>
    public static ImmutableArray<(Enrolment Enrolment, string Segment)> Run(PlaybookEngine engine, IReadOnlyList<SimulatedSegment> segments, int customers, int days, int seed, IReadOnlyDictionary<string, double>? variantEffects = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(segments);
        var playbook = engine.Find(BuiltInPlaybooks.ReEngagement) ?? throw new ArgumentException("The engine must run the built-in re-engagement playbook.", nameof(engine));
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        if (segments.Count == 0 || segments.Any(s => s is null || !(s.Share > 0) || !(s.BaseRate is >= 0 and <= 1) || !(s.BaseRate + s.Effect is >= 0 and <= 1)))
        {
            throw new ArgumentException("There must be at least one segment, each with a positive share, a base rate in [0, 1] and base + effect in [0, 1].", nameof(segments));
        }

        var random = new Random(seed);
        var zone = DateTimeZone.Utc;
        var from = new LocalDate(2026, 1, 1);
        var window = playbook.OutcomeWindowDays;
        var total = segments.Sum(s => s.Share);
        var result = ImmutableArray.CreateBuilder<(Enrolment, string)>(customers);
        for (var i = 0; i < customers; i++)
        {
            // The customer's segment, arrival, draw and (if it recovers) recovery day are drawn before anything else,
            // so they do not depend on the arm the engine puts it in.
            var pick = random.NextDouble() * total;
            var segment = segments[^1];
            foreach (var s in segments)
            {
                if ((pick -= s.Share) < 0)
                {
                    segment = s;
                    break;
                }
            }

            var arrival = from.PlusDays(random.Next(days));
            var draw = random.NextDouble();
            var recoveryDay = 1 + random.Next(window - 1);
            var id = new CustomerId($"sim-{seed}-{i}");
            var since = arrival.PlusDays(-400);
            var enrolments = ImmutableArray<Enrolment>.Empty;
            bool? recovers = null;
            for (var day = 0; day <= window; day++)
            {
                var today = arrival.PlusDays(day);
                var state = new CustomerState(id, zone, since)
                {
                    Engagement = recovers == true && day >= recoveryDay ? new UsageLevel(0.6) : new UsageLevel(0.3, DaysBelowLow: 14 + day),
                };
                if (engine.Plan(state, enrolments, today) is { } plan)
                {
                    enrolments = plan.ApplyTo(enrolments);
                }

                if (recovers is null && enrolments.FirstOrDefault(e => e.Playbook == playbook.Id) is { } enrolment)
                {
                    var effect = enrolment.IsControl ? 0 : segment.Effect + (enrolment.Variant is { } v && variantEffects?.GetValueOrDefault(v) is { } extra ? extra : 0);
                    recovers = draw < segment.BaseRate + effect;
                }

                if (enrolments.FirstOrDefault(e => e.Playbook == playbook.Id) is { Outcome: not null } done)
                {
                    result.Add((done, segment.Name));
                    break;
                }
            }
        }

        return result.ToImmutable();
    }
}
