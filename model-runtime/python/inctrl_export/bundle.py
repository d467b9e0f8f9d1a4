"""Model bundles: building the model for a variant, writing and reading the bundle directory."""

import copy
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
import torch

from . import EXPORTER_ID, jsonio
from .calibrate import calibrate
from .config import IMAGE_SIZE, LOGIT_SCALE, MEAN, STD, ModelConfig, official_config, tiny_config, with_tap_layers
from .model import InCTRL
from .onnx_export import declared_io, export_graphs, graph_specs
from .tokenizer import (
    ANOMALOUS_STATES,
    NORMAL_STATES,
    SPECIAL_ANOMALOUS,
    SPECIAL_CATEGORIES,
    SPECIAL_NORMAL,
    TEMPLATES,
    ClipTokenizer,
    learn_merges,
    prompt_corpus,
    write_bpe_file,
)
from .weights import init_seeded, load_checkpoint

FORMAT = "inctrl-model-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PROTOTYPES_FILE = "text_prototypes.json"
TINY_BPE_FILE = "bpe_merges.txt"
DEFAULT_CATEGORIES = ("candle", "capsule", "screw", "pcb", "bottle", "metal_nut", "airplane")
# The tiny merge list is learned on the prompts of these categories, whatever --categories
# says, so that the tiny model (whose vocabulary size depends on it) stays the same.
TINY_BPE_CATEGORIES = DEFAULT_CATEGORIES
TINY_MAX_MERGES = 2000


class BundleError(ValueError):
    pass


@dataclass
class BuiltModel:
    model: InCTRL
    tokenizer: ClipTokenizer
    weights: str  # "seed:N" or "checkpoint:sha256:<hex>"
    bpe_path: Path  # merges file to copy into the bundle
    bpe_name: str  # its name inside the bundle


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tiny_merges() -> List[tuple]:
    return learn_merges(prompt_corpus(TINY_BPE_CATEGORIES), TINY_MAX_MERGES)


def build_model(
    variant: str,
    *,
    seed: Optional[int] = None,
    checkpoint: Optional[Path] = None,
    bpe: Optional[Path] = None,
    tap_layers: Optional[Sequence[int]] = None,
    work_dir: Optional[Path] = None,
) -> BuiltModel:
    """The model of a variant with seeded (calibrated) or checkpoint weights, and its tokenizer.

    ``work_dir`` receives the tiny variant's learned merge list (bpe_merges.txt).
    """
    if (seed is None) == (checkpoint is None):
        raise BundleError("give exactly one of a seed or a checkpoint")
    if variant == "tiny":
        if bpe is not None:
            raise BundleError("the tiny variant learns its own merge list; do not pass --bpe")
        if work_dir is None:
            raise BundleError("the tiny variant needs a work directory for its merge list")
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        bpe_path = Path(work_dir) / TINY_BPE_FILE
        write_bpe_file(bpe_path, tiny_merges())
        tokenizer = ClipTokenizer(bpe_path)
        config = tiny_config(tokenizer.vocab_size)
        bpe_name = TINY_BPE_FILE
    elif variant == "official":
        if bpe is None:
            raise BundleError(
                "the official variant needs CLIP's BPE file (bpe_simple_vocab_16e6.txt.gz, shipped "
                "with open_clip) via --bpe"
            )
        bpe_path = Path(bpe)
        tokenizer = ClipTokenizer(bpe_path)
        config = official_config()
        if tokenizer.vocab_size != config.text.vocab_size:
            raise BundleError(
                f"BPE file {bpe_path} gives a vocabulary of {tokenizer.vocab_size} entries; "
                f"the official model expects {config.text.vocab_size}"
            )
        bpe_name = bpe_path.name
    else:
        raise BundleError(f"unknown variant {variant!r}: expected 'tiny' or 'official'")
    if tap_layers is not None:
        try:
            config = with_tap_layers(config, tap_layers)
        except ValueError as e:
            raise BundleError(str(e)) from e

    torch.manual_seed(0)
    model = InCTRL(config)
    if checkpoint is not None:
        weights = "checkpoint:sha256:" + load_checkpoint(model, checkpoint)
    else:
        init_seeded(model, seed)
        calibrate(model, tokenizer, seed)
        weights = f"seed:{seed}"
    model.eval()
    return BuiltModel(model, tokenizer, weights, bpe_path, bpe_name)


