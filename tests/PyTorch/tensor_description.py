"""A state_dict as JSON (dtype, shape and every value per key), for the tests to compare with what FimBounds read or wrote."""
import json


def describe(tensors):
    return json.dumps({k: {'dtype': str(t.dtype), 'shape': list(t.shape), 'values': t.flatten().tolist()} for k, t in tensors.items()})
