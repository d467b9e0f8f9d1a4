#!/usr/bin/env bash
# Official size on the CI's AMD EPYC Zen 3 (AVX2, no VNNI): Java (ONNX Runtime) fp32, int8 with
# 7-bit weights and 8-bit activations (the quantizer's default of b5648eb) and int8 with 8-bit
# weights and 7-bit activations (the default since this run) in one JMH run per round, against
# PyTorch, in ROUNDS alternating rounds (odd rounds PyTorch first), the load recorded around every
# step; then both int8 bundles' score drift against fp32.
#   benchmarks/results/2026-12-03-zen3-w8a7/alternate.sh [ROUNDS]
# Needs work-bundles/bench/official (inctrl_export export --variant official), official-w7a8
# (quantize --per-channel --weight-bits 7 --activation-bits 8), official-w8a7 (quantize
# --per-channel) and benchmarks.jar (-Pbenchmarks-jar).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/benchmarks/results/2026-12-03-zen3-w8a7"
B="$ROOT/work-bundles/bench"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
ROUNDS="${1:-2}"
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
  java -jar "$JAR" ScoringBenchmark -p bundle="$B/official,$B/official-w7a8,$B/official-w8a7" \
    -p batch=1,8,32 -p threads=2 -wi 1 -i 3 -foe true -rf json -rff "$OUT/jmh-r$1.json" > "$OUT/jmh-r$1.log" 2>&1
}
for r in $(seq 1 "$ROUNDS"); do
  load "$r" start
  if [ $((r % 2)) = 1 ]; then
    pytorch "$r"; load "$r" "after PyTorch"; java_side "$r"; load "$r" "after Java"
  else
    java_side "$r"; load "$r" "after Java"; pytorch "$r"; load "$r" "after PyTorch"
  fi
done
for v in w7a8 w8a7; do
  java -cp "$JAR" io.inctrlstream.benchmarks.QuantizationDrift "$B/official" "$B/official-$v" 32 2 | grep '^{' > "$OUT/drift-$v.jsonl"
done
load end drift
/usr/bin/python3 "$HERE/summarize.py" "$OUT" > "$HERE/summary.md"
cat "$HERE/summary.md"
