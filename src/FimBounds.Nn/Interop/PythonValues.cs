namespace FimBounds.Nn.Interop;

/// <summary>A Python global named in a pickle ("collections" "OrderedDict").</summary>
public sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => Module + "." + Name;
}

/// <summary>An object the unpickler does not construct: its class, constructor arguments and state.</summary>
public sealed record PyObject(PyGlobal Type, object?[] Arguments)
{
    public object? State { get; set; }
}

/// <summary>A Python dict (or OrderedDict) with its insertion order kept: state_dict order matters.</summary>
public sealed class PyDict
{
    public List<KeyValuePair<object?, object?>> Entries { get; } = [];
}

/// <summary>torch.save's reference to a storage held in the archive's data/ folder.</summary>
public sealed record StorageRef(TensorDType DType, string Key, long ElementCount);

/// <summary>A tensor as torch.save pickles it: a view (offset, size, stride) of a storage.</summary>
public sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);
