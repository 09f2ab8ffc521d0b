using System.Collections.Generic;
using RetentionKit.Metrics.Subscriptions;
using RetentionKit.Simulation;

namespace RetentionKit.Cli.Data;

/// <summary>Everything the tool reads or writes: a customer base as CSV files describe it.</summary>
internal sealed record DataSet(
    IReadOnlyList<CustomerRecord> Customers,
    IReadOnlyList<SubscriptionEvent> Events,
    IReadOnlyList<MonthlyActivity> Activity,
    IReadOnlyList<FeedbackRecord> Feedback,
    IReadOnlyList<ChurnTruth> Churns)
{
    public static DataSet From(SimulatedCustomerBase simulated) =>
        new(simulated.Customers, simulated.SubscriptionEvents, simulated.Activity, simulated.Feedback, simulated.Churns);
}

/// <summary>A CSV file that cannot be read: which file, where, and why. Nothing of the data set was imported.</summary>
internal sealed class DataFormatException(string file, long line, int column, string reason)
    : System.Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;

    public long Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
