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

    /// <summary>Gets the host's enrolment log for experiments (<c>interventions.csv</c>): who was enrolled in which playbook when, treated or held out, and how it came out; empty when the data has none.</summary>
    public IReadOnlyList<InterventionRow> Interventions { get; init; } = [];

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
            Interventions = [.. simulated.Interventions.Select(i => new InterventionRow(i.Customer, i.Playbook, i.StartedOn, i.Control, i.Retained, i.DecidedOn))],
        };
}

/// <summary>One enrolment of the host's log: a row of <c>interventions.csv</c>.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Playbook">The playbook's id.</param>
/// <param name="StartedOn">The day the enrolment started.</param>
/// <param name="Control">Whether the customer was held out (recorded, not contacted).</param>
/// <param name="Succeeded">The outcome by the playbook's rule; null while open.</param>
/// <param name="DecidedOn">The day the outcome was decided; null while open.</param>
internal sealed record InterventionRow(CustomerId Customer, string Playbook, NodaTime.LocalDate StartedOn, bool Control, bool? Succeeded, NodaTime.LocalDate? DecidedOn);

/// <summary>A CSV file that cannot be read: which file, where, and why. Nothing of the data set was imported.</summary>
internal sealed class DataFormatException(string file, long line, int column, string reason)
    : System.Exception($"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;

    public long Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
