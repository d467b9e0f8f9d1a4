#!/bin/bash
for i in 1 2; do
  for v in old new; do
    if [ $v = old ]; then home=/work/wt/ab-old; else home=/work/main; fi
    (cd $home && java -Dinctrl.home=$home -Dinctrl.tty=false -jar $home/launcher/target/inctrl.jar bench pipeline --quick --json /work/soak/ab-$v-$i.json > /work/soak/ab-$v-$i.log 2>&1)
    echo "$v $i rc=$?"
  done
done
