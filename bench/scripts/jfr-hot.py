#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway (bench/scripts/side-by-side.sh --jfr): CPU samples by thread, the
hottest frames (self time), the write path's hottest frames (samples whose stack passes through a write-path
class), the Strata methods with the most inclusive samples, and the monitor/park events by class.

  python3 bench/scripts/jfr-hot.py /tmp/strata-9010.jfr [--top 10] [--write-pattern REGEX]

Uses the JDK's `jfr print` (text form). Percentages are of all execution samples unless said otherwise."""
import argparse, collections, re, subprocess, sys

parser = argparse.ArgumentParser()
parser.add_argument("recording")
parser.add_argument("--top", type=int, default=10)
# the write path: the CQL write executor, the engine's apply, group commit and commit log, memtables, and the
# background work writes cause (flushes, compactions)
parser.add_argument("--write-pattern", default=r"io\.strata\.cql\.exec\.WriteExecutor|LsmEngine\.apply"
                    r"|io\.strata\.storage\.engine\.(wal|memtable|flush|compaction)\.")
args = parser.parse_args()
write = re.compile(args.write_pattern)

def events(kind, depth=64):
    text = subprocess.run(["jfr", "print", "--events", kind, "--stack-depth", str(depth), args.recording],
                          capture_output=True, text=True, check=True).stdout
    event = None
    in_stack = False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith(kind.split(".")[-1]) or re.match(r"^jdk\.\w+ \{$", s):
            event = {"stack": [], "fields": {}}
            in_stack = False
        elif event is None:
            continue
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack:
            if s != "...":
                event["stack"].append(re.sub(r"\s+line:.*$", "", s))
        elif s == "}" and not in_stack:
            yield event
            event = None
        else:
            m = re.match(r"(\w+) = (.*)$", s)
            if m:
                event["fields"][m.group(1)] = m.group(2)

def thread_group(name):
    name = re.sub(r'^"|"\s*\(.*$', "", name)
    return re.sub(r"[-#]?\d+$", "", name).strip('"')

def short(frame):
    return re.sub(r"\(.*\)$", "()", frame)

samples = [e for e in events("jdk.ExecutionSample") if e["stack"]]
n = len(samples)
if n == 0:
    sys.exit("no execution samples in " + args.recording)
print(f"{n} execution samples")
by_thread = collections.Counter(thread_group(e["fields"].get("sampledThread", "?")) for e in samples)
print("\nCPU samples by thread (group):")
for name, c in by_thread.most_common(args.top):
    print(f"  {100 * c / n:5.1f}%  {name}")
print("\nhottest frames (self), all samples:")
for frame, c in collections.Counter(short(e["stack"][0]) for e in samples).most_common(args.top):
    print(f"  {100 * c / n:5.1f}%  {frame}")
ws = [e for e in samples if any(write.search(f) for f in e["stack"])]
print(f"\nwrite path: {len(ws)} samples ({100 * len(ws) / n:.1f}% of all); hottest frames (self),"
      " % of write-path samples / of all samples:")
for frame, c in collections.Counter(short(e["stack"][0]) for e in ws).most_common(args.top):
    print(f"  {100 * c / max(1, len(ws)):5.1f}% / {100 * c / n:5.1f}%  {frame}")
print("\nwrite path by thread, % of all samples:")
for name, c in collections.Counter(thread_group(e["fields"].get("sampledThread", "?")) for e in ws).most_common(args.top):
    print(f"  {100 * c / n:5.1f}%  {name}")
print("\nStrata methods with the most inclusive samples, % of all samples:")
inclusive = collections.Counter()
for e in samples:
    for f in {short(f) for f in e["stack"] if f.startswith("io.strata")}:
        inclusive[f] += 1
for frame, c in inclusive.most_common(2 * args.top):
    print(f"  {100 * c / n:5.1f}%  {frame}")

for kind, key in (("jdk.JavaMonitorEnter", "monitorClass"), ("jdk.ThreadPark", "parkedClass")):
    evs = list(events(kind, 16))
    total = collections.Counter()
    count = collections.Counter()
    for e in evs:
        d = e["fields"].get("duration", "0 ms")
        m = re.match(r"([\d.,]+) (ns|us|ms|s)", d)
        ms = float(m.group(1).replace(",", "")) * {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)] if m else 0
        site = next((short(f) for f in e["stack"] if f.startswith("io.strata")), short(e["stack"][0]) if e["stack"] else "?")
        k = (e["fields"].get(key, "?").split(" ")[0], site, thread_group(e["fields"].get("eventThread", "?")))
        total[k] += ms
        count[k] += 1
    print(f"\n{kind}: {len(evs)} events (JFR profile settings keep those over 10-20 ms); longest total:")
    for k, ms in total.most_common(args.top):
        print(f"  {ms:9.0f} ms in {count[k]:4d} events  {k[0]}  at {k[1]}  [{k[2]}]")
