using TorchSharp;
using static TorchSharp.torch;

namespace FimBounds.Nn.Modules;

/// <summary>Weight initialisation beyond TorchSharp's PyTorch defaults, as torchvision's models do it.</summary>
public static class Initialization
{
    /// <summary>
    /// torchvision's VGG/ResNet/DenseNet scheme for convolutions: Kaiming normal (fan_out, ReLU gain), zero
    /// bias. BatchNorm (γ = 1, β = 0) and Linear keep PyTorch's defaults.
    /// </summary>
    public static T KaimingConvolutions<T>(T model) where T : nn.Module
    {
        using var noGrad = no_grad();
        foreach (nn.Module module in model.modules())
        {
            if (module is TorchSharp.Modules.Conv2d conv)
            {
                nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                if (conv.bias is not null)
                {
                    nn.init.zeros_(conv.bias);
                }
            }
        }
        return model;
    }
}
