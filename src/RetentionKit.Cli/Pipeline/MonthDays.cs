using NodaTime;

namespace RetentionKit.Cli.Pipeline;

/// <summary>A month's first and last day and its length without a <see cref="DateInterval"/> (an object) per call: hot loops ask per row.</summary>
internal static class MonthDays
{
    /// <summary>The month's first day.</summary>
    public static LocalDate FirstDay(this YearMonth month) => month.OnDayOfMonth(1);

    /// <summary>The month's last day.</summary>
    public static LocalDate LastDay(this YearMonth month) => month.OnDayOfMonth(month.Days());

    /// <summary>The number of days in the month.</summary>
    public static int Days(this YearMonth month) => month.Calendar.GetDaysInMonth(month.Year, month.Month);
}
