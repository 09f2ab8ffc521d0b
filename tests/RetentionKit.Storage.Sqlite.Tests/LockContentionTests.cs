using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using NodaTime;
using RetentionKit.Loyalty.Ledger;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>ST-5 for SQLite lock contention: a bounded wait, then a clear transient error; nothing half-written, and the retry is harmless.</summary>
public sealed class LockContentionTests : IDisposable
{
    private static readonly CustomerId Ana = new("ana");
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static LedgerEntry Earn(long sequence, string key) => new()
    {
        Member = Ana, Sequence = sequence, IdempotencyKey = key, Kind = PostingKind.Earn, Points = 10, Counterparty = SystemAccount.Issued, At = Instant.FromUtc(2026, 1, 1, 0, 0),
    };

    [Fact]
    public async Task Append_WhileAnotherConnectionHoldsTheWriteLock_WaitsThenFailsWithATimeout_AndTheRetrySucceeds()
    {
        var store = new SqliteLoyaltyLedgerStore(_db.Database(o => o.BusyTimeout = TimeSpan.FromMilliseconds(200)));
        var entry = Earn(1, "k1");
        var record = new IdempotencyRecord("k1", RequestFingerprint.Of(entry), PostingStatus.Posted, 1);
        await store.FindKeyAsync(Ana, "k0"); // creates the schema before the lock is taken

        TimeoutException error;
        var watch = Stopwatch.StartNew();
        using (var holder = new SqliteConnection(_db.ConnectionString))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, held
            error = await Assert.ThrowsAsync<TimeoutException>(async () => await store.AppendAsync(Ana, 0, record, entry));
            watch.Stop();
            Assert.Null(await store.FindKeyAsync(Ana, "k1")); // readers are not blocked in WAL mode, and nothing was written
        }

        Assert.Contains("stayed locked by another writer for longer than its busy timeout (200 ms, RetentionKit:Storage:Sqlite:BusyTimeout); nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Contains(_db.File, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(30));
        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync(Ana, 0, record, entry)).Status);
        Assert.Equal([entry], await store.ReadAsync(Ana, 0));
    }
}
