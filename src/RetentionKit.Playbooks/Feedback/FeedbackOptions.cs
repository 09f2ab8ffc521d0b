using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RetentionKit.Playbooks;

/// <summary>What a piece of feedback asks to improve: the document's product and service improvements.</summary>
public enum ImprovementArea
{
    /// <summary>Product: a feature the customer misses.</summary>
    FeatureRequests = 0,

    /// <summary>Product: something that does not work.</summary>
    BugFixes = 1,

    /// <summary>Product: something hard to use or find.</summary>
    UxImprovements = 2,

    /// <summary>Product: something slow.</summary>
    PerformanceOptimization = 3,

    /// <summary>Service: support's answers and times.</summary>
    SupportOptimization = 4,

    /// <summary>Service: onboarding and training.</summary>
    TrainingEnhancement = 5,

    /// <summary>Service: documentation and help articles.</summary>
    DocumentationUpdates = 6,

    /// <summary>Service: pricing, billing and other processes.</summary>
    ProcessOptimization = 7,
}

/// <summary>One topic of the feedback taxonomy: the phrases that name it, the team that owns it, the improvement it asks for.</summary>
public sealed class FeedbackTopicOptions
{
    /// <summary>Gets or sets the improvement the topic asks for.</summary>
    public ImprovementArea Area { get; set; }

    /// <summary>Gets or sets the team escalations of the topic go to.</summary>
    public string Team { get; set; } = "";

    /// <summary>
    /// Gets or sets the phrases, in any language, that name the topic. Matching ignores case and accents and works on
    /// whole words; a word ending in <c>*</c> matches any word it begins (<c>crash*</c> matches "crashes").
    /// </summary>
    public IList<string> Phrases { get; set; } = [];
}

/// <summary>Options of the feedback loop (SPEC B13): the topic taxonomy, the priority formula and the action timings.</summary>
/// <remarks>
/// Priority = 100 × (<see cref="NegativityWeight"/> × (1 − sentiment) + <see cref="RiskWeight"/> × churn probability +
/// <see cref="ValueWeight"/> × value) ÷ (sum of the weights) × ½^(age in days ÷ <see cref="HalfLifeDays"/>): 0–100,
/// higher for unhappier, riskier, more valuable customers and for newer feedback.
/// </remarks>
public sealed class FeedbackOptions
{
    /// <summary>Gets or sets the topic taxonomy, by topic key; the built-in one has eight topics with Spanish and English phrases.</summary>
    public IDictionary<string, FeedbackTopicOptions> Topics { get; set; } = BuiltInTopics();

    /// <summary>Gets or sets the team that receives escalations of feedback no topic matched.</summary>
    /// <value>The default value is <c>customer-success</c>.</value>
    public string DefaultTeam { get; set; } = "customer-success";

    /// <summary>Gets or sets the sentiment below which feedback is negative (the scoring's S4 default).</summary>
    /// <value>The default value is 0.3.</value>
    public double NegativeBelow { get; set; } = 0.3;

    /// <summary>Gets or sets the sentiment above which feedback is positive; from <see cref="NegativeBelow"/> up to it, neutral.</summary>
    /// <value>The default value is 0.5.</value>
    public double PositiveAbove { get; set; } = 0.5;

    /// <summary>Gets or sets the weight of the feedback's negativity (1 − sentiment) in the priority.</summary>
    /// <value>The default value is 0.45.</value>
    public double NegativityWeight { get; set; } = 0.45;

    /// <summary>Gets or sets the weight of the customer's churn probability in the priority.</summary>
    /// <value>The default value is 0.35.</value>
    public double RiskWeight { get; set; } = 0.35;

    /// <summary>Gets or sets the weight of the customer's value (low 0.2, medium 0.6, high 1, unknown as low) in the priority.</summary>
    /// <value>The default value is 0.20.</value>
    public double ValueWeight { get; set; } = 0.20;

    /// <summary>Gets or sets the days after which an item's priority has halved.</summary>
    /// <value>The default value is 14.</value>
    public int HalfLifeDays { get; set; } = 14;

    /// <summary>Gets or sets the priority from which an item is urgent.</summary>
    /// <value>The default value is 60.</value>
    public double UrgentFrom { get; set; } = 60;

    /// <summary>Gets or sets the priority from which an item is high.</summary>
    /// <value>The default value is 40.</value>
    public double HighFrom { get; set; } = 40;

    /// <summary>Gets or sets the priority from which an item is normal; below it, low.</summary>
    /// <value>The default value is 20.</value>
    public double NormalFrom { get; set; } = 20;

    /// <summary>Gets or sets the days after the feedback when the follow-up is due unless it is resolved (the feedback-loop playbook's day 3).</summary>
    /// <value>The default value is 3.</value>
    public int FollowUpAfterDays { get; set; } = 3;

    /// <summary>Gets or sets the days after the feedback by which it should be resolved and the resolution message sent (the playbook's day 7).</summary>
    /// <value>The default value is 7.</value>
    public int ResolveWithinDays { get; set; } = 7;

