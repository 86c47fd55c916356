"""Loads a FimBounds export of a mini model into its PyTorch twin, strictly, from both formats.

usage: load_export.py MODEL
reads MODEL.pt and MODEL.safetensors (written by `fimbounds export`) and x.safetensors (inputs, float64)
in the current directory; loads each into mini_twins.TWINS[MODEL] with load_state_dict(strict=True) and
writes out.safetensors with, per format F, logits_F (float64 outputs) and lambda_F (the exact λ_max per
input from a dense autograd Jacobian).
"""
import sys

import torch

from dense_fisher import exact_lambda_max
from mini_twins import TWINS
from safetensors_io import load_safetensors, save_safetensors


def main(name):
    x = load_safetensors('x.safetensors')['x']
    results = {}
    for fmt, state_dict in [('pt', torch.load(f'{name}.pt', weights_only=True)), ('safetensors', load_safetensors(f'{name}.safetensors'))]:
        model = TWINS[name]()
        model.load_state_dict(state_dict, strict=True)
        model = model.double().eval()
        with torch.no_grad():
            results['logits_' + fmt] = model(x)
        results['lambda_' + fmt] = exact_lambda_max(model, x)
    save_safetensors('out.safetensors', results)


if __name__ == '__main__':
    main(sys.argv[1])
