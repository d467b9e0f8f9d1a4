#!/bin/bash
cd "$(dirname "$0")/../../.."; OUT=${OUT:-/tmp/ab}; mkdir -p "$OUT"
B="-Dinctrl.inference.max-concurrent-batches=1 -Dinctrl.inference.batch-wait-only-when-busy=false"
for i in 1 2 3; do
  for v in B A; do
    if [ $v = B ]; then args=$B; else args=""; fi
    bin/inctrl bench pipeline --quick --parallelism 1 --json $OUT/$v$i.json $args > $OUT/$v$i.log 2>&1
  done
done
echo finished > $OUT/done
