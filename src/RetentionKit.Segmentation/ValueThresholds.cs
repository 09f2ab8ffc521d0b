namespace RetentionKit.Segmentation;

/// <summary>
/// The CLV cut-offs of the value segments in one currency (G1). A CLV below <see cref="MediumFrom"/> is low; from
/// <see cref="MediumFrom"/> up to and including <see cref="HighAbove"/> it is medium; above <see cref="HighAbove"/> it
/// is high. So with the defaults exactly $1,000 and exactly $10,000 are both medium, as G1 reads ("high &gt; $10,000",
/// "low &lt; $1,000").
/// </summary>
public sealed class ValueThresholds
{
    /// <summary>Gets or sets the lowest CLV of the medium segment (inclusive). Default 1,000.</summary>
    public decimal MediumFrom { get; set; } = 1_000m;

    /// <summary>Gets or sets the highest CLV of the medium segment (inclusive); anything above is high. Default 10,000.</summary>
    public decimal HighAbove { get; set; } = 10_000m;
}
