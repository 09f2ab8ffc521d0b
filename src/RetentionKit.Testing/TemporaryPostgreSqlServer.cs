using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RetentionKit.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests and benchmarks: <c>initdb</c> into a temporary folder, started on a free
/// loopback port with password authentication, stopped and deleted on <see cref="Dispose"/>. Uses the PostgreSQL
/// binaries found on the machine (<c>PATH</c>, then <c>/usr/lib/postgresql/*/bin</c>); when the process runs as root it
/// runs them as the <c>postgres</c> user, as PostgreSQL requires. Tests keep apart by using a schema each.
/// </summary>
public sealed class TemporaryPostgreSqlServer : IDisposable
{
    /// <summary>The environment variable that points tests at an existing server instead (a connection string).</summary>
    public const string ConnectionStringVariable = "RETENTIONKIT_TEST_POSTGRES";

    /// <summary>What to run on a Debian or Ubuntu machine that has no PostgreSQL.</summary>
    public const string InstallCommand = "sudo apt-get install -y postgresql";

    private readonly string _bin;
    private readonly string _folder;
    private readonly string _data;
    private readonly bool _asPostgresUser;
    private bool _disposed;

    private TemporaryPostgreSqlServer(string bin)
    {
        _bin = bin;
        _asPostgresUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        _folder = Directory.CreateTempSubdirectory("retentionkit-pg-").FullName;
        _data = Path.Combine(_folder, "data");
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        Port = FreePort();
        var passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, Password);
        if (_asPostgresUser)
        {
            Run("/usr/bin/chown", "-R", "postgres", _folder);
        }

        Tool("initdb", "-D", _data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-sync");
        File.Delete(passwordFile);
        Start();
    }

    /// <summary>Gets the port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Gets the password of the <c>postgres</c> superuser.</summary>
    public string Password { get; }

    /// <summary>Gets a connection string for the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Database=postgres;Username=postgres;Password={Password};Pooling=true;Timeout=15");

    /// <summary>Finds the folder holding <c>initdb</c> and <c>pg_ctl</c>, or null when PostgreSQL is not installed.</summary>
    /// <returns>The folder, or null.</returns>
    public static string? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var folder in path)
        {
            if (Runnable(Path.Combine(folder, "initdb")) && Runnable(Path.Combine(folder, "pg_ctl")))
            {
                return folder;
            }
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => Runnable(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    /// <summary>Starts a new server.</summary>
    /// <param name="binaries">The folder of <c>initdb</c> and <c>pg_ctl</c>; null to find them (<see cref="FindBinaries"/>).</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or a step failed (the message holds its output).</exception>
    public static TemporaryPostgreSqlServer Start(string? binaries = null) =>
        new(binaries ?? FindBinaries() ?? throw new InvalidOperationException($"PostgreSQL is not installed (no initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin): {InstallCommand}"));

    /// <summary>Starts the server (again, after <see cref="StopImmediately"/>), waiting until it accepts connections.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on");
        Tool("pg_ctl", "start", "-D", _data, "-w", "-t", "60", "-l", Path.Combine(_folder, "server.log"), "-o", options);
    }

    /// <summary>Stops the server the way a crash does (<c>pg_ctl stop -m immediate</c>: no checkpoint, connections cut); a later <see cref="Start()"/> recovers from the write-ahead log.</summary>
    public void StopImmediately() => Tool("pg_ctl", "stop", "-D", _data, "-m", "immediate", "-w");

    /// <summary>Stops the server and deletes its files.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Tool("pg_ctl", "stop", "-D", _data, "-m", "fast", "-w");
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Whether a program is there, following symbolic links (a link left behind by an uninstalled package is not).</summary>
    private static bool Runnable(string path)
    {
        var file = new FileInfo(path);
        return file.LinkTarget is null ? file.Exists : file.ResolveLinkTarget(returnFinalTarget: true)?.Exists == true;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Tool(string name, params string[] arguments)
    {
        var tool = Path.Combine(_bin, name);
        if (_asPostgresUser)
        {
            Run("/usr/sbin/runuser", ["-u", "postgres", "--", tool, .. arguments]);
        }
        else
        {
            Run(tool, arguments);
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }
    }
}
