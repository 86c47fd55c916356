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
    /// save_safetensors, load_safetensors and describe, in Python: the test's own reading of the format's
    /// specification (Debian has no safetensors package), so it cannot share a bug with our reader.
    /// </summary>
    public const string SafetensorsHelpers = """
        import json, struct
        CODES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}
        TYPES = {v: k for k, v in CODES.items()}
        def save_safetensors(path, tensors):
            header, blobs, offset = {}, [], 0
            for name, t in tensors.items():
                blob = t.contiguous().numpy().tobytes()
                header[name] = {'dtype': CODES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
                blobs.append(blob)
                offset += len(blob)
            text = json.dumps(header).encode()
            with open(path, 'wb') as f:
                f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
        def load_safetensors(path):
            data = open(path, 'rb').read()
            n = struct.unpack('<Q', data[:8])[0]
            header = json.loads(data[8:8 + n])
            header.pop('__metadata__', None)
            body = data[8 + n:]
            return {k: torch.frombuffer(bytearray(body[v['data_offsets'][0]:v['data_offsets'][1]]), dtype=TYPES[v['dtype']]).reshape(v['shape']) if v['data_offsets'][1] > v['data_offsets'][0] else torch.zeros(v['shape'], dtype=TYPES[v['dtype']]) for k, v in header.items()}
        def describe(tensors):
            return json.dumps({k: {'dtype': str(t.dtype), 'shape': list(t.shape), 'values': t.flatten().tolist()} for k, t in tensors.items()})
        """;

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

    private static (int Code, string Output, string Error) Execute(string scriptPath, string directory)
    {
        var start = new ProcessStartInfo(Interpreter, [scriptPath])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
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
