"""What the image encoder costs on a GPU: frames/s and the fraction of the GPU's peak.

One short run for a machine with a GPU, PyTorch and (maybe) ONNX Runtime but no JDK and no
model files (BENCHMARKS.md, "CUDA"). It builds the model from the exporter's own modules with
random weights (timing does not depend on the weights), then times, per batch size:

- ``torch-fp32`` / ``torch-tf32`` / ``torch-fp16``: the exporter's ``ImageEncoder`` module in
  PyTorch (fp32 with TF32 matrix products off and on; fp16 weights and activations);
- ``ort-fp32`` / ``ort-fp16``: the bundle's image encoder graph, exported as the bundle exports
  it (``inctrl_export.onnx_export``) and converted as ``inctrl_export half`` converts it, run
  by the installed ONNX Runtime's CUDA provider (skipped, saying why, when the package, its CUDA
  provider or the ``onnx`` package is missing). Inputs are copied from the host for every run,
  as the engine does.

Prints one JSON line per measurement (and writes them to --out): frames/s from the median of
the timed steps, achieved TFLOP/s from the encoder's FLOPs per frame (counted from the model's
shapes), and that as a fraction of --peak-tflops for the precision (defaults for an H200 SXM:
989 dense fp16/bf16 tensor TFLOP/s, 494 TF32, 67 fp32). On a machine without CUDA it runs the
same code on the CPU (fp32 only; no fraction of a peak unless --peak-tflops gives one), which
is how it is tested (``tests/test_gpu_bench.py``):

    PYTHONPATH=model-runtime/python python3 -m inctrl_export.gpu_bench --device cpu \\
        --variant tiny --batches 1,2 --iterations 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import torch

from .config import ModelConfig, official_config, tiny_config
from .graphs import ImageEncoder
from .model import InCTRL

# H200 SXM, dense (NVIDIA's data sheet): fp16/bf16 tensor cores, TF32 tensor cores, fp32 cores.
DEFAULT_PEAK_TFLOPS = {"fp16": 989.0, "tf32": 494.0, "fp32": 67.0}
TINY_VOCAB = 1000


def encoder_flops_per_frame(config: ModelConfig) -> float:
    """Multiply-adds x 2 of the image encoder for one frame: patch embedding, per layer the
    QKV, attention (scores and weighted sum), output and MLP products, the projection and the
    adapter. Element-wise work is left out (a few per cent)."""
    v = config.vision
    tokens = v.patches + 1
    width = v.width
    hidden = int(width * v.mlp_ratio)
    patch_embed = v.patches * (3 * v.patch_size * v.patch_size) * width
    per_layer = (
        tokens * width * 3 * width  # QKV
        + 2 * tokens * tokens * width  # Q K^T and A V over all heads
        + tokens * width * width  # attention output
        + 2 * tokens * width * hidden  # MLP
    )
    head = width * config.embed_dim + 2 * config.embed_dim * config.adapter_dim
    return 2.0 * (patch_embed + v.layers * per_layer + head)


def build_encoder(variant: str, seed: int) -> "tuple[ImageEncoder, ModelConfig]":
    config = official_config() if variant == "official" else tiny_config(TINY_VOCAB)
    torch.manual_seed(seed)
    model = InCTRL(config)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.02)
    return ImageEncoder(model).eval(), config


def _median_seconds(step: Callable[[], None], warmup: int, iterations: int, sync) -> List[float]:
    for _ in range(warmup):
        step()
    sync()
    seconds = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        sync()
        seconds.append(time.perf_counter() - start)
    return seconds


def time_torch(encoder, device, dtype, batch, warmup, iterations) -> List[float]:
    module = encoder.to(device=device, dtype=dtype)
    pixels = torch.randn(batch, 3, 240, 240, device=device, dtype=dtype)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    def step():
        with torch.inference_mode():
            module(pixels)

    return _median_seconds(step, warmup, iterations, sync)


def ort_sessions(encoder, config, device: str, work: Path) -> "tuple[Dict[str, object], str]":
    """{precision: onnxruntime session} of the exported graph on CUDA, or ({}, why not)."""
    try:
        import onnxruntime as ort
    except ImportError as e:
        return {}, f"no onnxruntime package ({e})"
    providers = ort.get_available_providers()
    provider = "CUDAExecutionProvider" if device == "cuda" else "CPUExecutionProvider"
    if provider not in providers:
        return {}, f"onnxruntime {ort.__version__} has providers {providers}, not {provider}"
    try:
        import onnx

        from .half import half_model
        from .onnx_export import export_graphs
    except ImportError as e:
        return {}, f"cannot export the bundle's graph here: {e}"
    model = encoder.model.to(device="cpu", dtype=torch.float32)
    _, serialized = export_graphs(model)["image_encoder"]
    graphs = {"fp32": onnx.load_from_string(serialized)}
    graphs["fp16"] = half_model(graphs["fp32"])[0]
    sessions = {}
    for precision, graph in graphs.items():
        path = work / f"image_encoder-{precision}.onnx"
        onnx.save(graph, str(path))
        sessions[precision] = ort.InferenceSession(str(path), providers=[provider])
        active = sessions[precision].get_providers()
        if active[0] != provider:
            return {}, f"onnxruntime put the {precision} graph on {active}, not {provider}"
    return sessions, ""


def time_ort(session, batch, warmup, iterations) -> List[float]:
    import numpy as np

    pixels = np.random.default_rng(0).standard_normal((batch, 3, 240, 240)).astype(np.float32)
    name = session.get_inputs()[0].name
    return _median_seconds(lambda: session.run(None, {name: pixels}), warmup, iterations, lambda: None)


def measurement(kind, precision, batch, seconds, flops, peak, device_name) -> dict:
    median = statistics.median(seconds)
    fps = batch / median
    tflops = fps * flops / 1e12
    return {
        "bench": "gpu-graphs",
        "kind": kind,
        "batch": batch,
        "median_s": round(median, 6),
        "min_s": round(min(seconds), 6),
        "max_s": round(max(seconds), 6),
        "frames_per_s": round(fps, 2),
        "tflops": round(tflops, 3),
        "precision": precision,
        "peak_tflops": peak.get(precision),
        "fraction_of_peak": round(tflops / peak[precision], 4) if peak.get(precision) else None,
        "device": device_name,
        "torch": torch.__version__,
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", choices=("official", "tiny"), default="official")
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--batches", default="1,2,4,8,16,32,64,128")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--peak-tflops", help="precision=TFLOP/s,... (default: H200 SXM, dense)")
    parser.add_argument("--out", type=Path, help="also append the JSON lines to this file")
    args = parser.parse_args(argv)

    device = torch.device(args.device)
    peak = dict(DEFAULT_PEAK_TFLOPS) if device.type == "cuda" else {}
    if args.peak_tflops:
        for item in args.peak_tflops.split(","):
            key, value = item.split("=")
            peak[key] = float(value)
    device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    batches = [int(b) for b in args.batches.split(",")]
    encoder, config = build_encoder(args.variant, args.seed)
    flops = encoder_flops_per_frame(config)
    rows = []

    def emit(row):
        row["variant"] = args.variant
        row["gflop_per_frame"] = round(flops / 1e9, 3)
        print(json.dumps(row, sort_keys=True), flush=True)
        rows.append(row)

    kinds = [("torch-fp32", torch.float32, False, "fp32")]
    if device.type == "cuda":
        kinds += [("torch-tf32", torch.float32, True, "tf32"), ("torch-fp16", torch.float16, False, "fp16")]
    for kind, dtype, tf32, precision in kinds:
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        for batch in batches:
            try:
                seconds = time_torch(encoder, device, dtype, batch, args.warmup, args.iterations)
            except RuntimeError as e:  # out of memory at a large batch: say so, go on
                emit({"bench": "gpu-graphs", "kind": kind, "batch": batch, "error": str(e)[:300]})
                if device.type == "cuda":
                    torch.cuda.empty_cache()
                continue
            emit(measurement(kind, precision, batch, seconds, flops, peak, device_name))
    torch.backends.cuda.matmul.allow_tf32 = False

    with tempfile.TemporaryDirectory() as work:
        sessions, why_not = ort_sessions(encoder, config, args.device, Path(work))
        if not sessions:
            emit({"bench": "gpu-graphs", "kind": "ort", "skipped": why_not})
        for precision, session in sessions.items():
            if device.type == "cpu" and precision == "fp16":
                continue  # the CPU provider runs fp16 through casts; not what this measures
            for batch in batches:
                seconds = time_ort(session, batch, args.warmup, args.iterations)
                emit(measurement(f"ort-{precision}", precision, batch, seconds, flops, peak, device_name))

    if args.out:
        with open(args.out, "a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, sort_keys=True) + "\n")
    # A measurement that failed (out of memory at a large batch) is written with its error,
    # and the run then exits 1.
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
