"""Command line: ``python3 -m inctrl_export {export,golden,tiny,verify,quantize,half,bench,train} ...``."""

import argparse
import sys
import tempfile
from pathlib import Path

import torch

from . import bench, half, quantize, train
from .bundle import DEFAULT_CATEGORIES, BundleError, build_model, check_out_dir, verify_bundle, write_bundle
from .dataset import DatasetError
from .golden import golden_from_bundle, write_golden
from .weights import CheckpointError

MODULE_DIR = Path(__file__).resolve().parents[2]  # model-runtime/
TINY_BUNDLE_DIR = MODULE_DIR / "bundles" / "inctrl-tiny"
TINY_GOLDEN_DIR = MODULE_DIR / "src" / "test" / "resources" / "golden" / "tiny"


def _deterministic() -> None:
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)


def _taps(text):
    """argparse type of --tap-layers: comma-separated block indices."""
    try:
        return [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated block indices such as 6,8,10, found {text!r}") from None


def cmd_export(args) -> None:
    categories = [c for c in args.categories.split(",") if c] if args.categories else list(DEFAULT_CATEGORIES)
    check_out_dir(args.out)
    with tempfile.TemporaryDirectory() as work:
        built = build_model(
            args.variant,
            seed=args.seed if args.checkpoint is None else None,
            checkpoint=args.checkpoint,
            bpe=args.bpe,
            tap_layers=args.tap_layers,
            work_dir=Path(work),
        )
        manifest = write_bundle(built, args.out, categories, name=args.name, version=args.model_version)
    _report_bundle(args.out, manifest)


def cmd_golden(args) -> None:
    with tempfile.TemporaryDirectory() as work:
        golden = golden_from_bundle(args.bundle_dir, args.out, checkpoint=args.checkpoint, work_dir=Path(work))
    print(f"golden vectors for {golden['bundle']['model_id']} written to {args.out}")


def cmd_tiny(args) -> None:
    with tempfile.TemporaryDirectory() as work:
        built = build_model("tiny", seed=0, work_dir=Path(work))
        manifest = write_bundle(built, args.bundle_out, DEFAULT_CATEGORIES)
        write_golden(built, args.bundle_out, args.golden_out)
    _report_bundle(args.bundle_out, manifest)
    print(f"golden vectors written to {args.golden_out}")


def cmd_verify(args) -> None:
    manifest = verify_bundle(args.bundle_dir)
    print(f"{args.bundle_dir}: {manifest['model']['name']}@{manifest['model']['version']} is consistent")


def _report_bundle(out, manifest) -> None:
    total = sum(f["size"] for f in manifest["files"])
    print(f"bundle {manifest['model']['name']}@{manifest['model']['version']} ({manifest['model']['weights']}) "
          f"written to {out}: {len(manifest['files'])} files, {total} bytes")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m inctrl_export", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("export", help="export a model bundle")
    p.add_argument("--variant", choices=["tiny", "official"], required=True)
    weights = p.add_mutually_exclusive_group()
    weights.add_argument("--seed", type=int, default=0, help="seeded random weights (default 0)")
    weights.add_argument("--checkpoint", type=Path, help="reference checkpoint (.pth: weights under model_state)")
    p.add_argument("--bpe", type=Path, help="CLIP's bpe_simple_vocab_16e6.txt.gz (official variant)")
    p.add_argument("--categories", help=f"comma-separated (default {','.join(DEFAULT_CATEGORIES)})")
    p.add_argument("--tap-layers", type=_taps, help="zero-based tapped blocks, e.g. 6,8,10")
    p.add_argument("--name", help="model name (default inctrl-<variant>)")
    p.add_argument("--model-version", default="1")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("golden", help="write golden vectors for a bundle")
    p.add_argument("--bundle-dir", type=Path, required=True)
    p.add_argument("--checkpoint", type=Path, help="needed when the bundle was made from a checkpoint")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_golden)

    p = sub.add_parser("tiny", help="regenerate the committed tiny bundle and its golden vectors")
    p.add_argument("--bundle-out", type=Path, default=TINY_BUNDLE_DIR)
    p.add_argument("--golden-out", type=Path, default=TINY_GOLDEN_DIR)
    p.set_defaults(func=cmd_tiny)

    p = sub.add_parser("verify", help="check a bundle's files and graph I/O against its manifest")
    p.add_argument("--bundle-dir", type=Path, required=True)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("quantize", help="write an int8 copy of a bundle (see BENCHMARKS.md for its drift)")
    quantize.add_arguments(p)
    p.set_defaults(func=quantize.run_args)

    p = sub.add_parser("half", help="write an fp16 copy of a bundle for CUDA (docs/gpu.md)")
    half.add_arguments(p)
    p.set_defaults(func=half.run_args)

    p = sub.add_parser("bench", help="PyTorch throughput of encoder + scorer (see BENCHMARKS.md)")
    bench.add_arguments(p)
    p.set_defaults(func=bench.run_args)

    p = sub.add_parser("train", help="train the adapter and the two heads on MVTec-layout data (docs/training.md)")
    train.add_arguments(p)
    p.set_defaults(func=train.run_args)

    args = parser.parse_args(argv)
    _deterministic()
    try:
        args.func(args)
    except (BundleError, CheckpointError, DatasetError, train.TrainingError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
