using System;
using System.Data.Common;
using NodaTime;
using RetentionKit.Scoring;

namespace RetentionKit.Storage.Internal;

/// <summary>The score-history rows both stores read, and the arguments both check before they read.</summary>
internal static class ScoreColumns
{
    /// <summary>Checks a range read: a real customer, and a last date not before the first.</summary>
    public static void RequireRange(CustomerId customer, LocalDate firstDate, LocalDate lastDate)
    {
        if (customer.IsDefault)
        {
            throw new ArgumentException("The customer must be a real customer id, not default.", nameof(customer));
        }

        if (lastDate < firstDate)
        {
            throw new ArgumentOutOfRangeException(nameof(lastDate), lastDate, $"lastDate must not be before firstDate ({firstDate:uuuu-MM-dd}).");
        }
    }

    /// <summary>The column order both stores select a record in: day, observed_day, retention, band, risk, level, probability.</summary>
    public static ScoreRecord Read(DbDataReader reader, CustomerId customer) => new(
        customer,
        Days.ToDate(reader.GetInt32(0)),
        Days.ToDate(reader.GetInt32(1)),
        reader.IsDBNull(2) ? null : reader.GetDouble(2),
        reader.IsDBNull(3) ? null : (RetentionBand)reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetDouble(4),
        (RiskLevel)reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetDouble(6));
}
