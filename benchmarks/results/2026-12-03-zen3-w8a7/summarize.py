"""Medians over the rounds of alternate.sh: frames/s per side and batch, each round's ratios to
PyTorch and w8a7 / w7a8 (same JMH run), and the drift of both int8 bundles."""
import glob, json, os, statistics, sys

out = sys.argv[1]
rounds = sorted(int(p.rsplit("-r", 1)[1].split(".")[0]) for p in glob.glob(f"{out}/jmh-r*.json"))
rows = {}
for r in rounds:
    pt = {}
    for line in open(f"{out}/pytorch-r{r}.jsonl"):
        d = json.loads(line)
        pt[d["batch"]] = d["frames_per_s"]
    for e in json.load(open(f"{out}/jmh-r{r}.json")):
        batch = int(e["params"]["batch"])
        name = os.path.basename(e["params"]["bundle"])
        side = "fp32" if name == "official" else name.removeprefix("official-")
        fps = batch * 1000.0 / e["primaryMetric"]["score"]
        rows.setdefault(batch, {}).setdefault(r, {"pytorch": pt[batch]})[side] = fps
sides = ["fp32", "w7a8", "w8a7"]
print("| batch | rounds | PyTorch fps | " + " | ".join(f"{s} fps" for s in sides)
      + " | " + " | ".join(f"{s}/PT" for s in sides) + " | w8a7/w7a8 | lowest w8a7/PT |")
print("|---:" * (3 + 2 * len(sides) + 2) + "|")
med = statistics.median
for batch in sorted(rows):
    per = rows[batch].values()
    cells = [f"{med(p['pytorch'] for p in per):.2f}"]
    cells += [f"{med(p[s] for p in per):.2f}" for s in sides]
    cells += [f"{med(p[s] / p['pytorch'] for p in per):.2f}x" for s in sides]
    cells += [f"{med(p['w8a7'] / p['w7a8'] for p in per):.3f}",
              f"{min(p['w8a7'] / p['pytorch'] for p in per):.2f}x"]
    print(f"| {batch} | {len(per)} | " + " | ".join(cells) + " |")
print()
for v in ("w7a8", "w8a7"):
    path = f"{out}/drift-{v}.jsonl"
    if os.path.exists(path):
        d = json.loads(open(path).read().splitlines()[-1])
        print(f"drift {v}: final max {d['final']['max_abs']} mean {d['final']['mean_abs']}; "
              f"s_i max {d['s_i']['max_abs']} mean {d['s_i']['mean_abs']}; s_p max {d['s_p']['max_abs']}; "
              f"embedding rel err {d['embedding_rel_err']}; batch invariance {d['batch_invariance_max_abs']}")
