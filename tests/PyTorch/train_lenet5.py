"""The README's "Your own PyTorch model", PyTorch side: the LeNet-5 of specs/LeNet as an nn.Sequential,
trained on Fashion-MNIST (Debian's dataset-fashion-mnist), its state_dict saved for `fimbounds import`.

usage: train_lenet5.py [OUT.pt] [EPOCHS] [TRAIN_IMAGES]   (defaults: lenet5.pt, 2, 60000)
"""
import gzip
import sys

import numpy as np
import torch
import torch.nn as nn

DATA = '/usr/share/datasets/fashion-mnist'


def images(name):
    with gzip.open(f'{DATA}/{name}-images-idx3-ubyte.gz') as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)
    return torch.tensor(pixels, dtype=torch.float32).reshape(-1, 1, 28, 28) / 255


def labels(name):
    with gzip.open(f'{DATA}/{name}-labels-idx1-ubyte.gz') as f:
        return torch.tensor(np.frombuffer(f.read(), np.uint8, offset=8), dtype=torch.int64)


def lenet5():
    # Numbered like FimBounds numbers the spec's unnamed layers: the weights are 0, 3, 7, 9 and 11.
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def main(out, epochs, count):
    # One thread and a fixed seed: the same weights on every run here, so the README's outputs reproduce.
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x, y = images('train')[:count], labels('train')[:count]
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        for batch in torch.randperm(len(x)).split(64):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(images('t10k')).argmax(1) == labels('t10k')).float().mean().item()
    torch.save(model.state_dict(), out)
    print(f'test accuracy {accuracy:.3f}')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'lenet5.pt', int(sys.argv[2]) if len(sys.argv) > 2 else 2,
         int(sys.argv[3]) if len(sys.argv) > 3 else 60000)
