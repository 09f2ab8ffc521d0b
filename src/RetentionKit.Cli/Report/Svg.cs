using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace RetentionKit.Cli.Report;

/// <summary>
/// Small, dependency-free SVG charts for the report: line, signed stacked bars, histogram and heatmap. Hand-written
/// rather than a charting library so the tool ships no native graphics dependency and the output is deterministic.
/// </summary>
internal static class Svg
{
    public const int Width = 760;
    public const int Height = 300;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 20;
    private const int Bottom = 48;

    public static readonly string[] Palette = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777"];

    /// <summary>A line: one value per label (null for a gap); <paramref name="Step"/> draws it as steps (a survival curve).</summary>
    public sealed record Series(string Name, IReadOnlyList<double?> Values, string Color, bool Dashed = false, bool Step = false);

    public sealed record Stack(string Name, IReadOnlyList<double> Values, string Color, bool Negative);

    public static string Line(string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, Func<double, string> format, double? minY = null, double? maxY = null)
    {
        var values = series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).ToList();
        var (lo, hi) = Range(values, minY, maxY);
        var svg = Begin(title);
        Axes(svg, labels, lo, hi, format);
        var step = PlotWidth / Math.Max(1, labels.Count - 1);
        foreach (var s in series)
        {
            var path = new StringBuilder();
            var pen = 'M';
            for (var i = 0; i < s.Values.Count; i++)
            {
                if (s.Values[i] is not { } v)
                {
                    pen = 'M';
                    continue;
                }

                if (s.Step && pen == 'L')
                {
                    // Hold the previous value up to this point, then drop: the curve changes at the event, not between.
                    path.Append('H').Append(F(Left + (i * step))).Append(' ');
                    path.Append('V').Append(F(Y(v, lo, hi))).Append(' ');
                }
                else
                {
                    path.Append(pen).Append(F(Left + (i * step))).Append(',').Append(F(Y(v, lo, hi))).Append(' ');
                }

                pen = 'L';
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2.5\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}/>");
        }

