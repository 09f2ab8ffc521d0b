using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RetentionKit.Scoring.RedFlags;

/// <summary>A red flag from options: signals that must be active and measures that must be below a value.</summary>
internal sealed class ConditionRedFlagRule : IRedFlagRule
{
    private ConditionRedFlagRule(string name, double floor, string description, SignalKey[] signals, (MeasureKey Measure, double Below)[] measures)
    {
        Name = name;
        Floor = floor;
        Description = description;
        Signals = signals;
        MeasuresBelow = measures;
    }

    public string Name { get; }

    public double Floor { get; }

    public string Description { get; }

    public SignalKey[] Signals { get; }

    public (MeasureKey Measure, double Below)[] MeasuresBelow { get; }

    public bool Matches(RedFlagArguments arguments)
    {
        foreach (var signal in Signals)
        {
            if (!arguments.IsActive(signal))
            {
                return false;
            }
        }

        foreach (var (measure, below) in MeasuresBelow)
        {
            var value = arguments.Row[measure];
            if (!(value < below))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses "A &amp; B &amp; Measure &lt; 5"; returns the problems instead of throwing, so that validation can list them all.</summary>
    public static ConditionRedFlagRule? TryParse(string name, RedFlagOptions options, ICollection<string> problems)
    {
        var signals = new List<SignalKey>();
        var measures = new List<(MeasureKey, double)>();
        var terms = (options.When ?? string.Empty).Split('&', StringSplitOptions.TrimEntries);
        var ok = true;
        foreach (var term in terms)
        {
            var lt = term.IndexOf('<', StringComparison.Ordinal);
            if (lt >= 0)
            {
                var measure = term[..lt].Trim();
                var number = term[(lt + 1)..].Trim();
                if (!IsKey(measure) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var below) || !double.IsFinite(below))
                {
                    problems.Add($"RedFlags:{name}:When has the term '{term}'; a measure condition reads 'Measure < number'.");
                    ok = false;
                    continue;
                }

                measures.Add((new MeasureKey(measure), below));
            }
            else if (IsKey(term))
            {
                signals.Add(new SignalKey(term));
            }
            else
            {
                problems.Add($"RedFlags:{name}:When has the term '{term}'; a term is a signal key or 'Measure < number', joined by '&'.");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        var description = string.Join(" and ", signals.Select(s => s.Name).Concat(measures.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Item1} below {m.Item2}"))));
        return new ConditionRedFlagRule(name, options.Floor, description, [.. signals], [.. measures]);
    }

    private static bool IsKey(string text) =>
        text.Length is > 0 and <= Internal.KeyName.MaxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
