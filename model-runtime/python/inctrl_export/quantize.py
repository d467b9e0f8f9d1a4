"""Int8 dynamic quantization of a bundle's image encoder, written with the ``onnx`` package.

Why: on a CPU the image encoder is ~98% of the work per frame and is made of large fp32
matrix products. Replacing every product whose weight is a constant by an int8 product
(VNNI ``vpdpbusd`` in ONNX Runtime's MLAS kernels) raises the throughput, at a score drift
that BENCHMARKS.md states (small on the patch-level scores, large on the image-level residual
s_i, which is a difference of two similar embeddings). Nothing here needs the onnxruntime
Python package.

Each ``MatMul(A, W)`` and ``Gemm(A, W, C)`` whose weight resolves to a constant becomes:

- weights: symmetric int8, zero point 0, one scale per tensor or per output column
  (``per_channel``), in the full 8-bit range (-127..127, ``weight_bits=8``, the default with
  per-row activations) or a 7-bit one (-63..63, ``weight_bits=7``);
- activations, ``activation="per-row"`` (default): every row of A (one token of one
  frame) gets its own symmetric scale, computed at run time, and is quantized to uint8:
  in 7 bits (``activation_bits=7``, the default: scale max|row| / 63 around zero point 64,
  values 1..127) or 8 (max|row| / 127 around 128, values 1..255) (``QuantizeLinear`` along
  the rows); ONNX Runtime's contrib op ``com.microsoft::MatMulIntegerToFloat`` multiplies
  exactly in int32 and applies the weight scales; a ``Mul`` applies the row scales. No op
  mixes rows, so a frame's scores do not depend on the frames it is batched with (the bundle
  contract's batch invariance holds bit for bit);
- why not 8 bits on both sides by default: on x86 CPUs without VNNI (AVX2 only, e.g. AMD
  Zen 3) MLAS multiplies uint8 activations by int8 weights with ``vpmaddubsw``, which adds
  pairs of products into int16 with saturation; 255 x 127 x 2 overflows it (the tiny
  bundle's final score moved by 0.15 on such a CPU, against 0.006 with VNNI), while
  127 x 127 x 2 (7-bit activations) and 255 x 63 x 2 (7-bit weights) do not. Of the two
  exact pairs, 8-bit weights with 7-bit activations are the closer to fp32 (official size on
  a Zen 3, 32 queries: final score within 0.0079 against 0.0173 with 7-bit weights,
  BENCHMARKS.md), at the same speed (the same kernel). The manifest records both widths
  (``model.weight_bits``, ``model.activation_bits``) and the runtime refuses 8 with 8 on an
  x86 CPU without VNNI (see Int8KernelCheck);
- the class token (``class_token="fp32"``, the default for the image encoder): the image
  encoder runs sequence-first, so the first ``batch`` rows of every product's flattened input
  are the class token of each frame (for the projection and the adapter, which see only the
  pooled class token, they are all the rows). Those rows are also multiplied in fp32 with the
  original weights and replace the int8 result (``ScatterND``). The class token becomes the
  embedding, from which s_i is computed as a difference of two close vectors (shots minus
  query) and s_a as a cosine; computed in int8 it moved s_i by up to 0.07 and the final score
  by up to 0.04, computed in fp32 (its only int8 inputs being the patch tokens it attends to)
  by 0.013 and 0.0065 (official size, 32 queries, BENCHMARKS.md), for 0.91x the frames/s
  (batch 8, median of 5 rounds; still 2.8x to 3.5x PyTorch's fp32) and the fp32 weights stored
  beside the int8 ones (the official image encoder file: 586 MB, against 470 MB in fp32);
- ``activation="per-tensor"``: ONNX Runtime's fused contrib op
  ``com.microsoft::DynamicQuantizeMatMul`` (one asymmetric uint8 scale for the whole
  activation tensor, i.e. for the whole batch). About 1.2x faster than per-row here, but a
  frame's scores then depend (within the quantization error) on its batch mates.

Both use ONNX Runtime contrib ops, so a quantized bundle runs on ONNX Runtime only (which is
what the engine is).
Graph inputs and outputs are unchanged, so the runtime loads a quantized bundle exactly
like an fp32 one.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .bundle import BundleError
from .rewrite import add_bundle_arguments, rewrite_bundle

ACTIVATION_MODES = ("per-row", "per-tensor")
MS_DOMAIN = "com.microsoft"
# Products smaller than this many weight elements stay fp32: quantizing them costs more
# (extra ops) than it saves.
DEFAULT_MIN_WEIGHT_ELEMENTS = 16 * 1024
DEFAULT_GRAPHS = ("image_encoder",)
# Weights in -63..63 or -127..127; activations in 1..127 or 1..255. 8 with 8 saturates MLAS's
# int16 pair sums on x86 CPUs without VNNI, every other pair is exact (see the module's doc).
WEIGHT_BITS = (7, 8)
ACTIVATION_BITS = (7, 8)
# (weight bits, activation bits) where not given, per activation mode: both exact on every x86
# kernel (see the module's doc). Per-tensor activations are ONNX Runtime's own, in 8 bits.
DEFAULT_BITS = {"per-row": (8, 7), "per-tensor": (7, 8)}
CLASS_TOKEN_MODES = ("fp32", "int8")
# The graph whose products see the class token as the first `batch` rows (sequence-first).
CLASS_TOKEN_GRAPH = "image_encoder"


@dataclasses.dataclass(frozen=True)
class QuantizeReport:
    """What one graph's quantization did."""

    quantized: int
    skipped: int
    fp32_weight_bytes: int
    int8_weight_bytes: int


