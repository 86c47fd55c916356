"""The exact λ_max of the input-space Fisher information, the plain way: a dense autograd Jacobian J per
input and F(x) = Jᵀ (diag p − p pᵀ) J, with no batching and no K×K trick, so it shares no shortcut with
FimBounds' engine."""
import torch


def exact_lambda_max(model, x):
    values = []
    for i in range(x.shape[0]):
        xi = x[i:i + 1]
        logits = model(xi)[0]
        jacobian = torch.autograd.functional.jacobian(lambda v: model(v)[0], xi).reshape(logits.shape[0], -1)
        p = torch.softmax(logits, 0)
        fisher = jacobian.T @ (torch.diag(p) - torch.outer(p, p)) @ jacobian
        values.append(torch.linalg.eigvalsh(fisher)[-1].item())
    return torch.tensor(values, dtype=torch.float64)