@torch.no_grad()
def compute_prototypes(model: InCTRL, tokenizer, categories: Sequence[str]) -> Dict[str, np.ndarray]:
    """{category: [2,E] float32}, computed in float64 (independent of BLAS summation order)."""
    work = copy.deepcopy(model).double()
    return {c: work.text_prototypes(tokenizer, c).to(torch.float32).numpy() for c in categories}


def _text_section(config: ModelConfig, tokenizer: ClipTokenizer, bpe_name: str) -> dict:
    t = config.text
    return {
        "width": t.width,
        "layers": t.layers,
        "heads": t.heads,
        "context_length": t.context_length,
        "vocab_size": t.vocab_size,
        "bpe_file": bpe_name,
        "bpe_merges": tokenizer.num_merges,
        "sot_token": tokenizer.sot_token,
        "eot_token": tokenizer.eot_token,
        "normal_states": list(NORMAL_STATES),
        "anomalous_states": list(ANOMALOUS_STATES),
        "templates": list(TEMPLATES),
        "special_categories": list(SPECIAL_CATEGORIES),
        "special_normal": SPECIAL_NORMAL,
        "special_anomalous": SPECIAL_ANOMALOUS,
    }


def _notes(built: BuiltModel) -> List[str]:
    c = built.model.config
    notes = []
    if c.variant == "tiny":
        notes.append(
            f"Tiny variant for tests: same graphs as InCTRL on ViT-B-16-plus-240 at reduced size "
            f"(vision width {c.vision.width}, {c.vision.layers} blocks, {c.vision.heads} heads, "
            f"taps {list(c.vision.tap_layers)}; embedding {c.embed_dim}; text width {c.text.width}, "
            f"{c.text.layers} layers, {c.text.heads} heads, vocabulary {c.text.vocab_size}). "
            f"Input size, patch size, grid, context length and the heads' hidden sizes are the official ones."
        )
        notes.append(
            f"Its BPE merge list ({built.tokenizer.num_merges} merges) is learned by the exporter on "
            f"the prompt ensembles of {', '.join(TINY_BPE_CATEGORIES)}."
        )
    if built.weights.startswith("seed:"):
        notes.append(
            "Random weights (not a trained model, scores carry no meaning): seeded initialization, "
            "then ln_final, the heads' BatchNorm statistics and their last layers calibrated on "
            "synthetic images so that the score components spread over (0, 1)."
        )
    notes.append(
        "Scores follow the reference at batch size 1; the graphs never mix rows of the batch axis."
    )
    return notes


