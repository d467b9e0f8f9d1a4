import sys, re, collections
thr, outfile = sys.argv[1], sys.argv[2]
phases = []
for line in open(outfile):
    parts = line.split(' ', 1)
    if len(parts) == 2 and 'bench pipeline:' in parts[1]:
        phases.append((float(parts[0]), parts[1].split('bench pipeline: ')[1].split(' ...')[0].strip()))
ends = [t for t, _ in phases[1:]] + [1e20]
samples = collections.defaultdict(dict)  # time -> tid -> (comm, ticks)
for line in open(thr):
    f = line.split()
    if len(f) < 5: continue
    t = float(f[0]); samples[t][f[1]] = (f[2], int(f[3]) + int(f[4]))
times = sorted(samples)
def at(t):
    # closest sample at or before t
    best = None
    for x in times:
        if x <= t: best = x
    return samples[best] if best else {}
for (start, name), end in zip(phases, ends):
    a, b = at(start), at(min(end, times[-1]))
    dur = (min(end, times[-1]) - start)
    if dur <= 0: continue
    per = collections.Counter()
    for tid, (comm, ticks) in b.items():
        before = a.get(tid, (comm, 0))[1]
        per[re.sub(r'\d+', 'N', comm)] += ticks - before
    total = sum(per.values())
    print('=== %s: %.0f s, %.2f cores busy' % (name, dur, total / 100.0 / dur))
    for comm, ticks in per.most_common(12):
        if ticks <= 0: break
        print('   %5.1f%%  %6.2f s  %s' % (100.0 * ticks / total, ticks / 100.0, comm))
