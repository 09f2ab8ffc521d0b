using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RetentionKit.Loyalty.Referrals;

namespace RetentionKit.Testing;

/// <summary>
/// A referral signal source for tests: what the host's systems would know of each customer (hashed e-mail, device,
/// payment fingerprint), set per customer, so a test can make two customers share a device or a card and see the fraud
/// checks act. Customers never set have no signals. Thread-safe.
/// </summary>
public sealed class FakeReferralSignals : IReferralSignalSource
{
    private readonly ConcurrentDictionary<CustomerId, (string? Email, string? Device, string? Payment)> _customers = new();

    /// <summary>Sets what is known of a customer, replacing what was set before.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="emailHash">A hash of the normalised e-mail address, or null.</param>
    /// <param name="device">A device fingerprint, or null.</param>
    /// <param name="payment">A payment-method fingerprint, or null.</param>
    /// <returns>This source, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="customer"/> is default.</exception>
    public FakeReferralSignals Set(CustomerId customer, string? emailHash = null, string? device = null, string? payment = null)
    {
        if (customer.IsDefault)
        {
            throw new ArgumentException("The customer must be a real customer id, not default.", nameof(customer));
        }

        _customers[customer] = (emailHash, device, payment);
        return this;
    }

    /// <summary>Gets how many times the signals were asked for.</summary>
    public int Calls => _calls;

    private int _calls;

    /// <inheritdoc/>
    public ValueTask<ReferralSignals> GetSignalsAsync(CustomerId referrer, CustomerId referred, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        var a = _customers.GetValueOrDefault(referrer);
        var b = _customers.GetValueOrDefault(referred);
        return ValueTask.FromResult(new ReferralSignals(referrer, referred, a.Email, b.Email, a.Device, b.Device, a.Payment, b.Payment));
    }
}
