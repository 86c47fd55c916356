"""PyTorch peers of `fimbounds bench`: the exact lambda_max of the input-space Fisher information, computed
the way a PyTorch user would, on the weights and inputs the bench hands over.

The bench starts this script once and drives it over standard input, one JSON command per line, so that
its timing rounds interleave with FimBounds' own (machine load then hits both alike). Every reply is one
JSON line on standard output, after a first line {"torch": "<version>"} that says PyTorch imported:
  {"op": "load", "spec": "vgg-mini", "weights": "w.safetensors", "inputs": "x.safetensors", "threads": 1}
      -> {"torch": "1.13.1", "ties": [false, ...]}      (one flag per input: a max-pooling tie, see ties())
  {"op": "time", "method": "batched" | "loop", "count": 64}
      -> {"msPerInput": 2.1, "lambdaMax": [...]}        (the first `count` inputs)
  {"op": "quit"}
A failure replies {"error": "..."}. The models are the mini zoo's twins (mini_twins.py): the same layers under
the same state_dict names (torchvision's), loaded with load_state_dict(strict=True).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Written beside this script by the bench, so on sys.path: the twins the PyTorch round-trip tests check against
# FimBounds (the same files), and the safetensors reader.
from mini_twins import TWINS
from safetensors_io import load_safetensors


def lambda_max(rows, logits):
    """Largest eigenvalue of F = Q diag(p) Q^T from the rows D_k = grad(z_k - z_K), k < K [B, K-1, d]:
    Q = D^T M with M = I - p 1^T (column k = e_k - p), so the nonzero spectrum is that of the K x K matrix
    diag(p)^1/2 M^T (D D^T) M diag(p)^1/2. Float64 from here on: K x K is cheap."""
    d = rows.double()
    p = torch.softmax(logits.detach().double(), 1)
    classes = p.shape[1]
    m = (torch.eye(classes, dtype=torch.float64) - p.unsqueeze(2))[:, :classes - 1, :]
    qtq = m.transpose(1, 2) @ (d @ d.transpose(1, 2)) @ m
    root = p.sqrt()
    s = root.unsqueeze(2) * qtq * root.unsqueeze(1)
    return torch.linalg.eigvalsh((s + s.transpose(1, 2)) / 2)[:, -1].clamp(min=0)


def exact_batched(model, x):
    """The careful batched way: one forward pass of the whole batch, K - 1 input-gradient passes of
    sum_b (z_k - z_K)(x_b) (in eval mode the inputs do not interact), one batched eigen-solve."""
    x = x.detach().requires_grad_(True)
    z = model(x)
    classes = z.shape[1]
    last = z[:, classes - 1]
    rows = [torch.autograd.grad((z[:, k] - last).sum(), x, retain_graph=k < classes - 2)[0].reshape(x.shape[0], -1)
            for k in range(classes - 1)]
    return lambda_max(torch.stack(rows, 1), z)


def reference_loop(model, x):
    """The reference's way (SRP's compute_prob_and_gradients + an exact K x K eigen-solve): one input at a
    time, one backward pass per class of log p_k into x.grad (and, as there, into the parameters' .grad)."""
    values = []
    for i in range(x.shape[0]):
        xi = x[i:i + 1].detach().clone().requires_grad_(True)
        z = model(xi)
        log_p = F.log_softmax(z, 1)[0]
        classes = log_p.shape[0]
        q = torch.zeros(xi.numel(), classes)
        for k in range(classes):
            log_p[k].backward(retain_graph=k < classes - 1)
            q[:, k] = xi.grad.detach().reshape(-1)
            xi.grad.zero_()
        p = log_p.detach().double().exp()
        s = p.sqrt().unsqueeze(1) * (q.double().T @ q.double()) * p.sqrt().unsqueeze(0)
        values.append(torch.linalg.eigvalsh((s + s.T) / 2)[-1].clamp(min=0))
    return torch.stack(values)


def ties(model, x, relative=1e-7):
    """Per input: does any max-pooling window hold a tie, i.e. its two largest values within `relative` of the
    layer's largest activation for that input (one float32 rounding step)? There the input gradient is not
    defined, and float rounding in another order (another convolution kernel) may make PyTorch and FimBounds
    pick different elements. Near-ties further apart are not excluded: on the bench's images a band of 1e-6
    flagged most inputs (flat backgrounds), and over all of them lambda_max still agreed to 2e-5. A window whose
    largest value is exactly zero does not count: every max-pool of the mini zoo follows a ReLU, and its dead
    units pass a zero gradient whichever of them wins."""
    flags = torch.zeros(x.shape[0], dtype=torch.bool)

    def check(module, inputs, output):
        v = inputs[0]
        k, s, p = (module.kernel_size, module.stride, module.padding)
        k, s, p = (k if isinstance(k, int) else k[0]), (s if isinstance(s, int) else s[0]), (p if isinstance(p, int) else p[0])
        padded = F.pad(v, (p, p, p, p), value=float('-inf'))
        windows = padded.unfold(2, k, s).unfold(3, k, s).reshape(v.shape[0], -1, k * k)
        top = windows.topk(2, -1).values
        scale = v.abs().flatten(1).amax(1).clamp(min=1e-30).unsqueeze(1)
        tied = (top[..., 0] > 0) & (top[..., 0] - top[..., 1] <= relative * scale)
        flags.logical_or_(tied.any(1))

    hooks = [m.register_forward_hook(check) for m in model.modules() if isinstance(m, nn.MaxPool2d)]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return flags.tolist()


def set_trainable(model, trainable):
    for parameter in model.parameters():
        parameter.requires_grad_(trainable)


def main():
    print(json.dumps({'torch': torch.__version__}), flush=True)
    model, inputs = None, None
    for line in sys.stdin:
        command = json.loads(line)
        op = command['op']
        try:
            if op == 'quit':
                break
            if op == 'load':
                torch.set_num_threads(command['threads'])
                twin = TWINS.get(command['spec'])
                if twin is None:
                    raise ValueError(f"no PyTorch twin of {command['spec']} (twins: {', '.join(TWINS)})")
                model = twin()
                model.load_state_dict(load_safetensors(command['weights']), strict=True)
                model = model.float().eval()
                inputs = load_safetensors(command['inputs'])['x'].float()
                reply = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'ties': ties(model, inputs)}
            elif op == 'time':
                x = inputs[:command['count']]
                loop = command['method'] == 'loop'
                set_trainable(model, loop)   # the reference leaves the parameters trainable; a careful user freezes them
                start = time.perf_counter()
                values = reference_loop(model, x) if loop else exact_batched(model, x)
                elapsed = time.perf_counter() - start
                set_trainable(model, False)
                model.zero_grad(set_to_none=True)
                reply = {'msPerInput': 1000 * elapsed / x.shape[0], 'lambdaMax': values.tolist()}
            else:
                raise ValueError(f'unknown command {op}')
        except Exception as error:   # one line back to the bench, which reports it in the peer's row
            reply = {'error': f'{type(error).__name__}: {error}'}
        print(json.dumps(reply), flush=True)


if __name__ == '__main__':
    main()
