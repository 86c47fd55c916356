namespace FimBounds.Nn.Interop;

/// <summary>
/// A named tensor as a file holds it: element type, shape and the contiguous little-endian bytes in
/// row-major order. Managed memory only, so the file formats are read, written and tested without
/// libtorch and nothing here has a native lifetime.
/// </summary>
public sealed class RawTensor(string name, TensorDType dtype, long[] shape, byte[] data)
{
    public string Name { get; } = name;

    public TensorDType DType { get; } = dtype;

    public long[] Shape { get; } = shape;

    /// <summary>Exactly ElementCount(Shape) × DType.ElementSize bytes: a mismatch is a bug of the caller.</summary>
    public byte[] Data { get; } = data.LongLength == ElementCount(shape) * dtype.ElementSize
        ? data
        : throw new ArgumentException($"{name}: {data.LongLength} bytes for shape [{string.Join(", ", shape)}] of {dtype.SafetensorsName}");

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public static long ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long dim in shape)
        {
            count = checked(count * dim);
        }
        return count;
    }
}
