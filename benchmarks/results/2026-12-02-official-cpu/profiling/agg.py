import json,sys,collections
d=json.load(open(sys.argv[1]))
c=collections.Counter(); tot=0; runs=0
for e in d:
    if e.get("cat")=="Node" and e["name"].endswith("_kernel_time"):
        op=e["args"].get("op_name"); c[op]+=e["dur"]; tot+=e["dur"]
    if e.get("name")=="model_run": runs+=1
print("runs",runs,"total node ms/run",tot/1000/max(runs,1))
for k,v in c.most_common(20): print(f"{100*v/tot:5.1f}% {v/1000/max(runs,1):8.1f} ms/run {k}")
