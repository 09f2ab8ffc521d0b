using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RetentionKit.Storage.Sqlite.Tests;

/// <summary>A file the store cannot use stops the host's start with one clear exception naming the store, the file and the cause.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose()
    {
        Immutable(_db.Folder, false);
        Immutable(_db.File, false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_db.Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _db.Dispose();
    }

    private IHost Host(string? connectionString = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddRetentionKit(kit => kit.AddLoyalty().UseSqlite(o => o.ConnectionString = connectionString ?? _db.ConnectionString));
        return builder.Build();
    }

    [Fact]
    public async Task AReadOnlyFile_FailsTheStart_NamingTheStoreTheFileAndTheCause()
    {
        SqliteSchema.Migrate(_db.ConnectionString);
        SqliteConnection.ClearAllPools();
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(_db.File, FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(_db.File, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetUnixFileMode(_db.Folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        // root writes whatever the mode says: make the file and its folder immutable as well, or, where chattr is not
        // available, open the file the read-only way, which is what SQLite falls back to for a file it may not write.
        var connectionString = Environment.UserName == "root" && !(Immutable(_db.File, true) && Immutable(_db.Folder, true))
            ? _db.ConnectionString + ";Mode=ReadOnly"
            : _db.ConnectionString;
        using var host = Host(connectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.StartsWith($"The SQLite store could not open or migrate '{_db.File}'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("read-only", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task AFileThatIsNotADatabase_FailsTheStart_SayingSo()
    {
        await File.WriteAllTextAsync(_db.File, "customer_id,points\nana,10\n" + new string('x', 4096));
        using var host = Host();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(_db.File, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherApplicationsDatabase_FailsTheStart_NamingItsTables()
    {
        using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER)";
            command.ExecuteNonQuery();
        }

        using var host = Host();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("not a RetentionKit database", error.Message, StringComparison.Ordinal);
        Assert.Contains("invoices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsableFile_IsMigratedWhenTheHostStarts_BeforeAnyCall()
    {
        using var host = Host();

        await host.StartAsync();

        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT MAX(version) FROM {SqliteSchema.VersionTable}";
        Assert.Equal((long)SqliteSchema.Version, command.ExecuteScalar());
        await host.StopAsync();
    }

    /// <summary>Sets or clears the immutable attribute (chattr); false when that cannot be done here.</summary>
    private static bool Immutable(string path, bool on)
    {
        try
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [on ? "+i" : "-i", path]) { RedirectStandardError = true, UseShellExecute = false });
            chattr!.WaitForExit();
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
