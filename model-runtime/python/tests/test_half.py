"""Tests of inctrl_export.half (fp16 bundles) and of the numpy evaluator that checks them.

There is no ONNX Runtime for Python here and its CPU provider has no fp16 kernels: the fp16
graphs are run with inctrl_export.onnx_eval, which is itself checked against PyTorch.
"""

import json

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper

from inctrl_export.__main__ import main as cli
from inctrl_export.bundle import BundleError, verify_bundle
from inctrl_export.graphs import ImageEncoder
from inctrl_export.half import FP16_MAX, half_bundle, half_model
from inctrl_export.onnx_eval import EvaluationError, evaluate
from inctrl_export.quantize import quantize_bundle


@pytest.fixture(scope="module")
def encoder(tiny_bundle):
    return onnx.load(str(tiny_bundle / "image_encoder.onnx"))


@pytest.fixture(scope="module")
def pixels():
    return np.random.default_rng(3).normal(0, 1, (2, 3, 240, 240)).astype(np.float32)


def _relative_error(expected, found):
    return float(np.linalg.norm(found - expected) / np.linalg.norm(expected))


def test_the_evaluator_runs_the_fp32_encoder_as_pytorch_does(tiny_built, encoder, pixels):
    with torch.inference_mode():
        expected = ImageEncoder(tiny_built.model).eval()(torch.from_numpy(pixels))
    found = evaluate(encoder, {"pixels": pixels})

    assert [f.shape for f in found] == [tuple(e.shape) for e in expected]
    for e, f in zip(expected, found):
        np.testing.assert_allclose(f, e.numpy(), rtol=1e-4, atol=1e-5)


def test_the_evaluator_refuses_what_it_does_not_know():
    graph = helper.make_graph(
        [helper.make_node("Tanh", ["x"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
    )
    with pytest.raises(EvaluationError, match="does not know the op Tanh"):
        evaluate(helper.make_model(graph), {"x": np.zeros(2, np.float32)})


def test_weights_and_arithmetic_become_fp16_with_fp32_io(encoder):
    half, report = half_model(encoder)
    onnx.checker.check_model(half)
    onnx.shape_inference.infer_shapes(half, check_type=True, strict_mode=True)

    def io(model):
        return [
            (v.name, v.type.tensor_type.elem_type, str(v.type.tensor_type.shape))
            for v in list(model.graph.input) + list(model.graph.output)
        ]

    assert io(half) == io(encoder)
    initializers = {i.name: i for i in half.graph.initializer}
    weights = [
        initializers[name]
        for node in half.graph.node
        if node.op_type in ("MatMul", "Gemm", "Conv")
        for name in node.input
        if name in initializers
    ]
    assert len(weights) > 20
    assert all(w.data_type == TensorProto.FLOAT16 for w in weights)
    producers = {o: n for n in half.graph.node for o in n.output}
    kept = [n for n in half.graph.node if n.op_type in ("LayerNormalization", "Softmax")]
    assert len(kept) == report.fp32_nodes > 0
    for node in kept:  # computed in fp32: the data input cast up, the weights left fp32
        assert producers[node.input[0]].op_type == "Cast"
        assert helper.get_attribute_value(producers[node.input[0]].attribute[0]) == TensorProto.FLOAT
        for name in node.input[1:]:
            assert initializers[name].data_type == TensorProto.FLOAT
    assert report.fp16_weight_bytes * 2 == report.fp32_weight_bytes > 0


def test_fp16_outputs_stay_close_to_fp32(encoder, pixels):
    half, _ = half_model(encoder)
    expected = evaluate(encoder, {"pixels": pixels})
    found = evaluate(half, {"pixels": pixels})

    assert all(f.dtype == np.float32 for f in found)
    patch_tokens, embedding, adapted = (_relative_error(e, f) for e, f in zip(expected, found))
    # Measured: 0.08%, 0.3% and 0.5% (int8 with the class token in fp32: 0.7% and 0.9%).
    assert 0 < patch_tokens < 0.003
    assert 0 < embedding < 0.01
    assert 0 < adapted < 0.015


def test_values_beyond_the_fp16_range_are_clipped_not_infinite():
    big = np.array([1e6, -1e6, 3.0], np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Constant", [], ["c"], value=numpy_helper.from_array(big, "c")),
            helper.make_node("Mul", ["x", "c"], ["y"]),
            helper.make_node("Add", ["y", "w"], ["z"]),
        ],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [3])],
        [numpy_helper.from_array(big, "w")],
    )
    half, _ = half_model(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))
    (z,) = evaluate(half, {"x": np.zeros(3, np.float32)})

    np.testing.assert_array_equal(z, np.array([FP16_MAX, -FP16_MAX, 3.0], np.float32))


def test_initializers_listed_as_inputs_are_refused(encoder):
    model = onnx.ModelProto.FromString(encoder.SerializeToString())
    weight = model.graph.initializer[0]
    model.graph.input.append(
        helper.make_tensor_value_info(weight.name, weight.data_type, list(weight.dims))
    )
    with pytest.raises(ValueError, match="found initializers listed as inputs"):
        half_model(model)


def test_bundle_is_rewritten_consistently(tiny_bundle, tmp_path):
    out = tmp_path / "fp16"
    reports = half_bundle(tiny_bundle, out)

    before = json.loads((tiny_bundle / "manifest.json").read_text(encoding="utf-8"))
    after = verify_bundle(out)
    assert reports["image_encoder"].fp16_initializers > 0
    assert after["model"]["version"] == before["model"]["version"] + "-fp16"
    assert after["model"]["precision"] == "fp16"
    assert after["graphs"] == before["graphs"]
    assert after["notes"][:-1] == before["notes"]
    assert after["notes"][-1].startswith("precision: fp16 by inctrl_export.half (image_encoder:")
    changed = {
        e["path"] for e, f in zip(before["files"], after["files"]) if e["sha256"] != f["sha256"]
    }
    assert changed == {"image_encoder.onnx"}


def test_only_an_fp32_bundle_is_converted(tiny_bundle, tmp_path):
    quantize_bundle(tiny_bundle, tmp_path / "int8", min_weight_elements=0)
    assert verify_bundle(tmp_path / "int8")["model"]["precision"] == "int8"

    with pytest.raises(BundleError, match="expected an fp32 bundle in .*int8, found model.precision 'int8'"):
        half_bundle(tmp_path / "int8", tmp_path / "fp16")
    with pytest.raises(BundleError, match="--out must differ from --in"):
        half_bundle(tiny_bundle, tiny_bundle)


def test_command_line(tiny_bundle, tmp_path, capsys):
    assert cli(["half", "--in", str(tiny_bundle), "--out", str(tmp_path / "h")]) == 0
    assert verify_bundle(tmp_path / "h")["model"]["precision"] == "fp16"
    assert "image_encoder:" in capsys.readouterr().err
    assert cli(["half", "--in", str(tmp_path / "none"), "--out", str(tmp_path / "h2")]) == 2
    assert "expected a bundle with manifest.json in" in capsys.readouterr().err
