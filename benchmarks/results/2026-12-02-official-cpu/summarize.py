"""Per-round frames/s and ratios of alternate.sh, and their medians (Markdown on stdout).

frames/s = batch / median step time (PyTorch: inctrl_export.bench; Java: JMH single-shot
iterations). A round's ratio compares the two sides measured in that round.
"""

import json
import statistics
import sys
from pathlib import Path


def jmh(path):
    rows = {}
    if not path.exists():
        return rows
    for row in json.loads(path.read_text(encoding="utf-8") or "[]"):
        params = row["params"]
        bundle = Path(params["bundle"]).name
        batch = int(params["batch"])
        metric = row["primaryMetric"]
        scale = {"s/op": 1.0, "ms/op": 1e-3}[metric["scoreUnit"]]
        rows[(bundle, batch)] = batch / (metric["scorePercentiles"]["50.0"] * scale)
    return rows


def main(folder):
    folder = Path(folder)
    rounds = sorted(
        int(p.stem.split("-r")[1]) for p in folder.glob("pytorch-r*.jsonl") if p.stat().st_size
    )
    table = []
    for r in rounds:
        torch = {}
        for line in (folder / f"pytorch-r{r}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                torch[row["batch"]] = row["frames_per_s"]
        default = jmh(folder / f"jmh-default-r{r}.json")
        one_run = jmh(folder / f"jmh-one-run-r{r}.json")
        class_int8 = jmh(folder / f"jmh-class-token-int8-r{r}.json")
        for batch in (1, 8, 32):
            entry = {
                "round": r,
                "batch": batch,
                "pytorch": torch.get(batch),
                "fp32": default.get(("official", batch)),
                "int8": default.get(("official-int8", batch)),
                "fp32_one_run": one_run.get(("official", batch)),
                "int8_one_run": one_run.get(("official-int8", batch)),
                "int8_class_token_int8": class_int8.get(("official-int8-class-token-int8", batch)),
            }
            table.append(entry)

    def ratio(e, key):
        return e[key] / e["pytorch"] if e.get(key) and e.get("pytorch") else None

    keys = ["fp32", "int8", "fp32_one_run", "int8_one_run"]
    print("| round | batch | PyTorch fps | fp32 fps | int8 fps | fp32/PT | int8/PT | fp32/PT one run | int8/PT one run | int8 class token fp32 / int8 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    fmt = lambda v, d=2: "" if v is None else f"{v:.{d}f}"
    for e in table:
        ct = (e["int8"] / e["int8_class_token_int8"]) if e["int8"] and e["int8_class_token_int8"] else None
        print(
            f"| {e['round']} | {e['batch']} | {fmt(e['pytorch'])} | {fmt(e['fp32'])} | {fmt(e['int8'])} | "
            + " | ".join(fmt(ratio(e, k)) for k in keys)
            + f" | {fmt(ct)} |"
        )
    print()
    print(f"Medians over {len(rounds)} rounds (of the per-round ratios):")
    print()
    print("| batch | PyTorch fps | fp32 fps | int8 fps | fp32/PT | int8/PT | fp32/PT one run | int8/PT one run | min fp32/PT | min int8/PT |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for batch in (1, 8, 32):
        rows = [e for e in table if e["batch"] == batch]

        def med(values):
            values = [v for v in values if v is not None]
            return statistics.median(values) if values else None

        def low(values):
            values = [v for v in values if v is not None]
            return min(values) if values else None

        print(
            f"| {batch} | {fmt(med(e['pytorch'] for e in rows))} | {fmt(med(e['fp32'] for e in rows))} | "
            f"{fmt(med(e['int8'] for e in rows))} | "
            + " | ".join(fmt(med(ratio(e, k) for e in rows)) for k in keys)
            + f" | {fmt(low(ratio(e, 'fp32') for e in rows))} | {fmt(low(ratio(e, 'int8') for e in rows))} |"
        )
    cts = [e["int8"] / e["int8_class_token_int8"] for e in table if e["batch"] == 8 and e["int8"] and e["int8_class_token_int8"]]
    if cts:
        print()
        print(f"int8 at batch 8, class token fp32 / class token int8 (frames/s): median {statistics.median(cts):.3f} over {len(cts)} rounds")
    for name in ("drift-class-token-fp32.jsonl", "drift-class-token-int8.jsonl"):
        path = folder / name
        if path.exists() and path.stat().st_size:
            d = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
            print()
            print(
                f"{name}: final max {d['final']['max_abs']} mean {d['final']['mean_abs']}; "
                f"s_i max {d['s_i']['max_abs']} mean {d['s_i']['mean_abs']}; "
                f"embedding rel err {d['embedding_rel_err']}; batch invariance {d['batch_invariance_max_abs']}"
            )


if __name__ == "__main__":
    main(sys.argv[1])
