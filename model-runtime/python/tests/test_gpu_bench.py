"""Tests of inctrl_export.gpu_bench on the CPU (the GPU run is BENCHMARKS.md's "CUDA")."""

import json

from inctrl_export.config import official_config, tiny_config
from inctrl_export.gpu_bench import encoder_flops_per_frame, main


def test_flops_per_frame_count_every_product():
    # official: 225 patches + the class token, width 896, 12 layers, MLP 3584, embed 640
    tokens, width, hidden = 226, 896, 3584
    layer = tokens * width * 3 * width + 2 * tokens * tokens * width + tokens * width * width
    layer += 2 * tokens * width * hidden
    expected = 2 * (225 * 768 * width + 12 * layer + width * 640 + 2 * 640 * 160)
    assert encoder_flops_per_frame(official_config()) == expected
    assert 54e9 < expected < 55.5e9
    assert encoder_flops_per_frame(tiny_config(1000)) < expected / 100


def test_a_cpu_run_times_pytorch_and_says_why_onnx_runtime_is_skipped(tmp_path, capsys):
    out = tmp_path / "gpu.jsonl"
    args = ["--device", "cpu", "--variant", "tiny", "--batches", "1,2", "--warmup", "1"]
    assert main(args + ["--iterations", "2", "--out", str(out)]) == 0

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    timed = [r for r in rows if r["kind"] == "torch-fp32"]
    assert [r["batch"] for r in timed] == [1, 2]
    for row in timed:
        assert row["frames_per_s"] > 0 and row["min_s"] <= row["median_s"] <= row["max_s"]
        assert row["device"] == "cpu" and row["fraction_of_peak"] is None
    # ONNX Runtime's Python package is not installed here; on the GPU machine it is timed.
    others = [r for r in rows if r["kind"] != "torch-fp32"]
    assert all(r["kind"] == "ort" and r["skipped"] for r in others) or all(
        r["kind"] == "ort-fp32" for r in others
    )


def test_a_given_peak_gives_the_fraction(tmp_path):
    out = tmp_path / "gpu.jsonl"
    args = ["--device", "cpu", "--variant", "tiny", "--batches", "1", "--warmup", "0"]
    assert main(args + ["--iterations", "1", "--peak-tflops", "fp32=0.5", "--out", str(out)]) == 0
    row = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert row["peak_tflops"] == 0.5
    assert abs(row["fraction_of_peak"] - row["tflops"] / 0.5) < 0.002  # tflops is rounded
