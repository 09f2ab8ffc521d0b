using System;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace RetentionKit.Hosting.Internal;

/// <summary>The daily run's log messages: stable event ids 2100–2199; no personal data, customer ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Daily run of {Date} starting in {Partitions} partitions on instance {Instance}")]
    public static partial void RunStarting(ILogger logger, LocalDate date, int partitions, string instance);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Daily run of {Date}: {Completed} of {Partitions} partitions complete, {Customers} customers, {Delivered} steps delivered, {Failed} customers failed, {Seconds:0.###} s")]
    public static partial void RunFinished(ILogger logger, LocalDate date, int completed, int partitions, int customers, int delivered, int failed, double seconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Partition {Partition} of {Date} complete: {Customers} customers, {Failed} failed, {Seconds:0.###} s")]
    public static partial void PartitionCompleted(ILogger logger, LocalDate date, RunPartition partition, int customers, int failed, double seconds);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Partition {Partition} of {Date} is held by another instance or complete")]
    public static partial void PartitionSkipped(ILogger logger, LocalDate date, RunPartition partition);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Partition {Partition} of {Date}: the lease was lost to another instance; its work stops here and that instance completes it")]
    public static partial void LeaseLost(ILogger logger, LocalDate date, RunPartition partition);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "A customer failed in step {Step} of {Date} after {Attempts} attempts ({ErrorType}); the run goes on")]
    public static partial void CustomerFailed(ILogger logger, LocalDate date, string step, int attempts, Type errorType);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "Customer {Customer} failed in step {Step} of {Date}")]
    public static partial void CustomerFailedDetail(ILogger logger, LocalDate date, string step, CustomerId customer);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Retrying a customer's step (attempt {Attempt}) after {ErrorType}")]
    public static partial void Retrying(ILogger logger, int attempt, Type errorType);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Next daily run: {Date} at {At}")]
    public static partial void NextRun(ILogger logger, LocalDate date, Instant at);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Catching up from {First} to {Last}; {Skipped} older missed dates are beyond CatchUpDays and are not run")]
    public static partial void CatchUpBounded(ILogger logger, LocalDate first, LocalDate last, int skipped);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Error, Message = "Daily run of {Date} failed; it is tried again in {RetryIn}")]
    public static partial void RunFailed(ILogger logger, Exception exception, LocalDate date, Duration retryIn);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Information, Message = "Daily run of {Date} is not complete: other instances hold {Remaining} partitions; checking again in {RetryIn}")]
    public static partial void RunIncomplete(ILogger logger, LocalDate date, int remaining, Duration retryIn);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Information, Message = "The daily run's schedule is off (RetentionKit:Run:Enabled is false); run dates with DailyRun.RunAsync")]
    public static partial void Disabled(ILogger logger);
}
