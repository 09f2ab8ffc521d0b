using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using RetentionKit.Cli.Data;
using RetentionKit.Metrics.Probabilistic;

namespace RetentionKit.Cli.Commands;

/// <summary>
/// <c>clv predict</c> in batches: memory in proportion to a batch, not to the input. A file is read twice — once to
/// check every row (so that a bad row is an error before anything is written), once to predict and write; an input
/// that cannot be read twice (a pipe) is kept in compact form between the two.
/// </summary>
internal sealed partial class CliApplication
{
    /// <summary>The rows predicted and written at a time.</summary>
    internal const int PredictBatch = 65_536;

    /// <summary>A count model's batch prediction: expected purchases in the next t and P(alive) per history.</summary>
    private delegate void CountPredictor(double t, PurchaseHistory[] customers, double[] expectedPurchases, double[] probabilityAlive);

    private int PredictInBatches(string path, string modelName, CountPredictor predict, double t, bool json)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, 0, 0, "no such file");
        }

        var (rows, seekable) = CheckSummary(path, json);
        var progress = !json && rows.Count >= 16_384 ? Progress("Predicting") : null;
        using var json8 = new MemoryStream();
        using var writer = new Utf8JsonWriter(json8);
        void FlushJson()
        {
            writer.Flush();
            stdout.Write(Encoding.UTF8.GetString(json8.GetBuffer(), 0, (int)json8.Length));
            json8.SetLength(0);
        }

        if (json)
        {
            writer.WriteStartObject();
            writer.WriteString("model", modelName);
            writer.WriteNumber("horizon", t);
            writer.WriteStartArray("predictions");
        }
        else
        {
            stdout.WriteLine("id\texpected purchases\tP(alive)");
        }

        var ids = new string[PredictBatch];
        var histories = new PurchaseHistory[PredictBatch];
        var (expected, alive) = (new double[PredictBatch], new double[PredictBatch]);
        var done = 0;
        var text = new StringBuilder();
        foreach (var batch in Batches(path, seekable ? null : rows.Stored, ids, histories))
        {
            predict(t, histories.AsSpan(0, batch).ToArray(), expected, alive);
            for (var i = 0; i < batch; i++)
            {
                if (json)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", ids[i]);
                    writer.WriteNumber("expectedPurchases", expected[i]);
                    writer.WriteNumber("pAlive", alive[i]);
                    writer.WriteEndObject();
                }
                else
                {
                    text.Append(ids[i]).Append('\t').Append(expected[i].ToString("0.0000", CultureInfo.InvariantCulture)).Append('\t').Append(alive[i].ToString("0.0000", CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            if (json)
            {
                FlushJson();
            }
            else
            {
                stdout.Write(text.Replace("\n", Environment.NewLine).ToString());
                text.Clear();
            }

            done += batch;
            progress?.Report((double)done / rows.Count);
        }

        if (json)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            FlushJson();
            stdout.WriteLine();
        }

        Done();
        return Success;
    }

    /// <summary>The first read: every row parsed and checked (an error names its line and column); the rows themselves are kept only when the input cannot be read again.</summary>
    private ((int Count, List<(string Id, PurchaseHistory History)>? Stored) Rows, bool Seekable) CheckSummary(string path, bool json)
    {
        using var stream = File.OpenRead(path);
        var seekable = stream.CanSeek;
        var progress = !json && seekable && stream.Length >= LargeInputBytes ? Progress("Reading") : null;
        var stored = seekable ? null : new List<(string Id, PurchaseHistory History)>();
        var count = 0;
        foreach (var row in Summary(stream, path))
        {
            stored?.Add(row);
            if (++count % 16_384 == 0)
            {
                progress?.Report((double)stream.Position / stream.Length);
            }
        }

        progress?.Report(1);
        return ((count, stored), seekable);
    }

    /// <summary>The second read, a batch at a time into the given arrays; yields each batch's size.</summary>
    private static IEnumerable<int> Batches(string path, List<(string Id, PurchaseHistory History)>? stored, string[] ids, PurchaseHistory[] histories)
    {
        using var stream = stored is null ? File.OpenRead(path) : null;
        var rows = stored ?? Summary(stream!, path);
        var n = 0;
        foreach (var (id, history) in rows)
        {
            (ids[n], histories[n]) = (id, history);
            if (++n == ids.Length)
            {
                yield return n;
                n = 0;
            }
        }

        if (n > 0)
        {
            yield return n;
        }
    }

    /// <summary>The rows of a BG/NBD summary file (frequency, recency, T, optional id), parsed and checked as they are read.</summary>
    private static IEnumerable<(string Id, PurchaseHistory History)> Summary(Stream stream, string path)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        var line = 0L;
        string[]? header = null;
        int x = -1, tx = -1, t = -1, id = -1, row = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                int Find(params string[] names) => names.Select(n => Array.IndexOf(header, n)).FirstOrDefault(i => i >= 0, -1);
                (x, tx, t, id) = (Find("frequency", "x"), Find("recency", "t_x"), Find("T"), Find("ID", "id", "customer"));
                var missing = new[] { (x, "'frequency' or 'x'"), (tx, "'recency' or 't_x'"), (t, "'T'") }.FirstOrDefault(c => c.Item1 < 0);
                if (missing.Item2 is { } name)
                {
                    throw new DataFormatException(path, 1, 1, $"the header has no column {name}");
                }

                continue;
            }

            row++;
            double Number(int column) =>
                fields.Length > column && double.TryParse(fields[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new DataFormatException(path, line, column + 1, $"column '{header[column]}' is not a number");
            var history = new PurchaseHistory(Number(x), Number(tx), Number(t));
            try
            {
                history.Validate("input");
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new DataFormatException(path, line, 1, e.Message.Split(" (Parameter")[0]);
            }

            yield return (id >= 0 && id < fields.Length ? fields[id].Trim() : row.ToString(CultureInfo.InvariantCulture), history);
        }

        if (header is null)
        {
            throw new DataFormatException(path, 1, 1, "the file is empty; it needs a header");
        }
    }
}
