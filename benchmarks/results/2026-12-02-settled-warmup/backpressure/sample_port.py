import json, sys, time, urllib.request
port, out, seconds = sys.argv[1], open(sys.argv[2], "w"), float(sys.argv[3])
METRICS = ["backPressuredTimeMsPerSecond","busyTimeMsPerSecond","idleTimeMsPerSecond"]
def get(url):
    with urllib.request.urlopen(url, timeout=5) as r: return json.loads(r.read())
end = time.time() + seconds
while time.time() < end:
    try:
        base = f"http://localhost:{port}"
        for j in [j for j in get(base + "/jobs/overview")["jobs"] if j["state"] == "RUNNING"]:
            for v in get(f"{base}/jobs/{j['jid']}")["vertices"]:
                ms = get(f"{base}/jobs/{j['jid']}/vertices/{v['id']}/subtasks/metrics?get=" + ",".join(METRICS))
                out.write(json.dumps({"t": time.strftime("%H:%M:%S"), "vertex": v["name"][:60], **{x["id"]: x.get("avg") for x in ms}}) + "\n"); out.flush()
    except Exception as e:
        out.write(json.dumps({"t": time.strftime("%H:%M:%S"), "error": str(e)[:100]}) + "\n"); out.flush()
    time.sleep(5)
