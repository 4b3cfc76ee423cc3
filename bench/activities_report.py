#!/usr/bin/env python3
"""Turns one bench/activities.sh run (its work folder) into a Markdown table;
with --compare, puts the runs of several configurations (their JSON) side by
side as ratios to /healthz of the same run."""
import argparse
import json
import os

TARGETS = {"list": 20000, "hours": 10000, "signup": 5000, "checkin_paced": 2000}
# PostgreSQL's targets (issue #11) are ratios to /healthz of the same run.
PG_RATIOS = {"list": 0.6, "hours": 0.3, "signup": 0.08, "checkin_max": 0.08}
RUNS = ("healthz", "list", "hours", "signup", "healthz_paced", "checkin_paced", "checkin_max")


def ratio(runs, name):
    base = runs["healthz_paced" if name.endswith("_paced") else "healthz"]["rps"]
    return runs[name]["rps"] / base


def compare(paths):
    got = []
    for path in paths:
        if os.path.exists(path):
            d = json.load(open(path))
            got.append((d["metrics"].get("database", "sqlite"), d))
    if not got:
        return
    print("| run | " + " | ".join(f"{c} req/s | ÷ healthz" for c, _ in got) + " |")
    print("|---|" + "---|---|" * len(got))
    for name in RUNS:
        cells = []
        for c, d in got:
            r = d["runs"].get(name)
            cells.append(f"{r['rps']:,.0f} | {ratio(d['runs'], name):.3f}" if r else "– | –")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    for c, d in got:
        m = d["metrics"]
        print(f"- {c}: {m.get('date')}, commit {m.get('commit')}, {m.get('instances', '1')} instance(s)"
              + (f", PostgreSQL {m.get('pg_version')} ({m.get('pg_settings')})" if m.get("pg_version") else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work")
    ap.add_argument("--json")
    ap.add_argument("--compare", nargs="*")
    a = ap.parse_args()
    if a.compare is not None:
        return compare(a.compare)
    m = {}
    for line in open(os.path.join(a.work, "metrics.txt")):
        k, _, v = line.rstrip("\n").partition(" ")
        m[k] = v
    runs = {}
    for name in RUNS:
        path = os.path.join(a.work, f"wrk-{name}.json")
        if os.path.exists(path):
            r = json.load(open(path))
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            r["server_cpu_s"] = float(m.get(f"wrk_{name}_server_cpu_s", "nan"))
            r["pg_cpu_s"] = float(m.get(f"wrk_{name}_pg_cpu_s", "0"))
            r["client_cpu_s"] = float(m.get(f"wrk_{name}_client_cpu_s", "nan"))
            r["connections"] = int(m.get(f"wrk_{name}_connections", "0"))
            runs[name] = r
    out = []
    p = out.append
    pg = "pg_version" in m
    p(f"`DATABASE={m.get('database', 'sqlite')} bash bench/activities.sh` ({m.get('instances', '1')} instance(s)), {m.get('date')}, commit {m.get('commit')}, {m.get('machine_cores')} cores, "
      f"load average {m.get('loadavg_runs')} before the runs.")
    p("")
    p(f"Demo region: {int(m['volunteers']):,} volunteers in {m.get('demo_seconds')} s; {int(m['accounts']):,} of them "
      f"signed in with their own token; {m.get('activities')} activities ({m.get('districts')} districts, "
      f"{m.get('communities')} communities with planned ones).")
    if pg:
        p("")
        p(f"PostgreSQL {m['pg_version']} on this machine: {m.get('pg_settings')}; pool of {m.get('pool', 16)} connections per instance. "
          "Server CPU includes PostgreSQL's.")
    p("")
    p("| run | conns | requests | req/s | ÷ healthz | p50 ms | p99 ms | max ms | 201 | 200 | 409 | other | server CPU s | server CPU µs/req | wrk CPU s | target |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        base = runs["healthz_paced" if name.endswith("_paced") else "healthz"]["rps"]
        if pg:
            t = PG_RATIOS.get(name)
            verdict = "baseline" if name.startswith("healthz") else "no target" if t is None else \
                ("met" if r["rps"] / base >= t else "**missed**") + f" (≥ {t}× healthz)"
        else:
            t = TARGETS.get(name)
            verdict = "baseline" if name.startswith("healthz") else "no target (ceiling)" if t is None else \
                ("met" if r["rps"] >= t and (name != "checkin_paced" or r["p99_us"] < 50000) else "**missed**") + f" (≥ {t:,}/s)"
            if name == "checkin_paced":
                verdict = verdict.replace(")", ", p99 < 50 ms)")
        r["server_cpu_s"] += r["pg_cpu_s"]
        p(f"| {name} | {r['connections']} | {r['requests']:,} | {r['rps']:,.0f} | {r['rps'] / base:.2f} | {r['p50_us'] / 1000:.2f} | "
          f"{r['p99_us'] / 1000:.2f} | {r['max_us'] / 1000:.1f} | {r['created']:,} | {r['ok']:,} | {r['conflict']:,} | "
          f"{r['other'] + r['connect_errors'] + r['read_errors'] + r['write_errors'] + r['timeouts']:,} | "
          f"{r['server_cpu_s']:.1f} | {r['server_cpu_s'] * 1e6 / max(1, r['requests']):.0f} | {r['client_cpu_s']:.1f} | {verdict} |")
    p("")
    s, ci, cm = runs.get("signup"), runs.get("checkin_paced"), runs.get("checkin_max")
    if s:
        p(f"Sign-ups: {s['pairs_sent']:,} new pairs sent, {s['created']:,} answered 201 and {s['ok']:,} 200 (double taps); "
          f"{m.get('signup_rows')} rows ({m.get('signup_confirmed_rows')} confirmed); activities over capacity: "
          f"{m.get('signup_over_capacity')}; counters that disagree with the rows: {m.get('signup_counter_mismatch')}.")
    if ci and cm:
        created = ci["created"] + cm["created"]
        sent = ci["pairs_sent"] + cm["pairs_sent"]
        rows = int(m.get("checkin_rows", "0"))
        p(f"Check-ins: {sent:,} new pairs sent, {created:,} answered 201, {ci['ok'] + cm['ok']:,} retries answered 200; "
          f"**{rows:,} rows** in attendance. Lost (acknowledged but no row): {max(0, created - rows)}; "
          f"doubled (rows beyond the pairs sent): {max(0, rows - sent)}; rows for requests wrk cut off at the end "
          f"(done, never acknowledged): {rows - created}.")
    sizes = [f"{name} {int(m[f'wrk_{name}_grouped']) / max(1, int(m[f'wrk_{name}_groups'])):.1f} "
             f"({int(m[f'wrk_{name}_grouped']):,} requests in {int(m[f'wrk_{name}_groups']):,} groups)"
             for name in ("signup", "checkin_paced", "checkin_max") if f"wrk_{name}_groups" in m]
    if sizes:
        p(f"Group commit, requests per group (every instance): {'; '.join(sizes)}.")
    p("")
    if "ledger_entries_after" in m:
        p(f"Ledger: {int(m['ledger_entries_after']):,} entries ({int(m['ledger_heavy_entries']):,} of them the heavy volunteer's), "
          f"loaded in {m['ledger_load_seconds']} s: insert {m['ledger_insert_seconds']} s, {m['ledger_indexes_rebuilt']} indexes "
          f"{m['ledger_index_seconds']} s, running totals {m['ledger_totals_seconds']} s.")
        p("")
        p("| hours summary, one request at a time | n | p50 ms | p90 ms | p99 ms | max ms | target |")
        p("|---|---|---|---|---|---|---|")
        for who in ("heavy", "random"):
            ok = float(m[f"ledger_{who}_p99_ms"]) < 20
            p(f"| {who} volunteer | {m[f'ledger_{who}_requests']} | {m[f'ledger_{who}_p50_ms']} | {m[f'ledger_{who}_p90_ms']} | "
              f"{m[f'ledger_{who}_p99_ms']} | {m[f'ledger_{who}_max_ms']} | {'met' if ok else '**missed**'} (< 20 ms) |")
        p("")
        for name in ("totals", "recent"):
            p(f"- `{name}` statement directly: {m.get(f'ledger_direct_{name}_ms')} ms; plan: {m.get(f'ledger_plan_{name}')}")
    p("")
    p(f"Server RSS after the runs: {int(m.get('server_rss_after_runs_kb', '0')) / 1024:.1f} MiB.")
    print("\n".join(out))
    if a.json:
        json.dump({"metrics": m, "runs": runs}, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
