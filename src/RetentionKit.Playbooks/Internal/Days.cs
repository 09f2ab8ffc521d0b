using NodaTime;

namespace RetentionKit.Playbooks.Internal;

/// <summary>Calendar-day arithmetic on day numbers: the daily run compares dates for a million customers, and adding days to a <see cref="LocalDate"/> walks the calendar.</summary>
internal static class Days
{
    /// <summary>Gets the days from one date to another (negative when <paramref name="to"/> is earlier).</summary>
    /// <param name="from">The first date.</param>
    /// <param name="to">The second date.</param>
    /// <returns>The days between them.</returns>
    public static int Between(LocalDate from, LocalDate to) => to.ToDateOnly().DayNumber - from.ToDateOnly().DayNumber;
}
