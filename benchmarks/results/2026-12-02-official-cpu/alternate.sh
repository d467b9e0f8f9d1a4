#!/usr/bin/env bash
# Official size on the CPU, Java (ONNX Runtime) against PyTorch, in ROUNDS alternating rounds
# (odd rounds PyTorch first, even rounds Java first), the load recorded around every step.
#   benchmarks/results/2026-12-02-official-cpu/alternate.sh [ROUNDS]
# Needs work-bundles/bench/official (benchmarks/run-bench.sh exports it), official-int8
# (python3 -m inctrl_export.quantize --per-channel: the class token in fp32, the default) and
# official-int8-class-token-int8 (the same with --class-token int8), and benchmarks.jar.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
HERE="$ROOT/benchmarks/results/2026-12-02-official-cpu"
B="$ROOT/work-bundles/bench"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
ROUNDS="${1:-5}"
OUT="$HERE/rounds"
mkdir -p "$OUT"
export PYTHONPATH="$ROOT/model-runtime/python" OPENBLAS_NUM_THREADS=2
load() { echo "$(date -u +%H:%M:%S) round $1 $2: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"; }
pytorch() {
  /usr/bin/python3 -m inctrl_export.bench --bundle "$B/official" --batch 1,8,32 --threads 2 \
    --warmup 1 --iterations 3 > "$OUT/pytorch-r$1.jsonl"
}
java_side() {
  # the engine as configured by default (a request of 32 runs as two graph runs of 16)
  java -jar "$JAR" ScoringBenchmark -p bundle="$B/official,$B/official-int8" -p batch=1,8,32 \
    -p threads=2 -wi 1 -i 3 -foe true -rf json -rff "$OUT/jmh-default-r$1.json" > "$OUT/jmh-default-r$1.log" 2>&1
  # one graph run of 32 (maxBatchSize 32), as BENCHMARKS.md measured before
  java -jar "$JAR" ScoringBenchmark -p bundle="$B/official,$B/official-int8" -p batch=32 \
    -p maxBatchSize=32 -p threads=2 -wi 1 -i 3 -foe true -rf json -rff "$OUT/jmh-one-run-r$1.json" > "$OUT/jmh-one-run-r$1.log" 2>&1
  # what keeping the class token in fp32 costs: the int8 bundle without it, at batch 8
  java -jar "$JAR" ScoringBenchmark -p bundle="$B/official-int8-class-token-int8" -p batch=8 \
    -p threads=2 -wi 1 -i 3 -foe true -rf json -rff "$OUT/jmh-class-token-int8-r$1.json" > "$OUT/jmh-class-token-int8-r$1.log" 2>&1
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
java -cp "$JAR" io.inctrlstream.benchmarks.QuantizationDrift "$B/official" "$B/official-int8-class-token-int8" 32 2 | grep '^{' > "$OUT/drift-class-token-int8.jsonl"
load end drift
/usr/bin/python3 "$HERE/summarize.py" "$OUT"
