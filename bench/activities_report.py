#!/usr/bin/env python3
"""Turns one bench/activities.sh run (its work folder) into a Markdown table."""
import argparse
import json
import os

TARGETS = {"list": 20000, "hours": 10000, "signup": 5000, "checkin_paced": 2000}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--json")
    a = ap.parse_args()
    m = {}
    for line in open(os.path.join(a.work, "metrics.txt")):
        k, _, v = line.rstrip("\n").partition(" ")
        m[k] = v
    runs = {}
    for name in ("healthz", "list", "hours", "signup", "healthz_paced", "checkin_paced", "checkin_max"):
        path = os.path.join(a.work, f"wrk-{name}.json")
        if os.path.exists(path):
            r = json.load(open(path))
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            r["server_cpu_s"] = float(m.get(f"wrk_{name}_server_cpu_s", "nan"))
            r["client_cpu_s"] = float(m.get(f"wrk_{name}_client_cpu_s", "nan"))
            r["connections"] = int(m.get(f"wrk_{name}_connections", "0"))
            runs[name] = r
    out = []
    p = out.append
    p(f"`bash bench/activities.sh`, {m.get('date')}, commit {m.get('commit')}, {m.get('machine_cores')} cores, "
      f"load average {m.get('loadavg_runs')} before the runs.")
    p("")
    p(f"Demo region: {int(m['volunteers']):,} volunteers in {m.get('demo_seconds')} s; {int(m['accounts']):,} of them "
      f"signed in with their own token; {m.get('activities')} activities ({m.get('districts')} districts, "
      f"{m.get('communities')} communities with planned ones).")
    p("")
    p("| run | conns | requests | req/s | ÷ healthz | p50 ms | p99 ms | max ms | 201 | 200 | 409 | other | server CPU s | server CPU µs/req | wrk CPU s | target |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        base = runs["healthz_paced" if name.endswith("_paced") else "healthz"]["rps"]
        t = TARGETS.get(name)
        verdict = "baseline" if name.startswith("healthz") else "no target (ceiling)" if t is None else \
            ("met" if r["rps"] >= t and (name != "checkin_paced" or r["p99_us"] < 50000) else "**missed**") + f" (≥ {t:,}/s)"
        if name == "checkin_paced":
            verdict = verdict.replace(")", ", p99 < 50 ms)")
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
