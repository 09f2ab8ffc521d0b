using System.Collections.Generic;
using System.Linq;
using RetentionKit.Metrics.Probabilistic;
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
    /// <summary>The one-off purchases of the probabilistic models' purchase stream (BG/NBD, Gamma-Gamma); optional.</summary>
    private static readonly BgNbdModel PurchaseProcess = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaModel SpendProcess = new(6.25, 3.74, 15.44);

    /// <summary>Gets one-off purchases (add-ons, services, credits) for the probabilistic models; empty when the data has none.</summary>
    public IReadOnlyList<Transaction> Transactions { get; init; } = [];

    /// <summary>Gets what reading the files noticed and decided (a duplicate row counted once, rows of unknown customers left out …), each with its file and line.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The data set of a simulated base, with its one-off purchases drawn from BG/NBD × Gamma-Gamma at CDNOW's
    /// published parameters (weekly rates; values in the base's currency) from each customer's sign-up day to the
    /// simulation's end, with the simulation's seed.
    /// </summary>
    public static DataSet From(SimulatedCustomerBase simulated) =>
        new(simulated.Customers, simulated.SubscriptionEvents, simulated.Activity, simulated.Feedback, simulated.Churns)
        {
            Transactions = BgNbdSimulator.SimulateTransactions(PurchaseProcess, SpendProcess, [.. simulated.Customers.Select(c => (c.Id.Value, c.SignupDate))], simulated.Settings.End, simulated.Settings.Seed),
        };
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
