using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using RetentionKit.Scoring.Components;
using RetentionKit.Scoring.Internal;

namespace RetentionKit.Scoring.Tests;

// The share tables index a category by its signals' bits packed low (PEXT). The portable fallback serves CPUs without
// BMI2; both must agree, and depositing the packed bits back must give the original bits under the mask.
public class CategorySharesBitTests
{
    [Property(MaxTest = 500)]
    public bool PortableExtract_AgreesWithTheInstruction_AndDepositUndoesIt(ulong value, ulong mask)
    {
        var packed = CategoryShares.ExtractPortable(value, mask);
        var hardwareAgrees = !Bmi2.X64.IsSupported || packed == Bmi2.X64.ParallelBitExtract(value, mask);
        return hardwareAgrees
            && CategoryShares.Extract(value, mask) == packed
            && CategoryShares.Deposit(packed, mask) == (value & mask)
            && packed >> System.Numerics.BitOperations.PopCount(mask) == 0;
    }

    [Theory]
    [InlineData(0b1011_0110UL, 0b1111_0000UL, 0b1011UL)]
    [InlineData(0b1011_0110UL, 0b1010_1010UL, 0b1101UL)]
    [InlineData(ulong.MaxValue, 0UL, 0UL)]
    [InlineData(0x8000_0000_0000_0001UL, 0x8000_0000_0000_0001UL, 0b11UL)]
    public void ExtractPortable_PacksTheMaskedBitsLow(ulong value, ulong mask, ulong expected) =>
        Assert.Equal(expected, CategoryShares.ExtractPortable(value, mask));

    // The batch kernel fuses two or three parts per component; a built-in of any other size is refused when built.
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void BlendedComponent_OfOtherThanTwoOrThreeParts_IsRefused(int parts)
    {
        var part = new BuiltInComponents.Part("part", 1, 0, -1, 0, 1, "0");
        Assert.Throws<System.ArgumentException>("parts", () => new BuiltInComponents.BlendedComponent(new ComponentKey("X"), [.. System.Linq.Enumerable.Repeat(part, parts)]));
    }
}
