using NodaTime;

namespace RetentionKit.Storage.Internal;

/// <summary>Dates as whole days since 1970-01-01, the form the tables keep them in (every NodaTime date fits).</summary>
internal static class Days
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    public static long Of(LocalDate date) => Period.DaysBetween(Epoch, date); // no Period allocated: a million scores a day pass here

    public static LocalDate ToDate(long days) => Epoch.PlusDays(checked((int)days));
}
