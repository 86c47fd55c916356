using FimBounds.Nn.Modules;
using FimBounds.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FimBounds.Engine.Linearization;

/// <summary>
/// Records a network's Jacobian at a batch of inputs as a <see cref="LinearMap"/>, by one forward pass
/// that keeps what each layer's derivative needs. Knows FimBounds' <see cref="Chain"/> programs (layers,
/// residual blocks, dense layers), nn.Sequential, and the layers the VGG, ResNet and DenseNet families
/// are made of: Conv2d (zero padding), Linear, eval-mode BatchNorm2d and Dropout, ReLU, LeakyReLU, Tanh,
/// Sigmoid, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten and the input normalisation. Anything
/// else (attention, LayerNorm, GELU, token steps) makes <see cref="Supports"/> false, and the engine
/// takes input gradients through autograd instead.
/// </summary>
internal static class Linearizer
{
    /// <summary>Whether every module of <paramref name="model"/> is one the linearisation knows.</summary>
    public static bool Supports(nn.Module module) => module switch
    {
        Chain chain => chain.Items.All(item => Supports(chain, item)),
        Sequential sequential => sequential.children().All(Supports),
        Conv2d conv => conv.padding_mode == PaddingModes.Zeros && conv.padding_type is null && conv.padding is { Length: 2 },
        Linear or ReLU or LeakyReLU or Tanh or Sigmoid or MaxPool2d or AvgPool2d or AdaptiveAvgPool2d or Flatten or Dropout or Normalize => true,
        BatchNorm2d norm => norm.running_mean is not null && norm.running_var is not null,
        _ => false,
    };

    /// <summary>Runs <paramref name="module"/> on <paramref name="x"/> (no autograd) and appends its Jacobian to <paramref name="builder"/>.</summary>
    public static Tensor Record(nn.Module<Tensor, Tensor> module, Tensor x, SequenceBuilder builder)
    {
        if (module.training && module is BatchNorm2d or Dropout)
        {
            throw new InvalidOperationException($"{module.GetName()} is in training mode; the Jacobian is taken in eval mode.");
        }
        switch (module)
        {
            case Chain chain:
                foreach (ChainItem item in chain.Items)
                {
                    x = Record(chain, item, x, builder);
                }
                return x;
            case Sequential sequential:
                foreach (nn.Module child in sequential.children())
                {
                    x = Record((nn.Module<Tensor, Tensor>)child, x, builder);
                }
                return x;
            case Conv2d conv:
                builder.Add(ConvolutionMap.Record(conv.weight!.detach(), conv.bias?.detach(), conv.stride, conv.padding!, conv.dilation, conv.groups, x, out Tensor convolved));
                return convolved;
            case Linear linear:
                builder.Add(new MatrixMap(linear.weight!.detach()));
                return linear.call(x);
            case BatchNorm2d norm:
                Tensor scale = norm.running_var!.Plus(norm.eps).rsqrt();
                builder.Add(new DiagonalMap((norm.weight is { } gamma ? scale * gamma.detach() : scale).reshape(1, -1, 1, 1).to(x.dtype)));
                return norm.call(x);
            case ReLU:
                builder.Add(new DiagonalMap(x.gt(Scalars.Zero).to(x.dtype)));
                return nn.functional.relu(x);
            case LeakyReLU leaky:
                builder.Add(new DiagonalMap(where(x.gt(Scalars.Zero), ones_like(x), x.FilledLike(leaky.negative_slope))));
                return leaky.call(x);
            case Tanh:
            {
                Tensor y = x.tanh();
                builder.Add(new DiagonalMap((y * y).SubtractedFrom(1.0)));
                return y;
            }
            case Sigmoid:
            {
                Tensor y = x.sigmoid();
                builder.Add(new DiagonalMap(y * y.SubtractedFrom(1.0)));
                return y;
            }
            case MaxPool2d pool:
            {
                (Tensor y, Tensor indices) = nn.functional.max_pool2d_with_indices(x, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? new long[] { 0, 0 }, pool.dilation ?? new long[] { 1, 1 }, pool.ceil_mode);
                builder.Add(new MaxPoolMap(indices, x.shape));
                return y;
            }
            case AdaptiveAvgPool2d adaptive:
            {
                Tensor y = adaptive.call(x);
                if (y.shape[2] == 1 && y.shape[3] == 1)
                {
                    builder.Add(new GlobalAveragePoolMap(x.shape));
                }
                else if (y.shape[2] != x.shape[2] || y.shape[3] != x.shape[3])
                {
                    builder.Add(new AutogradMap(adaptive.call, x));
                }
                // else: output size = input size, every window one element: the identity (VGG's 7×7 pool at 28×28 inputs).
                return y;
            }
            case AvgPool2d:
            {
                var pooling = new AutogradMap(module.call, x);
                builder.Add(pooling);
                return pooling.Output;
            }
            case Flatten flatten:
            {
                Tensor y = flatten.call(x);
                builder.Add(new ReshapeMap(x.shape, y.shape));
                return y;
            }
            case Dropout:
                return x;
            case Normalize normalize:
                builder.Add(new DiagonalMap(tensor(normalize.Std.Select(s => 1 / s).ToArray(), dtype: x.dtype, device: x.device).reshape(1, -1, 1, 1)));
                return normalize.call(x);
            default:
                throw new NotSupportedException($"cannot linearise a {module.GetType().Name}; check Linearizer.Supports first.");
        }
    }

    private static bool Supports(Chain chain, ChainItem item) => item switch
    {
        LayerStep step => Supports(chain.Children[step.Name]),
        DenseStep step => Supports(chain.Children[step.Name]),
        ResidualStep step => step.Body.All(inner => Supports(chain, inner)) &&
                             (step.Shortcut is not { } s || Supports(chain.Children[s.Name])) &&
                             (step.After is not { } a || Supports(chain.Children[a.Name])),
        _ => false,
    };

    // Mirrors Chain.Run step by step (the modules are looked up by name, as Chain does).
    private static Tensor Record(Chain chain, ChainItem item, Tensor x, SequenceBuilder builder)
    {
        switch (item)
        {
            case LayerStep step:
                return Record(chain.Children[step.Name], x, builder);
            case DenseStep step:
            {
                var inner = new SequenceBuilder();
                Tensor appended = Record(chain.Children[step.Name], x, inner);
                builder.Add(new DenseConcatMap(inner.Build(), x.shape[1]));
                return cat(new[] { x, appended }, 1);
            }
            case ResidualStep step:
            {
                var body = new SequenceBuilder();
                Tensor y = x;
                foreach (ChainItem inner in step.Body)
                {
                    y = Record(chain, inner, y, body);
                }
                SequenceBuilder? shortcut = step.Shortcut is null ? null : new SequenceBuilder();
                Tensor sum = y.Plus(step.Shortcut is { } s ? Record(chain.Children[s.Name], x, shortcut!) : x);
                SequenceBuilder? after = step.After is null ? null : new SequenceBuilder();
                Tensor output = step.After is { } a ? Record(chain.Children[a.Name], sum, after!) : sum;
                builder.Add(new ResidualMap(body.Build(), shortcut?.Build(), after?.Build()));
                return output;
            }
            default:
                throw new NotSupportedException($"cannot linearise a chain step {item.GetType().Name}; check Linearizer.Supports first.");
        }
    }
}
