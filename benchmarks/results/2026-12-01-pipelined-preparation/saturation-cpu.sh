#!/bin/bash
# usage: cpu.sh NAME [bench args]; process CPU share during the saturation phase
name=$1; shift
cd "$(dirname "$0")/../../.."
log=${OUT:-/tmp}/$name.log
bin/inctrl bench pipeline --quick --json ${OUT:-/tmp}/$name.json "$@" > $log 2>&1 &
while ! grep -q 'saturation' $log; do sleep 0.1; done
pid=$(pgrep -f -- '-jar /work/main/launcher/target/inctrl.jar bench' | head -1)
for t in /proc/$pid/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat) $(tr ' ' _ < $t/comm)"; done > ${OUT:-/tmp}/$name.t0
t0=$(date +%s.%N); c0=$(awk '{print $14+$15}' /proc/$pid/stat); s0=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8}' /proc/stat); i0=$(awk '/^cpu /{print $5+$6}' /proc/stat)
while ! grep -q 'latency:' $log; do sleep 0.1; done
for t in /proc/$pid/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat) $(tr ' ' _ < $t/comm)"; done > ${OUT:-/tmp}/$name.t1
t1=$(date +%s.%N); c1=$(awk '{print $14+$15}' /proc/$pid/stat); s1=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8}' /proc/stat); i1=$(awk '/^cpu /{print $5+$6}' /proc/stat)
python3 -c "
wall=$t1-$t0; print('saturation wall %.1fs, process cpu %.0f%%, machine idle %.0f%%' % (wall, ($c1-$c0)/100/wall*100, ($i1-$i0)/($s1-$s0)*100))"
for t in /proc/$pid/task/*; do echo "$(awk '{print $14+$15}' $t/stat) $(cat $t/comm)"; done | sort -rn | head -12 > ${OUT:-/tmp}/$name.threads
wait
tail -5 $log
