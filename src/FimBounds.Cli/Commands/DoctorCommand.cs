using System.CommandLine;
using FimBounds.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Cli.Commands;

/// <summary>`fimbounds doctor`: checks that TorchSharp's native library loads and computes a gradient.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Check that the numeric backend (TorchSharp/libtorch) loads and computes input gradients.");
        command.SetAction(parse => Run(parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(TextWriter output)
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new[] { 1.0f, 2.0f, 3.0f }).requires_grad_(true);
        Tensor y = (x * x).sum();
        y.backward();
        float[] gradient = x.grad!.data<float>().ToArray();
        output.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch loaded, threads {get_num_threads()}.");
        output.WriteLine(OneDnnLine());
        output.WriteLine($"d/dx Σx² at (1,2,3) = ({string.Join(", ", gradient)}): {(gradient.SequenceEqual(new[] { 2f, 4f, 6f }) ? "ok" : "WRONG")}");
        return gradient.SequenceEqual(new[] { 2f, 4f, 6f }) ? 0 : 1;
    }

    private static string OneDnnLine()
    {
        string isa = Environment.GetEnvironmentVariable(NativeBackend.OneDnnIsaVariable) ?? "unset";
        if (!LibTorchContext.IsAvailable)
        {
            return $"oneDNN: switch not reachable on this platform; ISA capped at {isa}.";
        }
        if (!LibTorchContext.OneDnnEnabled)
        {
            return "oneDNN: off (its float32 convolutions were wrong on the development machine; libtorch's own kernels run instead).";
        }
        return NativeBackend.OneDnnKeptByUser
            ? $"oneDNN: on, ISA {isa} ({NativeBackend.OneDnnIsaVariable} set by you; unset it to use libtorch's own kernels)."
            : $"oneDNN: on, ISA {isa}.";
    }
}
