using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.Extensions.Options;
using RetentionKit.Internal;

namespace RetentionKit.Playbooks;

/// <summary>A batch of templates a host added with <c>AddPlaybookTemplates</c>.</summary>
internal sealed record PlaybookTemplates(ImmutableArray<MessageTemplate> Templates);

/// <summary>
/// At start-up: every step of every enabled playbook (the built-ins not disabled or replaced, and the host's) names a
/// template the catalogue has in some language, so an unknown id fails the start rather than the day the step falls due.
/// </summary>
internal sealed class PlaybookTemplateValidator(IEnumerable<Playbook> own, TemplateCatalog catalog) : IValidateOptions<PlaybookOptions>
{
    public ValidateOptionsResult Validate(string? name, PlaybookOptions options)
    {
        var hosts = own.ToList();
        var replaced = hosts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var disabled = options.Disabled ?? (ISet<string>)new HashSet<string>();
        var known = catalog.Templates.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var playbook in BuiltInPlaybooks.All.Where(p => !replaced.Contains(p.Id)).Concat(hosts).Where(p => !disabled.Contains(p.Id)))
        {
            foreach (var step in playbook.Steps.Where(s => !known.Contains(s.Template)))
            {
                failures.Add($"Disabled: playbook '{playbook.Id}' step '{step.Id}' uses template '{step.Template}', which the template catalogue does not have in any language; add it with AddPlaybookTemplates or disable the playbook here.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(OptionPaths.Qualify<PlaybookOptions>("Playbooks", failures));
    }
}
