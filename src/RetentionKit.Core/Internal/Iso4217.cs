using System.Collections.Frozen;
using System.Collections.Generic;

namespace RetentionKit.Internal;

/// <summary>
/// The active alphabetic codes of ISO 4217 (List One, as amended to 2026: XCG replaces ANG, ZWG replaces ZWL, SLE
/// replaces SLL, and the euro replaces HRK and BGN) with the number of decimal places of their minor unit.
/// </summary>
/// <remarks>
/// Funds, precious metals and the other codes without a minor unit ("N.A." in the standard: XAU, XDR, XXX …) are
/// listed with 2, the number <see cref="Money.Round()"/> uses for them.
/// </remarks>
internal static class Iso4217
{
    private const string Zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
    private const string Three = "BHD IQD JOD KWD LYD OMR TND";
    private const string Four = "CLF UYW";
    private const string Two =
        "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF " +
        "CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL " +
        "HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU " +
        "MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR " +
        "SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED " +
        "VES WST XAG XAU XBA XBB XBC XBD XCD XCG XDR XPD XPT XSU XTS XUA XXX YER ZAR ZMW ZWG";

    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = Build();

    /// <summary>Gets the minor units of an active code; false for a code the standard does not list as active.</summary>
    public static bool TryGetMinorUnits(string upperCode, out int minorUnits) => MinorUnitsByCode.TryGetValue(upperCode, out minorUnits);

    /// <summary>Gets every active code.</summary>
    public static IEnumerable<string> Codes => MinorUnitsByCode.Keys;

    private static FrozenDictionary<string, int> Build()
    {
        var codes = new Dictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var (list, units) in new[] { (Two, 2), (Zero, 0), (Three, 3), (Four, 4) })
        {
            foreach (var code in list.Split(' '))
            {
                codes.Add(code, units);
            }
        }

        return codes.ToFrozenDictionary(System.StringComparer.Ordinal);
    }
}
