using System;
using System.Collections.Generic;

namespace RetentionKit.Scoring.Tests.Model;

/// <summary>
/// The host code that maps the Telco file into RetentionKit: the code docs/scoring-your-own-data.md walks through.
/// Every column becomes a named feature; nothing is disguised as a 0–100 component or a signal.
/// </summary>
internal static class TelcoMapping
{
    private static readonly string[] YesNoColumns = ["Partner", "Dependents", "PhoneService", "PaperlessBilling"];

    private static readonly string[] InternetExtras = ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies"];

    /// <summary>The features: yes/no columns, categorical columns against their commonest level, and three numbers.</summary>
    public static readonly List<ChurnFeature> Features =
    [
        ChurnFeature.Boolean("Female", "the customer is a woman"),
        ChurnFeature.Boolean("SeniorCitizen", "the customer is 65 or older"),
        .. Array.ConvertAll(YesNoColumns, c => ChurnFeature.Boolean(c, c + " is Yes")),
        ChurnFeature.Categorical("MultipleLines", ["No", "Yes", "No phone service"], "No", "several phone lines"),
        ChurnFeature.Categorical("InternetService", ["DSL", "Fiber optic", "No"], "DSL", "internet service"),
        .. Array.ConvertAll(InternetExtras, c => ChurnFeature.Categorical(c, ["No", "Yes", "No internet service"], "No", c)),
        ChurnFeature.Categorical("Contract", ["Month-to-month", "One year", "Two year"], "Month-to-month", "contract term"),
        ChurnFeature.Categorical("PaymentMethod", ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"], "Electronic check", "how the customer pays"),
        ChurnFeature.Numeric("tenure", 0, 120, "months as a customer"),
        ChurnFeature.Numeric("MonthlyCharges", 0, 500, "monthly charge in dollars"),
        ChurnFeature.Numeric("TotalCharges", 0, 50_000, "charged so far in dollars"),
    ];

    /// <summary>Options without the built-in signals, components and red flags: this data set has none of their measures.</summary>
    public static ScoringOptions Options() => new() { UseBuiltInSignals = false, UseBuiltInComponents = false, UseBuiltInRedFlags = false };

    public static ScoringEngine Engine() => new(Options(), features: Features);

    /// <summary>One customer: each column written to its feature. A blank TotalCharges is a customer not billed yet (tenure 0): 0 dollars.</summary>
    public static CustomerSnapshot Snapshot(string id, IReadOnlyDictionary<string, string> row, int tenure, double monthlyCharges, double totalCharges)
    {
        var snapshot = new CustomerSnapshot(new CustomerId(id), new NodaTime.LocalDate(2024, 1, 31));
        foreach (var feature in Features)
        {
            snapshot = feature.Name switch
            {
                "Female" => snapshot.WithFeature(feature, row["gender"] == "Female"),
                "SeniorCitizen" => snapshot.WithFeature(feature, row["SeniorCitizen"] == "1"),
                "tenure" => snapshot.WithFeature(feature, tenure),
                "MonthlyCharges" => snapshot.WithFeature(feature, monthlyCharges),
                "TotalCharges" => snapshot.WithFeature(feature, totalCharges),
                _ when feature.Kind == ChurnFeatureKind.Boolean => snapshot.WithFeature(feature, row[feature.Name] == "Yes"),
                _ => snapshot.WithFeature(feature, row[feature.Name]),
            };
        }

        return snapshot;
    }
}
