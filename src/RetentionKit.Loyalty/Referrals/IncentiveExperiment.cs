using System;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>One arm of an incentive experiment.</summary>
/// <param name="Name">The variant's name, e.g. "30 % off for 3 months".</param>
/// <param name="Weight">Its share of the traffic relative to the others; above 0.</param>
public sealed record IncentiveVariant(string Name, double Weight);

/// <summary>
/// A/B test of referral incentives (L5): every customer is assigned one variant, deterministically — the same customer
/// gets the same variant in every process and on every run — from SHA-256 of the experiment's name and the customer's
/// id (never <c>string.GetHashCode()</c>, which differs between processes). Different experiments split
/// customers independently.
/// </summary>
public sealed class IncentiveExperiment
{
    private readonly ImmutableArray<double> _cumulative;

    /// <summary>Initializes a new instance of the <see cref="IncentiveExperiment"/> class.</summary>
    /// <param name="name">The experiment's name; part of the hash, so renaming it reshuffles the customers.</param>
    /// <param name="variants">The variants, at least two, with unique names and finite weights above 0.</param>
    /// <exception cref="ArgumentException">The name is blank, or the variants break a rule.</exception>
    public IncentiveExperiment(string name, ImmutableArray<IncentiveVariant> variants)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (variants.IsDefault || variants.Length < 2)
        {
            throw new ArgumentException("An experiment has at least two variants.", nameof(variants));
        }

        if (variants.Any(v => v is null || string.IsNullOrWhiteSpace(v.Name) || !double.IsFinite(v.Weight) || v.Weight <= 0d)
            || variants.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != variants.Length)
        {
            throw new ArgumentException("Each variant has a unique, non-blank name and a finite weight above 0.", nameof(variants));
        }

        Name = name;
        Variants = variants;
        var total = variants.Sum(v => v.Weight);
        var cumulative = new double[variants.Length];
        var running = 0d;
        for (var i = 0; i < variants.Length; i++)
        {
            running += variants[i].Weight / total;
            cumulative[i] = running;
        }

        cumulative[^1] = 1d; // no customer falls past the last variant through rounding
        _cumulative = [.. cumulative];
    }

    /// <summary>Gets the experiment's name.</summary>
    public string Name { get; }

    /// <summary>Gets the variants.</summary>
    public ImmutableArray<IncentiveVariant> Variants { get; }

    /// <summary>Gets the variant of a customer.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The same variant for the same customer, always.</returns>
    /// <exception cref="ArgumentException"><paramref name="customer"/> is default.</exception>
    public IncentiveVariant Assign(CustomerId customer)
    {
        if (customer.IsDefault)
        {
            throw new ArgumentException("The customer must be a real customer id, not default.", nameof(customer));
        }

        var point = UnitPoint(Name, customer.Value);
        var index = 0;
        while (point >= _cumulative[index])
        {
            index++;
        }

        return Variants[index];
    }

    /// <summary>A point in [0, 1) from the first 53 bits of SHA-256 of the name, a separator and the id (UTF-8).</summary>
    internal static double UnitPoint(string experiment, string id)
    {
        var text = Encoding.UTF8.GetBytes(experiment + "\u001f" + id);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text, hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1d / (1UL << 53));
    }
}