def check_out_dir(out: Path) -> None:
    """A bundle is written only into a missing or empty directory, or over a previous bundle."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())):
        raise BundleError(f"{out} exists and is neither empty nor a bundle; not overwriting it")


def _prepare_dir(out: Path) -> None:
    check_out_dir(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)


def write_bundle(
    built: BuiltModel,
    out: Path,
    categories: Sequence[str] = DEFAULT_CATEGORIES,
    name: Optional[str] = None,
    version: str = "1",
) -> dict:
    """Exports the graphs and writes the bundle directory; returns the manifest."""
    out = Path(out)
    model, config = built.model, built.model.config
    graphs = export_graphs(model)
    prototypes = compute_prototypes(model, built.tokenizer, categories)

    _prepare_dir(out)
    for key, (spec, data) in graphs.items():
        (out / spec.file).write_bytes(data)
    shutil.copyfile(built.bpe_path, out / built.bpe_name)
    jsonio.write(
        out / PROTOTYPES_FILE,
        {
            "embed_dim": config.embed_dim,
            "categories": {
                c: {"normal": p[0], "anomalous": p[1]} for c, p in prototypes.items()
            },
        },
    )

    files = sorted(p.name for p in out.iterdir())
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": {
            "name": name or f"inctrl-{config.variant}",
            "version": version,
            "variant": config.variant,
            "weights": built.weights,
            "exporter": EXPORTER_ID,
        },
        "preprocess": {
            "image_size": IMAGE_SIZE,
            "interpolation": "bicubic-antialias",
            "mean": list(MEAN),
            "std": list(STD),
        },
        "vision": {
            "width": config.vision.width,
            "layers": config.vision.layers,
            "heads": config.vision.heads,
            "patch_size": config.vision.patch_size,
            "grid": config.vision.grid,
            "patches": config.vision.patches,
            "tap_layers": list(config.vision.tap_layers),
            "embed_dim": config.embed_dim,
            "adapter_dim": config.adapter_dim,
        },
        "text": _text_section(config, built.tokenizer, built.bpe_name),
        "scoring": {"logit_scale": LOGIT_SCALE},
        "graphs": {key: spec.to_json() for key, (spec, _) in graphs.items()},
        "prototypes": {"file": PROTOTYPES_FILE, "categories": list(categories)},
        "files": [
            {"path": f, "size": (out / f).stat().st_size, "sha256": sha256_file(out / f)} for f in files
        ],
        "notes": _notes(built),
    }
    jsonio.write(out / MANIFEST, manifest)
    return manifest


def read_manifest(bundle_dir: Path) -> dict:
    import json

    with open(Path(bundle_dir) / MANIFEST, encoding="utf-8") as f:
        return json.load(f)


def verify_bundle(bundle_dir: Path) -> dict:
    """Checks files (size, sha256) and each graph's declared I/O against the manifest."""
    bundle_dir = Path(bundle_dir)
    manifest = read_manifest(bundle_dir)
    problems = []
    listed = {entry["path"] for entry in manifest["files"]}
    present = {p.name for p in bundle_dir.iterdir()} - {MANIFEST}
    if listed != present:
        problems.append(f"files listed {sorted(listed)} but present {sorted(present)}")
    for entry in manifest["files"]:
        path = bundle_dir / entry["path"]
        if not path.exists():
            continue
        if path.stat().st_size != entry["size"]:
            problems.append(f"{entry['path']}: size {path.stat().st_size}, manifest says {entry['size']}")
        if sha256_file(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: sha256 differs from the manifest")
    for key, graph in manifest["graphs"].items():
        if not (bundle_dir / graph["file"]).exists():
            problems.append(f"{key}: graph file {graph['file']} is missing")
            continue
        proto = onnx.load(str(bundle_dir / graph["file"]))
        inputs, outputs = declared_io(proto)
        if [t.to_json() for t in inputs] != graph["inputs"]:
            problems.append(f"{key}: inputs {[t.to_json() for t in inputs]} != manifest {graph['inputs']}")
        if [t.to_json() for t in outputs] != graph["outputs"]:
            problems.append(f"{key}: outputs {[t.to_json() for t in outputs]} != manifest {graph['outputs']}")
    if problems:
        raise BundleError(f"bundle {bundle_dir} is inconsistent: " + "; ".join(problems))
    return manifest


def rebuild_model(bundle_dir: Path, checkpoint: Optional[Path] = None, work_dir: Optional[Path] = None) -> BuiltModel:
    """The PyTorch model a bundle was exported from (seeded: rebuilt; checkpoint: reloaded)."""
    bundle_dir = Path(bundle_dir)
    manifest = verify_bundle(bundle_dir)
    variant = manifest["model"]["variant"]
    weights = manifest["model"]["weights"]
    taps = manifest["vision"]["tap_layers"]
    bpe = None if variant == "tiny" else bundle_dir / manifest["text"]["bpe_file"]
    if weights.startswith("seed:"):
        built = build_model(variant, seed=int(weights[5:]), bpe=bpe, tap_layers=taps, work_dir=work_dir)
    else:
        if checkpoint is None:
            raise BundleError(f"bundle weights are {weights}: pass the checkpoint file")
        built = build_model(variant, checkpoint=checkpoint, bpe=bpe, tap_layers=taps, work_dir=work_dir)
        if built.weights != weights:
            raise BundleError(f"checkpoint is {built.weights}, the bundle was made from {weights}")
    hashes = {e["path"]: e["sha256"] for e in manifest["files"]}
    rebuilt = {spec.file: hashlib.sha256(data).hexdigest() for spec, data in export_graphs(built.model).values()}
    rebuilt[manifest["text"]["bpe_file"]] = sha256_file(built.bpe_path)
    for file, digest in sorted(rebuilt.items()):
        if hashes.get(file) != digest:
            raise BundleError(f"rebuilt model does not reproduce {file} of {bundle_dir}")
    return built
