using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using RetentionKit.Cli.Commands;
using RetentionKit.Cli.Data;
using RetentionKit.Cli.Pipeline;
using RetentionKit.Simulation;

namespace RetentionKit.Benchmarks;

/// <summary>
/// The retentionkit tool's whole pipeline in process (subscription analysis, scoring with its backtest and calibration,
/// segmentation, the loyalty programme over the history, today's playbooks, the probabilistic models and the
/// customer rows) on a simulated base of 100,000 customers over 24 months, read from memory rather than CSV. The
/// goal of the tool is 10 s for the whole process on 2 cores; this measures the part the library does, with the
/// tool's collector settings (server, not concurrent). One operation takes seconds, so the job runs few iterations.
/// </summary>
[MemoryDiagnoser]
[GcServer(true)]
[GcConcurrent(false)]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PipelineBenchmarks
{
    private DataSet _data = null!;
    private ServiceProvider _host = null!;
    private SimulationSettings _settings = null!;

    [Params(100_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _settings = new SimulationSettings(Customers, 24, 7, SimulationSettings.Default.Start);
        _data = DataSet.From(CustomerBaseSimulator.Run(_settings));
        _host = new CliApplication(TextWriter.Null, TextWriter.Null, Path.GetTempPath(), interactive: false).Host(null);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public object Pipeline() => _host.GetRequiredService<RetentionPipeline>().Run(_data, _settings.End);
}
