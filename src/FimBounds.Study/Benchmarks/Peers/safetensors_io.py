"""safetensors files in Python, written and read from the format's specification (an 8-byte little-endian
header length, a JSON header of dtype/shape/data_offsets, the raw little-endian bytes). Debian has no
safetensors package. Shipped with `fimbounds bench` (its peers read the weights and inputs the bench hands
over) and used by the PyTorch tests: a reading of the format of its own, apart from FimBounds' C# reader and
writer, so the round trips between the two cannot share a bug."""
import json
import struct

import torch

CODES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}
TYPES = {code: dtype for dtype, code in CODES.items()}


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        blob = t.contiguous().numpy().tobytes()
        header[name] = {'dtype': CODES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def load_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    header.pop('__metadata__', None)
    body = data[8 + n:]
    tensors = {}
    for name, entry in header.items():
        start, end = entry['data_offsets']
        dtype = TYPES[entry['dtype']]
        tensors[name] = (torch.frombuffer(bytearray(body[start:end]), dtype=dtype).reshape(entry['shape'])
                         if end > start else torch.zeros(entry['shape'], dtype=dtype))
    return tensors

