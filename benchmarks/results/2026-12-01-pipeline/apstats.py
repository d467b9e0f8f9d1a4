import sys, re, collections
per_thread = collections.Counter(); cats = collections.defaultdict(collections.Counter)
RULES = [
 ('onnxruntime (native)', r'libonnxruntime|onnxruntime::|Ort|MlasSgemm|Mlas'),
 ('jpeg decode', r'imageio|libjavajpeg|jpeg_|decompress|ImageDecoder|sun/awt/image|RasterPixels'),
 ('preprocess (resize)', r'PillowResize|ImagePreprocessor'),
 ('rocksdb', r'rocksdb|RocksDB|librocksdbjni'),
 ('checkpoint', r'[Cc]heckpoint|snapshotState'),
 ('flink network (de)serialization', r'SpillingAdaptiveSpanningRecordDeserializer|RecordWriter|SpanningRecordSerializer|DataOutputSerializer|DataInputDeserializer|PojoSerializer|BytePrimitiveArraySerializer|RecordSerializer|TypeSerializer'),
 ('avro', r'org/apache/avro|AvroCodec|BinaryPayloadCheck'),
 ('kafka client', r'org/apache/kafka/clients|org/apache/kafka/common'),
 ('kafka broker', r'kafka/server|kafka/log|kafka/network|org/apache/kafka/storage|org/apache/kafka/raft|kafka/cluster'),
 ('memcpy/copy', r'memcpy|memmove|arraycopy|copyMemory'),
 ('gc', r'GC|G1|gc_|Parallel'),
 ('jit', r'Compile|C2|C1|compiler'),
 ('kernel/syscall', r'\[k\]|_\[k\]|syscall|futex|epoll'),
]
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n); frames = stack.split(';')
    thread = re.sub(r'\d+', 'N', frames[0].strip('[]'))[:70]
    per_thread[thread] += n
    s = ';'.join(frames[1:])
    for cat, rx in RULES:
        if re.search(rx, s):
            cats[thread][cat] += n; break
    else:
        cats[thread]['other: ' + (frames[-1][:60] if len(frames) > 1 else '?')] += n
total = sum(per_thread.values())
print('total samples', total)
for th, n in per_thread.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 16):
    c = cats[th]
    print('%5.1f%% %6d %s' % (100.0 * n / total, n, th))
    print('        ' + ', '.join('%s %.0f%%' % (k, 100.0 * v / n) for k, v in c.most_common(6)))
