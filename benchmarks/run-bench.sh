#!/usr/bin/env bash
# One command for BENCHMARKS.md: exports the tiny and the official-size (random weights) bundles
# into an ignored folder, makes their int8 variants, runs the PyTorch bench and the JMH
# benchmarks with the same thread count, measures the int8 and fp16 score drift (fp16 through
# ONNX Runtime's CPU casts) and prints one table.
#
#   benchmarks/run-bench.sh --bpe /path/to/bpe_simple_vocab_16e6.txt.gz [--threads 2] [--out DIR]
#
# --bpe is CLIP's merge file (shipped with open_clip); the official-size export needs it, and it
# is only read when DIR/official does not hold a bundle yet. Options: --skip-official (tiny and
# preprocessing only), --quick (fewer iterations). Results: DIR/results (JSON) and the table on
# stdout. Takes about 15-25 minutes on a 2-core machine, most of it the official size.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
THREADS=2
OUT="$ROOT/work-bundles/bench"
BPE=""
OFFICIAL=1
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bpe) BPE="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --skip-official) OFFICIAL=0; shift ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

RESULTS="$OUT/results"
mkdir -p "$OUT" "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.jsonl "$RESULTS"/load.txt
load() { echo "$1: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >> "$RESULTS/load.txt"; }
load start
export PYTHONPATH="$ROOT/model-runtime/python${PYTHONPATH:+:$PYTHONPATH}"
# bench.py lowers OpenBLAS threads at run time where that is faster; this is the ceiling.
export OPENBLAS_NUM_THREADS="$THREADS"

echo "== building benchmarks.jar" >&2
(cd "$ROOT" && mvn -q -B -Pbenchmarks-jar -pl benchmarks -am package -DskipTests -DskipPythonTests=true)
JAR="$ROOT/benchmarks/target/benchmarks.jar"

bundle() {  # bundle VARIANT DIR QUANTIZE_ARGS [export args...]
  local variant="$1" dir="$2" qargs="$3"; shift 3
  if [ -f "$dir/manifest.json" ]; then
    echo "== reusing $dir" >&2
  else
    echo "== exporting the $variant bundle to $dir" >&2
    "$PYTHON" -m inctrl_export export --variant "$variant" --categories airplane --out "$dir" "$@" >&2
  fi
  if [ ! -f "$dir-int8/manifest.json" ] || [ "$dir/manifest.json" -nt "$dir-int8/manifest.json" ]; then
    echo "== quantizing $dir -> $dir-int8" >&2
    rm -rf "$dir-int8"
    "$PYTHON" -m inctrl_export.quantize --in "$dir" --out "$dir-int8" --per-channel $qargs >&2
  fi
  if [ ! -f "$dir-fp16/manifest.json" ] || [ "$dir/manifest.json" -nt "$dir-fp16/manifest.json" ]; then
    echo "== converting $dir -> $dir-fp16" >&2
    rm -rf "$dir-fp16"
    "$PYTHON" -m inctrl_export.half --in "$dir" --out "$dir-fp16" >&2
  fi
}

# The tiny model's products are all below the quantizer's default size floor: quantize them all.
bundle tiny "$OUT/tiny" "--min-weight-elements 0"
if [ "$OFFICIAL" = 1 ]; then
  if [ ! -f "$OUT/official/manifest.json" ] && [ -z "$BPE" ]; then
    echo "run-bench: the official-size export needs CLIP's bpe_simple_vocab_16e6.txt.gz: pass --bpe PATH" >&2
    exit 2
  fi
  bundle official "$OUT/official" "" ${BPE:+--bpe "$BPE"}
fi

if [ "$QUICK" = 1 ]; then TINY_IT="-wi 10 -i 10"; OFF_IT="-wi 1 -i 2"; PT_TINY="--warmup 2 --iterations 5"; PT_OFF="--warmup 1 --iterations 2"
else TINY_IT="-wi 30 -i 30"; OFF_IT="-wi 1 -i 3"; PT_TINY="--warmup 3 --iterations 10"; PT_OFF="--warmup 1 --iterations 3"; fi

echo "== PyTorch" >&2
"$PYTHON" -m inctrl_export.bench --bundle "$OUT/tiny" --batch 1,8,32 --threads "$THREADS" $PT_TINY | tee "$RESULTS/pytorch.jsonl" >&2
if [ "$OFFICIAL" = 1 ]; then
  "$PYTHON" -m inctrl_export.bench --bundle "$OUT/official" --batch 1,8,32 --threads "$THREADS" $PT_OFF | tee -a "$RESULTS/pytorch.jsonl" >&2
fi
load "after PyTorch"

echo "== JMH" >&2
jmh() { java -jar "$JAR" "$@" -foe true >&2; }
jmh PreprocessBenchmark -rf json -rff "$RESULTS/jmh-preprocess.json"
jmh ScoringBenchmark -p bundle="$OUT/tiny,$OUT/tiny-int8" -p batch=1,8,32 -p threads="$THREADS" $TINY_IT \
  -rf json -rff "$RESULTS/jmh-scoring-tiny.json"
if [ "$OFFICIAL" = 1 ]; then
  jmh ScoringBenchmark -p bundle="$OUT/official,$OUT/official-int8" -p batch=1,8,32 -p threads="$THREADS" $OFF_IT \
    -rf json -rff "$RESULTS/jmh-scoring-official.json"
fi
load "after JMH"

echo "== int8 and fp16 score drift" >&2
drift() { java -cp "$JAR" io.inctrlstream.benchmarks.QuantizationDrift "$1" "$2" 32 "$THREADS" | grep '^{' >> "$RESULTS/drift.jsonl"; }
drift "$OUT/tiny" "$OUT/tiny-int8"
drift "$OUT/tiny" "$OUT/tiny-fp16"
if [ "$OFFICIAL" = 1 ]; then
  drift "$OUT/official" "$OUT/official-int8"
  drift "$OUT/official" "$OUT/official-fp16"
fi
load end

"$PYTHON" "$ROOT/benchmarks/bench_table.py" "$RESULTS"
