using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using RetentionKit.Cli.Pipeline;

namespace RetentionKit.Cli.Tests.Pipeline;

public sealed class PipelineContextTests
{
    // The one sort of integer keys every stage now reads must be the stable date order the stages used to build with
    // OrderBy: dates anywhere in the calendar's range (negative years included), a day's rows in list order.
    [Property(MaxTest = 300)]
    public Property InDateOrder_IsTheStableOrderByDate() =>
        Prop.ForAll(
            Gen.Choose(-9998, 9999).SelectMany(year => Gen.Choose(1, 12).SelectMany(month => Gen.Choose(1, 28).Select(day => new LocalDate(year, month, day))))
                .ArrayOf().ToArbitrary(),
            Gen.Choose(1, 4).ToArbitrary(),
            (dates, spread) =>
            {
                // Few distinct dates (each used by several rows) so that ties are the common case.
                var rows = dates.Select((d, i) => (Date: dates[i % (dates.Length / spread + 1)], Position: i)).ToArray();

                var sorted = PipelineContext.InDateOrder(rows, r => r.Date);

                Assert.Equal(rows.OrderBy(r => r.Date).ToArray(), sorted);
            });

    [Fact]
    public void DayKey_OrdersDatesAcrossMonthAndYearBoundaries()
    {
        LocalDate[] dates = [new(-3, 12, 31), new(-2, 1, 1), new(-1, 6, 15), new(1, 1, 1), new(2024, 1, 31), new(2024, 2, 1), new(2024, 2, 29), new(2024, 12, 31), new(2025, 1, 1), new(9999, 12, 31)];

        for (var i = 1; i < dates.Length; i++)
        {
            Assert.True(PipelineContext.DayKey(dates[i - 1]) < PipelineContext.DayKey(dates[i]), $"{dates[i - 1]} before {dates[i]}");
        }
    }
}
