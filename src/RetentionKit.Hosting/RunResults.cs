using System;
using System.Collections.Immutable;
using System.Linq;
using NodaTime;

namespace RetentionKit.Hosting;

/// <summary>The steps of the daily run, in order.</summary>
public static class RunSteps
{
    /// <summary>Reading the partition's customers from the host's source.</summary>
    public const string Read = "read";

    /// <summary>Scoring every customer on the batch path.</summary>
    public const string Score = "score";

    /// <summary>Recording the day's scores in the history and computing trends and alerts.</summary>
    public const string History = "history";

    /// <summary>Expiring points past their date and reading tier changes.</summary>
    public const string Loyalty = "loyalty";

    /// <summary>Running the playbooks: enrolments, steps delivered through the channels.</summary>
    public const string Playbooks = "playbooks";
}

/// <summary>A customer the run could not serve on a date, after every attempt: the run went on without them.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Step">The step that failed (<see cref="RunSteps"/>).</param>
/// <param name="Reason">The last error: its type and message (not logged; customer ids appear in logs only at Debug).</param>
/// <param name="Attempts">How many times it was tried.</param>
public sealed record RunFailure(CustomerId Customer, string Step, string Reason, int Attempts);

/// <summary>How long a step took in a partition.</summary>
/// <param name="Step">The step (<see cref="RunSteps"/>).</param>
/// <param name="Duration">Its wall-clock time.</param>
public readonly record struct StepTiming(string Step, Duration Duration);

/// <summary>What the run did in one partition on a date; kept in the run store when the partition completes.</summary>
public sealed record PartitionResult
{
    /// <summary>Gets the run's date.</summary>
    public required LocalDate Date { get; init; }

    /// <summary>Gets the partition.</summary>
    public required RunPartition Partition { get; init; }

    /// <summary>Gets the instance that ran it.</summary>
    public required string Instance { get; init; }

    /// <summary>Gets when it started.</summary>
    public required Instant StartedAt { get; init; }

    /// <summary>Gets when it completed.</summary>
    public required Instant CompletedAt { get; init; }

    /// <summary>Gets how many customers the source gave for the partition.</summary>
    public int Customers { get; init; }

    /// <summary>Gets how many were scored and recorded.</summary>
    public int Scored { get; init; }

    /// <summary>Gets how many score alerts were raised (sharp decline, band drop, stale).</summary>
    public int Alerts { get; init; }

    /// <summary>Gets how many expiry entries were posted.</summary>
    public int PointsExpired { get; init; }

    /// <summary>Gets how many enrolments started.</summary>
    public int EnrolmentsStarted { get; init; }

    /// <summary>Gets how many playbook steps were delivered.</summary>
    public int Delivered { get; init; }

    /// <summary>Gets the customers that failed after every attempt.</summary>
    public ImmutableArray<RunFailure> Failures { get; init; } = [];

    /// <summary>Gets how long each step took.</summary>
    public ImmutableArray<StepTiming> Steps { get; init; } = [];
}

/// <summary>A date's run, gathered from its partitions' results in the store.</summary>
/// <param name="Date">The date.</param>
/// <param name="Partitions">How many partitions the date is split into.</param>
/// <param name="Completed">The partitions completed so far, by index.</param>
public sealed record RunSummary(LocalDate Date, int Partitions, ImmutableArray<PartitionResult> Completed)
{
    /// <summary>Gets whether every partition has completed.</summary>
    public bool IsComplete => Completed.Length == Partitions;

    /// <summary>Gets how many customers were read.</summary>
    public int Customers => Completed.Sum(static p => p.Customers);

    /// <summary>Gets how many were scored.</summary>
    public int Scored => Completed.Sum(static p => p.Scored);

    /// <summary>Gets how many alerts were raised.</summary>
    public int Alerts => Completed.Sum(static p => p.Alerts);

    /// <summary>Gets how many expiry entries were posted.</summary>
    public int PointsExpired => Completed.Sum(static p => p.PointsExpired);

    /// <summary>Gets how many enrolments started.</summary>
    public int EnrolmentsStarted => Completed.Sum(static p => p.EnrolmentsStarted);

    /// <summary>Gets how many steps were delivered.</summary>
    public int Delivered => Completed.Sum(static p => p.Delivered);

    /// <summary>Gets the customers that failed, by partition.</summary>
    public ImmutableArray<RunFailure> Failures => [.. Completed.SelectMany(static p => p.Failures)];

    /// <summary>Gets the time from the first partition's start to the last one's completion; zero when none has completed.</summary>
    public Duration Duration => Completed.IsEmpty ? Duration.Zero : Completed.Max(static p => p.CompletedAt) - Completed.Min(static p => p.StartedAt);

    /// <summary>Gets each step's time summed over the partitions.</summary>
    /// <param name="step">The step (<see cref="RunSteps"/>).</param>
    /// <returns>The total.</returns>
    public Duration StepDuration(string step) =>
        Completed.SelectMany(static p => p.Steps).Where(s => string.Equals(s.Step, step, StringComparison.Ordinal)).Aggregate(Duration.Zero, static (t, s) => t + s.Duration);
}
