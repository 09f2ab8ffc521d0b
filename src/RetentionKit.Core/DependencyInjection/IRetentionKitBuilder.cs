namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The builder handed to <see cref="RetentionKitServiceCollectionExtensions.AddRetentionKit"/>; each RetentionKit
/// package adds its own <c>Add…</c> extension methods to it (for example <c>AddMetrics</c>).
/// </summary>
public interface IRetentionKitBuilder
{
    /// <summary>Gets the service collection the packages register into.</summary>
    IServiceCollection Services { get; }
}
