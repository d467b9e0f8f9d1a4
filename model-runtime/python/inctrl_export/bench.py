"""PyTorch throughput of the exporter's own model: the same work as the Java engine per frame.

One timed step is: the exported ``ImageEncoder`` on a batch of preprocessed frames, then the
exported ``Scorer`` of that batch against a line's bank of K = 4 shots that was built once
beforehand (``shot_patch_bank``/``shot_adapted_mean``), exactly what
``ScoringBenchmark.encodeAndScore`` times on ONNX Runtime. After ``--warmup`` untimed steps,
``--iterations`` steps are timed one by one; the result is the median, as frames/s.

PyTorch runs its matrix products through the system BLAS. With OpenBLAS, its own thread pool
competes with PyTorch's OpenMP threads: one BLAS thread is best for small products (tiny),
``--threads`` BLAS threads for large ones (official size). So that PyTorch is measured at its
best, the warmup runs once per BLAS thread count in ``--blas-threads`` (default 1 and
``--threads``) and the faster one is kept for the timed steps (reported as ``blas_threads``).

Prints one JSON line per (variant, batch) to stdout. The text tower is not timed (prototypes
are per line, not per frame), so its vocabulary size does not matter here; the weights are
seeded (not calibrated), which does not change the amount of work.

    /usr/bin/python3 -m inctrl_export.bench --variant official --batch 1,8,32 --threads 2
"""

import argparse
import ctypes
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import torch

from .config import ModelConfig, official_config, tiny_config, with_tap_layers
from .graphs import ImageEncoder, Scorer, shot_adapted_mean, shot_patch_bank
from .model import InCTRL
from .weights import init_seeded

SHOTS = 4
# Vocabulary of the tiny text tower when no bundle says better: untimed, so any size will do.
_TINY_VOCAB = 2514


def loaded_blas() -> str:
    """The BLAS library this process mapped (PyTorch's CPU matrix products go through it)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ",".join(sorted(paths)) or "none mapped"


class BlasThreads:
    """Sets OpenBLAS's thread count at run time (openblas_set_num_threads), when it is loaded."""

    def __init__(self, paths: str):
        self._set = None
        for path in paths.split(","):
            if "openblas" in path.lower():
                try:
                    self._set = ctypes.CDLL(path).openblas_set_num_threads
                    break
                except (OSError, AttributeError):
                    continue

    @property
    def available(self) -> bool:
        return self._set is not None

    def set(self, count: int) -> None:
        if self._set is not None:
            self._set(int(count))


def blas_kind(paths: str) -> str:
    lowered = paths.lower()
    for kind in ("openblas", "mkl", "blis"):
        if kind in lowered:
            return kind
    if "/blas/libblas" in lowered:
        return "reference"
    return "unknown"


def model_config(variant: str, bundle: Optional[Path]) -> ModelConfig:
    if bundle is not None:
        manifest = json.loads((Path(bundle) / "manifest.json").read_text(encoding="utf-8"))
        variant = manifest["model"]["variant"]
        vocab = manifest["text"]["vocab_size"]
        config = official_config() if variant == "official" else tiny_config(vocab)
        return with_tap_layers(config, manifest["vision"]["tap_layers"])
    if variant == "official":
        return official_config()
    if variant == "tiny":
        return tiny_config(_TINY_VOCAB)
    raise ValueError(f"unknown variant {variant!r}: expected 'tiny' or 'official'")


class Workload:
    """The encoder and scorer of one model, a K-shot bank and the text prototypes."""

    def __init__(self, config: ModelConfig, seed: int = 0):
        torch.manual_seed(seed)
        model = InCTRL(config)
        init_seeded(model, seed)
        model.eval()
        self.config = config
        self.encoder = ImageEncoder(model).eval()
        self.scorer = Scorer(model).eval()
        generator = torch.Generator().manual_seed(seed)
        size = config.vision.image_size
        with torch.inference_mode():
            shot_tokens, _, shot_adapted = self.encoder(
                torch.randn(SHOTS, 3, size, size, generator=generator)
            )
            self.bank = shot_patch_bank(shot_tokens).contiguous()
            self.adapted_mean = shot_adapted_mean(shot_adapted)
            prototypes = torch.randn(2, config.embed_dim, generator=generator)
            self.prototypes = prototypes / prototypes.norm(dim=-1, keepdim=True)
        self._generator = generator

    def queries(self, batch: int) -> torch.Tensor:
        size = self.config.vision.image_size
        return torch.randn(batch, 3, size, size, generator=self._generator)

    def step(self, pixels: torch.Tensor):
        with torch.inference_mode():
            tokens, embedding, adapted = self.encoder(pixels)
            return self.scorer(
                tokens, embedding, adapted, self.bank, self.adapted_mean, self.prototypes
            )


