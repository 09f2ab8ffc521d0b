using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace RetentionKit.Playbooks;

/// <summary>Checks <see cref="PlaybookOptions"/> at start-up: every rule broken is named, with its value.</summary>
internal sealed class PlaybookOptionsValidator : IValidateOptions<PlaybookOptions>
{
    public ValidateOptionsResult Validate(string? name, PlaybookOptions options)
    {
        var failures = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Require(options.CapWindowDays is >= 1 and <= 365, $"CapWindowDays must be 1 to 365 (was {options.CapWindowDays}).");
        Require(options.MaxPerChannelPerDay >= 1, $"MaxPerChannelPerDay must be at least 1 (was {options.MaxPerChannelPerDay}).");
        Require(options.MaxContactsPerDay >= 1, $"MaxContactsPerDay must be at least 1 (was {options.MaxContactsPerDay}).");
        Require(options.MaxEmails >= 0, $"MaxEmails must not be negative (was {options.MaxEmails}).");
        Require(options.MaxInApp >= 0, $"MaxInApp must not be negative (was {options.MaxInApp}).");
        Require(options.MaxCalls >= 0, $"MaxCalls must not be negative (was {options.MaxCalls}).");
        Require(options.MaxTasks >= 0, $"MaxTasks must not be negative (was {options.MaxTasks}).");
        Require(options.DefaultChannelCap >= 0, $"DefaultChannelCap must not be negative (was {options.DefaultChannelCap}).");
        Require(options.ChannelCaps is not null, "ChannelCaps must not be null.");
        foreach (var (channel, cap) in options.ChannelCaps ?? new Dictionary<string, int>())
        {
            Require(cap >= 0, $"ChannelCaps:{channel} must not be negative (was {cap}).");
        }

        Require(options.RetentionOfferDiscount is > 0 and < 1, $"RetentionOfferDiscount must be above 0 and below 1 (was {options.RetentionOfferDiscount}).");
        Require(options.RetentionOfferMonths is >= 1 and <= 36, $"RetentionOfferMonths must be 1 to 36 (was {options.RetentionOfferMonths}).");
        Require(options.RetentionOfferSuccess is > 0 and <= 1, $"RetentionOfferSuccess must be above 0 and at most 1 (was {options.RetentionOfferSuccess}).");
        Require(options.WinBackDiscount is >= PlaybookOptions.MinimumWinBackDiscount and < 1, $"WinBackDiscount must be at least the documents' win-back minimum of 0.40 and below 1 (was {options.WinBackDiscount}).");
        Require(options.UpgradeOfferMonths is >= 1 and <= 12, $"UpgradeOfferMonths must be 1 to 12 (was {options.UpgradeOfferMonths}).");
        Require(options.PremiumFeatureOfferMonths is >= 1 and <= 36, $"PremiumFeatureOfferMonths must be 1 to 36 (was {options.PremiumFeatureOfferMonths}).");
        Require(options.ImprovedOfferDiscount is > 0 and < 1, $"ImprovedOfferDiscount must be above 0 and below 1 (was {options.ImprovedOfferDiscount}).");
        Require(options.ImprovedOfferLengthFactor is >= 1 and <= 12, $"ImprovedOfferLengthFactor must be 1 to 12 (was {options.ImprovedOfferLengthFactor}).");
        Require(options.ImprovedOfferSuccess is > 0 and <= 1, $"ImprovedOfferSuccess must be above 0 and at most 1 (was {options.ImprovedOfferSuccess}).");
        Require(options.Disabled is not null, "Disabled must not be null.");
        Require(options.Feedback is not null, "Feedback must not be null.");
        failures.AddRange(options.Feedback?.Problems() ?? []);
        Require(options.HoldoutShare is >= 0 and <= 0.5, $"HoldoutShare must be 0 to 0.5 (was {options.HoldoutShare}): a control group larger than the treated one wastes the playbook.");
        Require(options.HoldoutShares is not null, "HoldoutShares must not be null.");
        foreach (var (playbook, share) in options.HoldoutShares ?? new Dictionary<string, double>())
        {
            Require(share is >= 0 and <= 0.5, $"HoldoutShares:{playbook} must be 0 to 0.5 (was {share}).");
        }

        Require(options.SendAt is null || options.SendAtTime is not null, $"SendAt must be a time of day as HH:mm, 24-hour (was '{options.SendAt}').");
        Require(options.Variants is not null, "Variants must not be null.");
        foreach (var (playbook, variants) in options.Variants ?? new Dictionary<string, IList<string>>())
        {
            Require(variants is { Count: > 0 } && variants.All(v => !string.IsNullOrWhiteSpace(v)) && variants.Distinct(System.StringComparer.Ordinal).Count() == variants.Count, $"Variants:{playbook} must list at least one variant, none blank, none twice.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(RetentionKit.Internal.OptionPaths.Qualify<PlaybookOptions>("Playbooks", failures));
    }
}
