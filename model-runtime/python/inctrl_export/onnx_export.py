"""ONNX export of the three graphs with the contract's names, shapes and dynamic axes."""

import io
import warnings
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple, Union

import onnx
import torch

from . import __version__
from .config import ModelConfig
from .graphs import ImageEncoder, Scorer, TextEncoder
from .model import InCTRL

OPSET = 17
Dim = Union[int, str]


@dataclass(frozen=True)
class TensorSpec:
    name: str
    type: str  # "float32" | "int64"
    shape: Tuple[Dim, ...]

    def to_json(self) -> dict:
        return {"name": self.name, "type": self.type, "shape": list(self.shape)}


@dataclass(frozen=True)
class GraphSpec:
    key: str
    file: str
    inputs: Tuple[TensorSpec, ...]
    outputs: Tuple[TensorSpec, ...]

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "inputs": [t.to_json() for t in self.inputs],
            "outputs": [t.to_json() for t in self.outputs],
        }


def graph_specs(config: ModelConfig) -> Dict[str, GraphSpec]:
    """The graphs' inputs and outputs as docs/model-bundle.md fixes them."""
    v, t = config.vision, config.text
    n, w, e = v.patches, v.width, config.embed_dim
    f, i = "float32", "int64"
    return {
        "image_encoder": GraphSpec(
            "image_encoder",
            "image_encoder.onnx",
            (TensorSpec("pixels", f, ("batch", 3, v.image_size, v.image_size)),),
            (
                TensorSpec("patch_tokens", f, ("batch", 3, n, w)),
                TensorSpec("embedding", f, ("batch", e)),
                TensorSpec("adapted", f, ("batch", e)),
            ),
        ),
        "scorer": GraphSpec(
            "scorer",
            "scorer.onnx",
            (
                TensorSpec("query_patch_tokens", f, ("batch", 3, n, w)),
                TensorSpec("query_embedding", f, ("batch", e)),
                TensorSpec("query_adapted", f, ("batch", e)),
                TensorSpec("shot_patch_bank", f, (3, w, "shot_patches")),
                TensorSpec("shot_adapted_mean", f, (e,)),
                TensorSpec("text_prototypes", f, (2, e)),
            ),
            (
                TensorSpec("final_score", f, ("batch",)),
                TensorSpec("holistic_score", f, ("batch",)),
                TensorSpec("patch_score", f, ("batch",)),
                TensorSpec("image_score", f, ("batch",)),
                TensorSpec("text_score", f, ("batch",)),
                TensorSpec("patch_map", f, ("batch", n)),
            ),
        ),
        "text_encoder": GraphSpec(
            "text_encoder",
            "text_encoder.onnx",
            (TensorSpec("token_ids", i, ("batch", t.context_length)),),
            (TensorSpec("text_features", f, ("batch", e)),),
        ),
    }


_ELEMENT_TYPES = {"float32": onnx.TensorProto.FLOAT, "int64": onnx.TensorProto.INT64}
_TYPE_NAMES = {v: k for k, v in _ELEMENT_TYPES.items()}


def _example(spec: TensorSpec, sizes: Dict[str, int]) -> torch.Tensor:
    shape = [sizes[d] if isinstance(d, str) else d for d in spec.shape]
    generator = torch.Generator().manual_seed(0)
    if spec.type == "int64":
        x = torch.zeros(shape, dtype=torch.int64)
        x[..., 0] = 1
        x[..., 1] = 2  # the argmax (eot) position
        return x
    x = torch.rand(shape, generator=generator)
    if spec.name == "shot_patch_bank":
        x = x / x.norm(dim=1, keepdim=True)
    return x


def _set_value_info(value: onnx.ValueInfoProto, spec: TensorSpec) -> None:
    tensor_type = value.type.tensor_type
    tensor_type.elem_type = _ELEMENT_TYPES[spec.type]
    tensor_type.shape.ClearField("dim")
    for d in spec.shape:
        dim = tensor_type.shape.dim.add()
        if isinstance(d, str):
            dim.dim_param = d
        else:
            dim.dim_value = d


def _normalize_model(model: onnx.ModelProto, spec: GraphSpec) -> onnx.ModelProto:
    """Pins the declared I/O to the contract and drops machine-specific text (doc strings)."""
    model.producer_name = "inctrl_export"
    model.producer_version = __version__
    model.doc_string = ""
    model.graph.doc_string = ""
    model.graph.name = spec.key
    del model.metadata_props[:]
    for node in model.graph.node:
        node.doc_string = ""
    for values, specs in ((model.graph.input, spec.inputs), (model.graph.output, spec.outputs)):
        names = [v.name for v in values]
        if names != [s.name for s in specs]:
            raise AssertionError(f"{spec.file}: expected I/O {[s.name for s in specs]}, found {names}")
        for value, s in zip(values, specs):
            _set_value_info(value, s)
    del model.graph.value_info[:]
    return model


def _export(module: torch.nn.Module, spec: GraphSpec, sizes: Dict[str, int]) -> onnx.ModelProto:
    args = tuple(_example(s, sizes) for s in spec.inputs)
    dynamic_axes = {}
    for s in spec.inputs + spec.outputs:
        axes = {i: d for i, d in enumerate(s.shape) if isinstance(d, str)}
        if axes:
            dynamic_axes[s.name] = axes
    buffer = io.BytesIO()
    torch.manual_seed(0)
    with torch.no_grad(), warnings.catch_warnings():
        # nn.MultiheadAttention's shape assertions trace as constants; the shapes they check
        # are fixed by the model, so the warnings say nothing about our graphs.
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            module,
            args,
            buffer,
            opset_version=OPSET,
            input_names=[s.name for s in spec.inputs],
            output_names=[s.name for s in spec.outputs],
            dynamic_axes=dynamic_axes,
            do_constant_folding=True,
            training=torch.onnx.TrainingMode.EVAL,
        )
    return _normalize_model(onnx.load_from_string(buffer.getvalue()), spec)


def export_graphs(model: InCTRL) -> Dict[str, Tuple[GraphSpec, bytes]]:
    """Exports the three graphs; returns {key: (spec, serialized ONNX model)}."""
    model.eval()
    specs = graph_specs(model.config)
    # Example sizes differ from any fixed dimension so that a baked-in size shows up.
    sizes = {"batch": 2, "shot_patches": 3 * model.config.vision.patches}
    modules = {
        "image_encoder": ImageEncoder(model),
        "scorer": Scorer(model),
        "text_encoder": TextEncoder(model),
    }
    out = {}
    for key, spec in specs.items():
        proto = _export(modules[key].eval(), spec, sizes)
        onnx.checker.check_model(proto)
        out[key] = (spec, proto.SerializeToString())
    return out


def declared_io(proto: onnx.ModelProto) -> Tuple[List[TensorSpec], List[TensorSpec]]:
    """The inputs and outputs a graph declares, in the manifest's terms."""

    def convert(values: Sequence[onnx.ValueInfoProto]) -> List[TensorSpec]:
        specs = []
        for v in values:
            t = v.type.tensor_type
            dims = tuple(d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim)
            specs.append(TensorSpec(v.name, _TYPE_NAMES.get(t.elem_type, str(t.elem_type)), dims))
        return specs

    initializers = {i.name for i in proto.graph.initializer}
    inputs = [v for v in proto.graph.input if v.name not in initializers]
    return convert(inputs), convert(proto.graph.output)