def _timed_step(workload: Workload, pixels: torch.Tensor) -> float:
    start = time.perf_counter()
    workload.step(pixels)
    return time.perf_counter() - start


def choose_blas_threads(
    workload: Workload, pixels: torch.Tensor, warmup: int, blas: BlasThreads, candidates
) -> Tuple[Optional[int], Dict[str, float]]:
    """Runs the warmup once per candidate BLAS thread count; returns the fastest (by its last
    warmup step) and every candidate's last warmup time."""
    if not blas.available or len(candidates) < 2:
        for _ in range(warmup):
            workload.step(pixels)
        return (candidates[0] if blas.available and candidates else None), {}
    last = {}
    for count in candidates:
        blas.set(count)
        for _ in range(max(1, warmup)):
            last[count] = _timed_step(workload, pixels)
    best = min(candidates, key=lambda c: last[c])
    blas.set(best)
    return best, {str(c): round(t, 6) for c, t in last.items()}


def time_steps(workload: Workload, pixels: torch.Tensor, iterations: int) -> List[float]:
    seconds = []
    for _ in range(iterations):
        seconds.append(_timed_step(workload, pixels))
    return seconds


def run(
    variant: str,
    batches: Sequence[int],
    threads: int,
    warmup: int,
    iterations: int,
    bundle: Optional[Path] = None,
    blas_threads: Optional[Sequence[int]] = None,
    out=sys.stdout,
) -> List[dict]:
    torch.set_num_threads(threads)
    blas = loaded_blas()
    blas_control = BlasThreads(blas)
    candidates = list(blas_threads) if blas_threads else sorted({1, threads})
    workload = Workload(model_config(variant, bundle))
    rows = []
    for batch in batches:
        pixels = workload.queries(batch)
        chosen, tried = choose_blas_threads(workload, pixels, warmup, blas_control, candidates)
        seconds = time_steps(workload, pixels, iterations)
        median = statistics.median(seconds)
        row = {
            "bench": "pytorch",
            "variant": workload.config.variant,
            "batch": batch,
            "threads": threads,
            "warmup": warmup,
            "iterations": iterations,
            "median_s": round(median, 6),
            "min_s": round(min(seconds), 6),
            "max_s": round(max(seconds), 6),
            "frames_per_s": round(batch / median, 4),
            "torch": torch.__version__,
            "blas": blas_kind(blas),
            "blas_library": blas,
            "blas_threads": chosen,
            "blas_threads_warmup_s": tried,
            "machine": platform.machine(),
        }
        print(json.dumps(row, sort_keys=True), file=out, flush=True)
        rows.append(row)
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--variant", choices=["tiny", "official"], default="tiny")
    parser.add_argument(
        "--bundle", type=Path, help="take variant and architecture from this bundle's manifest"
    )
    parser.add_argument("--batch", default="1,8,32", help="comma-separated batch sizes")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps per batch size")
    parser.add_argument("--iterations", type=int, default=5, help="timed steps per batch size")
    parser.add_argument(
        "--blas-threads",
        help="comma-separated OpenBLAS thread counts to try in the warmup (default 1,THREADS)",
    )


def run_args(args: argparse.Namespace) -> int:
    batches = [int(b) for b in args.batch.split(",") if b]
    if not batches or min(batches) < 1:
        raise ValueError(f"--batch needs positive sizes, found {args.batch!r}")
    if args.threads < 1 or args.iterations < 1 or args.warmup < 0:
        raise ValueError("--threads and --iterations must be >= 1, --warmup >= 0")
    blas_threads = [int(c) for c in args.blas_threads.split(",")] if args.blas_threads else None
    run(
        args.variant,
        batches,
        args.threads,
        args.warmup,
        args.iterations,
        args.bundle,
        blas_threads,
    )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m inctrl_export.bench", description=__doc__)
    add_arguments(parser)
    return run_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
