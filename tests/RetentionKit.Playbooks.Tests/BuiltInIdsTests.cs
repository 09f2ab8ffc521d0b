using System;
using System.Linq;
using RetentionKit.TestUtilities;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Regression (issue 19): template and playbook ids were strings a host had to copy; they are public constants, each naming a built-in.</summary>
public class BuiltInIdsTests
{
    [Fact]
    public void TemplateIds_AreExactlyTheBuiltInTemplates_EachInSpanishAndEnglish()
    {
        var builtIn = TemplateCatalog.BuiltIn.Templates.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(t => t.Language).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        Assert.Equal(builtIn.Keys.Order(StringComparer.Ordinal), PublicConstants.Values(typeof(TemplateIds)));
        Assert.All(builtIn.Values, languages => Assert.Equal(["en", "es"], languages));
    }

    [Fact]
    public void PlaybookConstants_AreExactlyTheBuiltInPlaybooks() =>
        Assert.Equal(BuiltInPlaybooks.All.Select(p => p.Id).Order(StringComparer.Ordinal), PublicConstants.Values(typeof(BuiltInPlaybooks)));
}
