using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RetentionKit.Segmentation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RetentionKit.Segmentation.</summary>
public static class SegmentationRetentionKitBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ValueSegmenter"/>, <see cref="PersonaClassifier"/>, the four built-in segmentations (value, persona,
    /// industry, RFM) and a <see cref="SegmentationCatalog"/> of every registered segmentation, all singletons built from
    /// <see cref="SegmentationOptions"/>. The options and the segmentations' names are validated at start-up, every problem listed.
    /// </summary>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <param name="configure">Optional: changes the options after any configuration binding the host added.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// Bind configuration with <c>services.AddOptions&lt;SegmentationOptions&gt;().BindConfiguration("RetentionKit:Segmentation")</c>.
    /// Add a segmentation of your own with <see cref="AddCustomerSegmentation{TSegmentation}"/>. Calling this twice registers nothing twice.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddSegmentation(this IRetentionKitBuilder kit, Action<SegmentationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kit);
        var services = kit.Services;
        if (!services.Contains(SegmentationMarker.Descriptor))
        {
            services.Add(SegmentationMarker.Descriptor);
            services.AddOptions<SegmentationOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SegmentationOptions>, SegmentationOptionsValidator>());
            services.AddOptions<SegmentationRegistrationCheck>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SegmentationRegistrationCheck>, SegmentationRegistrationValidator>());
            services.TryAddSingleton(sp => new ValueSegmenter(Options(sp)));
            services.TryAddSingleton(sp => new PersonaClassifier(Options(sp)));
            services.AddSingleton<ICustomerSegmentation>(sp => new ValueSegmentation(Options(sp)));
            services.AddSingleton<ICustomerSegmentation>(sp => new PersonaSegmentation(Options(sp)));
            services.AddSingleton<ICustomerSegmentation>(sp => new IndustrySegmentation(Options(sp)));
            services.AddSingleton<ICustomerSegmentation>(new RfmSegmentation());
            services.TryAddSingleton(sp => new SegmentationCatalog(sp.GetServices<ICustomerSegmentation>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return kit;
    }

    /// <summary>Adds a segmentation of the host's own (G7); it joins the built-ins in the <see cref="SegmentationCatalog"/>.</summary>
    /// <typeparam name="TSegmentation">The segmentation type, built by the container; its name must be unique.</typeparam>
    /// <param name="kit">The RetentionKit builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kit"/> is null.</exception>
    public static IRetentionKitBuilder AddCustomerSegmentation<TSegmentation>(this IRetentionKitBuilder kit)
        where TSegmentation : class, ICustomerSegmentation
    {
        ArgumentNullException.ThrowIfNull(kit);
        kit.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ICustomerSegmentation, TSegmentation>());
        return kit;
    }

    private static SegmentationOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<SegmentationOptions>>().Value;

    private sealed class SegmentationMarker
    {
        public static readonly ServiceDescriptor Descriptor = ServiceDescriptor.Singleton(new SegmentationMarker());
    }
}

/// <summary>Validates <see cref="SegmentationOptions"/>, listing every problem.</summary>
internal sealed class SegmentationOptionsValidator : IValidateOptions<SegmentationOptions>
{
    public ValidateOptionsResult Validate(string? name, SegmentationOptions options)
    {
        var problems = SegmentationOptionsValidation.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<SegmentationOptions>("Segmentation", problems));
    }
}

/// <summary>A marker options type: validating it at start-up checks the registered segmentations.</summary>
internal sealed class SegmentationRegistrationCheck
{
}

/// <summary>
/// Checks the registered segmentations (unique, non-blank names; segments declared). It resolves them only when the
/// options are valid, because the built-ins are made from the options and the options' own check reports their problems.
/// </summary>
internal sealed class SegmentationRegistrationValidator(IServiceProvider services, IOptionsMonitor<SegmentationOptions> options)
    : IValidateOptions<SegmentationRegistrationCheck>
{
    public ValidateOptionsResult Validate(string? name, SegmentationRegistrationCheck check)
    {
        try
        {
            _ = options.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = SegmentationCatalog.Problems(services.GetServices<ICustomerSegmentation>().ToList<ICustomerSegmentation?>());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<SegmentationOptions>("Segmentation", problems));
    }
}
