"""Prints the benchmark table of one run-bench.sh results folder (Markdown).

Reads pytorch.jsonl (inctrl_export.bench), jmh-*.json (JMH -rf json), drift.jsonl
(QuantizationDrift) and load.txt; frames/s of a JMH scoring result = batch / median time.
"""

import json
import sys
from pathlib import Path


def _median_seconds(metric):
    unit = metric["scoreUnit"]
    scale = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6}[unit]
    return metric["scorePercentiles"]["50.0"] * scale


def _jmh(folder):
    rows = []
    for path in sorted(folder.glob("jmh-*.json")):
        rows.extend(json.loads(path.read_text(encoding="utf-8") or "[]"))
    return rows


def _bundle_kind(manifest_path):
    """(variant, precision) from the bundle's manifest, or from its folder name once the
    bundle is gone (results kept in the repository outlive the ignored bundles)."""
    manifest_path = Path(manifest_path)
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        precision = "int8" if manifest["model"]["version"].endswith("-int8") else "fp32"
        return manifest["model"]["variant"], precision
    name = manifest_path.parent.name
    return ("official" if "official" in name else "tiny"), ("int8" if name.endswith("-int8") else "fp32")


def main(folder):
    folder = Path(folder)
    torch_rows = [
        json.loads(line)
        for line in (folder / "pytorch.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    pytorch = {(r["variant"], r["batch"]): r for r in torch_rows}
    java = {}
    preprocess = {}
    for row in _jmh(folder):
        name = row["benchmark"].rsplit(".", 1)[-1]
        if row["benchmark"].endswith("ScoringBenchmark.encodeAndScore"):
            params = row["params"]
            variant, precision = _bundle_kind(Path(params["bundle"]) / "manifest.json")
            batch = int(params["batch"])
            java[(variant, precision, batch)] = batch / _median_seconds(row["primaryMetric"])
        elif "PreprocessBenchmark" in row["benchmark"]:
            metric = row["primaryMetric"]
            preprocess[name] = (metric["score"], metric["scoreError"], metric["scoreUnit"])

    threads = {r["threads"] for r in torch_rows}
    blas = {r["blas"] for r in torch_rows}
    print(f"threads: {', '.join(map(str, sorted(threads)))}; PyTorch {torch_rows[0]['torch']} "
          f"with BLAS {', '.join(sorted(blas))}")
    load = folder / "load.txt"
    if load.exists():
        print("load average (1, 5, 15 min):")
        for line in load.read_text(encoding="utf-8").splitlines():
            print(f"  {line}")
    print()
    print("| model | batch | PyTorch fp32 frames/s | Java fp32 frames/s | Java int8 frames/s "
          "| fp32 / PyTorch | int8 / PyTorch |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for variant, batch in sorted(pytorch, key=lambda k: (k[0] != "tiny", k[1])):
        base = pytorch[(variant, batch)]["frames_per_s"]
        fp32 = java.get((variant, "fp32", batch))
        int8 = java.get((variant, "int8", batch))

        def fmt(v):
            return "n/a" if v is None else f"{v:.2f}"

        def ratio(v):
            return "n/a" if v is None else f"{v / base:.2f}x"

        print(f"| {variant} | {batch} | {base:.2f} | {fmt(fp32)} | {fmt(int8)} "
              f"| {ratio(fp32)} | {ratio(int8)} |")
    if preprocess:
        print()
        print("| preprocessing, 640x480 JPEG, 1 thread | frames/s |")
        print("|---|---:|")
        for name in ("decodeJpeg", "preprocessDecoded", "decodeAndPreprocess"):
            if name in preprocess:
                score, error, unit = preprocess[name]
                print(f"| {name} | {score:.1f} ± {error:.1f} |")
    drift = folder / "drift.jsonl"
    if drift.exists():
        print()
        print("| drift vs fp32 | " + " | ".join(
            ("final", "hl", "s_p", "s_i", "s_a", "patch_map")) + " | batch invariance |")
        print("|---|" + "---:|" * 7)
        features = []
        for line in drift.read_text(encoding="utf-8").splitlines():
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            cells = [
                f"{d[c]['max_abs']:.2g} / {d[c]['mean_abs']:.2g} (sd {d[c]['fp32_std']:.2g})"
                for c in ("final", "hl", "s_p", "s_i", "s_a", "patch_map")
            ]
            print(f"| {d['model']} (max / mean abs, {d['queries']} queries) | "
                  + " | ".join(cells) + f" | {d['batch_invariance_max_abs']:.2g} |")
            features.append(
                f"{d['model']}: relative error of patch tokens {d['patch_tokens_rel_err']:.2%}, "
                f"embedding {d['embedding_rel_err']:.2%}, image residual a_s - a_q "
                f"{d['image_residual_rel_err']:.1%}"
            )
        print()
        for line in features:
            print(line)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "work-bundles/bench/results")
