"""The README's "Your own PyTorch model", back in PyTorch: loads a `fimbounds export` of the LeNet-5 with
load_state_dict(strict=True) and checks that it gives the logits of the state_dict it was imported from.

usage: check_lenet5_export.py ORIGINAL.pt EXPORTED.pt
Exits 1 when a logit differs.
"""
import sys

import torch

from train_lenet5 import images, lenet5


def logits(path):
    model = lenet5()
    model.load_state_dict(torch.load(path, weights_only=True), strict=True)
    model.eval()
    with torch.no_grad():
        return model(images('t10k'))


def main(original, exported):
    torch.set_num_threads(1)
    theirs, ours = logits(original), logits(exported)
    difference = (theirs - ours).abs().max().item()
    print(f'{exported}: load_state_dict(strict=True) ok; logits on {len(ours):,} test images '
          f'{"equal to" if torch.equal(theirs, ours) else "DIFFERENT from"} {original}\'s (max |difference| {difference:g})')
    sys.exit(0 if torch.equal(theirs, ours) else 1)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
