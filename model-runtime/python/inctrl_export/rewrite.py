"""Writing a copy of a bundle with some of its graphs rewritten (int8, fp16).

The copy keeps every graph's inputs and outputs, so the runtime loads it like the original;
its manifest gets the new files' sizes and hashes, ``-<precision>`` appended to the model
version, ``model.precision`` and a note saying what was done.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence, TypeVar

import onnx

from . import jsonio
from .bundle import MANIFEST, BundleError, sha256_file

PRECISIONS = ("fp32", "int8", "fp16")

Report = TypeVar("Report")


def rewrite_bundle(
    in_dir,
    out_dir,
    graphs: Sequence[str],
    precision: str,
    rewrite: Callable[[str, onnx.ModelProto], "tuple[onnx.ModelProto, Report]"],
    note: Callable[[Dict[str, Report]], str],
    model_fields: Optional[Dict[str, object]] = None,
) -> Dict[str, Report]:
    """Writes ``in_dir`` to ``out_dir`` with each graph named in ``graphs`` replaced by
    ``rewrite(name, model)[0]`` (checked with onnx.checker) and every other file copied.
    ``note(reports)`` is appended to the manifest's notes and ``model_fields`` are set in its
    ``model`` section. Returns the reports by graph."""
    if precision not in PRECISIONS[1:]:
        raise ValueError(f"precision must be one of {PRECISIONS[1:]}, got {precision!r}")
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if in_dir.resolve() == out_dir.resolve():
        raise BundleError(f"--out must differ from --in, both are {in_dir}")
    manifest_path = in_dir / MANIFEST
    if not manifest_path.is_file():
        raise BundleError(f"expected a bundle with {MANIFEST} in {in_dir}, found none")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    source_precision = manifest["model"].get("precision", "fp32")
    if source_precision != "fp32":
        raise BundleError(
            f"expected an fp32 bundle in {in_dir}, found model.precision {source_precision!r}"
        )
    for name in graphs:
        if name not in manifest.get("graphs", {}):
            raise BundleError(
                f"graph {name!r} is not in the bundle; it has {sorted(manifest.get('graphs', {}))}"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    reports: Dict[str, Report] = {}
    rewritten = {manifest["graphs"][name]["file"]: name for name in graphs}
    for entry in manifest["files"]:
        source = in_dir / entry["path"]
        target = out_dir / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry["path"] in rewritten:
            name = rewritten[entry["path"]]
            model, report = rewrite(name, onnx.load(str(source)))
            onnx.checker.check_model(model)
            onnx.save(model, str(target))
            reports[name] = report
        else:
            shutil.copyfile(source, target)
        entry["size"] = os.path.getsize(target)
        entry["sha256"] = sha256_file(target)
    model_info = manifest["model"]
    model_info["version"] = f"{model_info['version']}-{precision}"
    model_info["precision"] = precision
    model_info.update(model_fields or {})
    manifest.setdefault("notes", []).append(note(reports))
    jsonio.write(out_dir / MANIFEST, manifest)
    return reports


def add_bundle_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """--in, --out and --graph (repeatable, default image_encoder) of a rewriting command."""
    parser.add_argument("--in", dest="in_dir", required=True, help="fp32 bundle directory")
    parser.add_argument("--out", dest="out_dir", required=True, help="directory to write")
    parser.add_argument(
        "--graph",
        action="append",
        dest="graphs",
        help=f"graph to {verb} (repeatable; default image_encoder)",
    )