class _Constants:
    """Resolves a value name to a numpy constant when it is one (initializer, Constant,
    or an Identity/Transpose chain over those)."""

    def __init__(self, graph: onnx.GraphProto):
        self._initializers = {i.name: i for i in graph.initializer}
        self._producers = {}
        for node in graph.node:
            for out in node.output:
                self._producers[out] = node
        self._cache: Dict[str, Optional[np.ndarray]] = {}
        self._graph_inputs = {i.name for i in graph.input}

    def get(self, name: str) -> Optional[np.ndarray]:
        if name in self._cache:
            return self._cache[name]
        value = self._resolve(name)
        self._cache[name] = value
        return value

    def _resolve(self, name: str) -> Optional[np.ndarray]:
        if name in self._initializers:
            # An initializer that is also a graph input can be overridden at run time.
            if name in self._graph_inputs:
                return None
            return numpy_helper.to_array(self._initializers[name])
        node = self._producers.get(name)
        if node is None:
            return None
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    return numpy_helper.to_array(attr.t)
            return None
        if node.op_type == "Identity":
            return self.get(node.input[0])
        if node.op_type == "Transpose":
            source = self.get(node.input[0])
            if source is None:
                return None
            perm = None
            for attr in node.attribute:
                if attr.name == "perm":
                    perm = list(attr.ints)
            return np.transpose(source, perm)
        return None


def _symmetric_int8(weight: np.ndarray, per_channel: bool, bits: int):
    """Symmetric int8 weights [K, N] in -(2^(bits-1) - 1)..2^(bits-1) - 1 and their scale
    (scalar or [N])."""
    if bits not in WEIGHT_BITS:
        raise ValueError(f"weight bits must be one of {WEIGHT_BITS}, got {bits!r}")
    q_max = float(2 ** (bits - 1) - 1)
    if per_channel:
        max_abs = np.max(np.abs(weight), axis=0)
    else:
        max_abs = np.array(np.max(np.abs(weight)))
    scale = (max_abs / q_max).astype(np.float32)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(weight / scale), -q_max, q_max).astype(np.int8)
    return q, scale


