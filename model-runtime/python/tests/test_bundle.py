"""Bundle export: manifest consistency, graph I/O per the contract, determinism, golden vectors."""

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from PIL import Image

from inctrl_export.__main__ import TINY_BUNDLE_DIR, TINY_GOLDEN_DIR, main
from inctrl_export.bundle import BundleError, build_model, verify_bundle, write_bundle
from inctrl_export.golden import GOLDEN_FILE, write_golden
from inctrl_export.onnx_export import declared_io
from inctrl_export.preprocess import normalize, resize_and_crop

CONTRACT_IO = {
    "image_encoder": (["pixels"], ["patch_tokens", "embedding", "adapted"]),
    "scorer": (
        ["query_patch_tokens", "query_embedding", "query_adapted", "shot_patch_bank", "shot_adapted_mean", "text_prototypes"],
        ["final_score", "holistic_score", "patch_score", "image_score", "text_score", "patch_map"],
    ),
    "text_encoder": (["token_ids"], ["text_features"]),
}


def _hashes(directory: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def _keys_sorted_everywhere(value) -> bool:
    if isinstance(value, dict):
        return list(value) == sorted(value) and all(_keys_sorted_everywhere(v) for v in value.values())
    if isinstance(value, list):
        return all(_keys_sorted_everywhere(v) for v in value)
    return True


def test_manifest_lists_every_file_with_size_and_hash(tiny_bundle):
    manifest = verify_bundle(tiny_bundle)
    files = {p.name for p in tiny_bundle.iterdir()} - {"manifest.json"}
    assert {e["path"] for e in manifest["files"]} == files
    for entry in manifest["files"]:
        data = (tiny_bundle / entry["path"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert _keys_sorted_everywhere(json.loads((tiny_bundle / "manifest.json").read_text()))


def test_manifest_describes_the_model(tiny_built, tiny_bundle):
    manifest = verify_bundle(tiny_bundle)
    config = tiny_built.model.config
    assert manifest["format"] == "inctrl-model-bundle" and manifest["format_version"] == 1
    assert manifest["model"]["weights"] == "seed:0"
    assert manifest["model"]["variant"] == "tiny"
    assert manifest["vision"]["tap_layers"] == list(config.vision.tap_layers)
    assert manifest["vision"]["patches"] == config.vision.grid**2
    text = manifest["text"]
    assert text["vocab_size"] == tiny_built.tokenizer.vocab_size == text["bpe_merges"] + 514
    assert text["eot_token"] == text["vocab_size"] - 1 and text["sot_token"] == text["vocab_size"] - 2
    assert len(text["normal_states"]) * len(text["templates"]) == 154
    prototypes = json.loads((tiny_bundle / manifest["prototypes"]["file"]).read_text())
    assert sorted(prototypes["categories"]) == sorted(manifest["prototypes"]["categories"])
    for entry in prototypes["categories"].values():
        for row in (entry["normal"], entry["anomalous"]):
            assert len(row) == config.embed_dim
            assert abs(np.linalg.norm(np.array(row, np.float64)) - 1) < 1e-6


def test_graphs_have_the_contract_io(tiny_built, tiny_bundle):
    manifest = verify_bundle(tiny_bundle)
    c = tiny_built.model.config
    n, w, e = c.vision.patches, c.vision.width, c.embed_dim
    for key, (inputs, outputs) in CONTRACT_IO.items():
        proto = onnx.load(str(tiny_bundle / manifest["graphs"][key]["file"]))
        onnx.checker.check_model(proto)
        assert proto.opset_import[0].version == 17
        onnx.shape_inference.infer_shapes(proto, check_type=True, strict_mode=True)
        declared_in, declared_out = declared_io(proto)
        assert [t.name for t in declared_in] == inputs
        assert [t.name for t in declared_out] == outputs
        assert all(not node.doc_string for node in proto.graph.node)
    graphs = manifest["graphs"]
    shapes = {t["name"]: t["shape"] for g in graphs.values() for t in g["inputs"] + g["outputs"]}
    assert shapes["pixels"] == ["batch", 3, 240, 240]
    assert shapes["patch_tokens"] == ["batch", 3, n, w] == shapes["query_patch_tokens"]
    assert shapes["shot_patch_bank"] == [3, w, "shot_patches"]
    assert shapes["shot_adapted_mean"] == [e] and shapes["text_prototypes"] == [2, e]
    assert shapes["patch_map"] == ["batch", n] and shapes["final_score"] == ["batch"]
    assert shapes["token_ids"] == ["batch", 77] and shapes["text_features"] == ["batch", e]
    types = {t["name"]: t["type"] for g in graphs.values() for t in g["inputs"] + g["outputs"]}
    assert types["token_ids"] == "int64" and types["pixels"] == "float32"


def test_tampered_bundle_is_rejected(tiny_bundle, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in tiny_bundle.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    data = bytearray((copy / "text_prototypes.json").read_bytes())
    data[-3] = ord("7") if data[-3] != ord("7") else ord("8")
    (copy / "text_prototypes.json").write_bytes(bytes(data))
    with pytest.raises(BundleError, match="text_prototypes.json: sha256 differs from the manifest"):
        verify_bundle(copy)
    (copy / "scorer.onnx").unlink()
    with pytest.raises(BundleError, match="scorer.onnx"):
        verify_bundle(copy)


def test_export_and_golden_are_deterministic(tiny_built, tiny_bundle, tmp_path):
    again = build_model("tiny", seed=0, work_dir=tmp_path / "work2")
    write_bundle(again, tmp_path / "bundle")
    assert _hashes(tmp_path / "bundle") == _hashes(tiny_bundle)
    write_golden(tiny_built, tiny_bundle, tmp_path / "golden1")
    write_golden(again, tmp_path / "bundle", tmp_path / "golden2")
    assert _hashes(tmp_path / "golden1") == _hashes(tmp_path / "golden2")


def test_golden_vectors(tiny_built, tiny_bundle, tmp_path):
    golden = write_golden(tiny_built, tiny_bundle, tmp_path / "golden")
    stored = json.loads((tmp_path / "golden" / GOLDEN_FILE).read_text())
    assert len(stored["shots"]) == 3 and len(stored["queries"]) >= 4
    assert stored["category"] == "capsule"
    modes = {im["mode"] for im in stored["images"].values()}
    files = {im["file"].rsplit(".", 1)[1] for im in stored["images"].values()}
    assert {"RGB", "L"} <= modes and {"png", "jpg"} <= files
    assert any(im["width"] < 240 or im["height"] < 240 for im in stored["images"].values())
    for name, im in stored["images"].items():
        with Image.open(tmp_path / "golden" / im["file"]) as original:
            crop = resize_and_crop(original)
        with Image.open(tmp_path / "golden" / im["crop"]) as stored_crop:
            assert stored_crop.size == (240, 240) and stored_crop.mode == "RGB"
            assert np.array_equal(np.asarray(stored_crop), np.asarray(crop)), name
    model = tiny_built.model
    prototypes = np.array([stored["text_prototypes"]["normal"], stored["text_prototypes"]["anomalous"]], np.float32)
    import torch

    shots = torch.stack([normalize(Image.open(tmp_path / "golden" / stored["images"][n]["crop"])) for n in stored["shots"]])
    for name, expected in stored["queries"].items():
        query = normalize(Image.open(tmp_path / "golden" / stored["images"][name]["crop"]))
        got = model.score_components(query, shots, torch.from_numpy(prototypes))
        for key, value in expected.items():
            # float32 values survive the JSON round trip exactly
            assert np.array_equal(np.float32(got[key].numpy()), np.array(value, np.float32)), (name, key)
    long_text = [t for t in stored["tokens"] if len(t["ids"]) == 77]
    assert long_text and long_text[0]["ids"][-1] == tiny_built.tokenizer.eot_token
    assert golden["bundle"]["files"] == {e["path"]: e["sha256"] for e in verify_bundle(tiny_bundle)["files"]}


def test_committed_tiny_bundle_is_current(tiny_bundle):
    """`python3 -m inctrl_export tiny` output is committed; it must match the exporter."""
    verify_bundle(TINY_BUNDLE_DIR)
    assert _hashes(TINY_BUNDLE_DIR) == _hashes(tiny_bundle)


def test_committed_golden_matches_the_model(tiny_built):
    # Not bit for bit: float32 results depend on the BLAS library (about 2e-6 between
    # OpenBLAS and the reference BLAS); the bundle itself does not.
    stored = json.loads((TINY_GOLDEN_DIR / GOLDEN_FILE).read_text())
    assert stored["bundle"]["files"] == {e["path"]: e["sha256"] for e in verify_bundle(TINY_BUNDLE_DIR)["files"]}
    import torch

    prototypes = torch.tensor([stored["text_prototypes"]["normal"], stored["text_prototypes"]["anomalous"]])
    crops = {n: normalize(Image.open(TINY_GOLDEN_DIR / im["crop"])) for n, im in stored["images"].items()}
    shots = torch.stack([crops[n] for n in stored["shots"]])
    for name, expected in stored["queries"].items():
        got = tiny_built.model.score_components(crops[name], shots, prototypes)
        for key, value in expected.items():
            assert np.abs(got[key].numpy() - np.array(value, np.float32)).max() <= 1e-5, (name, key)


def test_cli_reports_a_missing_bpe_file_for_the_official_variant(tmp_path, capsys):
    assert main(["export", "--variant", "official", "--out", str(tmp_path / "b")]) == 2
    assert "needs CLIP's BPE file" in capsys.readouterr().err


def test_cli_refuses_to_overwrite_a_directory_that_is_not_a_bundle(tmp_path, capsys):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["export", "--variant", "tiny", "--out", str(out)]) == 2
    assert "neither empty nor a bundle" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "keep me"


def test_bundle_from_a_checkpoint_records_its_hash_and_needs_it_for_golden(tiny_built, tmp_path):
    import torch

    from inctrl_export.golden import golden_from_bundle

    path = tmp_path / "tiny.pyth"
    torch.save({"epoch": 1, "model_state": tiny_built.model.state_dict()}, path)
    built = build_model("tiny", checkpoint=path, work_dir=tmp_path / "work")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = write_bundle(built, tmp_path / "bundle", categories=["screw"])
    assert manifest["model"]["weights"] == f"checkpoint:sha256:{digest}"
    assert manifest["prototypes"]["categories"] == ["screw"]
    with pytest.raises(BundleError, match="pass the checkpoint file"):
        golden_from_bundle(tmp_path / "bundle", tmp_path / "golden", work_dir=tmp_path / "w1")
    other = tmp_path / "other.pyth"
    torch.save({"model_state": tiny_built.model.state_dict(), "epoch": 2}, other)
    with pytest.raises(BundleError, match="the bundle was made from checkpoint:sha256:"):
        golden_from_bundle(tmp_path / "bundle", tmp_path / "golden", checkpoint=other, work_dir=tmp_path / "w2")
    golden = golden_from_bundle(tmp_path / "bundle", tmp_path / "golden", checkpoint=path, work_dir=tmp_path / "w3")
    assert golden["bundle"]["weights"] == manifest["model"]["weights"]
    assert golden["category"] == "screw"  # the bundle's only category
