using System.Collections.Generic;
using NodaTime;
using NodaTime.Text;

namespace RetentionKit.Playbooks;

/// <summary>The engine's policy (B15): frequency caps, the retention offer's economics (M15), A/B variants.</summary>
public sealed class PlaybookOptions
{
    /// <summary>Gets or sets the days of the window frequency caps count over (7).</summary>
    public int CapWindowDays { get; set; } = 7;

    /// <summary>Gets or sets the most e-mails a customer gets in the window (3).</summary>
    public int MaxEmails { get; set; } = 3;

    /// <summary>Gets or sets the most in-app messages a customer gets in the window (3).</summary>
    public int MaxInApp { get; set; } = 3;

    /// <summary>Gets or sets the most calls a customer gets in the window (2).</summary>
    public int MaxCalls { get; set; } = 2;

    /// <summary>Gets or sets the most tasks about one customer the team gets in the window (5).</summary>
    public int MaxTasks { get; set; } = 5;

    /// <summary>
    /// Gets or sets the most steps a customer gets on a channel in the window, by channel name; an entry for a built-in
    /// channel replaces its Max… value. Empty by default.
    /// </summary>
    public IDictionary<string, int> ChannelCaps { get; set; } = new Dictionary<string, int>(OptionKeyComparer.Instance);

    /// <summary>Gets or sets the most steps a customer gets in the window on a host channel that has no entry in <see cref="ChannelCaps"/> (3).</summary>
    public int DefaultChannelCap { get; set; } = 3;

    /// <summary>Gets or sets the most steps on one channel a customer gets on one day, across playbooks (1): no two calls, no two e-mails the same day.</summary>
    public int MaxPerChannelPerDay { get; set; } = 1;

    /// <summary>Gets or sets the most messages and calls (steps on a channel whose <see cref="PlaybookChannel.IsContact"/> is true: not team tasks) a customer gets on one day, across playbooks (2).</summary>
    public int MaxContactsPerDay { get; set; } = 2;

    /// <summary>
    /// Gets or sets the local time of day (<c>HH:mm</c>, 24-hour, in each customer's zone) before which no step is sent
    /// on its day, unless the step sets its own (<see cref="PlaybookStep.SendAt"/>); null (the default) sends steps
    /// when the run meets them. Honoured when a <see cref="IPlaybookStepScheduler"/> is registered (RetentionKit.Orleans'
    /// reminders deliver each customer's steps at that time instead of during the nightly run).
    /// </summary>
    public string? SendAt { get; set; }

    /// <summary>Gets or sets the retention offer's discount (B3: 30 %).</summary>
    public double RetentionOfferDiscount { get; set; } = 0.30;

    /// <summary>Gets or sets the months the retention offer's discount lasts (B3: 3).</summary>
    public int RetentionOfferMonths { get; set; } = 3;

    /// <summary>Gets or sets the chance the retention offer keeps the customer, for its economics (B3: 40–50 %; the low end).</summary>
    public double RetentionOfferSuccess { get; set; } = 0.40;

    /// <summary>Gets or sets the playbooks not to run, by id.</summary>
    public ISet<string> Disabled { get; set; } = new HashSet<string>(OptionKeyComparer.Instance);

    /// <summary>Gets or sets the A/B variants per playbook id (e.g. <c>"retention-offer": ["discount", "upgrade"]</c>); a customer's variant is a stable hash of the customer and the playbook.</summary>
    public IDictionary<string, IList<string>> Variants { get; set; } = new Dictionary<string, IList<string>>(OptionKeyComparer.Instance);

    /// <summary>
    /// Gets or sets the share of every playbook's eligible customers held out as a control group: enrolled and recorded
    /// as if treated (the same triggers, priorities, caps and outcome), but never contacted, so that a playbook's effect
    /// is measured as success(treated) − success(control). Chosen by a stable hash of the customer and the playbook.
    /// 0 to 0.5; 0 (the default) holds nobody out — withholding a save attempt is the host's decision; 0.10 is usual.
    /// </summary>
    public double HoldoutShare { get; set; }

