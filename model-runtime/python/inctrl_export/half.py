"""fp16 copy of a bundle for GPUs: the image encoder's weights and arithmetic in fp16.

Why: on a GPU the image encoder is nearly all of the work per frame, and fp16 runs it on the
tensor cores at about twice fp32's (TF32's) rate with half the weight memory. Written with the
``onnx`` package only:

- every float initializer, ``Constant`` and ``ConstantOfShape`` value becomes fp16 (values
  beyond fp16's range are clipped to +-65504 rather than becoming infinite), and a ``Cast``
  to float becomes a ``Cast`` to fp16;
- ``LayerNormalization`` and ``Softmax`` stay fp32 (their inputs are cast up, their outputs
  down; their own weights stay fp32): a mean of squares and a sum of exponentials lose too
  much in fp16;
- graph inputs and outputs keep their fp32 type: a ``Cast`` after each float input and before
  each float output, so the runtime and the bundle contract see the same graph.

The scorer and the text encoder stay fp32 (a small share of the work, and the scorer's bank
comes from the line's state in fp32). ONNX Runtime's CPU provider lacks fp16 kernels for most
of these ops, so an fp16 bundle is for the CUDA provider: the Java engine refuses to open one
on the CPU. ``inctrl_export.onnx_eval`` checks a converted graph against its original here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .bundle import BundleError
from .rewrite import add_bundle_arguments, rewrite_bundle

DEFAULT_GRAPHS = ("image_encoder",)
FP32_OPS = ("LayerNormalization", "Softmax")
FP16_MAX = float(np.finfo(np.float16).max)


@dataclasses.dataclass(frozen=True)
class HalfReport:
    """What one graph's conversion did."""

    fp16_initializers: int
    fp32_initializers: int
    fp32_nodes: int
    fp32_weight_bytes: int
    fp16_weight_bytes: int


def _to_half(array: np.ndarray) -> np.ndarray:
    return np.clip(array, -FP16_MAX, FP16_MAX).astype(np.float16)


def _half_tensor(tensor: TensorProto) -> TensorProto:
    return numpy_helper.from_array(_to_half(numpy_helper.to_array(tensor)), tensor.name)


class _Names:
    def __init__(self, graph: onnx.GraphProto):
        self.used = {i.name for i in graph.initializer} | {i.name for i in graph.input}
        for node in graph.node:
            self.used.update(node.output)
            self.used.update(node.input)
            if node.name:
                self.used.add(node.name)

    def fresh(self, base: str) -> str:
        name, index = base, 1
        while name in self.used:
            name, index = f"{base}_{index}", index + 1
        self.used.add(name)
        return name


