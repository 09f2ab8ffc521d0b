using System;

namespace RetentionKit.Orleans;

/// <summary>How the daily run's coordinator (<see cref="IDailyRunGrain"/>) hands partitions out; configuration section <c>RetentionKit:Cluster</c>.</summary>
public sealed class ClusterRunOptions
{
    /// <summary>Gets or sets how many times a partition whose call fails (its silo left, its source threw) is sent again before the run reports it abandoned; 1 to 100, default 5.</summary>
    public int PartitionAttempts { get; set; } = 5;

    /// <summary>
    /// Gets or sets how long the coordinator waits before asking again for a partition that failed or that another
    /// instance still holds (a silo that left keeps its lease until <c>RunOptions.LeaseDuration</c> ends); above zero, default 5 s.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
