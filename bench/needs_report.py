#!/usr/bin/env python3
"""Turns one bench/needs.sh run's files into the Markdown results table."""

import argparse
import json
import os
import statistics

QUEUE_TARGET_MS = 10.0
RECOMPUTE_TARGET_MS = 1000.0
SUBMIT_TARGET_RPS = 1000.0
SUBMIT_TARGET_P99_MS = 50.0


def mark(ok):
    return "met" if ok else "**missed**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--json")
    a = ap.parse_args()
    w = a.work
    m = {}
    with open(os.path.join(w, "metrics.txt")) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            m[k] = v
    load = lambda name: json.load(open(os.path.join(w, name)))  # noqa: E731
    out = {"metrics": m}
    p = print

    p(f"`bash bench/needs.sh`, {int(m['needs']):,} bulk needs on a {int(m['volunteers']):,}-volunteer region; "
      f"commit {m['commit']}, {m['date']}, {m['machine_cores']} cores; load average at start {m['loadavg_start']}, "
      f"during the queue runs {m['loadavg_queue']}, before the submission runs {m['loadavg_submit']}, at the end {m['loadavg_end']}.")
    p()
    statuses = ", ".join(f"{k[7:]} {int(v):,}" for k, v in sorted(m.items()) if k.startswith("status_"))
    p(f"**Load.** `tongxing demo --volunteers {m['volunteers']} --needs {m['needs']}` took {float(m['demo_seconds']):.1f} s in all, "
      f"of which the bulk needs {float(m['bulk_needs_seconds']):.1f} s. The database holds {int(m['needs_total']):,} needs "
      f"({statuses}; {int(m['needs_open']):,} open), {int(m['need_events']):,} history lines and "
      f"{int(m['hours_entries']):,} hours entries; {int(m['db_bytes']) / 2**20:.0f} MiB.")
    p()

    p(f"#### Warning levels (target: all open needs recomputed < {RECOMPUTE_TARGET_MS:.0f} ms)")
    p()
    p("| case | runs (ms) | changed per run | median ms | target |")
    p("|---|---|---|---|---|")
    rec = {}
    for case, label in (("steady", "as the minute tick finds them (levels already right)"),
                        ("all", "every open need reset to none first, so every level above none is rewritten")):
        runs = [float(v) for k, v in sorted(m.items()) if k.startswith(f"recompute_{case}_") and k.endswith("_ms")]
        changed = sorted({m[k] for k in m if k.startswith(f"recompute_{case}_") and k.endswith("_changed")})
        med = statistics.median(runs)
        rec[case] = {"runs_ms": runs, "median_ms": med, "changed": changed}
        p(f"| {label} | {', '.join(f'{r:.1f}' for r in runs)} | {', '.join(changed)} | {med:.1f} | {mark(max(runs) < RECOMPUTE_TARGET_MS)} |")
    out["recompute"] = rec
    p()

    p(f"#### Coordinator's queue, status + warning level + district (target p50 < {QUEUE_TARGET_MS:.0f} ms)")
    p()
    p("| clients | kind | n | errors | mean matches | p50 ms | p90 ms | p99 ms | p50 ÷ healthz p50 | target |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    queue = {1: load("queue-c1.json"), a.concurrency: load("queue-cn.json")}
    for clients, res in queue.items():
        for kind in ("healthz", "open", "closed"):
            s = res["kinds"][kind]
            matches = f"{s['mean_matches']:,.0f}" if s["mean_matches"] is not None else "–"
            verdict = "baseline" if kind == "healthz" else mark(s["p50_ms"] < QUEUE_TARGET_MS and s["errors"] == 0)
            p(f"| {clients} | {kind} | {s['n']} | {s['errors']} | {matches} | {s['p50_ms']:.2f} | {s['p90_ms']:.2f} | "
              f"{s['p99_ms']:.2f} | {s['p50_ratio_to_healthz']:.1f}× | {verdict} |")
    for clients, res in queue.items():
        p(f"\n{clients} client(s): {res['requests']} requests in {res['wall_s']:.1f} s, {res['throughput_rps']:.0f} requests/s "
          f"(all kinds); load generator CPU {res['client_cpu_s']:.1f} s.")
    out["queue"] = queue
    p()

    p(f"#### Public submission (target ≥ {SUBMIT_TARGET_RPS:.0f} requests/s with p99 < {SUBMIT_TARGET_P99_MS:.0f} ms)")
    p()
    p("| run | connections, pause | requests | non-2xx / errors | requests/s | p50 ms | p90 ms | p99 ms | max ms | "
      "server CPU per request | wrk CPU | target |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|")
    labels = {
        "healthz_paced": "GET /healthz, paced (baseline)",
        "submit_paced": "POST, paced, new address every 20",
        "submit_one_address": "POST, paced, one address (limit raised)",
        "healthz_max": "GET /healthz, unpaced (baseline)",
        "submit_max": "POST, unpaced, new address every 20",
    }
    sub = {}
    for run, label in labels.items():
        r = load(f"wrk-{run}.json")
        secs = r["duration_us"] / 1e6
        errors = r["non_2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
        rps = r["requests"] / secs
        cpu = float(m[f"wrk_{run}_server_cpu_s"])
        r.update(rps=rps, errors=errors, server_cpu_ms_per_request=cpu * 1000 / r["requests"])
        sub[run] = r
        if run.startswith("healthz"):
            verdict = "baseline"
        elif run == "submit_max":
            verdict = f"ceiling: {rps / sub['healthz_max']['rps']:.2f}× healthz's"
        else:
            verdict = mark(rps >= SUBMIT_TARGET_RPS and r["p99_us"] / 1000 < SUBMIT_TARGET_P99_MS and errors == 0)
        p(f"| {label} | {m[f'wrk_{run}_connections']}, {m[f'wrk_{run}_pause_ms']} ms | {r['requests']:,} | {errors} | {rps:,.0f} | "
          f"{r['p50_us'] / 1000:.2f} | {r['p90_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | {r['max_us'] / 1000:.1f} | "
          f"{r['server_cpu_ms_per_request']:.2f} ms | {float(m[f'wrk_{run}_client_cpu_s']):.1f} s | {verdict} |")
    stored = int(m["needs_after_submit"]) - int(m["needs_before_submit"])
    answered = sum(sub[r]["requests"] - sub[r]["errors"] for r in ("submit_paced", "submit_max", "submit_one_address"))
    p(f"\nNeeds stored by the submission runs: {stored:,}; 2xx answers counted by wrk: {answered:,} "
      f"(wrk counts requests still in flight when a run ends, so it may count a few fewer than were stored). "
      f"Server RSS after them: {int(m['server_rss_after_submit_kb']) / 1024:.0f} MiB.")
    out["submit"] = sub
    out["submit_stored"] = stored
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
