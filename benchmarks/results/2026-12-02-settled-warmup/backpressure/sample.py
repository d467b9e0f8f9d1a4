import json, re, sys, time, urllib.request
log = sys.argv[1]; out = open(sys.argv[2], "w")
METRICS = ["backPressuredTimeMsPerSecond","busyTimeMsPerSecond","idleTimeMsPerSecond",
           "Shuffle.Netty.Output.Buffers.outPoolUsage","Shuffle.Netty.Input.Buffers.inPoolUsage",
           "Shuffle.Netty.Input.Buffers.inputExclusiveBuffersUsage","Shuffle.Netty.Input.Buffers.inputFloatingBuffersUsage"]
def get(url):
    with urllib.request.urlopen(url, timeout=5) as r: return json.loads(r.read())
port = None
while True:
    try:
        txt = open(log).read()
    except FileNotFoundError:
        txt = ""
    m = re.findall(r"Rest endpoint listening at [^:]+:(\d+)", txt)
    if m: port = m[-1]
    if "pipeline_fps" in txt and "latency_p99" in txt: break
    if port:
        try:
            base = f"http://localhost:{port}"
            jobs = [j for j in get(base + "/jobs/overview")["jobs"] if j["state"] == "RUNNING"]
            for j in jobs:
                d = get(f"{base}/jobs/{j['jid']}")
                for v in d["vertices"]:
                    ms = get(f"{base}/jobs/{j['jid']}/vertices/{v['id']}/subtasks/metrics?get=" + ",".join(METRICS))
                    vals = {x["id"]: round(x.get("avg", 0), 3) for x in ms}
                    out.write(json.dumps({"t": time.strftime("%H:%M:%S"), "vertex": v["name"][:60], **vals}) + "\n"); out.flush()
        except Exception as e:
            out.write(json.dumps({"t": time.strftime("%H:%M:%S"), "error": str(e)[:100]}) + "\n"); out.flush()
    time.sleep(10)
