namespace FimBounds.Engine.Certification;

/// <summary>How bounds over the ball are computed.</summary>
public enum CertificationMethod
{
    /// <summary>Interval bound propagation: one pass of intervals, cheap and loose.</summary>
    Ibp,

    /// <summary>
    /// Linear relaxation: intermediate (pre-activation) bounds of every nonlinear layer from forward-mode
    /// linear bounds in the input (intersected with IBP's), then the specification pulled back through
    /// the whole network with CROWN's relaxations (backward mode), intersected with IBP's bound.
    /// </summary>
    Crown,

    /// <summary>
    /// CROWN's backward pass over the intermediate (pre-activation) bounds of IBP (CROWN-IBP): one pass
    /// of intervals and one backward pass of the K specification rows — IBP's cost order, tighter than
    /// IBP, looser than <see cref="Crown"/>, whose forward linear bounds carry one row per input pixel.
    /// </summary>
    CrownIbp,

    /// <summary>
    /// Full CROWN: every activation's intermediate bounds from CROWN's own backward pass through everything before it
    /// (intersected with IBP's and with <see cref="Crown"/>'s forward linear bounds, which it starts from: only neurons
    /// both leave loose get a backward pass, and none while IBP is still exact), then the specification pulled back as
    /// in <see cref="Crown"/>. Never looser than <see cref="Crown"/>'s intermediates, and much tighter deep in the
    /// network (the backward pass multiplies a relaxed neuron's gap by the path's coefficients, the forward bounds by
    /// their absolute values); its cost grows with the number of loose neurons — minutes per ε on the mini CNNs.
    /// </summary>
    CrownFull,

    /// <summary>
    /// α-CROWN: <see cref="Crown"/>'s intermediate bounds, then the final backward pass with the lower slopes of
    /// unstable ReLUs optimised per margin (<see cref="Certification.AlphaCrown"/>): never looser than CROWN, a
    /// few backward passes of the K margins dearer (small beside the forward bounds' one row per pixel).
    /// </summary>
    AlphaCrown,
}

/// <summary>The methods' names on the command line and in reports, one table for both directions.</summary>
public static class CertificationMethods
{
    private static readonly IReadOnlyDictionary<CertificationMethod, string> Names = new Dictionary<CertificationMethod, string>
    {
        [CertificationMethod.Ibp] = "ibp",
        [CertificationMethod.CrownIbp] = "crown-ibp",
        [CertificationMethod.Crown] = "crown",
        [CertificationMethod.AlphaCrown] = "alpha-crown",
        [CertificationMethod.CrownFull] = "crown-full",
    };

    /// <summary>Every name, cheapest method first.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Values.ToList();

    public static string Name(this CertificationMethod method) => Names[method];

    /// <summary>The method called <paramref name="name"/>; a name outside <see cref="All"/> is a caller's bug (the CLI's parser accepts only those).</summary>
    public static CertificationMethod Parse(string name) =>
        Names.FirstOrDefault(entry => entry.Value == name) is { Value: not null } found
            ? found.Key
            : throw new ArgumentOutOfRangeException(nameof(name), name, $"the certification method must be one of {string.Join(", ", All)}");
}
