using System;
using System.Runtime.CompilerServices;

namespace RetentionKit.Internal;

/// <summary>
/// Argument checks shared by every RetentionKit package (the file is linked into each one, so it stays internal).
/// Each check names the argument and the rule it broke.
/// </summary>
internal static class Guard
{
    public static double Finite(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        // double.IsFinite first: a NaN slips through ThrowIfNegative and ThrowIfGreaterThan.
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number; NaN and infinities are not allowed.");
        }

        return value;
    }

    public static double FiniteNonNegative(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        Finite(value, paramName);
        if (value < 0d)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }

        return value;
    }

    public static double FiniteInRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        Finite(value, paramName);
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be between {min} and {max} inclusive.");
        }

        return value;
    }

    public static decimal NonNegative(decimal value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        // -0m compares equal to 0m and is therefore accepted.
        if (value < 0m)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }

        return value;
    }

    public static decimal Positive(decimal value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0m)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be greater than zero.");
        }

        return value;
    }

    public static int NonNegative(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }

        return value;
    }

    public static int Positive(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be greater than zero.");
        }

        return value;
    }

    public static long NonNegative(long value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative.");
        }

        return value;
    }

    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        return value;
    }

    public static string NotBlank(string? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be empty or white space.", paramName);
        }

        return value;
    }

    public static CustomerId Valid(CustomerId value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (value.IsDefault)
        {
            throw new ArgumentException($"{paramName} is the default CustomerId, which identifies no customer.", paramName);
        }

        return value;
    }
}
