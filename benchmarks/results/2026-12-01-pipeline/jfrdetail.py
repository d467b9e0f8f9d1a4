import json, sys, re, subprocess, collections, datetime
jfr, outfile, want = sys.argv[1], sys.argv[2], sys.argv[3]
phases = []
for line in open(outfile):
    parts = line.split(' ', 1)
    if len(parts) == 2 and 'bench pipeline:' in parts[1]:
        phases.append((float(parts[0]), parts[1].split('bench pipeline: ')[1].split(' ...')[0].strip()))
start = [t for t, n in phases if n.startswith(want)][0]
nxt = [t for t, n in phases if t > start]
end = nxt[0] if nxt else 1e20
raw = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '30', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample', jfr], capture_output=True, text=True).stdout
events = json.loads(raw)['recording']['events']
IDLE = re.compile(r'EPoll|epollWait|Object\.wait|Unsafe\.park|LockSupport\.park|Thread\.sleep|accept|ServerSocket|Net\.poll|SocketDispatcher\.read|FileDispatcherImpl\.read')
per = collections.defaultdict(collections.Counter)
tot = collections.Counter()
for e in events:
    v = e['values']
    t = datetime.datetime.fromisoformat(v['startTime'].replace('Z', '+00:00')).timestamp()
    if not (start <= t < end): continue
    th = (v.get('sampledThread') or {}).get('javaName') or '?'
    th = re.sub(r'\d+', 'N', th)[:60]
    frames = (v.get('stackTrace') or {}).get('frames') or []
    names = [f['method']['type']['name'].split('/')[-1] + '.' + f['method']['name'] for f in frames]
    kind = 'N' if e['type'] == 'jdk.NativeMethodSample' else 'J'
    if kind == 'N' and names and IDLE.search(' '.join(names[:3])): continue
    key = ' < '.join(names[:4])
    per[th][(kind, key)] += 1
    tot[(th, kind)] += 1
for th in sorted(per, key=lambda x: -(tot[(x,'J')]*10 + tot[(x,'N')]*20)):
    ms = tot[(th,'J')]*10 + tot[(th,'N')]*20
    if ms < 200: continue
    print('%-60s java %4d  native(busy) %4d  ~%5.1f s' % (th, tot[(th,'J')], tot[(th,'N')], ms/1000))
    for (k, key), c in per[th].most_common(8):
        print('     %s %4d  %s' % (k, c, key[:230]))
