namespace FimBounds.Cli.Tests.NativeLifetime;

/// <summary>
/// Finds every place where FimBounds lets a native Scalar live only as long as the garbage collector
/// allows. TorchSharp's Scalar wraps a raw native pointer and frees it in its finalizer; one made by an
/// implicit number → Scalar conversion is unreachable as soon as its handle has been read, so the
/// finalizer thread may free it while libtorch still reads it. Such a Scalar is made
/// <list type="bullet">
/// <item>by our own code: any call of <c>Scalar.op_Implicit</c> (owned Scalars are made with
/// <c>ToScalar()</c> and disposed, or kept for the process in <c>FimBounds.Torch.Scalars</c>);</item>
/// <item>inside TorchSharp: by any TorchSharp method whose body, directly or through other TorchSharp
/// methods, converts a number to a Scalar (operators like <c>a + b</c>, <c>add(t)</c> with its
/// implicit <c>alpha = 1</c>, optimizer steps …). Calling such a method is a defect;</item>
/// <item>inside a TorchSharp object's virtual methods (a module's <c>forward</c>, an optimizer's
/// <c>step</c>): obtaining such an object is a defect, since it will be called.</item>
/// </list>
/// </summary>
public sealed class TemporaryScalarAudit
{
    private const string TorchSharp = "TorchSharp";
    private static readonly string[] VirtualEntryPoints = ["forward", "step", "call"];

    private readonly Dictionary<MethodKey, IReadOnlyList<CallSite>> _torchBodies = [];
    private readonly Dictionary<MethodKey, string?> _verdicts = [];
    private readonly Dictionary<string, List<MethodKey>> _torchMethodsByType = [];

    public TemporaryScalarAudit(string torchSharpPath)
    {
        using var calls = new MethodBodyCalls(torchSharpPath);
        foreach (var (method, body) in calls.Bodies())
        {
            _torchBodies[method] = body;
            if (!_torchMethodsByType.TryGetValue(method.Type, out var list))
            {
                _torchMethodsByType[method.Type] = list = [];
            }
            list.Add(method);
        }
    }

    /// <summary>Whether a method makes an implicit Scalar itself: the conversions and ToScalar.</summary>
    private static bool MakesScalar(MethodKey m) =>
        m.Type == "TorchSharp.Scalar" && m.Name == "op_Implicit" ||
        m.Type == "TorchSharp.ScalarExtensionMethods" && m.Name.StartsWith("To", StringComparison.Ordinal) && m.Name.EndsWith("Scalar", StringComparison.Ordinal);

    /// <summary>
    /// Why calling this TorchSharp method makes a temporary Scalar (the chain of calls down to the
    /// conversion), or null when it makes none.
    /// </summary>
    public string? TemporaryScalarIn(MethodKey method) => Verdict(method, []);

    private string? Verdict(MethodKey method, HashSet<MethodKey> onPath)
    {
        if (_verdicts.TryGetValue(method, out var known))
        {
            return known;
        }
        if (!_torchBodies.TryGetValue(method, out var body) || !onPath.Add(method))
        {
            return null; // no body (native, abstract) or a recursion already being examined
        }
        string? verdict = null;
        foreach (var call in body)
        {
            if (call.CalleeAssembly != TorchSharp)
            {
                continue;
            }
            if (MakesScalar(call.Callee))
            {
                verdict = $"{Short(call.Callee)}";
                break;
            }
            if (Verdict(call.Callee, onPath) is { } inner)
            {
                verdict = $"{Short(call.Callee)} → {inner}";
                break;
            }
        }
        onPath.Remove(method);
        _verdicts[method] = verdict;
        return verdict;
    }

    /// <summary>Every defect in one FimBounds assembly, one line each.</summary>
    public IEnumerable<string> Defects(string assemblyPath)
    {
        using var calls = new MethodBodyCalls(assemblyPath);
        foreach (var (method, body) in calls.Bodies())
        {
            foreach (var call in body)
            {
                if (call.CalleeAssembly != TorchSharp)
                {
                    continue;
                }
                string where = $"{calls.AssemblyName}: {Short(method)}";
                if (MakesScalar(call.Callee))
                {
                    if (call.Callee.Name == "op_Implicit")
                    {
                        yield return $"{where} converts a number to a Scalar implicitly";
                    }
                    continue;
                }
                if (TemporaryScalarIn(call.Callee) is { } chain)
                {
                    yield return $"{where} calls {Short(call.Callee)}, which makes a temporary Scalar ({chain})";
                }
                foreach (var type in ObtainedTypes(call))
                {
                    if (VirtualTemporaryScalar(type) is { } inner)
                    {
                        yield return $"{where} obtains a {type} through {Short(call.Callee)}; its {inner}";
                    }
                }
            }
        }
    }

    /// <summary>The TorchSharp classes a call hands back: a constructed object or a returned one.</summary>
    private IEnumerable<string> ObtainedTypes(CallSite call)
    {
        if (call.Callee.Name == ".ctor" && call.Caller.Name != ".ctor")
        {
            // A constructor calling its base class's is a subclass that overrides what it must
            // (e.g. an optimizer whose step owns its Scalars); the subclass's own IL is scanned.
            yield return call.Callee.Type;
        }
        else if (call.ReturnType is { } returned && _torchMethodsByType.ContainsKey(returned))
        {
            yield return returned;
        }
    }

    private string? VirtualTemporaryScalar(string type)
    {
        if (!_torchMethodsByType.TryGetValue(type, out var methods))
        {
            return null;
        }
        foreach (var method in methods.Where(m => VirtualEntryPoints.Contains(m.Name)))
        {
            if (TemporaryScalarIn(method) is { } chain)
            {
                return $"{method.Name} makes a temporary Scalar ({chain})";
            }
        }
        return null;
    }

    private static string Short(MethodKey m)
    {
        int dot = m.Type.LastIndexOf('.');
        string type = dot < 0 ? m.Type : m.Type[(dot + 1)..];
        int colon = m.Signature.LastIndexOf(':');
        return $"{type}.{m.Name}{(colon < 0 ? m.Signature : m.Signature[..colon])}";
    }
}
