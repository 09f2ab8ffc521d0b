using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime;
using RetentionKit.Hosting;
using RetentionKit.Playbooks;

namespace RetentionKit.Orleans;

/// <summary>Registers RetentionKit in an Orleans silo, the way Orleans' own features register (<c>siloBuilder.AddXyz(...)</c>).</summary>
public static class RetentionKitSiloBuilderExtensions
{
    /// <summary>
    /// Adds RetentionKit's services to the silo (the same registration as <c>services.AddRetentionKit(configure)</c>),
    /// so the grains use the packages' engines and the stores the host registers — PostgreSQL for a cluster, whose
    /// every silo must see the same data. The grain classes are found by Orleans from this assembly. Each silo takes
    /// the daily run's leases under its own address unless <see cref="RunOptions.InstanceId"/> is set. Steps with a send
    /// time (<see cref="PlaybookOptions.SendAt"/>) become reminders on the customer's grain: the silo needs Orleans'
    /// reminder service (<c>UseAdoNetReminderService</c> on the cluster's PostgreSQL; in memory for tests).
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">The packages to add (<c>kit.AddLoyalty()</c> for the customer grain, <c>kit.AddDailyRun&lt;TSource&gt;()</c> for <see cref="IDailyRunGrain"/>) and their stores.</param>
    /// <param name="cluster">Configures how the coordinator hands out partitions; null for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISiloBuilder AddRetentionKit(this ISiloBuilder builder, Action<IRetentionKitBuilder> configure, Action<ClusterRunOptions>? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddRetentionKit(configure);
        var options = builder.Services.AddOptions<ClusterRunOptions>().ValidateOnStart();
        if (cluster is not null)
        {
            options.Configure(cluster);
        }

        builder.Services.AddSingleton<IValidateOptions<ClusterRunOptions>, ClusterRunOptionsValidator>();
        builder.Services.AddSingleton<IPlaybookStepScheduler, GrainStepScheduler>();
        builder.Services.AddOptions<RunOptions>().PostConfigure<ILocalSiloDetails>(static (run, silo) =>
        {
            if (string.IsNullOrWhiteSpace(run.InstanceId))
            {
                run.InstanceId = silo.SiloAddress.ToString();
            }
        });
        return builder;
    }
}

/// <summary>Checks <see cref="ClusterRunOptions"/> at start-up, naming the option and its rule.</summary>
internal sealed class ClusterRunOptionsValidator : IValidateOptions<ClusterRunOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterRunOptions options)
    {
        var problems = new List<string>();
        if (options.PartitionAttempts is < 1 or > 100)
        {
            problems.Add($"RetentionKit:Cluster:PartitionAttempts must be from 1 to 100 (was {options.PartitionAttempts}).");
        }

        if (options.RetryInterval <= TimeSpan.Zero)
        {
            problems.Add($"RetentionKit:Cluster:RetryInterval must be above zero (was {options.RetryInterval}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
