using System.Buffers.Binary;
using System.Text;

namespace FimBounds.Nn.Interop;

/// <summary>
/// Writes the data.pkl of a torch.save state_dict in pickle protocol 2, the protocol torch.save uses by
/// default: an OrderedDict whose values are torch._utils._rebuild_tensor_v2 calls on storages that are
/// persistent ids ('storage', torch.FloatStorage, key, 'cpu', numel) — exactly the classes PyTorch's
/// weights_only loader allows. Storage i is the archive entry data/i.
/// </summary>
public static class StateDictPickleWriter
{
    public static byte[] Write(IReadOnlyList<RawTensor> tensors)
    {
        using var buffer = new MemoryStream();
        var pickle = new Emitter(buffer);
        pickle.Op(0x80).Byte(2);                                     // PROTO 2
        pickle.Global("collections", "OrderedDict").Op(')').Op('R'); // OrderedDict()
        for (int i = 0; i < tensors.Count; i++)
        {
            RawTensor tensor = tensors[i];
            pickle.Text(tensor.Name);
            pickle.Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            pickle.Op('(').Text("storage").Global("torch", tensor.DType.StorageClass)
                .Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Text("cpu")
                .Integer(RawTensor.ElementCount(tensor.Shape)).Op('t').Op('Q'); // BINPERSID
            pickle.Integer(0);                                                    // storage offset
            pickle.Tuple(tensor.Shape).Tuple(RowMajorStrides(tensor.Shape));
            pickle.Op(0x89);                                                      // requires_grad False
            pickle.Global("collections", "OrderedDict").Op(')').Op('R');          // backward hooks
            pickle.Op('t').Op('R').Op('s');                                       // call, then SETITEM
        }
        pickle.Op('.');
        return buffer.ToArray();
    }

    public static long[] RowMajorStrides(IReadOnlyList<long> shape)
    {
        long[] strides = new long[shape.Count];
        long stride = 1;
        for (int i = shape.Count - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    private sealed class Emitter(Stream output)
    {
        public Emitter Op(char op) => Byte((byte)op);

        public Emitter Op(byte op) => Byte(op);

        public Emitter Byte(byte value)
        {
            output.WriteByte(value);
            return this;
        }

        public Emitter Global(string module, string name)
        {
            Op('c');
            output.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
            return this;
        }

        public Emitter Text(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            Op('X');
            output.Write(length);
            output.Write(bytes);
            return this;
        }

        public Emitter Integer(long value)
        {
            if (value is >= int.MinValue and <= int.MaxValue)
            {
                Span<byte> bytes = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
                Op('J');
                output.Write(bytes);
            }
            else
            {
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
                Op(0x8a).Byte(8);                                                 // LONG1, 8 bytes
                output.Write(bytes);
            }
            return this;
        }

        public Emitter Tuple(IEnumerable<long> values)
        {
            Op('(');
            foreach (long value in values)
            {
                Integer(value);
            }
            return Op('t');
        }
    }
}
