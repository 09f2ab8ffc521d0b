using System;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RetentionKit;
using RetentionKit.Loyalty.Ledger;

// usage: CrashHost <store> <first operation> <operations> <members>
// <store> is a SQLite file, or "pg|<connection string>|<schema>" for PostgreSQL.
// Posts earns (and every fourth operation a redemption) for members m0…m{members-1} under keys k{i}; after each call
// returns it writes "ack k{i} {status}" and flushes, so the parent knows what was acknowledged when it kills this process.
var file = args[0];
var first = int.Parse(args[1], CultureInfo.InvariantCulture);
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var members = int.Parse(args[3], CultureInfo.InvariantCulture);

var services = new ServiceCollection();
services.AddSingleton<IClock>(SystemClock.Instance);
services.AddRetentionKit(kit =>
{
    kit.AddLoyalty();
    if (file.Split('|') is ["pg", var connectionString, var schema])
    {
        kit.UsePostgreSql(o => (o.ConnectionString, o.Schema) = (connectionString, schema));
    }
    else
    {
        kit.UseSqlite(o => o.ConnectionString = $"Data Source={file}");
    }
});
await using var provider = services.BuildServiceProvider();
var ledger = provider.GetRequiredService<LoyaltyLedger>();
var stdout = Console.Out;
for (var i = first; i < first + count; i++)
{
    var member = new CustomerId($"m{i % members}");
    var result = i % 4 == 3
        ? await ledger.RedeemAsync(member, 15, $"k{i}", "reward").ConfigureAwait(false)
        : await ledger.EarnAsync(member, 10, $"k{i}", "use").ConfigureAwait(false);
    await stdout.WriteLineAsync($"ack k{i} {result.Status}").ConfigureAwait(false);
    await stdout.FlushAsync().ConfigureAwait(false);
}

await stdout.WriteLineAsync("done").ConfigureAwait(false);
return 0;
