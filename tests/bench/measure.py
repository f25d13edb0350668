#!/usr/bin/env python3
"""The CPU side of scripts/bench.sh.

  measure.py run NAME PID -- LOADGEN...   runs the load generator and prints its JSON line with
                                          "server": NAME and the CPU the run cost: the server's
                                          (utime+stime of PID, from /proc) and the generator's,
                                          in all and per message delivered or request answered
  measure.py compare LINES LINES          fieldlink's lines against the baseline's (one per
                                          round, newline-separated, the rounds alternating):
                                          each round's ratios and their medians
"""
import json
import os
import resource
import statistics
import subprocess
import sys


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(name, pid, command):
    server_before, generator_before = cpu_seconds(pid), children_cpu_seconds()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    server = cpu_seconds(pid) - server_before
    generator = children_cpu_seconds() - generator_before
    lines = [l for l in done.stdout.splitlines() if l.startswith("{")]
    if not lines:
        sys.stderr.write(done.stdout)
        return done.returncode or 1
    line = {"server": name, **json.loads(lines[-1])}
    line["server_cpu_seconds"] = round(server, 3)
    line["loadgen_cpu_seconds"] = round(generator, 3)
    unit = "message" if "delivered" in line else "request"
    count = line.get("delivered", line.get("requests", 0))
    if count:
        line[f"server_cpu_us_per_{unit}"] = round(server / count * 1e6, 1)
        line[f"loadgen_cpu_us_per_{unit}"] = round(generator / count * 1e6, 1)
    print(json.dumps(line), flush=True)
    return done.returncode


def ratios_of(a, b):
    ratios = {}
    for key in ("delivered_per_second", "requests_per_second", "server_cpu_us_per_message",
                "server_cpu_us_per_request"):
        if a.get(key) and b.get(key):
            ratios[key] = round(a[key] / b[key], 2)
    if "latency_ms" in a and "latency_ms" in b and b["latency_ms"]["p99"]:
        ratios["latency_p99"] = round(a["latency_ms"]["p99"] / b["latency_ms"]["p99"], 2)
    return ratios


def compare(ours, theirs):
    # Round by round, since the machine's speed drifts between rounds more than within one.
    rounds = [ratios_of(json.loads(a), json.loads(b))
              for a, b in zip(ours.splitlines(), theirs.splitlines()) if a and b]
    medians = {key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]}
    line = {"scenario": json.loads(ours.splitlines()[0])["scenario"],
            "fieldlink_over_baseline": medians}
    if len(rounds) > 1:
        line["rounds"] = rounds
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "run":
        sys.exit(run(sys.argv[2], int(sys.argv[3]), sys.argv[sys.argv.index("--") + 1:]))
    sys.exit(compare(sys.argv[2], sys.argv[3]))
