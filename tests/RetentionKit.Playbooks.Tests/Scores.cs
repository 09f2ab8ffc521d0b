using NodaTime;
using RetentionKit.Scoring;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Scoring outputs for test customers.</summary>
internal static class Scores
{
    public static CustomerScore WithRisk(RiskLevel level, double churnProbability, RetentionBand band) => new(
        PlaybookFixture.Ana,
        new LocalDate(2026, 1, 1),
        new LocalDate(2026, 1, 1),
        new RiskAssessment(50, level, level, churnProbability, [], [], null, null),
        new RetentionScore(band switch { RetentionBand.AtRisk => 20, RetentionBand.Low => 50, RetentionBand.Medium => 70, _ => 90 }, null, band, [], null),
        default);
}
