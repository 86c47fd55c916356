using FimBounds.Torch;
using FimBounds.Core.Errors;
using FimBounds.Nn.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Engine.Certification;

/// <summary>
/// Turns a model into <see cref="BoundNode"/>s, mirroring the <see cref="Linearization.Linearizer"/>'s
/// walk over FimBounds' <see cref="Chain"/> programs and nn.Sequential: weights are copied to float64
/// (certification runs in float64), shapes come from a zero probe run through the model's own modules.
/// A layer outside the supported set stops the build with "not supported for certification: &lt;layer&gt;"
/// (a <see cref="UsageException"/>, exit 2): never a silent, unsound result.
/// </summary>
internal static class BoundGraphBuilder
{
    public const string SupportedLayers =
        "certify covers Conv2d, Linear, eval BatchNorm2d, ReLU, LeakyReLU, Tanh, Sigmoid, max/average/adaptive pooling, " +
        "Flatten, Dropout, the input normalisation, residual and dense blocks (measure and bound still work on this model)";

    /// <summary>
    /// The model's graph for inputs of <paramref name="inputShape"/> [C, H, W]; tensors in the caller's scope.
    /// <paramref name="options"/>: whether a BatchNorm right after a convolution becomes part of it, and whether
    /// convolutions may run tap by tap (<see cref="CertifierOptions"/>).
    /// </summary>
    public static BoundNode Build(nn.Module<Tensor, Tensor> model, long[] inputShape, CertifierOptions options)
    {
        using var noGrad = no_grad();
        var nodes = new List<BoundNode>();
        ScalarType dtype = model.parameters().FirstOrDefault()?.dtype ?? float32;
        new Walk(options).Add(model, zeros(new long[] { 1 }.Concat(inputShape).ToArray(), dtype: dtype), nodes);
        return new SequenceNode(nodes);
    }

    /// <summary>The recursive walk over the model's modules, with the build's choices.</summary>
    private sealed class Walk(CertifierOptions options)
    {
        public Tensor Add(nn.Module<Tensor, Tensor> module, Tensor probe, List<BoundNode> nodes)
        {
            if (module.training && module is BatchNorm2d or Dropout)
            {
                throw new InvalidOperationException($"{module.GetName()} is in training mode; certification bounds the model in eval mode.");
            }
            long[] shape = probe.shape.Skip(1).ToArray();
            switch (module)
            {
                case Chain chain:
                    foreach (ChainItem item in chain.Items)
                    {
                        probe = Add(chain, item, probe, nodes);
                    }
                    return probe;
                case Sequential sequential:
                    foreach (nn.Module child in sequential.children())
                    {
                        probe = Add((nn.Module<Tensor, Tensor>)child, probe, nodes);
                    }
                    return probe;
                case Conv2d conv when conv.padding_mode == PaddingModes.Zeros && conv.padding_type is null && conv.padding is { Length: 2 }:
                    nodes.Add(new ConvolutionNode(Float64(conv.weight!), conv.bias is { } b ? Float64(b) : null,
                        conv.stride, conv.padding, conv.dilation, conv.groups, shape.Skip(1).ToArray(), options.TapConvolutions));
                    break;
                case Conv2d conv:
                    throw Unsupported($"Conv2d with {conv.padding_mode} padding");
                case Linear linear:
                    nodes.Add(new LinearLayerNode(Float64(linear.weight!), linear.bias is { } bias ? Float64(bias) : null));
                    break;
                case BatchNorm2d norm when norm.running_mean is not null && norm.running_var is not null:
                {
                    Tensor scale = Float64(norm.running_var).Plus(norm.eps).rsqrt();
                    if (norm.weight is { } gamma)
                    {
                        scale = scale.mul(Float64(gamma));
                    }
                    Tensor shift = Float64(norm.running_mean).mul(scale).neg();
                    if (norm.bias is { } beta)
                    {
                        shift = shift.Plus(Float64(beta));
                    }
                    if (options.FoldNorms && nodes.Count > 0 && nodes[^1] is ConvolutionNode convolution)
                    {
                        nodes[^1] = convolution.FollowedBy(scale, shift);
                    }
                    else
                    {
                        nodes.Add(new ChannelAffineNode(scale, shift, options.DirectDiagonals));
                    }
                    break;
                }
                case BatchNorm2d:
                    throw Unsupported("BatchNorm2d without running statistics");
                case ReLU:
                    nodes.Add(new ActivationNode(x => x.relu(), b => ActivationRelaxation.PiecewiseLinear(b, 0), ActivationRelaxation.Unstable));
                    break;
                case LeakyReLU leaky when leaky.negative_slope is >= 0 and <= 1:
                    double slope = leaky.negative_slope;
                    nodes.Add(new ActivationNode(x => maximum(x, x.Times(slope)), b => ActivationRelaxation.PiecewiseLinear(b, slope), ActivationRelaxation.Unstable));
                    break;
                case LeakyReLU leaky:
                    throw Unsupported($"LeakyReLU with negative slope {leaky.negative_slope} (outside [0, 1])");
                case Tanh:
                    nodes.Add(new ActivationNode(x => x.tanh(), b => ActivationRelaxation.SigmoidShaped(b, SmoothActivation.Tanh), ActivationRelaxation.NotPoint));
                    break;
                case Sigmoid:
                    nodes.Add(new ActivationNode(x => x.sigmoid(), b => ActivationRelaxation.SigmoidShaped(b, SmoothActivation.Sigmoid), ActivationRelaxation.NotPoint));
                    break;
                case MaxPool2d pool when !pool.ceil_mode:
                    nodes.Add(new MaxPoolNode(pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? new long[] { 0, 0 },
                        pool.dilation ?? new long[] { 1, 1 }, shape));
                    break;
                case MaxPool2d:
                    throw Unsupported("MaxPool2d with ceil_mode");
                case AvgPool2d or AdaptiveAvgPool2d:
                {
                    Tensor pooled = module.call(probe);
                    // A same-size adaptive pool is the identity (VGG's 7×7 pool on 28×28 inputs).
                    if (!pooled.shape.SequenceEqual(probe.shape) || module is AvgPool2d)
                    {
                        nodes.Add(new AveragePoolNode(module.call, shape));
                    }
                    return pooled;
                }
                case Flatten flatten:
                {
                    Tensor flat = flatten.call(probe);
                    nodes.Add(new ReshapeNode(shape, flat.shape.Skip(1).ToArray()));
                    return flat;
                }
                case Dropout:
                    return probe;
                case Normalize normalize:
                {
                    double[] scale = normalize.Std.Select(s => 1 / s).ToArray();
                    double[] shift = normalize.Mean.Zip(normalize.Std, (m, s) => -m / s).ToArray();
                    nodes.Add(new ChannelAffineNode(tensor(scale, dtype: float64), tensor(shift, dtype: float64), options.DirectDiagonals));
                    break;
                }
                default:
                    throw Unsupported(module.GetType().Name);
            }
            return module.call(probe);
        }

