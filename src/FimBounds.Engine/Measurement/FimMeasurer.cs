using System.Diagnostics;
using FimBounds.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Engine.Measurement;

/// <summary>
/// Measures λ_max(F(x)) = ‖JᵀA(p)J‖₂ of a classifier at every input of a batch, with the method asked
/// for. The model is used in eval mode with frozen parameters (restored afterwards); inputs are processed
/// in chunks that fit <see cref="FimOptions.MaxMemoryMegabytes"/>; inputs whose logits or gradients are
/// not finite are reported per input and left out of the summary.
/// </summary>
public static class FimMeasurer
{
    /// <summary>
    /// Perturbed inputs per forward pass of the black-box methods, at most. Larger chunks gain nothing on a
    /// CPU and their float64 activations outgrow glibc's largest heap block (32 MiB), so every operation
    /// would map and unmap fresh pages (measured: a third of the run in the kernel at 512).
    /// </summary>
    private const int BlackBoxInputsPerForward = 128;

    /// <param name="model">A classifier returning logits [batch, K] (pixel-space inputs; normalisation inside the model).</param>
    /// <param name="inputs">[N, …input shape].</param>
    public static FimMeasurement Measure(nn.Module<Tensor, Tensor> model, Tensor inputs, FimMethod method, FimOptions? options = null,
        IProgress<FimProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= FimOptions.Default;
        Validate(inputs, options);
        using var work = CurrentWork.Begin($"measuring λ_max ({method.ToString().ToLowerInvariant()})");
        var clock = Stopwatch.StartNew();
        // The SRP mode reproduces the reference's cost too: its backward passes also fill parameter gradients.
        using MeasurementSession session = MeasurementSession.Open(model, options.Precision, freezeParameters: method != FimMethod.Srp);
        using var scope = NewDisposeScope();
        Tensor x = inputs.to(session.DType).detach();
        int count = (int)x.shape[0];
        long d = x.numel() / count;
        int elementBytes = (int)x.ElementSize;
        (long activations, long classes) = ChunkPlanner.Probe(model, x.narrow(0, 0, 1));

        var samples = new List<FimSample>(count);
        void Report() => progress?.Report(new FimProgress(samples.Count, count));
        switch (method)
        {
            case FimMethod.Exact:
            {
                long jacobianBytes = classes * d * (elementBytes + 2 * sizeof(double)) + 8 * classes * classes * sizeof(double);
                int chunk = ChunkPlanner.InputsPerChunk(activations, elementBytes, 3, jacobianBytes, options, method, options.MaxBatchSize);
                ForEachChunk(x, chunk, (part, first) =>
                {
                    (Tensor logits, Tensor jacobian) = InputJacobian.Compute(model, part, cancellation);
                    samples.AddRange(ExactFisher.Samples(logits, jacobian, first, options.KeepEigenvectors));
                    Report();
                }, cancellation);
                break;
            }
            case FimMethod.Lanczos or FimMethod.Power or FimMethod.Hutchinson:
            {
                long steps = options.MaxIterations > 0 ? options.MaxIterations : classes + 2;
                long vectorBytes = (method == FimMethod.Lanczos ? steps + 8 : 8) * d * sizeof(double);
                int chunk = ChunkPlanner.InputsPerChunk(activations, elementBytes, 6, vectorBytes, options, method, options.MaxBatchSize);
                ForEachChunk(x, chunk, (part, first) =>
                {
                    using var fisher = new MatrixFreeFisher(model, part);
                    samples.AddRange(method switch
                    {
                        FimMethod.Lanczos => LanczosEstimator.Run(fisher, first, options, cancellation),
                        FimMethod.Power => PowerIterationEstimator.Run(fisher, first, options, cancellation),
                        _ => HutchinsonEstimator.Run(fisher, first, options, cancellation),
                    });
                    Report();
                }, cancellation);
                break;
            }
            case FimMethod.BlackBox:
            {
                int perForward = ChunkPlanner.InputsPerChunk(activations, elementBytes, 2, 4 * d * sizeof(double), options, method, BlackBoxInputsPerForward);
                ForEachChunk(x, options.MaxBatchSize, (part, first) =>
                {
                    samples.AddRange(BlackBoxSketchEstimator.Run(model, part, first, options, perForward, cancellation));
                    Report();
                }, cancellation);
                break;
            }
            case FimMethod.Srp:
            {
                ChunkPlanner.InputsPerChunk(activations, elementBytes, 3, classes * d * 2 * sizeof(double), options, method, 1);
                for (int i = 0; i < count; i++)
                {
                    samples.Add(SrpEstimators.WhiteBox(model, x[i], i, options, cancellation));
                    Report();
                }
                break;
            }
            case FimMethod.SrpBlackBox:
            {
                int perForward = ChunkPlanner.InputsPerChunk(activations, elementBytes, 2, 4 * d * sizeof(double), options, method, BlackBoxInputsPerForward);
                for (int i = 0; i < count; i++)
                {
                    samples.Add(SrpEstimators.BlackBox(model, x[i], i, options, perForward, cancellation));
                    Report();
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }
        return new FimMeasurement(method, (int)classes, d, samples, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// δᵀF(x)δ for every input row of <paramref name="inputs"/> and its perturbation <paramref name="deltas"/>
    /// (same shape), from one Jacobian-vector product: (Jδ)ᵀA(p)(Jδ). KL(p(x)‖p(x+δ)) ≈ ½ δᵀF(x)δ.
    /// </summary>
    public static double[] QuadraticForm(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor deltas, FimOptions? options = null)
    {
        options ??= FimOptions.Default;
        Validate(inputs, options);
        if (!deltas.shape.SequenceEqual(inputs.shape))
        {
            throw new ArgumentException($"deltas have shape [{string.Join(", ", deltas.shape)}], inputs [{string.Join(", ", inputs.shape)}]; they must match.");
        }
        using MeasurementSession session = MeasurementSession.Open(model, options.Precision);
        using var scope = NewDisposeScope();
        Tensor x = inputs.to(session.DType).detach();
        Tensor delta = deltas.to(float64).reshape(x.shape[0], -1);
        long activations = ChunkPlanner.ActivationElementsPerInput(model, x.narrow(0, 0, 1));
        int chunk = ChunkPlanner.InputsPerChunk(activations, (int)x.ElementSize, 6, 0, options, FimMethod.Lanczos, options.MaxBatchSize);
        var values = new List<double>();
        ForEachChunk(x, chunk, (part, first) =>
        {
            using var fisher = new MatrixFreeFisher(model, part);
            values.AddRange(fisher.QuadraticForm(delta.narrow(0, first, part.shape[0])).data<double>().ToArray());
        }, CancellationToken.None);
        return values.ToArray();
    }

    /// <summary>The dense d×d matrix F(x) = JᵀA(p)J at one input (shape without batch). For small inputs and tests.</summary>
    public static double[,] DenseFisher(nn.Module<Tensor, Tensor> model, Tensor input, FimOptions? options = null)
    {
        options ??= FimOptions.Default;
        using MeasurementSession session = MeasurementSession.Open(model, options.Precision);
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor jacobian) = InputJacobian.Compute(model, input.unsqueeze(0).to(session.DType), CancellationToken.None);
        Tensor p = nn.functional.softmax(logits, 1)[0];
        Tensor j = jacobian[0];
        Tensor f = j.t().matmul(SoftmaxCurvature.Matrix(p.unsqueeze(0))[0]).matmul(j);
        long d = f.shape[0];
        double[] flat = f.data<double>().ToArray();
        var result = new double[d, d];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    private static void ForEachChunk(Tensor x, int chunk, Action<Tensor, int> body, CancellationToken cancellation)
    {
        int count = (int)x.shape[0];
        for (int first = 0; first < count; first += chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            body(x.narrow(0, first, Math.Min(chunk, count - first)), first);
        }
    }

    private static void Validate(Tensor inputs, FimOptions options)
    {
        if (inputs.dim() < 2 || inputs.shape[0] == 0)
        {
            throw new InputException($"inputs must be a non-empty batch [N, …input shape]; got shape [{string.Join(", ", inputs.shape)}].");
        }
        if (!inputs.is_floating_point())
        {
            throw new InputException($"inputs must be floating-point pixels in [0, 1]; got dtype {inputs.dtype}.");
        }
        if (options.MaxMemoryMegabytes <= 0)
        {
            throw new UsageException($"--max-memory must be positive (MB); got {options.MaxMemoryMegabytes}.");
        }
    }
}
