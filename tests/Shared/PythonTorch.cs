using System.Diagnostics;

namespace FimBounds.Tests.Shared;

/// <summary>
/// Real PyTorch (Debian's python3-torch for /usr/bin/python3) as a test oracle. Tests that need it are
/// [PyTorchFact]s: skipped with the reason when PyTorch is absent, never failed for that.
/// </summary>
internal static class PythonTorch
{
    public const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(Probe);

    /// <summary>
    /// tests/PyTorch, copied beside the test assembly, with the modules bench's PyTorch peers ship
    /// (src/FimBounds.Study/Benchmarks/Peers: the mini zoo's twins, mini_twins.py, and a safetensors reader and
    /// writer, safetensors_io.py); it is on PYTHONPATH for every script, so inline scripts import from it too.
    /// </summary>
    public static string ScriptsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "PyTorch");

    /// <summary>Null when "import torch, torchvision" works; otherwise why not.</summary>
    public static string? WhyUnavailable => MissingReason.Value;

    /// <summary>Runs <paramref name="script"/> with one libtorch thread in <paramref name="directory"/>; its stdout, or the failure with stderr.</summary>
    public static string Run(string script, string directory)
    {
        string scriptPath = Path.Combine(directory, "script-" + Guid.NewGuid().ToString("N") + ".py");
        File.WriteAllText(scriptPath, "import torch\ntorch.set_num_threads(1)\n" + script);
        (int code, string output, string error) = Execute(scriptPath, directory);
        return code == 0 ? output : throw new InvalidOperationException($"python failed ({code}):\n{error}\n--- script ---\n{script}");
    }

    /// <summary>Runs tests/PyTorch/<paramref name="script"/> with <paramref name="arguments"/> in <paramref name="directory"/> (one libtorch thread); its stdout.</summary>
    public static string RunScript(string script, string directory, params string[] arguments)
    {
        (int code, string output, string error) = Execute(Path.Combine(ScriptsDirectory, script), directory, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"python {script} {string.Join(' ', arguments)} failed ({code}):\n{error}");
    }

    private static string? Probe()
    {
        if (!File.Exists(Interpreter))
        {
            return $"{Interpreter} is missing; install python3-torch python3-torchvision to run the PyTorch round trips";
        }
        string directory = Directory.CreateTempSubdirectory("fimbounds-probe-").FullName;
        try
        {
            string scriptPath = Path.Combine(directory, "probe.py");
            File.WriteAllText(scriptPath, "import torch, torchvision\n");
            (int code, _, _) = Execute(scriptPath, directory);
            return code == 0 ? null : $"PyTorch is not installed for {Interpreter} (apt-get install python3-torch python3-torchvision); the PyTorch round trips were not run";
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int Code, string Output, string Error) Execute(string scriptPath, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter, [scriptPath, .. arguments])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["PYTHONPATH"] = ScriptsDirectory;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}

/// <summary>A fact that needs real PyTorch; skipped, with the reason, where it is not installed.</summary>
internal sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (PythonTorch.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs real PyTorch; skipped, with the reason, where it is not installed.</summary>
internal sealed class PyTorchTheoryAttribute : TheoryAttribute
{
    public PyTorchTheoryAttribute()
    {
        if (PythonTorch.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
