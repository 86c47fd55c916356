using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FimBounds.Study.Benchmarks.Peers;

/// <summary>
/// The PyTorch side of the bench: the shipped script <c>fim_peers.py</c> running in one Python process for the
/// whole bench, driven one JSON command per line (see the script's docstring), so that its timing rounds can
/// interleave with FimBounds' own. <see cref="TryStart"/> says why not when Python or PyTorch is missing.
/// </summary>
public sealed class PyTorchPeer : IDisposable
{
    public const string DefaultInterpreter = "/usr/bin/python3";

    private const string ScriptName = "fim_peers.py";

    /// <summary>The script and the modules it imports from its own folder (the mini zoo's twins, the safetensors reader).</summary>
    public static IReadOnlyList<string> ScriptFiles { get; } = [ScriptName, "mini_twins.py", "safetensors_io.py"];

    private readonly Process _process;
    private readonly Task<string> _errors;

    private PyTorchPeer(Process process, string torchVersion)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        TorchVersion = torchVersion;
    }

    public string TorchVersion { get; }

    /// <summary>
    /// Starts the script under <paramref name="interpreter"/> in <paramref name="directory"/> (where it and its modules are written);
    /// null and the reason ("… not installed …") when the interpreter is missing or cannot import torch and torchvision.
    /// </summary>
    public static PyTorchPeer? TryStart(string interpreter, string directory, int threads, out string? whyNot)
    {
        WriteScripts(directory);
        string script = Path.Combine(directory, ScriptName);
        var start = new ProcessStartInfo(interpreter, [script])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The same intra-op thread count as FimBounds' libtorch; the script also calls torch.set_num_threads.
        foreach (string variable in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
        {
            start.Environment[variable] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            whyNot = $"not installed: {interpreter} cannot be started ({e.Message}); install python3-torch python3-torchvision";
            return null;
        }
        string? first = process.StandardOutput.ReadLine();
        if (first is null)
        {
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.Dispose();
            string last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
            whyNot = $"not installed: {interpreter} cannot import torch and torchvision ({last}); install python3-torch python3-torchvision";
            return null;
        }
        whyNot = null;
        return new PyTorchPeer(process, JsonNode.Parse(first)!["torch"]!.GetValue<string>());
    }

    /// <summary>Builds the twin of <paramref name="spec"/>, loads the weights strictly and the inputs; one max-pool tie flag per input.</summary>
    public bool[] Load(string spec, string weights, string inputs, int threads)
    {
        JsonObject reply = Send(new JsonObject { ["op"] = "load", ["spec"] = spec, ["weights"] = weights, ["inputs"] = inputs, ["threads"] = threads });
        return reply["ties"]!.AsArray().Select(t => t!.GetValue<bool>()).ToArray();
    }

    /// <summary>Times one method ("batched" or "loop") on the first <paramref name="count"/> inputs: ms per input and λ_max per input.</summary>
    public (double MsPerInput, double[] LambdaMax) Time(string method, int count)
    {
        JsonObject reply = Send(new JsonObject { ["op"] = "time", ["method"] = method, ["count"] = count });
        return (reply["msPerInput"]!.GetValue<double>(), reply["lambdaMax"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray());
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"op\": \"quit\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill();
                }
            }
        }
        catch (IOException)
        {
            // The script is gone already: nothing to stop.
        }
        _process.Dispose();
    }

    private JsonObject Send(JsonObject command)
    {
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        string? line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit();
            string last = _errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
            throw new PeerException($"the PyTorch peer stopped ({last})");
        }
        JsonObject reply = JsonNode.Parse(line)?.AsObject() ?? throw new PeerException($"the PyTorch peer replied '{line}'");
        return reply["error"] is { } error ? throw new PeerException(error.GetValue<string>()) : reply;
    }

    private static void WriteScripts(string directory)
    {
        foreach (string name in ScriptFiles)
        {
            using Stream resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"{name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
            using FileStream file = File.Create(Path.Combine(directory, name));
            resource.CopyTo(file);
        }
    }
}

/// <summary>The PyTorch peer failed on a command (its message is the script's one-line error).</summary>
public sealed class PeerException(string message) : Exception(message);
