using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using NodaTime;

namespace RetentionKit.Playbooks;

/// <summary>A message template: a subject and a body with named placeholders (<c>{name}</c>, <c>{price}</c>…), in one language.</summary>
/// <param name="Id">The template's id (a step's <see cref="PlaybookStep.Template"/>, optionally followed by <c>#variant</c>).</param>
/// <param name="Language">The two-letter language, <c>es</c> or <c>en</c> for the built-in ones.</param>
/// <param name="Subject">The subject (or the title of an in-app message, or the task's name).</param>
/// <param name="Body">The body.</param>
public sealed record MessageTemplate(string Id, string Language, string Subject, string Body);

/// <summary>A rendered message.</summary>
/// <param name="Template">The template used (with its variant, if one matched).</param>
/// <param name="Subject">The subject.</param>
/// <param name="Body">The body.</param>
public sealed record RenderedMessage(string Template, string Subject, string Body);

/// <summary>A template asked for a value that was not given: nothing is rendered rather than "[Nombre]" sent.</summary>
public sealed class MissingTemplateValueException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MissingTemplateValueException"/> class.</summary>
    public MissingTemplateValueException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MissingTemplateValueException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MissingTemplateValueException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MissingTemplateValueException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MissingTemplateValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MissingTemplateValueException"/> class.</summary>
    /// <param name="template">The template.</param>
    /// <param name="placeholder">The placeholder without a value.</param>
    public MissingTemplateValueException(string template, string placeholder)
        : base($"Template '{template}' needs a value for '{{{placeholder}}}', and none was given.")
    {
        (Template, Placeholder) = (template, placeholder);
    }

    /// <summary>Gets the template.</summary>
    public string? Template { get; }

    /// <summary>Gets the placeholder without a value.</summary>
    public string? Placeholder { get; }
}

/// <summary>
/// Message templates by id and language (B14), and their rendering: placeholders are filled from named values, money
/// and dates formatted for the culture (<c>100,00 US$</c> and <c>lunes, 2 de marzo de 2026</c> in Spanish,
/// <c>$100.00</c> and <c>Monday, March 2, 2026</c> in English); a placeholder without a value fails the rendering.
/// </summary>
public sealed class TemplateCatalog
{
    private readonly ImmutableDictionary<(string Id, string Language), MessageTemplate> _templates;

    private TemplateCatalog(ImmutableDictionary<(string Id, string Language), MessageTemplate> templates) => _templates = templates;

    /// <summary>Gets the built-in templates: every step of the built-in playbooks, in Spanish and English.</summary>
    public static TemplateCatalog BuiltIn { get; } = new TemplateCatalog(ImmutableDictionary<(string, string), MessageTemplate>.Empty).With(BuiltInTemplates.All.AddRange(ScriptTemplates.All));

    /// <summary>Gets every template.</summary>
    public IEnumerable<MessageTemplate> Templates => _templates.Values;

    /// <summary>Returns a catalogue with these templates added (replacing any with the same id and language).</summary>
    /// <param name="templates">The templates.</param>
    /// <returns>The new catalogue.</returns>
    /// <exception cref="ArgumentException">A template's id, language, subject or body is blank.</exception>
    public TemplateCatalog With(IEnumerable<MessageTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var builder = _templates.ToBuilder();
        foreach (var t in templates)
        {
            ArgumentNullException.ThrowIfNull(t, nameof(templates));
            if (string.IsNullOrWhiteSpace(t.Id) || string.IsNullOrWhiteSpace(t.Language) || string.IsNullOrWhiteSpace(t.Subject) || string.IsNullOrWhiteSpace(t.Body))
            {
                throw new ArgumentException($"Template '{t.Id}' ({t.Language}) needs an id, a language, a subject and a body.", nameof(templates));
            }

            builder[(t.Id, t.Language.ToLowerInvariant())] = t;
        }

        return new TemplateCatalog(builder.ToImmutable());
    }

    /// <summary>Finds a template: the variant first (<c>id#variant</c>), then the plain id; the culture's language, then English.</summary>
    /// <param name="id">The template id.</param>
    /// <param name="culture">The culture.</param>
    /// <param name="variant">A variant (an A/B arm, a churn reason), if any.</param>
    /// <returns>The template, or null.</returns>
    public MessageTemplate? Find(string id, CultureInfo culture, string? variant = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(culture);
        foreach (var language in (ReadOnlySpan<string>)[culture.TwoLetterISOLanguageName, "en"])
        {
            if (variant is not null && _templates.TryGetValue((id + "#" + variant, language), out var specific))
            {
                return specific;
            }

            if (_templates.TryGetValue((id, language), out var plain))
            {
                return plain;
            }
        }

        return null;
    }

    /// <summary>Renders a template.</summary>
    /// <param name="id">The template id.</param>
    /// <param name="culture">The culture: the language and the formats of money, dates and numbers.</param>
    /// <param name="values">The placeholders' values: <see cref="string"/>, <see cref="Money"/>, <see cref="LocalDate"/>, <see cref="Rate"/>, numbers.</param>
    /// <param name="variant">A variant to prefer, if any.</param>
    /// <returns>The message.</returns>
    /// <exception cref="KeyNotFoundException">No template has the id.</exception>
    /// <exception cref="MissingTemplateValueException">A placeholder has no value.</exception>
    public RenderedMessage Render(string id, CultureInfo culture, IReadOnlyDictionary<string, object> values, string? variant = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var template = Find(id, culture, variant) ?? throw new KeyNotFoundException($"No template '{id}' in {culture.TwoLetterISOLanguageName} or en.");
        return new RenderedMessage(template.Id, Fill(template, template.Subject, culture, values), Fill(template, template.Body, culture, values));
    }

    /// <summary>Formats a value for a culture, as placeholders are filled.</summary>
    /// <param name="value">The value.</param>
    /// <param name="culture">The culture.</param>
    /// <returns>The text.</returns>
    public static string Format(object value, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(culture);
        return value switch
        {
            Money money => FormatMoney(money, culture),
            LocalDate date => date.ToString("D", culture),
            Rate rate => rate.Fraction.ToString("P0", culture),
            int i => i.ToString("N0", culture),
            long l => l.ToString("N0", culture),
            decimal d => d.ToString("N2", culture),
            double d => d.ToString("N1", culture),
            IFormattable f => f.ToString(null, culture),
            _ => value.ToString() ?? string.Empty,
        };
    }

    private static string FormatMoney(Money money, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = money.Currency.Code switch
        {
            "EUR" => "€",
            "GBP" => "£",
            "USD" => culture.TwoLetterISOLanguageName == "en" ? "$" : "US$",
            _ => money.Currency.Code,
        };
        return money.Amount.ToString("C", format);
    }

    private static string Fill(MessageTemplate template, string text, CultureInfo culture, IReadOnlyDictionary<string, object> values)
    {
        var result = new StringBuilder(text.Length + 64);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            if (open < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            var close = text.IndexOf('}', open + 1);
            if (close < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, open - i);
            var name = text[(open + 1)..close];
            if (!values.TryGetValue(name, out var value) || value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
            {
                throw new MissingTemplateValueException(template.Id, name);
            }

            result.Append(Format(value, culture));
            i = close + 1;
        }

        return result.ToString();
    }
}
