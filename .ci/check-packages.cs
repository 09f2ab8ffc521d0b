#:property ImplicitUsings=enable
#:property EnforceCodeStyleInBuild=false
#:property TreatWarningsAsErrors=false
#:property ManagePackageVersionsCentrally=false
// Checks the packed packages as a consumer sees them (run by .ci/run: dotnet run .ci/check-packages.cs -- <dir> <commit> <repo-root>):
// * every .nupkg: a prerelease version until the API is declared stable, its own description and tags, an icon, release
//   notes, a README whose links to the docs are absolute (the docs/ folder is not in the package);
// * every .snupkg: each portable PDB has deterministic document paths (/_/…), no path of the machine that built it, and a
//   Source Link map that sends /_/* to the public repository's raw content at the commit built.
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: check-packages.cs <packages dir> <commit> <repository root>");
    return 2;
}

var (dir, commit, root) = (args[0], args[1], Path.GetFullPath(args[2]).TrimEnd('/'));
var problems = new List<string>();
var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
var expectedUrl = $"https://raw.githubusercontent.com/retentionkit/retentionkit/{commit}/*";
var descriptions = new Dictionary<string, string>();
var tagSets = new Dictionary<string, string>();

foreach (var nupkg in Directory.GetFiles(dir, "*.nupkg").Order())
{
    using var zip = ZipFile.OpenRead(nupkg);
    var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
    XDocument nuspec;
    using (var s = nuspecEntry.Open())
    {
        nuspec = XDocument.Load(s);
    }

    var meta = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    string? Field(string name) => meta.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
    var id = Field("id")!;
    void Problem(string what) => problems.Add($"{id}: {what}");

    if (!(Field("version") ?? "").Contains('-')) Problem($"version {Field("version")} has no prerelease label");
    if (string.IsNullOrWhiteSpace(Field("releaseNotes"))) Problem("no release notes");
    if (Field("icon") is not { } icon || zip.GetEntry(icon) is null) Problem("no icon in the package");
    var description = Field("description") ?? "";
    if (descriptions.TryGetValue(description, out var same)) Problem($"the same description as {same}"); else descriptions[description] = id;
    var tags = string.Join(' ', (Field("tags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());
    if (tags.Split(' ').Length < 4) Problem($"too few tags: '{tags}'");
    if (tagSets.TryGetValue(tags, out var sameTags)) Problem($"the same tags as {sameTags}"); else tagSets[tags] = id;
    var readme = zip.GetEntry(Field("readme") ?? "README.md");
    if (readme is null)
    {
        Problem("no README");
    }
    else
    {
        using var reader = new StreamReader(readme.Open());
        var text = reader.ReadToEnd();
        foreach (Match m in Regex.Matches(text, @"\]\((?!https?://|#)([^)]*)\)|(?<![/\w])docs/[\w.-]+\.md"))
        {
            Problem($"README links to '{m.Value}', a path that is not in the package");
        }
    }

    var snupkg = Path.ChangeExtension(nupkg, ".snupkg");
    if (!File.Exists(snupkg))
    {
        Problem("no symbol package");
        continue;
    }

    using var symbols = ZipFile.OpenRead(snupkg);
    var pdbs = symbols.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).ToList();
    if (pdbs.Count == 0) Problem("no PDB in the symbol package");
    foreach (var entry in pdbs)
    {
        using var buffer = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(buffer);
        buffer.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.Documents)
        {
            var name = reader.GetString(reader.GetDocument(handle).Name);
            if (!name.StartsWith("/_/", StringComparison.Ordinal)) Problem($"{entry.Name}: document path '{name}' is not deterministic");
            if (name.Contains(root, StringComparison.Ordinal)) Problem($"{entry.Name}: document path '{name}' names the build machine's checkout");
        }

        var links = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == sourceLinkKind)
            .Select(c => reader.GetBlobBytes(c.Value))
            .ToList();
        if (links.Count != 1)
        {
            Problem($"{entry.Name}: no Source Link map");
            continue;
        }

        using var json = JsonDocument.Parse(links[0]);
        var map = json.RootElement.GetProperty("documents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        if (!map.TryGetValue("/_/*", out var url) || url != expectedUrl)
        {
            Problem($"{entry.Name}: Source Link maps {string.Join(", ", map.Select(p => $"{p.Key} -> {p.Value}"))}, not /_/* -> {expectedUrl}");
        }
    }

    Console.WriteLine($"checked {id} {Field("version")}: metadata, README links, symbols ({pdbs.Count} PDB, Source Link at {commit[..7]})");
}

foreach (var p in problems) Console.Error.WriteLine(p);
return problems.Count == 0 && descriptions.Count > 0 ? 0 : 1;
