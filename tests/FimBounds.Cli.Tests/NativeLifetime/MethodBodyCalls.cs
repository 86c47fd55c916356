using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>A method named the same way in every assembly: declaring type, name and signature.</summary>
public readonly record struct MethodKey(string Type, string Name, string Signature)
{
    public override string ToString() => $"{Type}::{Name}{Signature}";
}

/// <summary>One call (call, callvirt, newobj, ldftn) found in a method body.</summary>
public readonly record struct CallSite(MethodKey Caller, MethodKey Callee, string CalleeAssembly, string? ReturnType);

/// <summary>
/// Reads an assembly's metadata and lists, for every method body, the methods it calls — by walking
/// the IL opcodes and resolving their method tokens to <see cref="MethodKey"/>s that are the same
/// whether the callee is defined here or referenced from another assembly.
/// </summary>
public sealed class MethodBodyCalls : IDisposable
{
    private static readonly IReadOnlyDictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private readonly PEReader _pe;
    private readonly MetadataReader _reader;
    private readonly SignatureNames _names;

    public MethodBodyCalls(string path)
    {
        _pe = new PEReader(File.OpenRead(path));
        _reader = _pe.GetMetadataReader();
        _names = new SignatureNames(_reader);
        AssemblyName = _reader.GetString(_reader.GetAssemblyDefinition().Name);
    }

    public string AssemblyName { get; }

    public MetadataReader Reader => _reader;

    public MethodKey KeyOf(MethodDefinitionHandle handle)
    {
        var method = _reader.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(_names, null);
        return new MethodKey(_names.TypeName(method.GetDeclaringType()), _reader.GetString(method.Name), Format(signature));
    }

    /// <summary>Every method defined here with a body, and the calls its IL makes.</summary>
    public IEnumerable<(MethodKey Method, IReadOnlyList<CallSite> Calls)> Bodies()
    {
        foreach (var handle in _reader.MethodDefinitions)
        {
            var method = _reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }
            var key = KeyOf(handle);
            yield return (key, CallsIn(key, _pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!));
        }
    }

    private List<CallSite> CallsIn(MethodKey caller, byte[] il)
    {
        var calls = new List<CallSite>();
        int i = 0;
        while (i < il.Length)
        {
            ushort code = il[i] == 0xFE ? (ushort)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var operand = Operands[code];
            if (code is 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07)
            {
                int token = BitConverter.ToInt32(il, i);
                if (Resolve(MetadataTokens.EntityHandle(token)) is { } callee)
                {
                    calls.Add(new CallSite(caller, callee.Key, callee.Assembly, callee.ReturnType));
                }
            }
            i += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
        return calls;
    }

    private (MethodKey Key, string Assembly, string? ReturnType)? Resolve(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
            {
                var key = KeyOf((MethodDefinitionHandle)handle);
                var signature = _reader.GetMethodDefinition((MethodDefinitionHandle)handle).DecodeSignature(_names, null);
                return (key, AssemblyName, signature.ReturnType);
            }
            case HandleKind.MemberReference:
            {
                var reference = _reader.GetMemberReference((MemberReferenceHandle)handle);
                if (reference.GetKind() != MemberReferenceKind.Method)
                {
                    return null;
                }
                var signature = reference.DecodeMethodSignature(_names, null);
                var (type, assembly) = _names.ParentOf(reference.Parent);
                return (new MethodKey(type, _reader.GetString(reference.Name), Format(signature)), assembly ?? AssemblyName, signature.ReturnType);
            }
            case HandleKind.MethodSpecification:
                return Resolve(_reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return null;
        }
    }

    private static string Format(MethodSignature<string> signature) =>
        $"({string.Join(",", signature.ParameterTypes)}):{signature.ReturnType}";

    public void Dispose() => _pe.Dispose();

    /// <summary>Type names for signatures, written the same for definitions and references.</summary>
    private sealed class SignatureNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string TypeName(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            string name = reader.GetString(type.Name);
            var outer = type.GetDeclaringType();
            return outer.IsNil ? Join(reader.GetString(type.Namespace), name) : TypeName(outer) + "/" + name;
        }

        /// <summary>The full name of a type reference and the assembly it comes from (null: this one).</summary>
        public (string Name, string? Assembly) ReferenceName(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            string name = reader.GetString(type.Name);
            switch (type.ResolutionScope.Kind)
            {
                case HandleKind.TypeReference:
                    var (outer, assembly) = ReferenceName((TypeReferenceHandle)type.ResolutionScope);
                    return (outer + "/" + name, assembly);
                case HandleKind.AssemblyReference:
                    var reference = reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope);
                    return (Join(reader.GetString(type.Namespace), name), reader.GetString(reference.Name));
                default:
                    return (Join(reader.GetString(type.Namespace), name), null);
            }
        }

        /// <summary>The declaring type of a member reference (generic instantiations by their definition).</summary>
        public (string Name, string? Assembly) ParentOf(EntityHandle parent) => parent.Kind switch
        {
            HandleKind.TypeDefinition => (TypeName((TypeDefinitionHandle)parent), null),
            HandleKind.TypeReference => ReferenceName((TypeReferenceHandle)parent),
            HandleKind.TypeSpecification => SpecificationParent((TypeSpecificationHandle)parent),
            _ => ("?", null),
        };

        private (string Name, string? Assembly) SpecificationParent(TypeSpecificationHandle handle)
        {
            var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                blob.ReadCompressedInteger(); // class or value type
                return ParentOf(blob.ReadTypeHandle());
            }
            return ("?", null);
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(handle);
        public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => ReferenceName(handle).Name;
        public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