    /// <summary>The built-in taxonomy: pricing, bugs, missing features, performance, onboarding, support, usability and documentation.</summary>
    /// <returns>A new dictionary the caller may change.</returns>
    public static IDictionary<string, FeedbackTopicOptions> BuiltInTopics() => new Dictionary<string, FeedbackTopicOptions>(OptionKeyComparer.Instance)
    {
        ["pricing"] = Topic(ImprovementArea.ProcessOptimization, "billing",
            "price*", "pricing", "expensive", "cost*", "invoice*", "billing", "too much", "discount*", "refund*", "overcharg*",
            "precio*", "caro", "cara", "costos*", "coste*", "factura*", "cobro*", "descuento*", "reembolso*", "tarifa*"),
        ["bugs"] = Topic(ImprovementArea.BugFixes, "engineering",
            "bug*", "crash*", "error*", "broken", "does not work", "doesn't work", "not working", "fail*", "glitch*",
            "fallo*", "falla*", "no funciona", "roto", "rota", "se cuelga", "se bloquea"),
        ["missing-feature"] = Topic(ImprovementArea.FeatureRequests, "product",
            "missing feature", "feature request", "would be nice", "wish", "please add", "no way to", "add support for", "integration*",
            "falta*", "echo de menos", "seria util", "me gustaria", "no permite", "no tiene", "integracion*"),
        ["performance"] = Topic(ImprovementArea.PerformanceOptimization, "engineering",
            "slow*", "lag*", "takes forever", "timeout*", "timed out", "latency", "loading time*",
            "lent*", "tarda*", "se demora", "rendimiento", "tiempo de carga"),
        ["onboarding"] = Topic(ImprovementArea.TrainingEnhancement, "customer-success",
            "onboarding", "getting started", "set up", "setup", "tutorial*", "first steps", "training",
            "puesta en marcha", "configuracion inicial", "primeros pasos", "capacitacion", "formacion", "incorporacion"),
        ["support"] = Topic(ImprovementArea.SupportOptimization, "support",
            "support", "no answer", "no reply", "ticket*", "agent*", "customer service", "response time",
            "soporte", "sin respuesta", "atencion al cliente", "agente*", "tiempo de respuesta"),
        ["usability"] = Topic(ImprovementArea.UxImprovements, "product",
            "confusing", "hard to use", "hard to find", "interface", "ui", "ux", "cluttered", "clunky", "not intuitive",
            "confus*", "dificil de usar", "dificil de encontrar", "interfaz", "poco intuitiv*", "complicad*"),
        ["documentation"] = Topic(ImprovementArea.DocumentationUpdates, "documentation",
            "documentation", "docs", "manual", "help center", "guide*", "help article*", "api reference",
            "documentacion", "manual*", "guia*", "centro de ayuda", "articulo*"),
    };

    private static FeedbackTopicOptions Topic(ImprovementArea area, string team, params string[] phrases) =>
        new() { Area = area, Team = team, Phrases = [.. phrases] };

    /// <summary>Every rule these options break, as "Feedback:{option} …" lines.</summary>
    internal IEnumerable<string> Problems()
    {
        static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
        if (Topics is null)
        {
            yield return "Feedback:Topics must not be null.";
        }
        else
        {
            foreach (var (key, topic) in Topics)
            {
                if (string.IsNullOrWhiteSpace(key))
                {
                    yield return "Feedback:Topics must not have a blank key.";
                    continue;
                }

                if (topic is null)
                {
                    yield return $"Feedback:Topics:{key} must not be null.";
                    continue;
                }

                if (!System.Enum.IsDefined(topic.Area))
                {
                    yield return $"Feedback:Topics:{key}:Area is {(int)topic.Area}, not an ImprovementArea.";
                }

                if (string.IsNullOrWhiteSpace(topic.Team))
                {
                    yield return $"Feedback:Topics:{key}:Team must name the team that owns the topic.";
                }

                if (topic.Phrases is null || topic.Phrases.Count == 0 || topic.Phrases.Any(p => PhraseTopicClassifier.Words(p ?? "").Length == 0))
                {
                    yield return $"Feedback:Topics:{key}:Phrases must hold at least one phrase, each with at least one word.";
                }
            }
        }

        if (string.IsNullOrWhiteSpace(DefaultTeam))
        {
            yield return "Feedback:DefaultTeam must name a team.";
        }

        if (!(NegativeBelow is >= 0 and <= 1) || !(PositiveAbove is >= 0 and <= 1) || !(NegativeBelow <= PositiveAbove))
        {
            yield return $"Feedback:NegativeBelow ({Num(NegativeBelow)}) and PositiveAbove ({Num(PositiveAbove)}) must be in [0, 1], NegativeBelow the lower.";
        }

        foreach (var (name, weight) in new[] { ("NegativityWeight", NegativityWeight), ("RiskWeight", RiskWeight), ("ValueWeight", ValueWeight) })
        {
            if (!(double.IsFinite(weight) && weight >= 0))
            {
                yield return $"Feedback:{name} must be a finite number of at least 0 (was {Num(weight)}).";
            }
        }

        if (!(NegativityWeight + RiskWeight + ValueWeight > 0))
        {
            yield return "Feedback:NegativityWeight, RiskWeight and ValueWeight must not all be 0.";
        }

        if (HalfLifeDays < 1)
        {
            yield return $"Feedback:HalfLifeDays must be at least 1 (was {HalfLifeDays}).";
        }

        if (!(NormalFrom is > 0 and <= 100) || !(HighFrom is > 0 and <= 100) || !(UrgentFrom is > 0 and <= 100) || !(NormalFrom < HighFrom && HighFrom < UrgentFrom))
        {
            yield return $"Feedback:NormalFrom ({Num(NormalFrom)}), HighFrom ({Num(HighFrom)}) and UrgentFrom ({Num(UrgentFrom)}) must rise strictly within (0, 100].";
        }

        if (FollowUpAfterDays < 0 || ResolveWithinDays < FollowUpAfterDays)
        {
            yield return $"Feedback:FollowUpAfterDays ({FollowUpAfterDays}) must not be negative, nor above ResolveWithinDays ({ResolveWithinDays}).";
        }
    }
}
