using System;
using NodaTime;
using RetentionKit.Internal;

namespace RetentionKit.Playbooks;

/// <summary>Where a piece of feedback came from (the document's four collection channels).</summary>
public enum FeedbackSource
{
    /// <summary>A contextual survey inside the product.</summary>
    InAppSurvey = 0,

    /// <summary>A survey sent by e-mail.</summary>
    EmailSurvey = 1,

    /// <summary>A Net Promoter Score answer, with or without a comment.</summary>
    Nps = 2,

    /// <summary>A free-text comment (a support conversation, a review, a reply to an e-mail).</summary>
    Comment = 3,
}

/// <summary>
/// One piece of feedback from a customer, from any channel: an NPS answer, a survey rating, a comment, or several of
/// them at once (an NPS answer with its "why").
/// </summary>
/// <remarks>At least one of <see cref="Text"/>, <see cref="Nps"/> and <see cref="Satisfaction"/> must be given.</remarks>
public sealed record FeedbackRecord
{
    /// <summary>Initializes a new instance of the <see cref="FeedbackRecord"/> class.</summary>
    /// <param name="id">The host's identifier of the feedback; the stores are idempotent on it.</param>
    /// <param name="customer">Who gave it.</param>
    /// <param name="receivedOn">The day it was received, in the customer's zone (follow-up days count from it).</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="text">The free text, or null.</param>
    /// <param name="nps">The NPS answer, 0–10, or null.</param>
    /// <param name="satisfaction">A survey's satisfaction rating on a 0–10 scale, or null.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is blank, or none of text, NPS and satisfaction is given.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nps"/> is not 0–10, or <paramref name="satisfaction"/> is not a finite number in 0–10.</exception>
    public FeedbackRecord(string id, CustomerId customer, LocalDate receivedOn, FeedbackSource source, string? text = null, int? nps = null, double? satisfaction = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, "source must be one of the FeedbackSource values.");
        }

        if (nps is { } answer)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(answer, 0, nameof(nps));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(answer, 10, nameof(nps));
        }

        if (satisfaction is { } rating)
        {
            Guard.FiniteInRange(rating, 0d, 10d, nameof(satisfaction));
        }

        if (string.IsNullOrWhiteSpace(text) && nps is null && satisfaction is null)
        {
            throw new ArgumentException($"Feedback {id} has no text, NPS answer or satisfaction rating; it must have at least one.", nameof(text));
        }

        Id = id;
        Customer = customer;
        ReceivedOn = receivedOn;
        Source = source;
        Text = string.IsNullOrWhiteSpace(text) ? null : text;
        Nps = nps;
        Satisfaction = satisfaction;
    }

    /// <summary>Gets the host's identifier of the feedback.</summary>
    public string Id { get; }

    /// <summary>Gets who gave it.</summary>
    public CustomerId Customer { get; }

    /// <summary>Gets the day it was received, in the customer's zone.</summary>
    public LocalDate ReceivedOn { get; }

    /// <summary>Gets where it came from.</summary>
    public FeedbackSource Source { get; }

    /// <summary>Gets the free text, or null.</summary>
    public string? Text { get; }

    /// <summary>Gets the NPS answer, 0–10, or null.</summary>
    public int? Nps { get; }

    /// <summary>Gets the survey's satisfaction rating, 0–10, or null.</summary>
    public double? Satisfaction { get; }
}
