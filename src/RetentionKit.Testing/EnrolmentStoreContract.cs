using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using NodaTime;
using RetentionKit.Playbooks;
using Xunit;

namespace RetentionKit.Testing;

/// <summary>
/// What every <see cref="IEnrolmentStore"/> must do: enrolments upserted by id (the same trigger on the same day enrols
/// once), every field kept, a customer's enrolments in the order they started, customers kept apart. Derive a test
/// class and supply <see cref="CreateStore"/>.
/// </summary>
public abstract class EnrolmentStoreContract
{
    private static readonly CustomerId Ana = new("ana");
    private static readonly LocalDate Day = new(2026, 3, 2);

    /// <summary>Creates an empty store for one test.</summary>
    /// <returns>The store under test.</returns>
    protected abstract IEnrolmentStore CreateStore();

    /// <summary>Get, for a customer without enrolments, is empty.</summary>
    [ContractFact]
    public async Task Get_UnknownCustomer_IsEmpty() => Assert.Empty(await CreateStore().GetAsync(Ana));

    /// <summary>Save, then get, gives back every field.</summary>
    [ContractFact]
    public async Task Save_ThenGet_KeepsEveryField()
    {
        var store = CreateStore();
        var enrolment = new Enrolment(Ana, "win-back", Day, "b")
        {
            Offer = "upgrade-month",
            ImprovedOffer = "discount",
            Status = EnrolmentStatus.Exited,
            Steps = [new StepRecord("we-miss-you", Day) { Withheld = true }, new StepRecord("call", Day.PlusDays(3), Skipped: true)],
            EndedOn = Day.PlusDays(9),
            EndReason = "goal met: reactivated",
            IsControl = true,
            Outcome = new EnrolmentOutcome(true, Day.PlusDays(9), "succeeded by day 9 of 60: reactivated"),
        };

        await store.SaveAsync(enrolment);
        var read = await store.GetAsync(Ana);

        AssertEnrolments([enrolment], read);
    }

    /// <summary>Save, of an enrolment with a known id, replaces it and keeps the others, in the order they started.</summary>
    [ContractFact]
    public async Task Save_ExistingId_Replaces_AndTheListRunsInStartOrder()
    {
        var store = CreateStore();
        var late = new Enrolment(Ana, "onboarding", Day.PlusDays(5));
        var early = new Enrolment(Ana, "win-back", Day);
        var sameDay = new Enrolment(Ana, "check-in-30", Day);
        await store.SaveAsync(late);
        await store.SaveAsync(early);
        await store.SaveAsync(sameDay);
        var progressed = early with { Steps = [new StepRecord("we-miss-you", Day)] };

        await store.SaveAsync(progressed);

        AssertEnrolments([sameDay, progressed, late], await store.GetAsync(Ana));
    }

    /// <summary>Customers are kept apart.</summary>
    [ContractFact]
    public async Task Customers_AreKeptApart()
    {
        var store = CreateStore();
        var bo = new CustomerId("bo");
        await store.SaveAsync(new Enrolment(Ana, "onboarding", Day));
        await store.SaveAsync(new Enrolment(bo, "onboarding", Day));

        Assert.Equal(["ana/onboarding/2026-03-02"], (await store.GetAsync(Ana)).Select(e => e.Id));
        Assert.Equal(["bo/onboarding/2026-03-02"], (await store.GetAsync(bo)).Select(e => e.Id));
    }

    /// <summary>Concurrent saves of different enrolments of one customer all land.</summary>
    [ContractFact]
    public async Task ConcurrentSaves_OfOneCustomer_AllLand()
    {
        var store = CreateStore();
        var enrolments = Enumerable.Range(0, 24).Select(i => new Enrolment(Ana, $"p{i:00}", Day)).ToArray();

        await Task.WhenAll(enrolments.Select(e => Task.Run(async () => await store.SaveAsync(e))));

        AssertEnrolments(enrolments, await store.GetAsync(Ana));
    }

    // Enrolment.Equals compares every field, the steps item by item; Assert.Equal on a collection of records does not use it.
    private static void AssertEnrolments(Enrolment[] expected, ImmutableArray<Enrolment> actual) =>
        Assert.True(
            expected.AsSpan().SequenceEqual(actual.AsSpan()),
            $"expected {string.Join(", ", expected.Select(Describe))}; read {string.Join(", ", actual.Select(Describe))}");

    private static string Describe(Enrolment e) => $"{e.Id} {e.Status} [{string.Join(" ", e.Steps.Select(s => $"{s.Step}@{s.On}{(s.Skipped ? "(skipped)" : string.Empty)}{(s.Withheld ? "(withheld)" : string.Empty)}"))}] {e.Variant} {e.Offer} {e.ImprovedOffer} {e.EndedOn} {e.EndReason}{(e.IsControl ? " control" : string.Empty)} {e.Outcome}";

    /// <summary>Save of null is refused naming the argument.</summary>
    [ContractFact]
    public async Task Save_Null_Throws() =>
        Assert.Equal("enrolment", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await CreateStore().SaveAsync(null!))).ParamName);

}
