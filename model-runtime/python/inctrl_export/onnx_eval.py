"""A small numpy evaluator of the ONNX ops this project's image encoder uses.

Why: this machine has no ONNX Runtime for Python, and ONNX Runtime's CPU provider has no
fp16 kernels for most of these ops anyway; the fp16 bundle (``inctrl_export.half``) is checked
against its fp32 original with this. Each op computes in the precision of its inputs, except
that matrix products and the convolution accumulate in fp32 and round their result to the
input precision, as GPU fp16 kernels (tensor cores) do. Not a general ONNX runtime: an op
or attribute it does not know fails with a clear error.
"""

from __future__ import annotations

import math
from typing import Dict, List

import numpy as np
import onnx
from onnx import helper, numpy_helper

_ONNX_TO_NUMPY = {
    onnx.TensorProto.FLOAT: np.float32,
    onnx.TensorProto.FLOAT16: np.float16,
    onnx.TensorProto.INT64: np.int64,
    onnx.TensorProto.INT32: np.int32,
    onnx.TensorProto.BOOL: np.bool_,
}
_erf = np.vectorize(math.erf, otypes=[np.float64])


class EvaluationError(ValueError):
    pass


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out_type = np.result_type(a, b)
    return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(out_type)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = list(range(len(starts))) if axes is None else [int(a) for a in axes]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps]
    index = [slice(None)] * x.ndim
    for start, end, axis, step in zip(starts, ends, axes, steps):
        dim = x.shape[axis]
        start, end = int(start), int(end)
        start = max(0, min(dim, start + dim if start < 0 else start))
        end = max(0, min(dim, end + dim if end < 0 else end))
        index[axis] = slice(start, end, step)
    return x[tuple(index)]


def _conv(x, w, attrs):
    kernel = list(attrs.get("kernel_shape", w.shape[2:]))
    strides = list(attrs.get("strides", [1, 1]))
    if (
        strides != kernel
        or any(attrs.get("pads", [0, 0, 0, 0]))
        or attrs.get("group", 1) != 1
        or any(d != 1 for d in attrs.get("dilations", [1, 1]))
    ):
        raise EvaluationError(f"only a patch-embedding Conv (stride = kernel, no padding) is known, got {attrs}")
    n, c, h, width = x.shape
    kh, kw = kernel
    patches = x.reshape(n, c, h // kh, kh, width // kw, kw).transpose(0, 2, 4, 1, 3, 5)
    patches = patches.reshape(n, (h // kh) * (width // kw), c * kh * kw)
    out = _product(patches, w.reshape(w.shape[0], -1).T)  # [n, positions, out]
    return out.transpose(0, 2, 1).reshape(n, w.shape[0], h // kh, width // kw)


def _layer_norm(x, scale, bias, attrs):
    axis = attrs.get("axis", -1)
    if axis != -1 and axis != x.ndim - 1:
        raise EvaluationError(f"LayerNormalization over axis {axis} is not known")
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    out = centred / np.sqrt(variance + np.asarray(attrs.get("epsilon", 1e-5), x.dtype))
    return (out * scale + bias).astype(x.dtype)


def _softmax(x, attrs):
    axis = attrs.get("axis", -1)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def _node(op, i, attrs):
    if op == "Add":
        return i[0] + i[1]
    if op == "Mul":
        return i[0] * i[1]
    if op == "Div":
        if np.issubdtype(i[0].dtype, np.integer):
            return np.floor_divide(i[0], i[1])
        return i[0] / i[1]
    if op == "MatMul":
        return _product(i[0], i[1])
    if op == "Gemm":
        a = i[0].T if attrs.get("transA", 0) else i[0]
        b = i[1].T if attrs.get("transB", 0) else i[1]
        out = _product(a, b) * np.asarray(attrs.get("alpha", 1.0), a.dtype)
        if len(i) > 2 and i[2] is not None:
            out = out + i[2] * np.asarray(attrs.get("beta", 1.0), a.dtype)
        return out.astype(a.dtype)
    if op == "Conv":
        if len(i) > 2 and i[2] is not None:
            raise EvaluationError("a Conv with a bias is not known")
        return _conv(i[0], i[1], attrs)
    if op == "Erf":
        return _erf(i[0]).astype(i[0].dtype)
    if op == "Relu":
        return np.maximum(i[0], np.zeros((), i[0].dtype))
    if op == "LayerNormalization":
        return _layer_norm(i[0], i[1], i[2], attrs)
    if op == "Softmax":
        return _softmax(i[0], attrs)
    if op == "Cast":
        return i[0].astype(_ONNX_TO_NUMPY[attrs["to"]])
    if op == "Shape":
        return np.array(i[0].shape, np.int64)
    if op == "Gather":
        return np.take(i[0], i[1], axis=attrs.get("axis", 0))
    if op == "Unsqueeze":
        out = i[0]
        rank = out.ndim + len(i[1])
        for axis in sorted(int(a) % rank for a in i[1]):
            out = np.expand_dims(out, axis)
        return out
    if op == "Concat":
        return np.concatenate(i, axis=attrs["axis"])
    if op == "Reshape":
        shape = [int(d) for d in i[1]]
        if not attrs.get("allowzero", 0):
            shape = [i[0].shape[k] if d == 0 else d for k, d in enumerate(shape)]
        return i[0].reshape(shape)
    if op == "Transpose":
        return np.transpose(i[0], attrs.get("perm"))
    if op == "Slice":
        return _slice(i[0], i[1], i[2], i[3] if len(i) > 3 else None, i[4] if len(i) > 4 else None)
    if op == "ConstantOfShape":
        value = attrs.get("value")
        fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, np.float32)
        return np.full([int(d) for d in i[0]], fill.reshape(-1)[0], fill.dtype)
    if op == "Constant":
        return numpy_helper.to_array(attrs["value"])
    if op == "Identity":
        return i[0]
    raise EvaluationError(f"the evaluator does not know the op {op}")


def evaluate(model: onnx.ModelProto, feeds: Dict[str, np.ndarray]) -> List[np.ndarray]:
    """The graph's outputs, in order, for the named inputs."""
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    values.update(feeds)
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx"):
            raise EvaluationError(f"the evaluator does not know the domain {node.domain!r}")
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        inputs = [values[name] if name else None for name in node.input]
        values[node.output[0]] = _node(node.op_type, inputs, attrs)
    return [values[o.name] for o in model.graph.output]
