using System.Linq;
using FimBounds.Core.Collections;

namespace FimBounds.Core.Architecture;

/// <summary>
/// A tensor shape without the batch dimension: (C, H, W) for images, (tokens, dim) for sequences,
/// (features) for vectors.
/// </summary>
public sealed record Shape(EquatableList<int> Dims)
{
    public static Shape Image(int channels, int height, int width) => new(EquatableList.Of(channels, height, width));

    public static Shape Tokens(int count, int dim) => new(EquatableList.Of(count, dim));

    public static Shape Vector(int features) => new(EquatableList.Of(features));

    public int Rank => Dims.Count;

    public long Elements => Dims.Aggregate(1L, (a, d) => a * d);

    public int this[int axis] => Dims[axis];

    public override string ToString() => string.Join("×", Dims);
}