class _Rewriter:
    def __init__(
        self,
        model: onnx.ModelProto,
        per_channel: bool,
        activation: str,
        min_weight_elements: int,
        keep_fp32: Optional[str],
        class_token_fp32: bool,
        weight_bits: int,
        activation_bits: int,
    ):
        self.weight_bits = weight_bits
        self.activation_bits = activation_bits
        self.keep_fp32 = re.compile(keep_fp32) if keep_fp32 else None
        self.class_token_fp32 = class_token_fp32
        self._class_rows: Optional[str] = None
        self._batch_1d: Optional[str] = None
        self.model = model
        self.graph = model.graph
        self.per_channel = per_channel
        self.activation = activation
        self.min_weight_elements = min_weight_elements
        self.constants = _Constants(self.graph)
        self.new_initializers: List[onnx.TensorProto] = []
        self.names = set()
        for node in self.graph.node:
            self.names.update(node.output)
            if node.name:
                self.names.add(node.name)
        self.names.update(i.name for i in self.graph.initializer)
        self.names.update(i.name for i in self.graph.input)
        self.quantized = 0
        self.skipped = 0
        self.fp32_bytes = 0
        self.int8_bytes = 0
        self._shared: Dict[str, str] = {}

    def class_rows(self, nodes: List[onnx.NodeProto]):
        """The [batch, 1] int64 row indices 0..batch-1 and the [1] int64 tensor [batch]
        (batch = dimension 0 of the first graph input), computed once, at the first product
        that needs them."""
        if self._class_rows is None:
            initializers = {i.name for i in self.graph.initializer}
            source = next(i.name for i in self.graph.input if i.name not in initializers)

            def add(op_type, inputs, **attrs):
                output = self.fresh(f"class_rows_{op_type.lower()}")
                nodes.append(
                    helper.make_node(
                        op_type, inputs, [output], name=self.fresh(f"class_rows_{op_type}"), **attrs
                    )
                )
                return output

            shape = add("Shape", [source])
            batch = add(
                "Gather", [shape, self.shared_constant("index_0", np.array(0, np.int64))], axis=0
            )
            self._batch_1d = add(
                "Gather", [shape, self.shared_constant("start_0", np.array([0], np.int64))], axis=0
            )
            rows = add(
                "Range",
                [
                    self.shared_constant("zero_i64", np.array(0, np.int64)),
                    batch,
                    self.shared_constant("one_i64", np.array(1, np.int64)),
                ],
            )
            self._class_rows = add(
                "Unsqueeze", [rows, self.shared_constant("axis_1", np.array([1], np.int64))]
            )
        return self._class_rows, self._batch_1d

    def fresh(self, base: str) -> str:
        name = base
        index = 1
        while name in self.names:
            name = f"{base}_{index}"
            index += 1
        self.names.add(name)
        return name

    def add_initializer(self, array: np.ndarray, base: str) -> str:
        name = self.fresh(base)
        self.new_initializers.append(numpy_helper.from_array(array, name))
        return name

    def shared_constant(self, key: str, array: np.ndarray) -> str:
        if key not in self._shared:
            self._shared[key] = self.add_initializer(array, f"quant_{key}")
        return self._shared[key]

    def weight_and_bias(self, node: onnx.NodeProto):
        """The [K, N] weight, optional [N] bias and alpha of a quantizable node, or None."""
        if node.op_type == "MatMul":
            weight = self.constants.get(node.input[1])
            return (weight, None) if weight is not None and weight.ndim == 2 else None
        if node.op_type != "Gemm":
            return None
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attrs.get("transA", 0) != 0:
            return None
        weight = self.constants.get(node.input[1])
        if weight is None or weight.ndim != 2:
            return None
        if attrs.get("transB", 0):
            weight = weight.T
        weight = weight * np.float32(attrs.get("alpha", 1.0))
        bias = None
        if len(node.input) > 2 and node.input[2]:
            bias = self.constants.get(node.input[2])
            if bias is None:
                return None
            bias = np.broadcast_to(
                bias * np.float32(attrs.get("beta", 1.0)), (weight.shape[1],)
            )
        return weight, bias

    def rewrite(self) -> List[onnx.NodeProto]:
        out_nodes: List[onnx.NodeProto] = []
        for node in self.graph.node:
            resolved = self.weight_and_bias(node)
            if resolved is None:
                out_nodes.append(node)
                continue
            weight, bias = resolved
            if (
                weight.dtype != np.float32
                or weight.size < self.min_weight_elements
                or (self.keep_fp32 is not None and self.keep_fp32.search(node.name or ""))
            ):
                self.skipped += 1
                out_nodes.append(node)
                continue
            out_nodes.extend(self.quantize_node(node, weight.astype(np.float32), bias))
            self.quantized += 1
            self.fp32_bytes += weight.size * 4
            self.int8_bytes += weight.size
        return out_nodes

    def quantize_node(self, node, weight, bias) -> List[onnx.NodeProto]:
        base = (node.name or node.output[0]).strip("/").replace("/", "_") or "matmul"
        q_weight, scale = _symmetric_int8(weight, self.per_channel, self.weight_bits)
        w_name = self.add_initializer(q_weight, f"{base}_w_int8")
        w_scale = self.add_initializer(scale, f"{base}_w_scale")
        w_zero = self.add_initializer(np.zeros(scale.shape, np.int8), f"{base}_w_zero")
        b_name = None
        if bias is not None:
            b_name = self.add_initializer(bias.astype(np.float32), f"{base}_bias")
        if self.activation == "per-tensor":
            inputs = [node.input[0], w_name, w_scale, w_zero] + ([b_name] if b_name else [])
            return [
                helper.make_node(
                    "DynamicQuantizeMatMul",
                    inputs,
                    [node.output[0]],
                    name=self.fresh(f"{base}_DynamicQuantizeMatMul"),
                    domain=MS_DOMAIN,
                )
            ]
        return self._per_row(
            base, node.input[0], node.output[0], weight, w_name, w_scale, w_zero, b_name
        )

    def _per_row(self, base, a_in, out, weight, w_name, w_scale, w_zero, b_name):
        """A's rows flattened to [R, K]; each row quantized with its own symmetric scale
        s = max|row| / 127 around zero point 128 (max|row| / 63 around 64 with 7-bit
        activations; QuantizeLinear along axis 0); ONNX Runtime's
        MatMulIntegerToFloat multiplies exactly in int32 and applies the weight scales; then
        the row scale, the class token's rows recomputed in fp32 (when kept), the bias, and the
        original leading dimensions."""
        k, n = weight.shape
        nodes = []

        def add(op_type, inputs, suffix, domain=None, **attrs):
            output = self.fresh(f"{base}_{suffix}")
            nodes.append(
                helper.make_node(
                    op_type,
                    inputs,
                    [output],
                    name=self.fresh(f"{base}_{op_type}"),
                    domain=domain,
                    **attrs,
                )
            )
            return output

        flat_shape = self.shared_constant(f"rows_of_{k}", np.array([-1, k], np.int64))
        a_max = 2 ** (self.activation_bits - 1) - 1
        a_zero = a_max + 1
        inv_a_max = self.shared_constant(f"inv{a_max}", np.array(1.0 / a_max, np.float32))
        tiny = self.shared_constant("tiny", np.array(1e-30, np.float32))
        zero_u8 = self.shared_constant(f"a_zero_u8_1d_{a_zero}", np.array([a_zero], np.uint8))
        scalar_zero_u8 = self.shared_constant(f"a_zero_u8_{a_zero}", np.array(a_zero, np.uint8))
        one = self.shared_constant("one_f", np.array(1.0, np.float32))
        axis1 = self.shared_constant("axis_1", np.array([1], np.int64))
        rows = add("Reshape", [a_in, flat_shape], "rows")
        row_max = add("ReduceMax", [add("Abs", [rows], "abs")], "rowmax", axes=[1], keepdims=0)
        row_scale = add("Max", [add("Mul", [row_max, inv_a_max], "row_scale"), tiny], "row_scale_safe")
        row_zero = add("Expand", [zero_u8, add("Shape", [row_scale], "rows_count")], "row_zero")
        q = add("QuantizeLinear", [rows, row_scale, row_zero], "a_u8", axis=0)
        y = add(
            "MatMulIntegerToFloat",
            [q, w_name, one, w_scale, scalar_zero_u8, w_zero],
            "y",
            domain=MS_DOMAIN,
        )
        y = add("Mul", [y, add("Unsqueeze", [row_scale, axis1], "row_scale_col")], "y_scaled")
        if self.class_token_fp32:
            # All rows went through int8 (slicing the others out would copy them, which costs
            # more than the class token's 1/(tokens) share of the product); the class token's
            # rows are then overwritten with their fp32 product.
            class_rows, batch = self.class_rows(nodes)
            class_a = add(
                "Slice",
                [
                    rows,
                    self.shared_constant("start_0", np.array([0], np.int64)),
                    batch,
                    self.shared_constant("axis_0", np.array([0], np.int64)),
                ],
                "class_rows_a",
            )
            w_fp32 = self.add_initializer(weight.astype(np.float32), f"{base}_w_fp32")
            class_y = add("MatMul", [class_a, w_fp32], "class_rows_y")
            y = add("ScatterND", [y, class_rows, class_y], "y_class_fp32")
        if b_name is not None:
            y = add("Add", [y, b_name], "y_bias")
        lead = add(
            "Slice",
            [
                add("Shape", [a_in], "a_shape"),
                self.shared_constant("start_0", np.array([0], np.int64)),
                self.shared_constant("end_minus1", np.array([-1], np.int64)),
            ],
            "lead_dims",
        )
        out_shape = add(
            "Concat",
            [lead, self.shared_constant(f"cols_{n}", np.array([n], np.int64))],
            "out_shape",
            axis=0,
        )
        nodes.append(
            helper.make_node("Reshape", [y, out_shape], [out], name=self.fresh(f"{base}_Reshape"))
        )
        return nodes


