using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace RetentionKit.Hosting.Internal;

/// <summary>When a date's run starts: its local time in the zone, DST-safe.</summary>
internal sealed class RunSchedule(DateTimeZone zone, LocalTime at)
{
    // A time skipped by a spring-forward starts when the gap ends; a time that occurs twice starts at the first.
    private static readonly ZoneLocalMappingResolver Resolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public DateTimeZone Zone => zone;

    public static RunSchedule From(RunOptions options) =>
        new(DateTimeZoneProviders.Tzdb[options.TimeZone], TimePattern.Parse(options.At).Value);

    public Instant StartOf(LocalDate date) => zone.ResolveLocal(date.At(at), Resolver).ToInstant();

    /// <summary>The latest date whose start is at or before <paramref name="now"/>.</summary>
    public LocalDate LatestDue(Instant now)
    {
        var today = now.InZone(zone).Date;
        return now >= StartOf(today) ? today : today.PlusDays(-1);
    }
}
