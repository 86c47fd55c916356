"""PyTorch twins of FimBounds' mini zoo (specs/FimBounds.Zoo): the same layers, in the same order, under
the same torchvision-style names, so a twin's state_dict imports into the spec (`fimbounds import`) and a
FimBounds export loads into the twin with load_state_dict(strict=True).

Shipped with `fimbounds bench` (its PyTorch peers, fim_peers.py, import these) and imported by the PyTorch
round-trip tests, which check every twin against FimBounds' spec: the logits and the exact lambda_max agree.

The blocks are torchvision's own (BasicBlock, _DenseBlock, _Transition, the ViT encoder): the twins
differ from torchvision's builders only where the mini specs do (one input channel, 28x28 inputs, fewer
and narrower stages). FimBounds normalises inside the model, so every twin does too (Fashion-MNIST mean
and standard deviation), with no buffer for it in the state_dict.
"""
from collections import OrderedDict

import torch
import torch.nn as nn
from torchvision.models.densenet import _DenseBlock, _Transition
from torchvision.models.resnet import BasicBlock
from torchvision.models.vision_transformer import VisionTransformer

MEAN, STD = 0.2860, 0.3530


def normalize(x):
    return (x - MEAN) / STD


class VggMini(nn.Module):
    """vgg-mini: two pairs of 3x3 convolutions (16, 32 channels), torchvision's VGG layout."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Dropout(0.25),
            nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.25),
            nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(normalize(x))), 1))


class ResNetMini(nn.Module):
    """resnet-mini: a 3x3 stem and three stages of two basic blocks (16, 32, 64 channels), torchvision's ResNet layout."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._stage(16, 16, stride=1)
        self.layer2 = self._stage(16, 32, stride=2)
        self.layer3 = self._stage(32, 64, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, 10)

    @staticmethod
    def _stage(inputs, channels, stride):
        # A strided 1x1 projection where the first block changes the shape, as torchvision's _make_layer.
        downsample = None
        if stride != 1 or inputs != channels:
            downsample = nn.Sequential(nn.Conv2d(inputs, channels, 1, stride=stride, bias=False), nn.BatchNorm2d(channels))
        return nn.Sequential(BasicBlock(inputs, channels, stride, downsample), BasicBlock(channels, channels))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(normalize(x)))))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class DenseNetMini(nn.Module):
    """densenet-mini: two dense blocks of three layers (growth 12, bottleneck 48) around one transition to 48 channels."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ('conv0', nn.Conv2d(1, 32, 3, padding=1, bias=False)),
            ('norm0', nn.BatchNorm2d(32)),
            ('relu0', nn.ReLU()),
            ('pool0', nn.MaxPool2d(2)),
            ('denseblock1', _DenseBlock(3, 32, bn_size=4, growth_rate=12, drop_rate=0.0)),
            ('transition1', _Transition(32 + 3 * 12, 48)),
            ('denseblock2', _DenseBlock(3, 48, bn_size=4, growth_rate=12, drop_rate=0.0)),
            ('norm5', nn.BatchNorm2d(48 + 3 * 12)),
        ]))
        self.classifier = nn.Linear(48 + 3 * 12, 10)

    def forward(self, x):
        x = torch.relu(self.features(normalize(x)))
        return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, (1, 1)), 1))


class VitMini(VisionTransformer):
    """vit-mini: torchvision's VisionTransformer with 7x7 patches of a one-channel 28x28 image, dim 64, 2 blocks of 4 heads, MLP 128."""

    def __init__(self):
        super().__init__(image_size=28, patch_size=7, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=10)
        self.conv_proj = nn.Conv2d(1, 64, kernel_size=7, stride=7)

    def forward(self, x):
        return super().forward(normalize(x))


TWINS = {
    'vgg-mini': VggMini,
    'resnet-mini': ResNetMini,
    'densenet-mini': DenseNetMini,
    'vit-mini': VitMini,
}