def _drop_unused_initializers(graph: onnx.GraphProto) -> None:
    used = set()
    for node in graph.node:
        used.update(node.input)
    used.update(o.name for o in graph.output)
    used.update(i.name for i in graph.input)
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def _drop_dead_nodes(graph: onnx.GraphProto) -> None:
    """Removes nodes none of whose outputs is used (e.g. the weights' Transpose)."""
    while True:
        used = {o.name for o in graph.output}
        for node in graph.node:
            used.update(node.input)
        keep = [n for n in graph.node if any(o in used for o in n.output)]
        if len(keep) == len(graph.node):
            return
        del graph.node[:]
        graph.node.extend(keep)


def _resolve_bits(
    activation: str, weight_bits: Optional[int], activation_bits: Optional[int]
) -> Tuple[int, int]:
    """The (weight, activation) bits to quantize with: the given ones, or the mode's defaults
    (DEFAULT_BITS); ValueError for a width that is not 7 or 8, or 7-bit per-tensor activations."""
    if activation not in ACTIVATION_MODES:
        raise ValueError(f"activation must be one of {ACTIVATION_MODES}, got {activation!r}")
    default_weight, default_activation = DEFAULT_BITS[activation]
    weight_bits = default_weight if weight_bits is None else weight_bits
    activation_bits = default_activation if activation_bits is None else activation_bits
    if weight_bits not in WEIGHT_BITS:
        raise ValueError(f"weight_bits must be one of {WEIGHT_BITS}, got {weight_bits!r}")
    if activation_bits not in ACTIVATION_BITS:
        raise ValueError(
            f"activation_bits must be one of {ACTIVATION_BITS}, got {activation_bits!r}"
        )
    if activation_bits != 8 and activation != "per-row":
        raise ValueError(
            f"activation_bits={activation_bits} needs per-row activations "
            f"(ONNX Runtime quantizes per-tensor ones in 8 bits), got activation={activation!r}"
        )
    return weight_bits, activation_bits


