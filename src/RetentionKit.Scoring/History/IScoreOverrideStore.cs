using System.Threading;
using System.Threading.Tasks;

namespace RetentionKit.Scoring;

/// <summary>Keeps the current override of each customer. The default keeps them in memory; a host supplies a durable one.</summary>
/// <remarks>Implementations must be thread-safe. Setting an override replaces the customer's previous one.</remarks>
public interface IScoreOverrideStore
{
    /// <summary>Sets a customer's override, replacing any previous one.</summary>
    /// <param name="scoreOverride">The override.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask SetAsync(ScoreOverride scoreOverride, CancellationToken cancellationToken = default);

    /// <summary>Gets a customer's override, lapsed or not.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The override, or null.</returns>
    ValueTask<ScoreOverride?> GetAsync(CustomerId customer, CancellationToken cancellationToken = default);

    /// <summary>Removes a customer's override.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when there was one.</returns>
    ValueTask<bool> RemoveAsync(CustomerId customer, CancellationToken cancellationToken = default);
}
