#!/bin/bash
# Alternating runs of bench pipeline --quick: D (defaults) and C3
# (-Dinctrl.inference.max-concurrent-batches=3: a second batch prepared ahead, as the bare engine's
# decoding pool keeps two batches ready). usage: ab-slots.sh OUTDIR LAST_ROUND [FIRST_ROUND]
out=${1:-/tmp/ab-slots}; rounds=${2:-2}
cd "$(dirname "$0")/../../.."
mkdir -p "$out"
for r in $(seq "${3:-1}" "$rounds"); do
  for v in D C3; do
    case $v in
      D) extra=() ;;
      C3) extra=(-Dinctrl.inference.max-concurrent-batches=3) ;;
    esac
    echo "$(date +%T) run $v-$r (load $(cut -d' ' -f1 /proc/loadavg))"
    bin/inctrl bench pipeline --quick --parallelism 1 --json "$out/$v-$r.json" "${extra[@]}" > "$out/$v-$r.log" 2>&1 || echo "run $v-$r failed"
    tail -7 "$out/$v-$r.log"
  done
done