def half_model(
    model: onnx.ModelProto, fp32_ops: Sequence[str] = FP32_OPS
) -> "tuple[onnx.ModelProto, HalfReport]":
    """Returns (an fp16 copy of ``model``, HalfReport); inputs and outputs keep their names,
    types and shapes."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    names = _Names(graph)
    initializers = {i.name: i for i in graph.initializer}
    overridable = sorted(i.name for i in graph.input if i.name in initializers)
    if overridable:
        raise BundleError(
            f"expected graph inputs without initializers, found initializers listed as inputs "
            f"{overridable[:3]} (an IR < 4 export; re-export the graph with inctrl_export)"
        )
    float_inputs = [
        i.name for i in graph.input if i.type.tensor_type.elem_type == TensorProto.FLOAT
    ]
    float_outputs = [
        o.name for o in graph.output if o.type.tensor_type.elem_type == TensorProto.FLOAT
    ]
    consumers: Dict[str, List[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    # Initializers used only by fp32 ops stay fp32; every other float one becomes fp16.
    keep_fp32 = {
        name
        for name in initializers
        if consumers.get(name) and all(n.op_type in fp32_ops for n in consumers[name])
    }
    fp16_count = fp32_count = fp32_bytes = fp16_bytes = 0
    new_initializers = []
    for init in graph.initializer:
        if init.data_type == TensorProto.FLOAT and init.name not in keep_fp32:
            values = numpy_helper.to_array(init)
            fp16_count += 1
            fp32_bytes += values.size * 4
            fp16_bytes += values.size * 2
            new_initializers.append(numpy_helper.from_array(_to_half(values), init.name))
        else:
            if init.data_type == TensorProto.FLOAT:
                fp32_count += 1
            new_initializers.append(init)
    del graph.initializer[:]
    graph.initializer.extend(new_initializers)

    nodes: List[onnx.NodeProto] = []
    rename: Dict[str, str] = {}
    for name in float_inputs:
        half = names.fresh(f"{name}_fp16")
        nodes.append(
            helper.make_node(
                "Cast", [name], [half], name=names.fresh(f"{name}_Cast_fp16"), to=TensorProto.FLOAT16
            )
        )
        rename[name] = half
    output_sources = {}
    for name in float_outputs:
        output_sources[name] = names.fresh(f"{name}_fp16")

    fp32_nodes = 0
    for node in graph.node:
        # An output may also feed other nodes (the embedding feeds the adapter): they read
        # its fp16 source.
        node.input[:] = [rename.get(i, output_sources.get(i, i)) for i in node.input]
        node.output[:] = [output_sources.get(o, o) for o in node.output]
        for attr in node.attribute:
            if node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
            if (
                node.op_type in ("Constant", "ConstantOfShape")
                and attr.name == "value"
                and attr.t.data_type == TensorProto.FLOAT
            ):
                attr.t.CopyFrom(_half_tensor(attr.t))
        if node.op_type not in fp32_ops:
            nodes.append(node)
            continue
        fp32_nodes += 1
        base = (node.name or node.output[0]).strip("/").replace("/", "_")
        inputs = []
        for name in node.input:
            if not name or name in keep_fp32:
                inputs.append(name)
                continue
            up = names.fresh(f"{base}_{name.strip('/').replace('/', '_')}_fp32")
            nodes.append(
                helper.make_node(
                    "Cast", [name], [up], name=names.fresh(f"{base}_Cast_fp32"), to=TensorProto.FLOAT
                )
            )
            inputs.append(up)
        node.input[:] = inputs
        result = node.output[0]
        up_result = names.fresh(f"{base}_out_fp32")
        node.output[0] = up_result
        nodes.append(node)
        nodes.append(
            helper.make_node(
                "Cast",
                [up_result],
                [result],
                name=names.fresh(f"{base}_Cast_fp16"),
                to=TensorProto.FLOAT16,
            )
        )
    for name, source in output_sources.items():
        nodes.append(
            helper.make_node(
                "Cast", [source], [name], name=names.fresh(f"{name}_Cast_fp32"), to=TensorProto.FLOAT
            )
        )
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]  # intermediate types changed; inference fills them again
    report = HalfReport(fp16_count, fp32_count, fp32_nodes, fp32_bytes, fp16_bytes)
    return model, report


def half_bundle(in_dir, out_dir, graphs: Sequence[str] = DEFAULT_GRAPHS) -> Dict[str, HalfReport]:
    """Writes an fp16 copy of the fp32 bundle ``in_dir`` to ``out_dir`` (the named graphs
    converted, the manifest's model version ``-fp16`` and precision ``fp16``)."""

    def rewrite(name, model):
        converted, report = half_model(model)
        # Strict type inference: a float left unconverted anywhere is a type error here.
        onnx.shape_inference.infer_shapes(converted, check_type=True, strict_mode=True)
        return converted, report

    def note(reports):
        summary = ", ".join(
            f"{name}: {r.fp16_initializers} initializers fp16, {r.fp32_nodes} "
            f"{'/'.join(FP32_OPS)} nodes in fp32"
            for name, r in reports.items()
        )
        return (
            f"precision: fp16 by inctrl_export.half ({summary}); inputs and outputs fp32; "
            "every other graph fp32; for the CUDA provider (no fp16 kernels on the CPU)"
        )

    return rewrite_bundle(in_dir, out_dir, graphs, "fp16", rewrite, note)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_bundle_arguments(parser, "convert")


def run_args(args: argparse.Namespace) -> int:
    reports = half_bundle(args.in_dir, args.out_dir, tuple(args.graphs or DEFAULT_GRAPHS))
    for name, report in reports.items():
        print(
            f"{name}: {report.fp16_initializers} initializers fp16 "
            f"({report.fp32_weight_bytes / 1e6:.1f} MB -> {report.fp16_weight_bytes / 1e6:.1f} MB), "
            f"{report.fp32_initializers} kept fp32, {report.fp32_nodes} nodes in fp32",
            file=sys.stderr,
        )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="inctrl_export half", description="Write an fp16 (CUDA) copy of a model bundle."
    )
    add_arguments(parser)
    return run_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
