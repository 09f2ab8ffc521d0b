using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;
using RetentionKit.Scoring;

namespace RetentionKit.Testing;

/// <summary>
/// A synthetic customer base for the daily run (<see cref="ICustomerDataSource"/>), to try a host's wiring before its
/// own data is connected: customers sign up over the first two months, one in five loses interest after three weeks,
/// one in seven uses the product heavily, so onboarding, check-ins, re-engagement and upsell playbooks all fire.
/// Deterministic per customer and date; thread-safe.
/// </summary>
/// <param name="customers">How many customers there are (ids <c>cust-0000</c> upwards).</param>
/// <param name="firstSignup">The first customer's sign-up date; the last signs up about 61 days later.</param>
public sealed class SyntheticCustomerSource(int customers, LocalDate firstSignup) : ICustomerDataSource
{
    private readonly ConcurrentDictionary<(CustomerId, LocalDate), int> _reads = new();

    /// <summary>Gets or sets a hook called before each customer is read, with the partition being read (to inject a crash, or to hold a read).</summary>
    public Action<RunPartition>? OnRead { get; set; }

    /// <summary>Gets how many times each customer was read for each date.</summary>
    public IReadOnlyDictionary<(CustomerId Customer, LocalDate Date), int> Reads => _reads;

    /// <summary>Gets the id of the customer at an index.</summary>
    /// <param name="index">The index, from 0.</param>
    /// <returns>The id, <c>cust-</c> and four digits.</returns>
    public static CustomerId Id(int index) => new(FormattableString.Invariant($"cust-{index:0000}"));

    /// <inheritdoc />
    public async IAsyncEnumerable<CustomerDay> ReadAsync(LocalDate runDate, RunPartition partition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        for (var i = 0; i < customers; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = Id(i);
            var signup = firstSignup.PlusDays(i * 61 / customers);
            if (signup > runDate || !partition.Contains(id))
            {
                continue;
            }

            OnRead?.Invoke(partition);
            _reads.AddOrUpdate((id, runDate), 1, static (_, n) => n + 1);
            yield return Day(i, id, signup, runDate);
        }
    }

    private static CustomerDay Day(int i, CustomerId id, LocalDate signup, LocalDate date)
    {
        var age = Period.DaysBetween(signup, date);
        var fading = i % 5 == 0 && age > 20;
        var heavy = i % 7 == 3;
        var logins = fading ? 2 : heavy ? 40 : 15 + (i % 6);
        var snapshot = new CustomerSnapshot(id, date)
        {
            Logins = logins,
            BaselineLogins = 20,
            FeatureShare = heavy ? 0.9 : fading ? 0.2 : 0.5,
            EmailsSent = 4,
            EmailsOpened = fading ? 0 : 3,
            SupportTickets = i % 11 == 0 ? 3 : 0,
            Nps = fading ? 4 : 9,
        };
        var state = new CustomerState(id, DateTimeZone.Utc, signup)
        {
            LastActiveOn = fading ? date.PlusDays(-5) : date,
            Engagement = new UsageLevel(fading ? 0.2 : 0.8, fading ? age - 20 : 0),
            FeatureAdoption = new UsageLevel(heavy ? 0.9 : fading ? 0.2 : 0.5, 0, heavy ? age : 0),
            MonthlyRevenue = Money.Eur(100m),
            LifetimeValue = Money.Eur(3000m),
        };
        return new CustomerDay(snapshot, state);
    }
}
