using static TorchSharp.torch;

namespace FimBounds.Nn.Interop;

/// <summary>
/// One element type as the two PyTorch file formats spell it: safetensors' dtype code ("F32") and the
/// typed-storage class torch.save pickles ("FloatStorage"). One table, so the readers and writers of
/// both formats cannot disagree about a type.
/// </summary>
public sealed record TensorDType(string SafetensorsName, string StorageClass, ScalarType ScalarType, int ElementSize)
{
    public static readonly TensorDType Float32 = new("F32", "FloatStorage", ScalarType.Float32, 4);
    public static readonly TensorDType Float64 = new("F64", "DoubleStorage", ScalarType.Float64, 8);
    public static readonly TensorDType Float16 = new("F16", "HalfStorage", ScalarType.Float16, 2);
    public static readonly TensorDType BFloat16 = new("BF16", "BFloat16Storage", ScalarType.BFloat16, 2);
    public static readonly TensorDType Int64 = new("I64", "LongStorage", ScalarType.Int64, 8);
    public static readonly TensorDType Int32 = new("I32", "IntStorage", ScalarType.Int32, 4);
    public static readonly TensorDType Int16 = new("I16", "ShortStorage", ScalarType.Int16, 2);
    public static readonly TensorDType Int8 = new("I8", "CharStorage", ScalarType.Int8, 1);
    public static readonly TensorDType UInt8 = new("U8", "ByteStorage", ScalarType.Byte, 1);
    public static readonly TensorDType Bool = new("BOOL", "BoolStorage", ScalarType.Bool, 1);

    public static IReadOnlyList<TensorDType> All { get; } =
        [Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool];

    public static TensorDType? FromSafetensorsName(string name) => All.FirstOrDefault(t => t.SafetensorsName == name);

    public static TensorDType? FromStorageClass(string name) => All.FirstOrDefault(t => t.StorageClass == name);

    public static TensorDType? FromScalarType(ScalarType type) => All.FirstOrDefault(t => t.ScalarType == type);
}
