using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Customers, engines and schedules for the tests.</summary>
internal static class PlaybookFixture
{
    public static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
    public static readonly CustomerId Ana = new("ana");
    public static readonly LocalDate Day0 = new(2026, 3, 2);

    public static CustomerState Customer(LocalDate? since = null) => new(Ana, Madrid, since ?? Day0.PlusDays(-400));

    /// <summary>An engine with only the named built-in playbooks.</summary>
    public static PlaybookEngine Engine(params string[] ids) => Engine(new PlaybookOptions(), ids);

    public static PlaybookEngine Engine(PlaybookOptions options, params string[] ids) =>
        new(BuiltInPlaybooks.All.Where(p => ids.Contains(p.Id)), options);

    /// <summary>The schedule as (day number from <paramref name="from"/>, playbook, step).</summary>
    public static (int Day, string Playbook, string Step)[] Timeline(PlaybookEngine engine, LocalDate from, int days, Func<LocalDate, CustomerState> state) =>
        [.. PlaybookSimulator.Schedule(PlaybookSimulator.Run(engine, from, days, state)).Select(s => (Period.Between(from, s.Day, PeriodUnits.Days).Days, s.Playbook, s.Step))];

    public static ImmutableArray<SimulatedDay> Simulate(PlaybookEngine engine, LocalDate from, int days, Func<LocalDate, CustomerState> state) =>
        PlaybookSimulator.Run(engine, from, days, state);
}
