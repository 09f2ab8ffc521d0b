namespace RetentionKit.Hosting.Tests;

/// <summary>Every rule of the run's options at its edge: the last value accepted, the first refused, and the message.</summary>
public sealed class RunOptionsEdgeTests
{
    public static TheoryData<string, Action<RunOptions>, string?> Edges() => new()
    {
        { "defaults", _ => { }, null },
        { "at 23:59", o => o.At = "23:59", null },
        { "at 24:00", o => o.At = "24:00", "At is '24:00'; it must be a time of day as HH:mm, e.g. \"02:30\"." },
        { "at null", o => o.At = null!, "At is ''; it must be a time of day as HH:mm, e.g. \"02:30\"." },
        { "zone null", o => o.TimeZone = null!, "TimeZone is '', which is not an IANA time zone id (e.g. \"Europe/Madrid\", \"UTC\")." },
        { "zone typo", o => o.TimeZone = "Europe/Madird", "TimeZone is 'Europe/Madird', which is not an IANA time zone id (e.g. \"Europe/Madrid\", \"UTC\")." },
        { "catch-up 0", o => o.CatchUpDays = 0, null },
        { "catch-up 366", o => o.CatchUpDays = 366, null },
        { "catch-up -1", o => o.CatchUpDays = -1, "CatchUpDays is -1; it must be from 0 to 366." },
        { "catch-up 367", o => o.CatchUpDays = 367, "CatchUpDays is 367; it must be from 0 to 366." },
        { "partitions 1", o => o.Partitions = 1, null },
        { "partitions 4096", o => o.Partitions = 4096, null },
        { "partitions 0", o => o.Partitions = 0, "Partitions is 0; it must be from 1 to 4096." },
        { "partitions 4097", o => o.Partitions = 4097, "Partitions is 4097; it must be from 1 to 4096." },
        { "batch 1", o => o.BatchSize = 1, null },
        { "batch 1000001", o => o.BatchSize = 1_000_001, "BatchSize is 1000001; it must be from 1 to 1000000." },
        { "lease 1 s", o => o.LeaseDuration = TimeSpan.FromSeconds(1), null },
        { "lease 1 day", o => o.LeaseDuration = TimeSpan.FromDays(1), null },
        { "lease under 1 s", o => o.LeaseDuration = TimeSpan.FromMilliseconds(999), "LeaseDuration is 00:00:00.9990000; it must be from 1 second to 1 day." },
        { "lease over 1 day", o => o.LeaseDuration = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1), "LeaseDuration is 1.00:00:00.0000001; it must be from 1 second to 1 day." },
        { "instance 200", o => o.InstanceId = new string('i', 200), null },
        { "instance 201", o => o.InstanceId = new string('i', 201), "InstanceId is 201 characters long; at most 200." },
        { "attempts 1", o => o.Retry.MaxAttempts = 1, null },
        { "attempts 100", o => o.Retry.MaxAttempts = 100, null },
        { "attempts 0", o => o.Retry.MaxAttempts = 0, "Retry:MaxAttempts is 0; it must be from 1 to 100." },
        { "attempts 101", o => o.Retry.MaxAttempts = 101, "Retry:MaxAttempts is 101; it must be from 1 to 100." },
        { "delay 0", o => o.Retry.Delay = TimeSpan.Zero, null },
        { "delay = max", o => o.Retry.Delay = o.Retry.MaxDelay, null },
        { "delay negative", o => o.Retry.Delay = TimeSpan.FromTicks(-1), "Retry:Delay is -00:00:00.0000001; it must be from 0 to Retry:MaxDelay (00:00:05)." },
        { "delay over max", o => o.Retry.Delay = TimeSpan.FromSeconds(6), "Retry:Delay is 00:00:06; it must be from 0 to Retry:MaxDelay (00:00:05)." },
        { "max delay 1 h", o => (o.Retry.MaxDelay, o.Retry.Delay) = (TimeSpan.FromHours(1), TimeSpan.Zero), null },
        { "max delay over 1 h", o => (o.Retry.MaxDelay, o.Retry.Delay) = (TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), TimeSpan.Zero), "Retry:MaxDelay is 01:00:01; at most 1 hour (a customer's retries hold up the partition)." },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void EachRule_AcceptsItsEdge_AndRefusesPastIt(string edge, Action<RunOptions> change, string? problem)
    {
        var options = new RunOptions();
        change(options);

        var result = new Microsoft.Extensions.DependencyInjection.RunOptionsValidator().Validate(null, options);

        Assert.NotNull(edge);
        Assert.Equal(problem is null ? [] : new[] { "RetentionKit:Run:" + problem }, result.Failed ? result.Failures!.ToArray() : []);
    }
}