def quantize_model(
    model: onnx.ModelProto,
    per_channel: bool = False,
    activation: str = "per-row",
    min_weight_elements: int = DEFAULT_MIN_WEIGHT_ELEMENTS,
    keep_fp32: Optional[str] = None,
    class_token_fp32: bool = False,
    weight_bits: Optional[int] = None,
    activation_bits: Optional[int] = None,
):
    """Returns (a quantized copy of ``model``, QuantizeReport). Inputs and outputs keep
    their names, types and shapes. Products whose node name matches the regular expression
    ``keep_fp32`` stay fp32. With ``class_token_fp32``, the first ``batch`` rows of every
    quantized product's flattened input (``batch`` = dimension 0 of the first graph input;
    the class token of a sequence-first transformer) are multiplied in fp32 (per-row
    activations only). ``weight_bits`` (7 or 8) is the weights' range and
    ``activation_bits`` (7 or 8, per-row activations only) the activations'; where not given,
    the activation mode's defaults (DEFAULT_BITS; see the module's doc)."""
    weight_bits, activation_bits = _resolve_bits(activation, weight_bits, activation_bits)
    if class_token_fp32 and activation != "per-row":
        raise ValueError(
            f"class_token_fp32 needs per-row activations, got activation={activation!r}"
        )
    model = onnx.ModelProto.FromString(model.SerializeToString())
    rewriter = _Rewriter(
        model,
        per_channel,
        activation,
        min_weight_elements,
        keep_fp32,
        class_token_fp32,
        weight_bits,
        activation_bits,
    )
    nodes = rewriter.rewrite()
    graph = model.graph
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(rewriter.new_initializers)
    _drop_dead_nodes(graph)
    _drop_unused_initializers(graph)
    if rewriter.quantized:
        if not any(o.domain == MS_DOMAIN for o in model.opset_import):
            model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    report = QuantizeReport(
        rewriter.quantized, rewriter.skipped, rewriter.fp32_bytes, rewriter.int8_bytes
    )
    return model, report


