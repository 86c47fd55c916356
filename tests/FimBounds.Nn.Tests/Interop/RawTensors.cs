using System.Runtime.InteropServices;
using FimBounds.Nn.Interop;

namespace FimBounds.Nn.Tests.Interop;

/// <summary>Small named tensors with known values, for the format round trips.</summary>
internal static class RawTensors
{
    public static RawTensor Float32(string name, long[] shape, Func<int, float> value) =>
        new(name, TensorDType.Float32, shape, Bytes(Enumerable.Range(0, (int)RawTensor.ElementCount(shape)).Select(value).ToArray()));

    public static RawTensor Float64(string name, long[] shape, Func<int, double> value) =>
        new(name, TensorDType.Float64, shape, Bytes(Enumerable.Range(0, (int)RawTensor.ElementCount(shape)).Select(value).ToArray()));

    public static RawTensor Int64(string name, long[] shape, Func<int, long> value) =>
        new(name, TensorDType.Int64, shape, Bytes(Enumerable.Range(0, (int)RawTensor.ElementCount(shape)).Select(value).ToArray()));

    /// <summary>A mixed set: a matrix, a vector, a float64 4-d kernel, an int64 scalar, an empty tensor.</summary>
    public static IReadOnlyList<RawTensor> Sample() =>
    [
        Float32("features.0.weight", [3, 2], i => 0.25f * i - 1f),
        Float32("features.0.bias", [3], i => 1f / (i + 3)),
        Float64("head.kernel", [2, 1, 2, 2], i => Math.Sqrt(i + 2) * (i % 2 == 0 ? 1 : -1)),
        Int64("bn.num_batches_tracked", [], _ => 1234567890123L),
        Float32("empty", [0, 4], _ => 0f),
    ];

    public static T[] Values<T>(RawTensor tensor) where T : struct => MemoryMarshal.Cast<byte, T>(tensor.Data).ToArray();

    public static void AssertEqual(IReadOnlyList<RawTensor> expected, IReadOnlyList<RawTensor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].DType, actual[i].DType);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
    }

    private static byte[] Bytes<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
