using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>
/// The scoring service a host calls once a day per customer (S6): scores with <see cref="ScoringEngine"/>, applies the
/// customer's override while it is valid, records the day's scores in the history, and reports trends and alerts.
/// </summary>
/// <remarks>Thread-safe when the stores are. Time comes from the snapshots' dates, not a clock, so re-running a day gives the same result.</remarks>
public sealed class ScoringService
{
    private readonly ScoringEngine _engine;
    private readonly IScoreHistoryStore _history;
    private readonly IScoreOverrideStore _overrides;
    private readonly ScoreHistoryOptions _historyOptions;

    /// <summary>Initializes a new instance of the <see cref="ScoringService"/> class.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="history">The score history.</param>
    /// <param name="overrides">The overrides.</param>
    /// <param name="options">The scoring options (the history section is used).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ScoringService(ScoringEngine engine, IScoreHistoryStore history, IScoreOverrideStore overrides, IOptions<ScoringOptions> options)
    {
        _engine = Guard.NotNull(engine);
        _history = Guard.NotNull(history);
        _overrides = Guard.NotNull(overrides);
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value.History;
        _historyOptions = new ScoreHistoryOptions { TrendWindowDays = value.TrendWindowDays, SharpDeclinePointsPerDay = value.SharpDeclinePointsPerDay, StaleAfterDays = value.StaleAfterDays };
    }

    /// <summary>Gets the engine.</summary>
    public ScoringEngine Engine => _engine;

    /// <summary>Scores a customer, applies a valid override, and records the day's scores (replacing a record of the same date).</summary>
    /// <param name="snapshot">The customer's measures on the day.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The explained score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public async ValueTask<CustomerScore> ScoreAsync(CustomerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var scoreOverride = await _overrides.GetAsync(snapshot.Customer, cancellationToken).ConfigureAwait(false);
        var score = _engine.ScoreWithOverride(snapshot, scoreOverride);
        await _history.RecordAsync(ScoreRecord.From(score), cancellationToken).ConfigureAwait(false);
        return score;
    }

    /// <summary>Sets a customer's override (replacing any previous one); it applies to scores up to its last valid date.</summary>
    /// <param name="scoreOverride">The override.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when it is stored.</returns>
    public ValueTask OverrideAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default) =>
        _overrides.SetAsync(Guard.NotNull(scoreOverride), cancellationToken);

    /// <summary>Computes a customer's trend and alerts over the configured window ending on a date.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The window's last date.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The trend.</returns>
    public async ValueTask<ScoreTrend> TrendAsync(CustomerId customer, LocalDate asOf, CancellationToken cancellationToken = default)
    {
        Guard.Valid(customer);

        // Two windows back, so that the band drop compares with the record before the window when needed.
        var records = await _history.GetAsync(customer, asOf.PlusDays(-2 * _historyOptions.TrendWindowDays), asOf, cancellationToken).ConfigureAwait(false);
        var trend = ScoreTrend.Analyze(customer, records, asOf, _historyOptions);
        _engine.Telemetry.Alerted(trend);
        return trend;
    }
}
