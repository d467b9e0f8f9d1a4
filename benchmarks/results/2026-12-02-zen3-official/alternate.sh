#!/usr/bin/env bash
# Official size on a CPU without AVX-512/VNNI (the CI's AMD EPYC Zen 3): Java (ONNX Runtime) fp32
# and int8 (7-bit weights, the quantizer's default since b5648eb) against PyTorch, in ROUNDS
# alternating rounds (odd rounds PyTorch first, even rounds Java first), the load recorded around
# every step; then the int8 bundle's score drift. Same method as 2026-12-02-official-cpu, without
# its one-run-of-32 and class-token-int8 extras.
#   benchmarks/results/2026-12-02-zen3-official/alternate.sh [ROUNDS]
# Needs work-bundles/bench/official (benchmarks/run-bench.sh --bpe ... exports it), official-int8
# (python3 -m inctrl_export.quantize --per-channel) and benchmarks.jar (-Pbenchmarks-jar).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/benchmarks/results/2026-12-02-zen3-official"
B="$ROOT/work-bundles/bench"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
ROUNDS="${1:-5}"
OUT="$HERE/rounds"
mkdir -p "$OUT"
export PYTHONPATH="$ROOT/model-runtime/python" OPENBLAS_NUM_THREADS=2
{ lscpu | grep -E '^(Model name|CPU family|Model:|CPU\(s\))'; grep -m1 -o -w -E 'avx2|avx512f|avx512_vnni|avx_vnni' /proc/cpuinfo | sort -u | tr '\n' ' '; echo; } > "$OUT/cpu.txt"
load() { echo "$(date -u +%H:%M:%S) round $1 $2: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"; }
pytorch() {
  /usr/bin/python3 -m inctrl_export.bench --bundle "$B/official" --batch 1,8,32 --threads 2 \
    --warmup 1 --iterations 3 > "$OUT/pytorch-r$1.jsonl"
}
java_side() {
  java -jar "$JAR" ScoringBenchmark -p bundle="$B/official,$B/official-int8" -p batch=1,8,32 \
    -p threads=2 -wi 1 -i 3 -foe true -rf json -rff "$OUT/jmh-default-r$1.json" > "$OUT/jmh-default-r$1.log" 2>&1
}
for r in $(seq 1 "$ROUNDS"); do
  load "$r" start
  if [ $((r % 2)) = 1 ]; then
    pytorch "$r"; load "$r" "after PyTorch"; java_side "$r"; load "$r" "after Java"
  else
    java_side "$r"; load "$r" "after Java"; pytorch "$r"; load "$r" "after PyTorch"
  fi
done
java -cp "$JAR" io.inctrlstream.benchmarks.QuantizationDrift "$B/official" "$B/official-int8" 32 2 | grep '^{' > "$OUT/drift-class-token-fp32.jsonl"
load end drift
/usr/bin/python3 "$ROOT/benchmarks/results/2026-12-02-official-cpu/summarize.py" "$OUT" > "$HERE/summary.md"
cat "$HERE/summary.md"
