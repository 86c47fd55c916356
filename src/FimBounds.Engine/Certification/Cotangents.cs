using FimBounds.Torch;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Cotangent rows [R, features…] of one input, pulled back through the network at its centre masks, each
/// row tagged with the id of where it started (the output's rows, or a varying set's unit rows injected on
/// the way down). A varying set's rows stay contiguous, so a block of rows is found by its first id.
/// </summary>
internal sealed record Cotangents(Tensor Rows, int[] Ids)
{
    public int Count => Ids.Length;

    /// <summary>The two branches of a sum: the <paramref name="shared"/> rows both received add up; rows each branch injected stay its own.</summary>
    public static Cotangents Join(Cotangents first, Cotangents second, int shared)
    {
        Tensor sum = first.Rows.narrow(0, 0, shared).Plus(second.Rows.narrow(0, 0, shared));
        Tensor rows = cat(new[] { sum, first.Rows.narrow(0, shared, first.Count - shared), second.Rows.narrow(0, shared, second.Count - shared) }, 0);
        return new Cotangents(rows, first.Ids.Concat(second.Ids.Skip(shared)).ToArray());
    }
}
