using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;

namespace RetentionKit.Orleans.Tests;

/// <summary>
/// A reminder table that outlives the clusters of a test, as the ADO.NET table on the cluster's PostgreSQL outlives a
/// restart of every silo: rows with optimistic e-tags, ranges of the grain hash ring.
/// </summary>
internal sealed class SharedReminderTable : IReminderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId, string), ReminderEntry> _rows = [];
    private long _etag;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        lock (_gate)
        {
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId.Equals(grainId)).Select(Copy).ToList()));
        }
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        lock (_gate)
        {
            // The ring range (begin, end]; begin ≥ end wraps around (the whole ring when they are equal).
            bool InRange(uint h) => begin < end ? h > begin && h <= end : h > begin || h <= end;
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode())).Select(Copy).ToList()));
        }
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);
        }
    }

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        lock (_gate)
        {
            var etag = (++_etag).ToString(CultureInfo.InvariantCulture);
            var row = Copy(entry);
            row.ETag = etag;
            _rows[(entry.GrainId, entry.ReminderName)] = row;
            return Task.FromResult<string?>(etag);
        }
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue((grainId, reminderName), out var row) && row.ETag == eTag)
            {
                _rows.Remove((grainId, reminderName));
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task TestOnlyClearTable()
    {
        lock (_gate)
        {
            _rows.Clear();
        }

        return Task.CompletedTask;
    }

    private static ReminderEntry Copy(ReminderEntry r) => new()
    {
        GrainId = r.GrainId,
        ReminderName = r.ReminderName,
        StartAt = r.StartAt,
        Period = r.Period,
        ETag = r.ETag,
    };
}
