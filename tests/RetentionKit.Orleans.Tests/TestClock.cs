using System.Diagnostics;
using System.Threading;
using NodaTime;

namespace RetentionKit.Orleans.Tests;

/// <summary>
/// A clock a test sets (still, like NodaTime's FakeClock) or lets run at real speed from a set instant — for Orleans'
/// reminders, which wait in real time for an instant worked out from the clock.
/// </summary>
internal sealed class TestClock(Instant start) : IClock
{
    private readonly Lock _gate = new();
    private Instant _base = start;
    private long? _runningSince;

    public Instant GetCurrentInstant()
    {
        lock (_gate)
        {
            return _runningSince is { } since ? _base + Duration.FromTimeSpan(Stopwatch.GetElapsedTime(since)) : _base;
        }
    }

    /// <summary>Sets the clock still at an instant.</summary>
    public void Reset(Instant instant)
    {
        lock (_gate)
        {
            (_base, _runningSince) = (instant, null);
        }
    }

    /// <summary>Moves the clock on (it keeps running if it was).</summary>
    public void Advance(Duration duration)
    {
        lock (_gate)
        {
            var now = _runningSince is { } since ? _base + Duration.FromTimeSpan(Stopwatch.GetElapsedTime(since)) : _base;
            _base = now + duration;
            _runningSince = _runningSince is null ? null : Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Lets the clock run at real speed from where it is.</summary>
    public void Run()
    {
        lock (_gate)
        {
            _runningSince = Stopwatch.GetTimestamp();
        }
    }
}
