using System.Collections.Immutable;
using System.Linq;
using Orleans;
using RetentionKit.Hosting;

namespace RetentionKit.Orleans;

/// <summary>One partition of a date's run, as its silo completed it.</summary>
/// <param name="Index">The partition's index.</param>
/// <param name="Instance">The instance that ran it (a silo's address, unless the host named its instances).</param>
/// <param name="Customers">Customers read.</param>
/// <param name="Scored">Customers scored.</param>
/// <param name="Alerts">Score alerts raised.</param>
/// <param name="PointsExpired">Expiry entries posted.</param>
/// <param name="EnrolmentsStarted">Playbook enrolments started.</param>
/// <param name="Delivered">Playbook steps delivered.</param>
/// <param name="Failures">Customers that failed for the date after every attempt.</param>
[GenerateSerializer]
[Immutable]
public sealed record PartitionRun(
    [property: Id(0)] int Index,
    [property: Id(1)] string Instance,
    [property: Id(2)] int Customers,
    [property: Id(3)] int Scored,
    [property: Id(4)] int Alerts,
    [property: Id(5)] int PointsExpired,
    [property: Id(6)] int EnrolmentsStarted,
    [property: Id(7)] int Delivered,
    [property: Id(8)] int Failures)
{
    internal static PartitionRun From(PartitionResult result) => new(
        result.Partition.Index, result.Instance, result.Customers, result.Scored, result.Alerts, result.PointsExpired, result.EnrolmentsStarted, result.Delivered, result.Failures.Length);
}

/// <summary>
/// A date's run over the cluster, as its coordinator (<see cref="IDailyRunGrain"/>) gathered it: the partitions
/// completed, and how often a partition had to be started again (its silo left, it failed, its lease was held).
/// </summary>
/// <param name="Date">The date, <c>yyyy-MM-dd</c>.</param>
/// <param name="Partitions">How many partitions the date is split into.</param>
/// <param name="Completed">The completed partitions, by index.</param>
/// <param name="Dispatches">Partitions started: one per partition, plus every start again.</param>
/// <param name="Redispatched">Starts again: a partition whose silo left, whose run threw, or whose lease another instance still held.</param>
/// <param name="Abandoned">Partitions given up after the configured attempts, with the last error; empty in a complete run.</param>
[GenerateSerializer]
[Immutable]
public sealed record DailyRunReport(
    [property: Id(0)] string Date,
    [property: Id(1)] int Partitions,
    [property: Id(2)] ImmutableArray<PartitionRun> Completed,
    [property: Id(3)] int Dispatches,
    [property: Id(4)] int Redispatched,
    [property: Id(5)] ImmutableArray<string> Abandoned)
{
    /// <summary>Gets whether the run is still going.</summary>
    [Id(6)]
    public bool Running { get; init; }

    /// <summary>Gets whether every partition completed.</summary>
    public bool IsComplete => Completed.Length == Partitions;

    /// <summary>Gets the customers read, over the completed partitions.</summary>
    public int Customers => Completed.Sum(p => p.Customers);

    /// <summary>Gets the customers scored.</summary>
    public int Scored => Completed.Sum(p => p.Scored);

    /// <summary>Gets the playbook steps delivered.</summary>
    public int Delivered => Completed.Sum(p => p.Delivered);

    /// <summary>Gets the enrolments started.</summary>
    public int EnrolmentsStarted => Completed.Sum(p => p.EnrolmentsStarted);

    /// <summary>Gets the customers that failed for the date.</summary>
    public int Failures => Completed.Sum(p => p.Failures);
}