        Legend(svg, series.Select(s => (s.Name, s.Color)));
        return End(svg);
    }

    public static string StackedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<Stack> stacks, IReadOnlyList<double>? net, Func<double, string> format)
    {
        var n = labels.Count;
        var up = new double[n];
        var down = new double[n];
        foreach (var s in stacks)
        {
            for (var i = 0; i < n; i++)
            {
                if (s.Negative)
                {
                    down[i] -= s.Values[i];
                }
                else
                {
                    up[i] += s.Values[i];
                }
            }
        }

        var (lo, hi) = Range(up.Concat(down).Append(0d).ToList(), null, null);
        var svg = Begin(title);
        Axes(svg, labels, lo, hi, format, bars: true);
        var slot = PlotWidth / Math.Max(1, n);
        var barWidth = Math.Max(2d, slot * 0.7);
        var top = new double[n];
        var bottom = new double[n];
        foreach (var s in stacks)
        {
            for (var i = 0; i < n; i++)
            {
                var v = s.Values[i];
                if (v <= 0d)
                {
                    continue;
                }

                double from, to;
                if (s.Negative)
                {
                    from = bottom[i];
                    to = bottom[i] -= v;
                }
                else
                {
                    from = top[i];
                    to = top[i] += v;
                }

                var y1 = Y(Math.Max(from, to), lo, hi);
                var y2 = Y(Math.Min(from, to), lo, hi);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left + (i * slot) + ((slot - barWidth) / 2))}\" y=\"{F(y1)}\" width=\"{F(barWidth)}\" height=\"{F(Math.Max(0.5, y2 - y1))}\" fill=\"{s.Color}\"><title>{Escape(labels[i])} {Escape(s.Name)}: {Escape(format(s.Negative ? -v : v))}</title></rect>");
            }
        }

        var legend = stacks.Select(s => (s.Name, s.Color)).ToList();
        if (net is not null)
        {
            var path = string.Join(' ', net.Select((v, i) => $"{(i == 0 ? 'M' : 'L')}{F(Left + (i * slot) + (slot / 2))},{F(Y(v, lo, hi))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#111827\" stroke-width=\"2\"/>");
            legend.Add(("Net new MRR", "#111827"));
        }

        Legend(svg, legend);
        return End(svg);
    }

    /// <summary>Bars side by side per label, one per series (for example customers and revenue per segment).</summary>
    public static string GroupedBars(string title, IReadOnlyList<string> labels, IReadOnlyList<Stack> series, Func<double, string> format, double? maxY = null)
    {
        var values = series.SelectMany(s => s.Values).ToList();
        var (lo, hi) = Range(values, 0d, maxY ?? (values.Count == 0 ? 1 : values.Max()));
        var svg = Begin(title);
        Axes(svg, labels, lo, hi, format, bars: true);
        var slot = PlotWidth / Math.Max(1, labels.Count);
        var barWidth = Math.Max(2d, slot * 0.7 / Math.Max(1, series.Count));
        for (var i = 0; i < labels.Count; i++)
        {
            var x = Left + (i * slot) + (slot * 0.15);
            foreach (var s in series)
            {
                var v = s.Values[i];
                var y = Y(v, lo, hi);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(barWidth)}\" height=\"{F(Math.Max(0.5, Y(lo, lo, hi) - y))}\" fill=\"{s.Color}\"><title>{Escape(labels[i])} {Escape(s.Name)}: {Escape(format(v))}</title></rect>");
                x += barWidth;
            }
        }

        Legend(svg, series.Select(s => (s.Name, s.Color)));
        return End(svg);
    }

    public static string Histogram(string title, IReadOnlyList<double> values, int bins, Func<double, string> format)
    {
        var svg = Begin(title);
        if (values.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" class=\"muted\">No data</text>");
            return End(svg);
        }

        var min = values.Min();
        var max = values.Max();
        var width = max > min ? (max - min) / bins : 1d;
        var counts = new double[bins];
        foreach (var v in values)
        {
            counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        }

        var labels = Enumerable.Range(0, bins).Select(i => format(min + (i * width))).ToList();
        var (lo, hi) = Range(counts, 0, null);
        Axes(svg, labels, lo, hi, c => c.ToString("0", CultureInfo.InvariantCulture), bars: true);
        var slot = PlotWidth / bins;
        for (var i = 0; i < bins; i++)
        {
            var y = Y(counts[i], lo, hi);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left + (i * slot) + 1)}\" y=\"{F(y)}\" width=\"{F(slot - 2)}\" height=\"{F(Y(0, lo, hi) - y)}\" fill=\"{Palette[0]}\"><title>{Escape(format(min + (i * width)))}–{Escape(format(min + ((i + 1) * width)))}: {counts[i]} customers</title></rect>");
        }

        return End(svg);
    }

    /// <summary>A cohort table: one row per cohort, one cell per age, shaded by the share and labelled with it in percent.</summary>
    public static string Heatmap(string title, IReadOnlyList<string> rows, int columns, Func<int, int, double?> value, string columnCaption) =>
        Heatmap(title, rows, [.. Enumerable.Range(0, columns).Select(c => c.ToString(CultureInfo.InvariantCulture))], value, columnCaption, floor: 0.5);

    /// <summary>A heatmap with named columns; shares from <paramref name="floor"/> (pale) to 1 (deep blue).</summary>
    public static string Heatmap(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columnLabels, Func<int, int, double?> value, string columnCaption, double floor)
    {
        var columns = columnLabels.Count;
        var cell = Math.Min(28d, (Width - 110d) / Math.Max(1, columns));
        var height = Top + 30 + (rows.Count * 18) + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"14\" class=\"title\">{Escape(title)}</text>");
        for (var c = 0; c < columns; c++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(100 + (c * cell) + (cell / 2))}\" y=\"{Top + 22}\" text-anchor=\"middle\" class=\"tick\">{Escape(columnLabels[c])}</text>");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var y = Top + 30 + (r * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"94\" y=\"{y + 13}\" text-anchor=\"end\" class=\"tick\">{Escape(rows[r])}</text>");
            for (var c = 0; c < columns; c++)
            {
                if (value(r, c) is not { } v)
                {
                    continue;
                }

                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(100 + (c * cell))}\" y=\"{y}\" width=\"{F(cell - 1)}\" height=\"17\" fill=\"{Blue(v, floor)}\"><title>{Escape(rows[r])}, {Escape(columnCaption)} {Escape(columnLabels[c])}: {v:P1}</title></rect>");
                if (cell >= 18)
                {
                    // The share in the cell, in white on the darker half of the scale.
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(100 + (c * cell) + ((cell - 1) / 2))}\" y=\"{y + 12}\" text-anchor=\"middle\" class=\"cell{(v >= (floor + 1) / 2 ? " dark" : string.Empty)}\">{Math.Round(v * 100).ToString("0", CultureInfo.InvariantCulture)}</text>");
                }
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(100 + (columns * cell / 2))}\" y=\"{height - 8}\" text-anchor=\"middle\" class=\"tick\">{Escape(columnCaption)}</text>");
        var legendX = Width - 190;
        for (var i = 0; i < 5; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX + (i * 26)}\" y=\"{height - 20}\" width=\"24\" height=\"12\" fill=\"{Blue(floor + ((1 - floor) * i / 4), floor)}\"/>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX - 6}\" y=\"{height - 10}\" text-anchor=\"end\" class=\"legend\">{(floor > 0 ? "≤ " : string.Empty)}{floor * 100:0} %</text><text x=\"{legendX + 134}\" y=\"{height - 10}\" class=\"legend\">100 %</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A timeline: one row per lane, a dot per event on its day, coloured by its kind (a customer's journey).</summary>
    public static string Timeline(string title, IReadOnlyList<string> lanes, IReadOnlyList<(int Day, int Lane, string Label, int Kind)> events, IReadOnlyList<string> kinds, int days)
    {
        var svg = Begin(title);
        var rowHeight = lanes.Count == 0 ? PlotHeight : Math.Min(40d, PlotHeight / lanes.Count);
        double X(int day) => Left + 90 + ((day - 1) * (PlotWidth - 90) / Math.Max(1d, days - 1));
        for (var d = 1; d <= days; d += Math.Max(1, days / 12))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(d))}\" x2=\"{F(X(d))}\" y1=\"{Top}\" y2=\"{Top + PlotHeight}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(d))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" class=\"tick\">day {d}</text>");
        }

        for (var i = 0; i < lanes.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 84}\" y=\"{F(Top + ((i + 0.5) * rowHeight) + 4)}\" text-anchor=\"end\" class=\"tick\">{Escape(lanes[i])}</text>");
        }

        foreach (var (day, lane, label, kind) in events)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(day))}\" cy=\"{F(Top + ((lane + 0.5) * rowHeight))}\" r=\"6\" fill=\"{Palette[kind % Palette.Length]}\"><title>{Escape(label)}</title></circle>");
        }

        Legend(svg, kinds.Select((k, i) => (k, Palette[i % Palette.Length])));
        return End(svg);
    }

    /// <summary>A small trend line without axes, for a headline tile.</summary>
    public static string Sparkline(IReadOnlyList<double> values, string label)
    {
        if (values.Count < 2)
        {
            return string.Empty;
        }

        const double w = 120, h = 28;
        double lo = values.Min(), hi = values.Max();
        var span = hi - lo < 1e-9 ? 1 : hi - lo;
        var path = string.Join(' ', values.Select((v, i) => $"{(i == 0 ? 'M' : 'L')}{F(i * w / (values.Count - 1))},{F(h - 2 - ((v - lo) / span * (h - 4)))}"));
        return $"<svg class=\"spark\" viewBox=\"0 0 {F(w)} {F(h)}\" role=\"img\" aria-label=\"{Escape(label)}\"><path d=\"{path}\" fill=\"none\" stroke=\"{Palette[0]}\" stroke-width=\"2\"/></svg>";
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static double PlotWidth => Width - Left - Right;

    private static double PlotHeight => Height - Top - Bottom;

    private static string Blue(double share, double floor = 0.5)
    {
        // From pale (the floor or less) to deep blue (100 %): retention rarely falls below half, so its scale spends
        // the range where the differences are; a probability's scale starts at 0.
        var t = Math.Clamp((share - floor) / (1 - floor), 0d, 1d);
        int r = (int)(239 - (t * 209)), g = (int)(246 - (t * 182)), b = (int)(255 - (t * 80));
        return $"rgb({r},{g},{b})";
    }

    private static (double Lo, double Hi) Range(IReadOnlyCollection<double> values, double? minY, double? maxY)
    {
        var lo = minY ?? (values.Count == 0 ? 0 : Math.Min(0, values.Min()));
        var hi = maxY ?? (values.Count == 0 ? 1 : values.Max());
        if (minY is null && values.Count > 0 && values.Min() > 0 && values.Min() > hi * 0.5)
        {
            lo = values.Min() * 0.95;
        }

        if (hi - lo < 1e-9)
        {
            hi = lo + 1;
        }

        var step = NiceStep((hi - lo) / 5);
        return (Math.Floor(lo / step) * step, Math.Ceiling(hi / step) * step);
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var residual = raw / magnitude;
        return (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude;
    }

    private static double Y(double v, double lo, double hi) => Top + PlotHeight - ((v - lo) / (hi - lo) * PlotHeight);

    private static StringBuilder Begin(string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Escape(title)}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"14\" class=\"title\">{Escape(title)}</text>");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Axes(StringBuilder svg, IReadOnlyList<string> labels, double lo, double hi, Func<double, string> format, bool bars = false)
    {
        var step = NiceStep((hi - lo) / 5);
        for (var v = lo; v <= hi + (step / 2); v += step)
        {
            var y = Y(v, lo, hi);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" class=\"{(Math.Abs(v) < step / 2 ? "zero" : "grid")}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" class=\"tick\">{Escape(format(v))}</text>");
        }

        var n = labels.Count;
        var every = Math.Max(1, (int)Math.Ceiling(n / 12d));
        var slot = bars ? PlotWidth / Math.Max(1, n) : PlotWidth / Math.Max(1, n - 1);
        for (var i = 0; i < n; i += every)
        {
            var x = Left + (i * slot) + (bars ? slot / 2 : 0);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" class=\"tick\">{Escape(labels[i])}</text>");
        }
    }

    private static void Legend(StringBuilder svg, IEnumerable<(string Name, string Color)> items)
    {
        var x = (double)Left;
        foreach (var (name, color) in items)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{Height - 16}\" width=\"12\" height=\"12\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 16)}\" y=\"{Height - 6}\" class=\"legend\">{Escape(name)}</text>");
            x += 28 + (name.Length * 7);
        }
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