    /// <summary>Gets or sets a holdout share per playbook id, in place of <see cref="HoldoutShare"/> for that playbook; each 0 to 0.5.</summary>
    public IDictionary<string, double> HoldoutShares { get; set; } = new Dictionary<string, double>(OptionKeyComparer.Instance);

    /// <summary>Gets the holdout share of a playbook: its entry in <see cref="HoldoutShares"/>, else <see cref="HoldoutShare"/>.</summary>
    /// <param name="playbook">The playbook's id.</param>
    /// <returns>The share, 0 to 0.5.</returns>
    public double HoldoutOf(string playbook) => HoldoutShares.TryGetValue(playbook, out var share) ? share : HoldoutShare;

    /// <summary>
    /// Gets or sets whether the retention offer is drawn, by a stable hash of the customer and the playbook, among the
    /// choices worth their cost, rather than always the best one: an experiment on the three offers, so that their
    /// success rates can be compared with each other and with the control group without the choice depending on the
    /// customer. False by default (the best offer for each customer).
    /// </summary>
    public bool RandomizeOffers { get; set; }

    /// <summary>Gets or sets the win-back offer's discount (B4: "50 % off for 3 months"); at least the documents' minimum of 40 %.</summary>
    /// <value>The default value is 0.50.</value>
    public double WinBackDiscount { get; set; } = 0.50;

    /// <summary>The documents' minimum win-back discount ("40–50 % descuento mínimo"): <see cref="WinBackDiscount"/> may not be lower.</summary>
    public const double MinimumWinBackDiscount = 0.40;

    /// <summary>Gets or sets the free months of the next plan up that the upgrade choice of the retention offer gives (the document's "upgrade gratis por 1 mes").</summary>
    /// <value>The default value is 1.</value>
    public int UpgradeOfferMonths { get; set; } = 1;

    /// <summary>Gets or sets the months the premium-feature choice of the retention offer includes the feature for.</summary>
    /// <value>The default value is 3, the discount's duration (the document gives none).</value>
    public int PremiumFeatureOfferMonths { get; set; } = 3;

    /// <summary>Gets or sets the discount of the improved offer that the day-3 escalation may make "if needed".</summary>
    /// <value>The default value is 0.40, the win-back minimum of the documents.</value>
    public double ImprovedOfferDiscount { get; set; } = 0.40;

    /// <summary>Gets or sets how many times longer the improved offer's upgrade or premium feature lasts.</summary>
    /// <value>The default value is 2.</value>
    public int ImprovedOfferLengthFactor { get; set; } = 2;

    /// <summary>Gets or sets the chance the improved offer keeps the customer.</summary>
    /// <value>The default value is 0.50, the top of the documents' 40–50 % range for the retention offer.</value>
    public double ImprovedOfferSuccess { get; set; } = 0.50;

    /// <summary>Gets or sets the feedback loop's options: topics and their teams, the priority formula, the action timings (SPEC B13).</summary>
    public FeedbackOptions Feedback { get; set; } = new();

    /// <summary>Gets the cap of a channel in the window.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The most deliveries in the window: its <see cref="ChannelCaps"/> entry, else the built-in's Max… value, else <see cref="DefaultChannelCap"/>.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="channel"/> is null.</exception>
    public int CapOf(PlaybookChannel channel)
    {
        System.ArgumentNullException.ThrowIfNull(channel);
        if (ChannelCaps is not null && ChannelCaps.TryGetValue(channel.Name, out var cap))
        {
            return cap;
        }

        return channel == PlaybookChannel.Email ? MaxEmails
            : channel == PlaybookChannel.InApp ? MaxInApp
            : channel == PlaybookChannel.Call ? MaxCalls
            : channel == PlaybookChannel.Task ? MaxTasks
            : DefaultChannelCap;
    }

    /// <summary>The parsed <see cref="SendAt"/>; null when unset or not a time (the validator reports that).</summary>
    internal LocalTime? SendAtTime =>
        SendAt is { } text && LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text) is { Success: true } parsed ? parsed.Value : null;
}
