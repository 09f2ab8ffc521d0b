using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring.Components;

/// <summary>
/// The four built-in components of S5. Each blends a few parts, each part mapped to 0–100; a missing part's weight is
/// shared among the component's measured parts (the documented missing-input rule), and a component with no measured
/// part is missing.
/// </summary>
internal static class BuiltInComponents
{
    public static readonly ComponentKey Engagement = new(ComponentNames.Engagement);
    public static readonly ComponentKey Usage = new(ComponentNames.Usage);
    public static readonly ComponentKey Satisfaction = new(ComponentNames.Satisfaction);
    public static readonly ComponentKey Value = new(ComponentNames.Value);

    public static IRetentionScoreComponent[] All { get; } =
    [
        new BlendedComponent(Engagement,
        [
            new("logins against the customer's normal", 60, Col.Logins, Col.BaselineLogins, 0, 100, "0%"),
            new("e-mail open rate", 40, Col.EmailsOpened, Col.EmailsSent, 0, 100, "0%"),
        ]),
        new BlendedComponent(Usage,
        [
            new("share of features used (full marks at 60 %)", 70, Col.FeatureShare, -1, 0, 100 / 0.6, "0%"),
            new("use of the plan's limit (full marks at 80 %)", 30, Col.UsageOfLimit, -1, 0, 100 / 0.8, "0%"),
        ]),
        new BlendedComponent(Satisfaction,
        [
            new("NPS answer", 40, Col.Nps, -1, 0, 10, "0.#"),
            new("survey satisfaction", 40, Col.SurveySatisfaction, -1, 0, 10, "0.#"),
            new("comment sentiment", 20, Col.CommentSentiment, -1, 0, 100, "0.00"),
        ]),
        new BlendedComponent(Value,
        [
            new("days payment late (0 scores 100, 30 or more scores 0)", 50, Col.DaysPaymentLate, -1, 100, -100 / 30d, "0"),
            new("realised ROI (full marks at 3x)", 50, Col.RoiMultiple, -1, 0, 100 / 3d, "0.0x"),
        ]),
    ];

    /// <summary>One part of a built-in component: a measure (or ratio), its weight, and its linear mapping to 0–100 (clamped).</summary>
    internal sealed record Part(string Name, double Weight, int Column, int DenominatorColumn, double Intercept, double Slope, string Format)
    {
        /// <summary>intercept + slope × value, clamped to [0, 100], in single precision as the batch kernel maps it.</summary>
        /// <remarks>
        /// The kernel clamps with the native min/max instructions, which differ from <see cref="MathF.Min(float, float)"/>
        /// only for NaN and −0. Neither reaches them: a missing (NaN) value is masked out, and with a +0 or 100
        /// intercept (every built-in part) intercept + slope × value is never −0.
        /// </remarks>
        public float Map(float value) => MathF.Min(MathF.Max((float)Intercept + ((float)Slope * value), 0f), 100f);

        /// <summary>The part's measure, or the ratio of two in single precision (missing when the denominator is missing or zero).</summary>
        public float Raw(ScoringRow row)
        {
            var value = (float)row.At(Column);
            if (DenominatorColumn < 0)
            {
                return value;
            }

            var denominator = (float)row.At(DenominatorColumn);
            return denominator > 0f ? value / denominator : float.NaN;
        }
    }

    /// <summary>A component blended from two or three parts; the batch kernel blends them in its lanes with the arithmetic of <see cref="Read"/>.</summary>
    internal sealed class BlendedComponent(ComponentKey key, Part[] parts) : IRetentionScoreComponent
    {
        private readonly Part[] _parts = parts.Length is 2 or 3 ? parts : throw new ArgumentException("A blended component has two or three parts.", nameof(parts));

        public ComponentKey Key { get; } = key;

        public IReadOnlyList<MeasureDefinition> AdditionalMeasures => [];

        public IReadOnlyList<Part> Parts => _parts;

        /// <summary>Blends the measured parts with the kernel's single-precision arithmetic in the same order, so both give the same value.</summary>
        public ComponentReading Read(ScoringRow row)
        {
            var weighted = 0f;
            var weights = 0f;
            var measured = 0;
            foreach (var part in _parts)
            {
                var raw = part.Raw(row);
                if (!float.IsNaN(raw))
                {
                    weighted += (float)part.Weight * part.Map(raw);
                    weights += (float)part.Weight;
                    measured++;
                }
            }

            return measured == 0 ? ComponentReading.Missing(_parts.Length) : new ComponentReading(weighted / weights, measured, _parts.Length);
        }

        public string Describe(ScoringRow row, ComponentReading reading)
        {
            var text = new StringBuilder();
            double measuredWeight = 0d;
            foreach (var part in _parts)
            {
                if (!double.IsNaN(part.Raw(row)))
                {
                    measuredWeight += part.Weight;
                }
            }

            foreach (var part in _parts)
            {
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                var raw = part.Raw(row);
                if (double.IsNaN(raw))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{part.Name}: no data");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"{part.Name} {raw.ToString(part.Format, CultureInfo.InvariantCulture)} scores {part.Map(raw):0.#} (weight {part.Weight / measuredWeight:0%})");
                }
            }

            if (reading.IsPartial)
            {
                text.Append("; missing parts' weight shared among the measured ones");
            }

            return text.ToString();
        }
    }
}
