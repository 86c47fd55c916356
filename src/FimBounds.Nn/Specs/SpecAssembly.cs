using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using FimBounds.Core.Errors;

namespace FimBounds.Nn.Specs;

/// <summary>
/// The specs of a user's own assembly: a built .dll, or a .csproj that is built first. The assembly is
/// loaded beside this process's FimBounds and TorchSharp (which it must share, so its specs are
/// <see cref="IModelSpec"/>s here); its own other dependencies resolve from its folder. Every way this can
/// go wrong — not .NET, built against another FimBounds, no specs, a failed build — is one line naming
/// the fix, never a type-load stack trace.
/// </summary>
public static class SpecAssembly
{
    private static readonly Dictionary<string, IReadOnlyList<IModelSpec>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Every spec <paramref name="path"/> declares, ordered by name (loaded once per process).</summary>
    public static IReadOnlyList<IModelSpec> Load(string path)
    {
        string full = Path.GetFullPath(path);
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(full, out IReadOnlyList<IModelSpec>? specs))
            {
                string assemblyPath = Path.GetExtension(full).Equals(".csproj", StringComparison.OrdinalIgnoreCase) ? Build(path, full) : full;
                specs = LoadAssembly(path, assemblyPath);
                Loaded[full] = specs;
            }
            return specs;
        }
    }

    private static IReadOnlyList<IModelSpec> LoadAssembly(string shown, string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new InputException($"{shown}: not found. Pass the .dll your spec project builds, or its .csproj.");
        }
        AssemblyName name;
        try
        {
            name = AssemblyName.GetAssemblyName(assemblyPath);
        }
        catch (BadImageFormatException e)
        {
            throw new InputException($"{shown}: not a .NET assembly. Pass the .dll your spec project builds (bin/<configuration>/net10.0/<project>.dll) or its .csproj.", e);
        }
        Assembly assembly = new SpecLoadContext(assemblyPath).LoadFromAssemblyPath(assemblyPath);
        EnsureCompatible(shown, assembly);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw Incompatible(shown, e.LoaderExceptions.FirstOrDefault(l => l is not null)?.Message ?? e.Message, e);
        }
        var specs = new List<IModelSpec>();
        foreach (Type type in types.Where(t => typeof(IModelSpec).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null))
        {
            try
            {
                specs.Add((IModelSpec)Activator.CreateInstance(type)!);
            }
            catch (Exception e) when (e is TargetInvocationException or TypeLoadException or MissingMethodException or FileLoadException or FileNotFoundException)
            {
                throw Incompatible(shown, (e.InnerException ?? e).Message, e);
            }
        }
        if (specs.Count == 0)
        {
            throw new InputException($"{shown}: {name.Name} declares no architecture specs. Add an [Architecture] partial class (README, 'Your own architecture') and reference the FimBounds package.");
        }
        return specs.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The FimBounds the assembly was compiled against must be this one: the generated code calls into
    /// FimBounds.Nn, Core and Spec, which all carry the package's version. Checked on the references before
    /// any of the user's types loads, since a type built against another version may load "successfully"
    /// and fail later, or fail with a loader message that names a member rather than the cause.
    /// </summary>
    private static void EnsureCompatible(string shown, Assembly assembly)
    {
        AssemblyName ours = typeof(IModelSpec).Assembly.GetName();
        AssemblyName? theirs = assembly.GetReferencedAssemblies().FirstOrDefault(r => r.Name is { } name && name.StartsWith("FimBounds.", StringComparison.Ordinal) && r.Version != ours.Version);
        if (theirs is not null)
        {
            throw new InputException(
                $"{shown}: built against FimBounds {theirs.Version?.ToString(3)}, but this fimbounds is {ours.Version?.ToString(3)}. Reference FimBounds {ours.Version?.ToString(3)} and rebuild it.");
        }
    }

    private static InputException Incompatible(string shown, string problem, Exception inner) =>
        new($"{shown}: its specs do not load into this fimbounds ({problem.Split('\n')[0].Trim()}). Rebuild it against FimBounds {typeof(IModelSpec).Assembly.GetName().Version?.ToString(3)}.", inner);

    /// <summary>Builds the project (Release) and returns the assembly it produced.</summary>
    private static string Build(string shown, string project)
    {
        if (!File.Exists(project))
        {
            throw new InputException($"{shown}: project not found. Pass an existing .csproj or the .dll it builds.");
        }
        (int code, string output) = Dotnet(Path.GetDirectoryName(project)!, "build", project, "-c", "Release", "-nologo", "-v:q", "-clp:NoSummary");
        if (code != 0)
        {
            string firstError = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal)) ?? output.Trim().Split('\n').Last();
            throw new InputException($"{shown}: the build failed: {firstError}");
        }
        (code, output) = Dotnet(Path.GetDirectoryName(project)!, "msbuild", project, "-getProperty:TargetPath", "-p:Configuration=Release", "-nologo");
        string targetPath = output.Trim().Split('\n').Last().Trim();
        return code == 0 && File.Exists(targetPath)
            ? targetPath
            : throw new InputException($"{shown}: built, but its assembly was not found ({targetPath}). Pass the .dll instead.");
    }

    private static (int Code, string Output) Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputException($"cannot run 'dotnet' to build the spec project ({e.Message}); build it yourself and pass the .dll.", e);
        }
    }

    /// <summary>
    /// Resolves the user's own dependencies from its folder, but FimBounds and TorchSharp from this process,
    /// so the generated specs implement this process's IModelSpec and share one libtorch.
    /// </summary>
    private sealed class SpecLoadContext(string assemblyPath) : AssemblyLoadContext($"specs:{assemblyPath}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is { } simple && (simple.StartsWith("FimBounds.", StringComparison.Ordinal) || simple.StartsWith("TorchSharp", StringComparison.Ordinal)))
            {
                return null;
            }
            string? path = _resolver.ResolveAssemblyToPath(name);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) => IntPtr.Zero;
    }
}