        private Tensor Add(Chain chain, ChainItem item, Tensor probe, List<BoundNode> nodes)
        {
            switch (item)
            {
                case LayerStep step:
                    return Add(chain.Children[step.Name], probe, nodes);
                case DenseStep step:
                {
                    var inner = new List<BoundNode>();
                    Tensor appended = Add(chain.Children[step.Name], probe, inner);
                    nodes.Add(new DenseConcatNode(new SequenceNode(inner), probe.shape[1]));
                    return cat(new[] { probe, appended }, 1);
                }
                case ResidualStep step:
                {
                    var body = new List<BoundNode>();
                    Tensor y = probe;
                    foreach (ChainItem inner in step.Body)
                    {
                        y = Add(chain, inner, y, body);
                    }
                    List<BoundNode>? shortcut = step.Shortcut is null ? null : new List<BoundNode>();
                    if (step.Shortcut is { } s)
                    {
                        Add(chain.Children[s.Name], probe, shortcut!);
                    }
                    // The sum has the body's shape, so the probe of `after` can be the body's output.
                    List<BoundNode>? after = step.After is null ? null : new List<BoundNode>();
                    Tensor output = step.After is { } a ? Add(chain.Children[a.Name], y, after!) : y;
                    nodes.Add(new ResidualNode(new SequenceNode(body), shortcut is null ? null : new SequenceNode(shortcut),
                        after is null ? null : new SequenceNode(after)));
                    return output;
                }
                case PatchifyStep:
                    throw Unsupported("patch embedding (attention models)");
                case ClassTokenStep:
                    throw Unsupported("class token (attention models)");
                case PositionEmbeddingStep:
                    throw Unsupported("position embedding (attention models)");
                default:
                    throw Unsupported(item.GetType().Name);
            }
        }
    }

    private static Tensor Float64(Tensor t) => t.detach().to(float64);

    private static UsageException Unsupported(string layer) => new($"not supported for certification: {layer}; {SupportedLayers}.");
}
