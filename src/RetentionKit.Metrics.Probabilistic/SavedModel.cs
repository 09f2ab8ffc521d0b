using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>
/// A fitted model as it is saved and loaded (JSON): which model, its parameters, their uncertainty (standard errors and
/// the covariance of the log-parameters, so intervals survive the round trip), a summary of the data it was fitted on,
/// and the time unit its times are in — the last is what trips people who port a model between tools.
/// </summary>
/// <param name="Model">The model: <c>bgnbd</c>, <c>paretonbd</c>, <c>mbgnbd</c>, <c>bgbb</c> or <c>gammagamma</c>.</param>
/// <param name="Parameters">The parameters by name, in the model's order.</param>
public sealed record SavedModel(string Model, ImmutableArray<KeyValuePair<string, double>> Parameters)
{
    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        ["bgnbd"] = ["r", "alpha", "a", "b"],
        ["paretonbd"] = ["r", "alpha", "s", "beta"],
        ["mbgnbd"] = ["r", "alpha", "a", "b"],
        ["bgbb"] = ["alpha", "beta", "gamma", "delta"],
        ["gammagamma"] = ["p", "q", "gamma"],
    };

    /// <summary>Gets the standard errors, in the parameters' order; empty when unknown.</summary>
    public ImmutableArray<double> StandardErrors { get; init; } = [];

    /// <summary>Gets the covariance of the log-parameters, row by row; empty when unknown.</summary>
    public ImmutableArray<double> LogCovariance { get; init; } = [];

    /// <summary>Gets the log-likelihood of the fit; null when unknown.</summary>
    public double? LogLikelihood { get; init; }

    /// <summary>Gets the number of customers (total weight) the model was fitted on; null when unknown.</summary>
    public double? Customers { get; init; }

    /// <summary>Gets the time unit of the model's times (<c>week</c>, <c>day</c>, <c>period</c> …); null when unknown.</summary>
    public string? TimeUnit { get; init; }

    /// <summary>The saved form of a fitted (or known) BG/NBD model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customers">The number of customers it was fitted on, if known.</param>
    /// <param name="timeUnit">The time unit of its times, if known.</param>
    /// <returns>The saved form.</returns>
    public static SavedModel Of(BgNbdModel model, double? customers = null, string? timeUnit = null) =>
        Build("bgnbd", [model.R, model.Alpha, model.A, model.B], model.Fit, customers, timeUnit);

    /// <summary>The saved form of a Pareto/NBD model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customers">The number of customers it was fitted on, if known.</param>
    /// <param name="timeUnit">The time unit of its times, if known.</param>
    /// <returns>The saved form.</returns>
    public static SavedModel Of(ParetoNbdModel model, double? customers = null, string? timeUnit = null) =>
        Build("paretonbd", [model.R, model.Alpha, model.S, model.Beta], model.Fit, customers, timeUnit);

    /// <summary>The saved form of an MBG/NBD model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customers">The number of customers it was fitted on, if known.</param>
    /// <param name="timeUnit">The time unit of its times, if known.</param>
    /// <returns>The saved form.</returns>
    public static SavedModel Of(MbgNbdModel model, double? customers = null, string? timeUnit = null) =>
        Build("mbgnbd", [model.R, model.Alpha, model.A, model.B], model.Fit, customers, timeUnit);

    /// <summary>The saved form of a BG/BB model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customers">The number of customers it was fitted on, if known.</param>
    /// <param name="timeUnit">The time unit of its periods, if known.</param>
    /// <returns>The saved form.</returns>
    public static SavedModel Of(BgBbModel model, double? customers = null, string? timeUnit = null) =>
        Build("bgbb", [model.Alpha, model.Beta, model.Gamma, model.Delta], model.Fit, customers, timeUnit);

    /// <summary>The saved form of a Gamma-Gamma model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customers">The number of customers it was fitted on, if known.</param>
    /// <returns>The saved form.</returns>
    public static SavedModel Of(GammaGammaModel model, double? customers = null) =>
        Build("gammagamma", [model.P, model.Q, model.Gamma], model.Fit, customers, null);

    /// <summary>Gets the parameters' uncertainty when it was saved, so that intervals can be drawn from a loaded model.</summary>
    public ParameterUncertainty? Uncertainty =>
        LogCovariance.Length == Parameters.Length * Parameters.Length && Parameters.Length > 0
            ? new ParameterUncertainty([.. Parameters.Select(p => p.Key)], [.. Parameters.Select(p => p.Value)], [.. LogCovariance])
            : null;

    /// <summary>The model as BG/NBD.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">The saved model is another one.</exception>
    public BgNbdModel ToBgNbd()
    {
        var p = Values("bgnbd");
        return new BgNbdModel(p[0], p[1], p[2], p[3]);
    }

    /// <summary>The model as Pareto/NBD.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">The saved model is another one.</exception>
    public ParetoNbdModel ToParetoNbd()
    {
        var p = Values("paretonbd");
        return new ParetoNbdModel(p[0], p[1], p[2], p[3]);
    }

    /// <summary>The model as MBG/NBD.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">The saved model is another one.</exception>
    public MbgNbdModel ToMbgNbd()
    {
        var p = Values("mbgnbd");
        return new MbgNbdModel(p[0], p[1], p[2], p[3]);
    }

    /// <summary>The model as BG/BB.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">The saved model is another one.</exception>
    public BgBbModel ToBgBb()
    {
        var p = Values("bgbb");
        return new BgBbModel(p[0], p[1], p[2], p[3]);
    }

    /// <summary>The model as Gamma-Gamma.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">The saved model is another one.</exception>
    public GammaGammaModel ToGammaGamma()
    {
        var p = Values("gammagamma");
        return new GammaGammaModel(p[0], p[1], p[2]);
    }

    /// <summary>The JSON of the saved model: <c>{"model":…,"parameters":{…},"standardErrors":{…},"logCovariance":[…],…}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(
        new SavedModelJson(
            Model,
            Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            StandardErrors.IsEmpty ? null : Parameters.Select((p, i) => (p.Key, StandardErrors[i])).ToDictionary(x => x.Key, x => x.Item2, StringComparer.Ordinal),
            LogCovariance.IsEmpty ? null : [.. LogCovariance],
            LogLikelihood,
            Customers,
            TimeUnit),
        SavedModelJsonContext.Default.SavedModelJson);

    /// <summary>Reads a saved model from its JSON (what <see cref="ToJson"/> writes).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The saved model.</returns>
    /// <exception cref="FormatException">The text is not a saved model: malformed JSON, an unknown model, a missing or non-positive parameter, or a covariance of the wrong size.</exception>
    public static SavedModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SavedModelJson? read;
        try
        {
            read = JsonSerializer.Deserialize(json, SavedModelJsonContext.Default.SavedModelJson);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The saved model is not valid JSON: {e.Message}", e);
        }

        if (read?.Model is not { } model || !Names.TryGetValue(model, out var names))
        {
            throw new FormatException($"The saved model names no known model (\"model\": one of {string.Join(", ", Names.Keys)}).");
        }

        var parameters = new List<KeyValuePair<string, double>>();
        foreach (var name in names)
        {
            if (read.Parameters is null || !read.Parameters.TryGetValue(name, out var value) || !double.IsFinite(value) || value <= 0)
            {
                throw new FormatException($"The saved {model} model needs a positive, finite parameter \"{name}\" (it has {string.Join(", ", names)}).");
            }

            parameters.Add(new(name, value));
        }

        var covariance = read.LogCovariance ?? [];
        if (covariance.Length != 0 && covariance.Length != names.Length * names.Length)
        {
            throw new FormatException($"The saved model's logCovariance has {covariance.Length} numbers; {names.Length} parameters need {names.Length * names.Length}.");
        }

        return new SavedModel(model, [.. parameters])
        {
            StandardErrors = read.StandardErrors is { } se ? [.. names.Select(n => se.GetValueOrDefault(n, double.NaN))] : [],
            LogCovariance = [.. covariance],
            LogLikelihood = read.LogLikelihood,
            Customers = read.Customers,
            TimeUnit = read.TimeUnit,
        };
    }

    private double[] Values(string model) =>
        string.Equals(Model, model, StringComparison.Ordinal)
            ? [.. Parameters.Select(p => p.Value)]
            : throw new InvalidOperationException($"The saved model is {Model}, not {model}.");

    private static SavedModel Build(string model, double[] values, FitReport? fit, double? customers, string? timeUnit)
    {
        var names = Names[model];
        var u = fit?.Uncertainty;
        return new SavedModel(model, [.. names.Select((n, i) => new KeyValuePair<string, double>(n, values[i]))])
        {
            StandardErrors = u is null ? [] : u.StandardErrors,
            LogCovariance = u is null ? [] : [.. Enumerable.Range(0, names.Length * names.Length).Select(k => u.LogCovariance(k / names.Length, k % names.Length))],
            LogLikelihood = fit?.LogLikelihood,
            Customers = customers is { } c && !(double.IsFinite(c) && c >= 0) ? throw new ArgumentOutOfRangeException(nameof(customers), c, "The number of customers must be finite and not negative.") : customers,
            TimeUnit = timeUnit,
        };
    }
}

/// <summary>The JSON shape of a saved model.</summary>
internal sealed record SavedModelJson(
    string? Model,
    Dictionary<string, double>? Parameters,
    Dictionary<string, double>? StandardErrors,
    double[]? LogCovariance,
    double? LogLikelihood,
    double? Customers,
    string? TimeUnit);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(SavedModelJson))]
internal sealed partial class SavedModelJsonContext : JsonSerializerContext;
