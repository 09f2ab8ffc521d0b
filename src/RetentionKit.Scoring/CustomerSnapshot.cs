using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Scoring;

/// <summary>What is known about one customer's activity on a date: the input of scoring.</summary>
/// <remarks>
/// <para>Every measure is optional. A missing measure (null) is not zero: the signals that read it report
/// <see cref="SignalState.Missing"/>, its weight is shared among the measured signals of its category, and the
/// result is flagged. See <see cref="Measures"/> for the built-in measures and their windows.</para>
/// <para>Each value is checked when set (range, NaN); the cross-measure rules (opened e-mails not more than sent,
/// negative tickets not more than tickets) are checked when the snapshot is scored or written to a batch, with an
/// exception naming the measure.</para>
/// </remarks>
public sealed record CustomerSnapshot
{
    private readonly BuiltInValues _builtIn;
    private readonly ImmutableDictionary<MeasureKey, double> _extra = ImmutableDictionary<MeasureKey, double>.Empty;
    private readonly ImmutableArray<string> _comments = [];

    /// <summary>Initializes a new instance of the <see cref="CustomerSnapshot"/> class.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The date the snapshot describes (the end of its windows).</param>
    /// <exception cref="ArgumentException"><paramref name="customer"/> is the default identifier.</exception>
    public CustomerSnapshot(CustomerId customer, LocalDate asOf)
    {
        Customer = Guard.Valid(customer);
        AsOf = asOf;
        ObservedOn = asOf;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the date the snapshot describes.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the date of the newest input behind the snapshot; older inputs make the score stale (S6).</summary>
    /// <value>The default value is <see cref="AsOf"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is after <see cref="AsOf"/>.</exception>
    public LocalDate ObservedOn
    {
        get;
        init
        {
            if (value > AsOf)
            {
                throw new ArgumentOutOfRangeException(nameof(ObservedOn), value, $"ObservedOn must not be after AsOf ({AsOf:uuuu-MM-dd}).");
            }

            field = value;
        }
    }

    /// <inheritdoc cref="Measures.EmailsSent"/>
    public double? EmailsSent { get => Get(0); init => _builtIn[0] = Checked(0, value); }

    /// <inheritdoc cref="Measures.EmailsOpened"/>
    public double? EmailsOpened { get => Get(1); init => _builtIn[1] = Checked(1, value); }

    /// <inheritdoc cref="Measures.FeatureShare"/>
    public double? FeatureShare { get => Get(2); init => _builtIn[2] = Checked(2, value); }

    /// <inheritdoc cref="Measures.SupportTickets"/>
    public double? SupportTickets { get => Get(3); init => _builtIn[3] = Checked(3, value); }

    /// <inheritdoc cref="Measures.DaysPaymentLate"/>
    public double? DaysPaymentLate { get => Get(4); init => _builtIn[4] = Checked(4, value); }

    /// <inheritdoc cref="Measures.Logins"/>
    public double? Logins { get => Get(5); init => _builtIn[5] = Checked(5, value); }

    /// <inheritdoc cref="Measures.BaselineLogins"/>
    public double? BaselineLogins { get => Get(6); init => _builtIn[6] = Checked(6, value); }

    /// <inheritdoc cref="Measures.Nps"/>
    public double? Nps { get => Get(7); init => _builtIn[7] = Checked(7, value); }

    /// <inheritdoc cref="Measures.CommentSentiment"/>
    /// <remarks>When null and <see cref="Comments"/> is not empty, the engine's sentiment analyser fills it in.</remarks>
    public double? CommentSentiment { get => Get(8); init => _builtIn[8] = Checked(8, value); }

    /// <inheritdoc cref="Measures.NegativeSocialMentions"/>
    public double? NegativeSocialMentions { get => Get(9); init => _builtIn[9] = Checked(9, value); }

    /// <inheritdoc cref="Measures.SurveySatisfaction"/>
    public double? SurveySatisfaction { get => Get(10); init => _builtIn[10] = Checked(10, value); }

    /// <inheritdoc cref="Measures.NegativeTickets"/>
    public double? NegativeTickets { get => Get(11); init => _builtIn[11] = Checked(11, value); }

    /// <inheritdoc cref="Measures.CompetitorVisits"/>
    public double? CompetitorVisits { get => Get(12); init => _builtIn[12] = Checked(12, value); }

    /// <inheritdoc cref="Measures.AlternativeSearches"/>
    public double? AlternativeSearches { get => Get(13); init => _builtIn[13] = Checked(13, value); }

    /// <inheritdoc cref="Measures.CompetitorEvaluations"/>
    public double? CompetitorEvaluations { get => Get(14); init => _builtIn[14] = Checked(14, value); }

    /// <inheritdoc cref="Measures.CompetitorTrials"/>
    public double? CompetitorTrials { get => Get(15); init => _builtIn[15] = Checked(15, value); }

    /// <inheritdoc cref="Measures.ContractReviews"/>
    public double? ContractReviews { get => Get(16); init => _builtIn[16] = Checked(16, value); }

    /// <inheritdoc cref="Measures.UsageOfLimit"/>
    public double? UsageOfLimit { get => Get(17); init => _builtIn[17] = Checked(17, value); }

    /// <inheritdoc cref="Measures.RoiMultiple"/>
    public double? RoiMultiple { get => Get(18); init => _builtIn[18] = Checked(18, value); }

    /// <summary>Gets the customer's recent free-text comments (surveys, tickets, reviews) for the sentiment analyser.</summary>
    /// <value>The default value is empty.</value>
    public ImmutableArray<string> Comments
    {
        get => _comments;
        init
        {
            foreach (var comment in value)
            {
                ArgumentNullException.ThrowIfNull(comment, nameof(Comments));
            }

            _comments = value.IsDefault ? [] : value;
        }
    }

    /// <summary>Gets the values of measures beyond the built-in ones, read by the host's own signals and components.</summary>
    /// <value>The default value is empty.</value>
    public ImmutableDictionary<MeasureKey, double> AdditionalMeasures
    {
        get => _extra;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(AdditionalMeasures));
            foreach (var (key, measure) in value)
            {
                if (key.IsDefault)
                {
                    throw new ArgumentException("AdditionalMeasures holds the default MeasureKey, which names no measure.", nameof(AdditionalMeasures));
                }

                if (!double.IsFinite(measure))
                {
                    throw new ArgumentOutOfRangeException(nameof(AdditionalMeasures), measure, $"AdditionalMeasures[{key}] must be a finite number.");
                }

                if (BuiltInIndex(key) >= 0)
                {
                    throw new ArgumentException($"AdditionalMeasures must not hold the built-in measure {key}; set the {key} property instead.", nameof(AdditionalMeasures));
                }
            }

            _extra = value;
        }
    }

    /// <summary>Gets a measure's value, built in or additional.</summary>
    /// <param name="key">The measure.</param>
    /// <returns>The value, or null when the snapshot does not have it.</returns>
    public double? GetMeasure(MeasureKey key)
    {
        var index = BuiltInIndex(key);
        if (index >= 0)
        {
            return _builtIn[index];
        }

        return _extra.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>Returns whether this snapshot has the same customer, dates, measures and comments as another.</summary>
    /// <param name="other">The other snapshot.</param>
    /// <returns>True when every field is equal.</returns>
    public bool Equals(CustomerSnapshot? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || Customer != other.Customer || AsOf != other.AsOf || ObservedOn != other.ObservedOn)
        {
            return false;
        }

        return ((ReadOnlySpan<double?>)_builtIn).SequenceEqual(other._builtIn)
            && _comments.AsSpan().SequenceEqual(other._comments.AsSpan())
            && _extra.Count == other._extra.Count
            && AllExtraEqual(other._extra);
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Customer, AsOf, ObservedOn, _extra.Count, _comments.Length);

    internal static int BuiltInIndex(MeasureKey key)
    {
        var builtIn = Scoring.Measures.BuiltIn;
        for (var i = 0; i < builtIn.Length; i++)
        {
            if (builtIn[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    internal double? BuiltIn(int index) => _builtIn[index];

    private bool AllExtraEqual(ImmutableDictionary<MeasureKey, double> other)
    {
        foreach (KeyValuePair<MeasureKey, double> pair in _extra)
        {
            if (!other.TryGetValue(pair.Key, out var value) || !value.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }

    private double? Get(int index) => _builtIn[index];

    private static double? Checked(int index, double? value, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value is { } v)
        {
            var definition = Scoring.Measures.BuiltIn[index];
            if (!double.IsFinite(v) || v < definition.Minimum || v > definition.Maximum)
            {
                throw new ArgumentOutOfRangeException(name, v, $"{name} must be a finite number between {definition.Minimum} and {definition.Maximum} ({definition.Description}).");
            }
        }

        return value;
    }

    [System.Runtime.CompilerServices.InlineArray(Internal.Col.BuiltInCount)]
    private struct BuiltInValues
    {
        private double? _element0;
    }
}