def quantize_bundle(
    in_dir,
    out_dir,
    per_channel: bool = False,
    activation: str = "per-row",
    graphs: Sequence[str] = DEFAULT_GRAPHS,
    min_weight_elements: int = DEFAULT_MIN_WEIGHT_ELEMENTS,
    keep_fp32: Optional[str] = None,
    class_token: str = "fp32",
    weight_bits: Optional[int] = None,
    activation_bits: Optional[int] = None,
) -> Dict[str, QuantizeReport]:
    """Writes an int8 copy of the fp32 bundle ``in_dir`` to ``out_dir``: the named graphs
    quantized, every other file copied, the manifest's model version (``-int8``), precision,
    notes, files and hashes rewritten. ``class_token`` ("fp32" or "int8") is the precision of
    the image encoder's class-token rows and ``weight_bits`` (7 or 8) the weights' range, which
    the manifest records as ``model.weight_bits``, and ``activation_bits`` (7 or 8) the
    activations' range, recorded as ``model.activation_bits`` (see the module's doc).
    Returns one QuantizeReport per quantized graph."""
    try:
        weight_bits, activation_bits = _resolve_bits(activation, weight_bits, activation_bits)
    except ValueError as e:
        # BundleError, so that the command line reports it as a usage error (exit 2).
        raise BundleError(str(e)) from None
    if class_token not in CLASS_TOKEN_MODES:
        raise ValueError(f"class_token must be one of {CLASS_TOKEN_MODES}, got {class_token!r}")
    if class_token == "fp32" and activation != "per-row":
        # BundleError, so that the command line reports it as a usage error (exit 2).
        raise BundleError(
            "a class token in fp32 needs per-row activations; "
            f"got activation={activation!r} (use --class-token int8 with it)"
        )

    def rewrite(name, model):
        return quantize_model(
            model,
            per_channel,
            activation,
            min_weight_elements,
            keep_fp32,
            class_token_fp32=class_token == "fp32" and name == CLASS_TOKEN_GRAPH,
            weight_bits=weight_bits,
            activation_bits=activation_bits,
        )

    def note(reports):
        granularity = "per-channel" if per_channel else "per-tensor"
        summary = ", ".join(
            f"{name}: {r.quantized} products int8 ({r.skipped} small ones kept fp32)"
            for name, r in reports.items()
        )
        return (
            f"precision: int8 dynamic quantization by inctrl_export.quantize ({summary}); "
            f"weights symmetric int8 {granularity} in {weight_bits} bits, activations {activation} uint8 in {activation_bits} bits at run time; "
            "every other graph and all outputs fp32"
            + (f"; products matching /{keep_fp32}/ kept fp32" if keep_fp32 else "")
            + (
                "; the image encoder's class token multiplied in fp32"
                if class_token == "fp32" and CLASS_TOKEN_GRAPH in graphs
                else ""
            )
        )

    return rewrite_bundle(
        in_dir,
        out_dir,
        graphs,
        "int8",
        rewrite,
        note,
        model_fields={"weight_bits": weight_bits, "activation_bits": activation_bits},
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="inctrl_export quantize",
        description="Write an int8 (dynamic quantization) copy of a model bundle.",
    )
    add_arguments(parser)
    return run_args(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_bundle_arguments(parser, "quantize")
    parser.add_argument(
        "--per-channel", action="store_true", help="one weight scale per output column"
    )
    parser.add_argument(
        "--activation",
        choices=ACTIVATION_MODES,
        default="per-row",
        help="activation scales: per-row keeps batch invariance (default)",
    )
    parser.add_argument(
        "--keep-fp32",
        metavar="REGEX",
        help="products whose ONNX node name matches stay fp32 (e.g. '^/adapter')",
    )
    parser.add_argument(
        "--class-token",
        choices=CLASS_TOKEN_MODES,
        default="fp32",
        help="precision of the image encoder's class-token rows: fp32 (default) keeps the "
        "embedding, s_i and s_a close to the fp32 bundle; int8 is about 1.1x faster and "
        "moves the final score about 6x more (BENCHMARKS.md)",
    )
    parser.add_argument(
        "--weight-bits",
        type=int,
        choices=WEIGHT_BITS,
        default=None,
        help="weight range; default 8 with per-row activations, 7 with per-tensor ones",
    )
    parser.add_argument(
        "--activation-bits",
        type=int,
        choices=ACTIVATION_BITS,
        default=None,
        help="activation range (per-row only); default 7. 8-bit weights with 8-bit activations"
        " are closest to fp32 on CPUs with VNNI, and the runtime refuses them on x86 CPUs"
        " without VNNI; 8-bit weights with 7-bit activations, or 7-bit weights with 8-bit"
        " activations, are exact on every CPU",
    )
    parser.add_argument(
        "--min-weight-elements",
        type=int,
        default=DEFAULT_MIN_WEIGHT_ELEMENTS,
        help="smaller weights stay fp32 (default %(default)s)",
    )


def run_args(args: argparse.Namespace) -> int:
    reports = quantize_bundle(
        args.in_dir,
        args.out_dir,
        per_channel=args.per_channel,
        activation=args.activation,
        graphs=tuple(args.graphs or DEFAULT_GRAPHS),
        min_weight_elements=args.min_weight_elements,
        keep_fp32=args.keep_fp32,
        class_token=args.class_token,
        weight_bits=args.weight_bits,
        activation_bits=args.activation_bits,
    )
    for name, report in reports.items():
        print(
            f"{name}: {report.quantized} products quantized, {report.skipped} kept fp32, "
            f"weights {report.fp32_weight_bytes / 1e6:.1f} MB -> {report.int8_weight_bytes / 1e6:.1f} MB",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
