using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using static RetentionKit.Playbooks.Tests.PlaybookFixture;

namespace RetentionKit.Playbooks.Tests;

/// <summary>Issue 21: channels are names, not a fixed list of four; the host registers any number of them.</summary>
public class NamedChannelTests
{
    private static readonly Instant Morning = new LocalDateTime(2026, 3, 2, 9, 0).InZoneStrictly(Madrid).ToInstant();
    private static readonly PlaybookChannel Sms = new("sms");
    private static readonly PlaybookChannel Crm = new("crm-task", isContact: false);

    /// <summary>A playbook of three steps on day 0: an SMS, a CRM task and a WhatsApp message.</summary>
    private static readonly Playbook Welcome = new(
        "welcome-sms",
        PlaybookKind.Onboarding,
        Triggers.SignedUp(),
        [new PlaybookStep("sms", 0, Sms, "welcome.sms"), new PlaybookStep("crm", 0, Crm, "welcome.crm"), new PlaybookStep("whatsapp", 0, new PlaybookChannel("whatsapp"), "welcome.wa")]);

    private static readonly MessageTemplate[] Templates =
    [
        new("welcome.sms", "en", "Welcome", "Hi {name}."),
        new("welcome.crm", "en", "Call the new customer", "Call {name}."),
        new("welcome.wa", "en", "Welcome", "Hi {name}."),
    ];

    [Fact]
    public void Channels_AreEqualByName_WithoutRegardToCase()
    {
        Assert.Equal(new PlaybookChannel("SMS"), Sms);
        Assert.True(new PlaybookChannel("sms") == Sms);
        Assert.True(Sms != PlaybookChannel.Email);
        Assert.Equal(StringComparer.OrdinalIgnoreCase.GetHashCode("sms"), new PlaybookChannel("Sms").GetHashCode());
        Assert.Equal("crm-task", Crm.ToString());
        Assert.False(PlaybookChannel.Task.IsContact);
        Assert.All(new[] { PlaybookChannel.Email, PlaybookChannel.InApp, PlaybookChannel.Call }, c => Assert.True(c.IsContact));
        Assert.Equal(["Email", "InApp", "Task", "Call"], PlaybookChannel.BuiltIn.Select(c => c.Name));
        Assert.False(Sms.Equals(null));
        Assert.False(Sms.Equals((object)"sms"));
    }

    [Fact]
    public async Task AHostChannelByName_IsDeliveredThrough_WhateverCaseItIsRegisteredUnder()
    {
        var sms = new HostChannel(new PlaybookChannel("SMS"));
        var crm = new HostChannel(Crm);
        var whatsapp = new HostChannel(new PlaybookChannel("WhatsApp"));
        var runner = new PlaybookRunner(new PlaybookEngine([Welcome], new PlaybookOptions()), new InMemoryEnrolmentStore(), [sms, crm, whatsapp], new FakeClock(Morning));

        var report = await runner.RunAsync([Customer(since: Day0)]);

        Assert.Equal(["ana/welcome-sms/2026-03-02/sms"], sms.Keys);
        Assert.Equal(["ana/welcome-sms/2026-03-02/crm"], crm.Keys);
        Assert.Equal(["ana/welcome-sms/2026-03-02/whatsapp"], whatsapp.Keys);
        Assert.Equal(3, report.Delivered.Length);
    }

