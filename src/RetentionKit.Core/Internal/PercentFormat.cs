using System;

namespace RetentionKit.Internal;

/// <summary>How <see cref="Rate"/> and <see cref="Ratio"/> follow .NET's standard numeric format strings.</summary>
internal static class PercentFormat
{
    /// <summary>
    /// <c>P</c>/<c>p</c> formats the fraction as .NET does (the culture's percent pattern: "25.0 %" invariant, "25.0%"
    /// en-US); any other format is applied to the percentage, followed by " %"; null gives up to four decimals.
    /// </summary>
    public static string Format(double fraction, string? format, IFormatProvider? formatProvider) =>
        format is { Length: > 0 } && (format[0] == 'P' || format[0] == 'p')
            ? fraction.ToString(format, formatProvider)
            : (fraction * 100d).ToString(format ?? "0.####", formatProvider) + " %";
}
