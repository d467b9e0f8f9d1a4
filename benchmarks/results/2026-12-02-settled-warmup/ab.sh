#!/bin/bash
# Alternating runs of bench pipeline --quick: D (defaults: broker process, warm-up until the JIT
# settles), F (warm-up fixed at 30 s, as before 2026-12-02), I (broker in the bench's JVM).
# usage: ab.sh OUTDIR ROUNDS
out=${1:-/tmp/ab}; rounds=${2:-3}
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  for v in D F I; do
    case $v in
      D) extra=() ;;
      F) extra=(--pipeline-warmup 30s) ;;
      I) extra=(--in-process-broker) ;;
    esac
    echo "$(date +%T) run $v$r (load $(cut -d' ' -f1 /proc/loadavg))"
    bin/inctrl bench pipeline --quick --parallelism 1 --json "$out/$v$r.json" "${extra[@]}" > "$out/$v$r.log" 2>&1 || echo "run $v$r failed"
    tail -7 "$out/$v$r.log"
  done
done
