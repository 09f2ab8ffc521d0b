using System;

namespace RetentionKit.Loyalty.Referrals;

/// <summary>
/// The version rules every <see cref="IReferralStore"/> applies before it writes, with the messages RetentionKit's own
/// stores give — for a store of your own, so that it refuses the same calls the same way.
/// </summary>
public static class ReferralStoreRules
{
    /// <summary>Checks that a new record starts at version 1.</summary>
    /// <param name="version">The record's version.</param>
    /// <param name="paramName">The argument the record came in.</param>
    /// <exception cref="ArgumentException">The version is not 1.</exception>
    public static void RequireFirstVersion(long version, string paramName)
    {
        if (version != 1)
        {
            throw new ArgumentException($"A new record starts at version 1, not {version}.", paramName);
        }
    }

    /// <summary>Checks that an update writes the version after the one it replaces.</summary>
    /// <param name="version">The new record's version.</param>
    /// <param name="expected">The version it replaces.</param>
    /// <param name="paramName">The argument the record came in.</param>
    /// <exception cref="ArgumentException">The version is not <paramref name="expected"/> + 1.</exception>
    public static void RequireNextVersion(long version, long expected, string paramName)
    {
        if (version != expected + 1)
        {
            throw new ArgumentException($"An update writes version {expected + 1} over version {expected}, not {version}.", paramName);
        }
    }
}
