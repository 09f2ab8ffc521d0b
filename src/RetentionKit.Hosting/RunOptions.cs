using System;

namespace RetentionKit.Hosting;

/// <summary>
/// The daily run's options, bound from <c>RetentionKit:Run</c> and validated at start-up. The defaults run at 02:00
/// UTC in 8 partitions, catch up at most 7 missed days, hold a partition's lease for 5 minutes and try a customer 3
/// times.
/// </summary>
public sealed class RunOptions
{
    /// <summary>Gets or sets whether the hosted service runs on its schedule; <see cref="DailyRun.RunAsync"/> works either way. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the local time of day the run starts, <c>HH:mm</c> (24-hour). Default <c>02:00</c>.</summary>
    /// <remarks>
    /// On a day the clocks skip that time (spring forward) the run starts when the gap ends; on a day the time occurs
    /// twice (fall back) it starts at the first. Either way a date runs once: runs are kept by date, not by instant.
    /// </remarks>
    public string At { get; set; } = "02:00";

    /// <summary>Gets or sets the time zone whose dates and time of day the schedule follows (an IANA id such as <c>Europe/Madrid</c>). Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Gets or sets how many missed dates a start catches up, oldest first; older ones are left (and logged). 0 runs only the latest due date. Default 7.</summary>
    public int CatchUpDays { get; set; } = 7;

    /// <summary>
    /// Gets or sets how many partitions the customers are split into (by a stable hash of the id), each taken by one
    /// instance through a lease. Changing it mid-date starts that date afresh (idempotent). Default 8.
    /// </summary>
    public int Partitions { get; set; } = 8;

    /// <summary>Gets or sets how long a partition's lease lasts without renewal; an instance that dies loses its partitions to the others after this. Default 5 minutes.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the name this instance takes leases under; an instance restarted under its own name takes its leases back at once. Default the machine name.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Gets or sets how many customers are scored in one batch. Default 4,096.</summary>
    public int BatchSize { get; set; } = 4096;

    /// <summary>Gets the retries of a customer's work (a channel or store call that throws).</summary>
    public RunRetryOptions Retry { get; init; } = new();
}

/// <summary>
/// How a customer's failing work is retried: a Polly retry with exponential backoff and jitter. A host that registers
/// its own pipeline under <see cref="DailyRun.RetryPipelineKey"/> replaces it.
/// </summary>
public sealed class RunRetryOptions
{
    /// <summary>Gets or sets how many times a customer's step is tried in all before the customer is reported as failed for the date. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first retry; it doubles for each next one. Default 200 ms.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest delay between two attempts. Default 5 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets whether delays are jittered, so that instances retrying together do not retry in step. Default true.</summary>
    public bool UseJitter { get; set; } = true;
}
