"""Saves a seeded model's state_dict and its float64 logits on seeded random inputs.

usage: save_seeded_model.py MODEL SEED BATCH
  MODEL  a mini twin (vgg-mini, resnet-mini, densenet-mini, vit-mini; mini_twins.py) or a torchvision
         builder (resnet18, vgg11, densenet121, vit_b_16)
writes MODEL.pt (torch.save of the state_dict, float32) and MODEL-io.safetensors (x: the inputs in
[0, 1], logits: the model's outputs in float64; for a mini twin also lambda_max: the exact λ_max of each
input's Fisher information from a dense autograd Jacobian) in the current directory.

Every parameter and BatchNorm statistic is drawn from the seed, including the ones torchvision
initialises to constants (zero heads, class token, unit norms), so no part of the model goes untested.
The torchvision models normalise with ImageNet's mean and standard deviation outside the module, as
FimBounds' full-size specs do inside theirs.
"""
import sys

import torch
import torchvision

from dense_fisher import exact_lambda_max
from mini_twins import TWINS
from safetensors_io import save_safetensors

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def build(name):
    if name in TWINS:
        return TWINS[name](), (1, 28, 28), lambda x: x
    model = getattr(torchvision.models, name)()
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float64).reshape(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=torch.float64).reshape(1, 3, 1, 1)
    return model, (3, 224, 224), lambda x: (x - mean) / std


def randomize_(model, generator):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (torch.nn.BatchNorm2d, torch.nn.LayerNorm)):
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.uniform_(-0.2, 0.2, generator=generator)
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5, generator=generator)
                module.running_var.uniform_(0.5, 2.0, generator=generator)
        for name, parameter in model.named_parameters():
            if parameter.dim() >= 2 and not name.endswith(('class_token', 'pos_embedding')):
                fan_in = parameter[0].numel()
                parameter.normal_(0.0, (2.0 / fan_in) ** 0.5, generator=generator)
            elif parameter.dim() == 1 and not name.endswith('.weight'):
                parameter.uniform_(-0.1, 0.1, generator=generator)
            elif parameter.dim() >= 2:
                parameter.normal_(0.0, 0.1, generator=generator)


def main(name, seed, batch):
    generator = torch.Generator().manual_seed(seed)
    model, shape, prepare = build(name)
    randomize_(model, generator)
    model.eval()
    torch.save(model.state_dict(), f'{name}.pt')
    x = torch.rand(batch, *shape, generator=generator, dtype=torch.float64)
    model = model.double()
    with torch.no_grad():
        outputs = {'x': x, 'logits': model(prepare(x))}
    if name in TWINS:
        outputs['lambda_max'] = exact_lambda_max(model, x)
    save_safetensors(f'{name}-io.safetensors', outputs)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
