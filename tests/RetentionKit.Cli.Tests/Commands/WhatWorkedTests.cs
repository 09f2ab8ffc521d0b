using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace RetentionKit.Cli.Tests.Commands;

/// <summary>Issue 26 in the tool: the enrolment log (interventions.csv) read, analysed, and shown as "What worked" in the page and the JSON.</summary>
public sealed class WhatWorkedTests : IDisposable
{
    private readonly CliWorkspace _workspace = new("rk-ww-");

    public void Dispose() => _workspace.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args) => _workspace.Run(args);

    [Fact]
    public void AnExperimentInTheData_IsAnalysedPerPlaybook_InTheJsonAndThePage()
    {
        Assert.Equal(0, Run("simulate", "--customers", "3000", "--months", "24", "--seed", "11", "--experiment", "--out", "data").Code);
        var log = File.ReadAllLines(Path.Combine(_workspace.Dir, "data", "interventions.csv"));

        var (code, json, _) = Run("analyze", "--data", "data", "--out", "report", "--json");
        using var document = JsonDocument.Parse(json);
        var experiments = document.RootElement.GetProperty("experiments");
        var offer = experiments.GetProperty("playbooks").EnumerateArray().Single();
        var overall = offer.GetProperty("overall");

        Assert.Equal(0, code);
        Assert.Equal("customer_id,playbook,started_on,control,outcome,decided_on", log[0]);
        Assert.Equal(("interventions.csv", log.Length - 1), (experiments.GetProperty("source").GetString(), experiments.GetProperty("enrolments").GetInt32()));
        Assert.Equal("retention-offer", offer.GetProperty("playbook").GetString());

        // The arms are the log's rows counted: treated and control, decided ones only; the open ones apart.
        int Rows(string control, string outcome) => log.Skip(1).Count(l => l.Split(',')[3] == control && l.Split(',')[4] == outcome);
        Assert.Equal(Rows("false", "success"), overall.GetProperty("treatedSuccesses").GetInt32());
        Assert.Equal(Rows("false", "success") + Rows("false", "failure"), overall.GetProperty("treated").GetInt32());
        Assert.Equal(Rows("true", "success") + Rows("true", "failure"), overall.GetProperty("control").GetInt32());
        Assert.Equal(Rows("true", "open") + Rows("false", "open"), offer.GetProperty("open").GetInt32());

        // The simulator's true effect (the churn hazard halved on starter, untouched on enterprise) shows in the slices.
        double Uplift(string plan)
        {
            var b = offer.GetProperty("breakdowns").EnumerateArray().Single(x => x.GetProperty("dimension").GetString() == "segment" && x.GetProperty("value").GetString() == plan);
            return (b.GetProperty("treatedSuccesses").GetDouble() / b.GetProperty("treated").GetDouble()) - (b.GetProperty("controlSuccesses").GetDouble() / b.GetProperty("control").GetDouble());
        }

        Assert.True(Uplift("starter") > 0.08, $"starter uplift {Uplift("starter")}");
        Assert.True(Uplift("starter") > Uplift("enterprise"), $"starter {Uplift("starter")}, enterprise {Uplift("enterprise")}");
        Assert.True(overall.GetProperty("upliftLower").GetDouble() > 0);
        Assert.True(offer.GetProperty("economics").GetProperty("incrementalMrr").GetDecimal() > 0);

        var page = File.ReadAllText(Path.Combine(_workspace.Dir, "report", "index.html"));
        Assert.Contains("<h2 id=\"what-worked\">What worked</h2>", page, StringComparison.Ordinal);
        Assert.Contains("retention-offer: by plan", page, StringComparison.Ordinal);
        Assert.Contains("still a customer at the end of the window", page, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnEnrolmentLog_TheSectionSaysHowToGetOne_AndTheJsonHasNone()
    {
        Assert.Equal(0, Run("simulate", "--customers", "300", "--months", "12", "--seed", "2", "--out", "data").Code);

        var (code, json, _) = Run("analyze", "--data", "data", "--out", "report", "--json");
        using var document = JsonDocument.Parse(json);

        Assert.Equal(0, code);
        Assert.False(File.Exists(Path.Combine(_workspace.Dir, "data", "interventions.csv")));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("experiments").ValueKind);
        Assert.Contains("No playbook enrolments with outcomes to read", File.ReadAllText(Path.Combine(_workspace.Dir, "report", "index.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C000001,retention-offer,2024-03-01,false,maybe,", "interventions.csv:2:5: outcome must be success, failure or open (was 'maybe')")]
    [InlineData("C000001,retention-offer,2024-03-01,false,success,", "interventions.csv:2:6: decided_on must be given for a decided outcome")]
    [InlineData("C000001,retention-offer,2024-03-01,true,open,2024-04-01", "interventions.csv:2:6: decided_on must be empty while the outcome is open")]
    [InlineData("C000001,retention-offer,2024-03-01,true,failure,2024-02-01", "interventions.csv:2:6: decided_on must not be before started_on")]
    public void ABadRowOfTheLog_IsAnErrorAtItsLineAndColumn(string row, string message)
    {
        Assert.Equal(0, Run("simulate", "--customers", "50", "--months", "6", "--seed", "3", "--out", "data").Code);
        File.WriteAllLines(Path.Combine(_workspace.Dir, "data", "interventions.csv"), ["customer_id,playbook,started_on,control,outcome,decided_on", row]);

        var (code, _, err) = Run("analyze", "--data", "data", "--out", "report");

        Assert.NotEqual(0, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }
    [Fact]
    public void TwoReferralIncentives_AreComparedWithTheFirst_InThePageAndTheJson()
    {
        File.WriteAllText(Path.Combine(_workspace.Dir, "two-incentives.json"), """
            { "RetentionKit": { "Loyalty": { "Referrals": { "Incentives": [ { "Name": "standard" }, { "Name": "double-credit", "ReferrerCredit": 200 } ] } } } }
            """);
        Assert.Equal(0, Run("simulate", "--customers", "1500", "--months", "18", "--seed", "4", "--out", "data").Code);

        var (code, json, err) = Run("analyze", "--data", "data", "--out", "report", "--config", "two-incentives.json", "--json");
        using var document = JsonDocument.Parse(json);
        var incentives = document.RootElement.GetProperty("experiments").GetProperty("incentives").EnumerateArray().ToArray();
        var funnel = document.RootElement.GetProperty("loyalty").GetProperty("referrals");

        Assert.True(code == 0, err);
        var arm = Assert.Single(incentives);
        Assert.Equal("double-credit", arm.GetProperty("name").GetString());
        Assert.True(arm.GetProperty("treated").GetInt32() + arm.GetProperty("control").GetInt32() > 0);
        Assert.Equal(arm.GetProperty("pValue").GetDouble(), arm.GetProperty("adjustedPValue").GetDouble(), 12); // one comparison: Holm changes nothing
        Assert.Empty(document.RootElement.GetProperty("experiments").GetProperty("playbooks").EnumerateArray());
        Assert.True(funnel.GetProperty("attributed").GetInt32() >= arm.GetProperty("treated").GetInt32() + arm.GetProperty("control").GetInt32());
        Assert.Contains("Referral incentives, each against the first incentive", File.ReadAllText(Path.Combine(_workspace.Dir, "report", "index.html")), StringComparison.Ordinal);
    }
}
