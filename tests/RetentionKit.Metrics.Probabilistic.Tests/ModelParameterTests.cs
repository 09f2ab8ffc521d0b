using System;

namespace RetentionKit.Metrics.Probabilistic.Tests;

/// <summary>Every model's parameters are positive and finite, at construction and in a <c>with</c> expression alike.</summary>
public sealed class ModelParameterTests
{
    public static TheoryData<Func<object>, string> BadParameters() => new()
    {
        { () => new BgNbdModel(-1, 1, 1, 1), "R" },
        { () => new BgNbdModel(1, 0, 1, 1), "Alpha" },
        { () => new BgNbdModel(1, 1, double.NaN, 1), "A" },
        { () => new BgNbdModel(1, 1, 1, double.PositiveInfinity), "B" },
        { () => new BgNbdModel(1, 1, 1, 1) with { R = 0 }, "R" },
        { () => new GammaGammaModel(6, -3, 15), "Q" },
        { () => new GammaGammaModel(6, 3, 15) with { Gamma = double.NaN }, "Gamma" },
        { () => new ShiftedBetaGeometricModel(0, 1), "Alpha" },
        { () => new ShiftedBetaGeometricModel(1, 1) with { Beta = -0.5 }, "Beta" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void A_parameter_that_is_not_positive_and_finite_is_refused_by_name(Func<object> build, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(build);

        Assert.Equal(name, error.ParamName);
        Assert.StartsWith($"{name} must be positive and finite; got ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Positive_finite_parameters_are_kept_as_given()
    {
        var model = new BgNbdModel(0.243, 4.414, 0.793, 2.426) with { B = 3 };

        Assert.Equal((0.243, 4.414, 0.793, 3d), (model.R, model.Alpha, model.A, model.B));
        Assert.Equal((6.25, 3.74, 15.44), (new GammaGammaModel(6.25, 3.74, 15.44).P, new GammaGammaModel(6.25, 3.74, 15.44).Q, new GammaGammaModel(6.25, 3.74, 15.44).Gamma));
        Assert.Equal(0.704, new ShiftedBetaGeometricModel(0.704, 1.182).Alpha);
    }
}
