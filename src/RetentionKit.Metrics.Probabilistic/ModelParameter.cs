using System;

namespace RetentionKit.Metrics.Probabilistic;

/// <summary>The rule every model parameter follows.</summary>
internal static class ModelParameter
{
    /// <summary>The value when positive and finite; otherwise an exception naming the parameter and the rule.</summary>
    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0d
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");

    /// <summary>A fitted parameter from its logarithm; a fit that drove it to 0 or infinity did not find a model.</summary>
    public static double FromLog(double logarithm, string model, string name)
    {
        var value = Math.Exp(logarithm);
        return double.IsFinite(value) && value > 0d
            ? value
            : throw new ModelFitException($"The {model} fit diverged: {name} went to {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; the data do not identify the model.");
    }
}
