using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using FimBounds.Core.Errors;

namespace FimBounds.Nn.Interop;

/// <summary>
/// The part of Python's pickle machine that torch.save's data.pkl uses (protocols 2–5): it builds plain
/// values, dicts, lists and tuples, turns torch's tensor and storage records into <see cref="TensorRef"/>s
/// and leaves every other class as an inert <see cref="PyObject"/>. No Python code is ever run: a
/// pickle naming other classes is reported, not executed.
/// </summary>
public sealed class PickleReader
{
    private readonly BinaryReader _in;
    private readonly string _source;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];

    private PickleReader(Stream stream, string source)
    {
        _in = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        _source = source;
    }

    /// <summary>The value the pickle in <paramref name="stream"/> describes.</summary>
    public static object? Read(Stream stream, string source)
    {
        try
        {
            return new PickleReader(stream, source).Run();
        }
        catch (EndOfStreamException e)
        {
            throw new InputException($"{source}: truncated pickle (data.pkl ends early); the file is corrupt. Save it again with torch.save.", e);
        }
    }

    private object? Run()
    {
        while (true)
        {
            byte op = _in.ReadByte();
            switch (op)
            {
                case 0x80: _in.ReadByte(); break;                          // PROTO
                case 0x95: _in.ReadUInt64(); break;                        // FRAME
                case (byte)'.': return Pop();                              // STOP
                case (byte)'(': _marks.Add(_stack.Count); break;           // MARK
                case (byte)'N': Push(null); break;                         // NONE
                case 0x88: Push(true); break;                              // NEWTRUE
                case 0x89: Push(false); break;                             // NEWFALSE
                case (byte)'J': Push((long)_in.ReadInt32()); break;        // BININT
                case (byte)'K': Push((long)_in.ReadByte()); break;         // BININT1
                case (byte)'M': Push((long)_in.ReadUInt16()); break;       // BININT2
                case 0x8a: Push(ReadLong((long)_in.ReadByte())); break;          // LONG1
                case 0x8b: Push(ReadLong((long)_in.ReadInt32())); break;         // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadExactly(8))); break; // BINFLOAT
                case (byte)'X': Push(Encoding.UTF8.GetString(ReadExactly(_in.ReadInt32()))); break; // BINUNICODE
                case 0x8c: Push(Encoding.UTF8.GetString(ReadExactly(_in.ReadByte()))); break;      // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(ReadExactly(checked((int)_in.ReadInt64())))); break; // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(ReadExactly(_in.ReadInt32()))); break;      // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(ReadExactly(_in.ReadByte()))); break;       // SHORT_BINSTRING
                case (byte)'B': Push(ReadExactly(_in.ReadInt32())); break;                                 // BINBYTES
                case (byte)'C': Push(ReadExactly(_in.ReadByte())); break;                                  // SHORT_BINBYTES
                case (byte)'}': Push(new PyDict()); break;                 // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;          // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break;       // EMPTY_TUPLE
                case (byte)'d': Push(ToDict(PopMark())); break;            // DICT
                case (byte)'l': Push(PopMark().ToList()); break;           // LIST
                case (byte)'t': Push(PopMark()); break;                    // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                   // TUPLE1
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; }           // TUPLE2
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'a': { object? item = Pop(); AsList(Peek()).Add(item); break; }          // APPEND
                case (byte)'e': { object?[] items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'s': { object? value = Pop(), key = Pop(); AsDict(Peek()).Entries.Add(new(key, value)); break; } // SETITEM
                case (byte)'u': { object?[] items = PopMark(); AsDict(Peek()).Entries.AddRange(ToDict(items).Entries); break; } // SETITEMS
                case (byte)'q': _memo[_in.ReadByte()] = Peek(); break;     // BINPUT
                case (byte)'r': _memo[_in.ReadUInt32()] = Peek(); break;   // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;             // MEMOIZE
                case (byte)'h': Push(Recall(_in.ReadByte())); break;       // BINGET
                case (byte)'j': Push(Recall(_in.ReadUInt32())); break;     // LONG_BINGET
                case (byte)'c': Push(new PyGlobal(ReadLine(), ReadLine())); break;                  // GLOBAL
                case 0x93: { string name = AsString(Pop()), module = AsString(Pop()); Push(new PyGlobal(module, name)); break; } // STACK_GLOBAL
                case (byte)'R': { object? args = Pop(); Push(Construct(Pop(), args)); break; }      // REDUCE
                case 0x81: { object? args = Pop(); Push(Construct(Pop(), args)); break; }           // NEWOBJ
                case (byte)'b': { object? state = Pop(); Build(Peek(), state); break; }             // BUILD
                case (byte)'Q': Push(PersistentLoad(Pop())); break;        // BINPERSID
                default:
                    throw new InputException($"{_source}: data.pkl uses pickle opcode 0x{op:x2}, which a torch.save state_dict does not; save model.state_dict() with torch.save.");
            }
        }
    }

    private object? Construct(object? callable, object? arguments)
    {
        if (callable is not PyGlobal type || arguments is not object?[] args)
        {
            throw Corrupt("a call of something that is not a class");
        }
        switch (type.ToString())
        {
            case "collections.OrderedDict" or "builtins.dict" when args.Length == 0:
                return new PyDict();
            case "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor" when args.Length >= 4:
                return new TensorRef(
                    args[0] as StorageRef ?? throw Corrupt("a tensor without a storage"),
                    AsLong(args[1]), AsLongs(args[2]), AsLongs(args[3]));
            case "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state" when args.Length >= 1:
                return args[0];
            default:
                return new PyObject(type, args);
        }
    }

    private static void Build(object? target, object? state)
    {
        // A state_dict is an OrderedDict whose BUILD carries its _metadata attribute (module versions):
        // nothing a load needs. Other objects keep their state for the error message that names them.
        if (target is PyObject obj)
        {
            obj.State = state;
        }
    }

    private object PersistentLoad(object? id)
    {
        if (id is not object?[] { Length: 5 } record || record[0] as string != "storage" || record[1] is not PyGlobal storageType)
        {
            throw Corrupt("a persistent id that is not a torch storage");
        }
        TensorDType dtype = storageType.Module == "torch" ? TensorDType.FromStorageClass(storageType.Name)
            ?? throw new InputException($"{_source}: a tensor is stored as torch.{storageType.Name}, which FimBounds does not read (supported: {string.Join(", ", TensorDType.All.Select(t => t.StorageClass))}).")
            : throw Corrupt($"a storage of class {storageType}");
        return new StorageRef(dtype, AsString(record[2]), AsLong(record[4]));
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out object? value) ? value : throw Corrupt($"a reference to memo entry {index} that was never stored");

    private static PyDict ToDict(object?[] items)
    {
        var dict = new PyDict();
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            dict.Entries.Add(new(items[i], items[i + 1]));
        }
        return dict;
    }

    private object ReadLong(long length)
    {
        byte[] bytes = ReadExactly(checked((int)length));
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private byte[] ReadExactly(int count)
    {
        if (count < 0)
        {
            throw Corrupt("a negative length");
        }
        byte[] bytes = _in.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }

    private string ReadLine()
    {
        var line = new StringBuilder();
        for (char c = (char)_in.ReadByte(); c != '\n'; c = (char)_in.ReadByte())
        {
            line.Append(c);
        }
        return line.ToString();
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Corrupt("an empty stack");

    private object? Pop()
    {
        object? value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Corrupt("a missing mark");
        }
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        object?[] items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private List<object?> AsList(object? value) => value as List<object?> ?? throw Corrupt("an append to something that is not a list");

    private PyDict AsDict(object? value) => value as PyDict ?? throw Corrupt("an item set on something that is not a dict");

    private string AsString(object? value) => value as string ?? throw Corrupt("a name that is not a string");

    private long AsLong(object? value) => value is long l ? l : throw Corrupt("a size that is not an integer");

    private long[] AsLongs(object? value) =>
        value is object?[] items ? items.Select(AsLong).ToArray() : throw Corrupt("a shape that is not a tuple");

    private InputException Corrupt(string what) =>
        new($"{_source}: data.pkl holds {what}; the file is corrupt or not a torch.save state_dict.");
}
