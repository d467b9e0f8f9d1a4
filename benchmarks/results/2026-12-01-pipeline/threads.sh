#!/bin/bash
# usage: threads.sh PID OUT ; samples per-thread cpu ticks every second
pid=$1; out=$2
while kill -0 $pid 2>/dev/null; do
  t=$(date +%s.%N)
  for f in /proc/$pid/task/*/stat; do
    tid=${f#/proc/$pid/task/}; tid=${tid%/stat}
    comm=$(cat /proc/$pid/task/$tid/comm 2>/dev/null)
    st=$(cat $f 2>/dev/null) || continue
    rest=${st##*) }
    set -- $rest
    echo "$t $tid ${comm// /_} ${12} ${13}"
  done >> $out
  sleep 1
done
