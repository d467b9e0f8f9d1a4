import json, sys, re, subprocess, collections, datetime
jfr, outfile = sys.argv[1], sys.argv[2]
phases = []
for line in open(outfile):
    parts = line.split(' ', 1)
    if len(parts) == 2 and 'bench pipeline:' in parts[1]:
        phases.append((float(parts[0]), parts[1].split('bench pipeline: ')[1].split(' ...')[0].strip()))
def phase_of(t):
    name = 'before'
    for ts, n in phases:
        if t >= ts: name = n
    return name
raw = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '40', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample', jfr], capture_output=True, text=True).stdout
events = json.loads(raw)['recording']['events']
def ts(e):
    s = e['values']['startTime']
    return datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
def group(name):
    n = re.sub(r'\d+', 'N', name)
    return n
def category(frames):
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    j = ' '.join(names)
    order = [
        ('onnxruntime run', r'ai\.onnxruntime\.OrtSession\.run|OrtSession\$Result|OnnxTensor\.'),
        ('jpeg/png decode', r'imageio|sun\.awt\.image|ImageDecoder\.decode|java\.awt\.image'),
        ('preprocess (resize/normalize)', r'ImagePreprocessor|PillowResize|RasterPixels|Bicubic'),
        ('heatmap render', r'HeatmapRenderer'),
        ('copy to/from features', r'ImageFeatures|InctrlEngine\.next|encodeChunk|scoreChunk'),
        ('bank codec', r'ShotBankCodec|DecodedBanks'),
        ('avro', r'org\.apache\.avro|AvroCodec'),
        ('flink serialization', r'TypeSerializer|PojoSerializer|SpanningRecordSerializer|RecordWriter|DataOutputSerializer|DataInputDeserializer|SpillingAdaptiveSpanningRecordDeserializer|Serializer\.(serialize|deserialize)'),
        ('kafka client', r'org\.apache\.kafka\.clients|org\.apache\.kafka\.common'),
        ('kafka broker', r'kafka\.(server|log|network|cluster|coordinator)|org\.apache\.kafka\.(storage|server|raft|metadata|coordinator)'),
        ('checkpoint/state', r'Checkpoint|snapshotState|StateBackend|RocksDB|rocksdb'),
        ('mailbox/idle', r'MailboxProcessor|TaskMailbox|LockSupport\.park|Unsafe\.park|Object\.wait|Thread\.sleep'),
        ('network io', r'sun\.nio\.ch|java\.nio\.channels|EPoll'),
        ('gc/jit/other jvm', r'^$'),
    ]
    for cat, rx in order:
        if re.search(rx, j):
            return cat
    return 'other: ' + (names[0] if names else '?')
stats = collections.defaultdict(lambda: collections.Counter())
threads = collections.defaultdict(lambda: collections.Counter())
for e in events:
    v = e['values']
    th = v.get('sampledThread') or {}
    name = th.get('javaName') or th.get('osName') or '?'
    frames = (v.get('stackTrace') or {}).get('frames') or []
    p = phase_of(ts(e))
    kind = 'native' if e['type'] == 'jdk.NativeMethodSample' else 'java'
    threads[p][(kind, group(name))] += 1
    if kind == 'java':
        stats[(p, group(name))][category(frames)] += 1
for p in [n for _, n in phases]:
    t = threads.get(p)
    if not t: continue
    total_java = sum(c for (k, _), c in t.items() if k == 'java')
    print('=== phase:', p, ' java samples', total_java)
    for (k, n), c in t.most_common(14):
        print('  %-6s %5d %5.1f%%  %s' % (k, c, 100.0 * c / max(1, total_java) if k == 'java' else 0, n))
    for (k, n), c in t.most_common(6):
        if k != 'java': continue
        s = stats[(p, n)]
        tot = sum(s.values())
        print('   ', n, ':', ', '.join('%s %.0f%%' % (cat, 100.0 * cc / tot) for cat, cc in s.most_common(7)))