    [Fact]
    public void AStepOnAnUnregisteredNamedChannel_IsNamedWhenTheRunnerIsMade()
    {
        var error = Assert.Throws<ArgumentException>(() => new PlaybookRunner(new PlaybookEngine([Welcome], new PlaybookOptions()), new InMemoryEnrolmentStore(), [new HostChannel(Sms), new HostChannel(Crm)], new FakeClock(Morning)));

        Assert.Equal("channels", error.ParamName);
        Assert.StartsWith("Playbook 'welcome-sms' has step 'whatsapp' on whatsapp, and no whatsapp channel is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATaskLikeChannel_IsNotAContact_SoTwoContactsAndTheTaskGoOutTheSameDay()
    {
        var engine = new PlaybookEngine([Welcome], new PlaybookOptions());
        var strict = new PlaybookEngine([Welcome], new PlaybookOptions { MaxContactsPerDay = 1 });

        var timeline = Timeline(engine, Day0, 3, _ => Customer(since: Day0));
        var held = Timeline(strict, Day0, 3, _ => Customer(since: Day0));

        Assert.Equal([(0, "sms"), (0, "crm"), (0, "whatsapp")], timeline.Select(t => (t.Day, t.Step)));
        Assert.Equal([(0, "sms"), (0, "crm"), (1, "whatsapp")], held.Select(t => (t.Day, t.Step))); // the task is not a contact; WhatsApp is
    }

    [Fact]
    public void AChannelCap_ByName_HoldsOverTheWindow_AndAChannelWithoutOneGetsTheDefault()
    {
        var daily = new Playbook("daily-sms", PlaybookKind.Engagement, Triggers.SignedUp(), [.. Enumerable.Range(0, 6).Select(d => new PlaybookStep($"s{d}", d, Sms, "t"))]);

        Assert.Equal([0, 1, 2], Timeline(new PlaybookEngine([daily], new PlaybookOptions()), Day0, 7, _ => Customer(since: Day0)).Select(t => t.Day));
        Assert.Equal([0, 1], Timeline(new PlaybookEngine([daily], new PlaybookOptions { ChannelCaps = { ["SMS"] = 2 } }), Day0, 7, _ => Customer(since: Day0)).Select(t => t.Day));
        Assert.Equal([0, 1, 2, 3, 4], Timeline(new PlaybookEngine([daily], new PlaybookOptions { DefaultChannelCap = 5 }), Day0, 7, _ => Customer(since: Day0)).Select(t => t.Day));
        Assert.Equal(1, new PlaybookOptions { ChannelCaps = { ["email"] = 1 } }.CapOf(PlaybookChannel.Email)); // an entry replaces a built-in's cap
        Assert.Equal(5, new PlaybookOptions().CapOf(PlaybookChannel.Task));
        Assert.Equal(2, new PlaybookOptions().CapOf(PlaybookChannel.Call));
        Assert.Equal(3, new PlaybookOptions { MaxInApp = 3, MaxEmails = 4 }.CapOf(PlaybookChannel.InApp));
        Assert.Equal(4, new PlaybookOptions { MaxInApp = 3, MaxEmails = 4 }.CapOf(PlaybookChannel.Email));
    }

    [Fact]
    public void OneChannelName_BothAContactAndNot_IsRefused()
    {
        var mixed = new Playbook("mixed", PlaybookKind.Engagement, Triggers.SignedUp(), [new PlaybookStep("a", 0, Sms, "t"), new PlaybookStep("b", 1, new PlaybookChannel("SMS", isContact: false), "t")]);

        var error = Assert.Throws<ArgumentException>(() => new PlaybookEngine([mixed], new PlaybookOptions()));

        Assert.Equal("playbooks", error.ParamName);
        Assert.Contains("Channel 'SMS' is a contact in one step and not in another (playbook 'mixed', step 'b')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AtStartUp_AnUnregisteredChannel_OrTwoUnderOneName_FailTheStart_AFactoryRegistersAnyNumber()
    {
        static ServiceProvider Host(Action<IRetentionKitBuilder> channels)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IClock>(new FakeClock(Morning));
            services.AddRetentionKit(kit =>
            {
                kit.AddPlaybooks(o => o.Disabled = BuiltInPlaybooks.All.Select(p => p.Id).ToHashSet()).AddPlaybook(Welcome).AddPlaybookTemplates(Templates);
                channels(kit);
            });
            return services.BuildServiceProvider();
        }

        using var missing = Host(kit => kit.AddPlaybookChannel(_ => new HostChannel(Sms)).AddPlaybookChannel(_ => new HostChannel(Crm)));
        using var twice = Host(kit => kit.AddPlaybookChannel(_ => new HostChannel(Sms)).AddPlaybookChannel(_ => new HostChannel(new PlaybookChannel("SMS"))));
        using var complete = Host(kit => kit.AddPlaybookChannel(_ => new HostChannel(Sms)).AddPlaybookChannel(_ => new HostChannel(Crm)).AddPlaybookChannel(_ => new HostChannel(new PlaybookChannel("whatsapp"))));

        Assert.Contains("no whatsapp channel is registered", Assert.Throws<OptionsValidationException>(() => missing.GetRequiredService<IStartupValidator>().Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("two channels are registered under the name 'sms'", Assert.Throws<OptionsValidationException>(() => twice.GetRequiredService<IStartupValidator>().Validate()).Message, StringComparison.Ordinal);
        complete.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(3, complete.GetServices<IPlaybookChannel>().Count());
        Assert.NotNull(complete.GetRequiredService<PlaybookRunner>());
    }

    [Fact]
    public void ChannelCaps_AreValidated()
    {
        var failures = new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { DefaultChannelCap = -1, ChannelCaps = { ["sms"] = -2 } }).Failures!.ToList();

        Assert.Contains(failures, f => f.EndsWith("DefaultChannelCap must not be negative (was -1).", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.EndsWith("ChannelCaps:sms must not be negative (was -2).", StringComparison.Ordinal));
        Assert.Contains("ChannelCaps must not be null.", new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { ChannelCaps = null! }).Failures!.Single(), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new PlaybookOptions().CapOf(null!));
    }

    private sealed class HostChannel(PlaybookChannel channel) : IPlaybookChannel
    {
        public PlaybookChannel Channel => channel;

        public List<string> Keys { get; } = [];

        public ValueTask DeliverAsync(StepDelivery delivery, CancellationToken cancellationToken = default)
        {
            Keys.Add(delivery.IdempotencyKey);
            return ValueTask.CompletedTask;
        }
    }
}
