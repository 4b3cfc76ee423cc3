#!/usr/bin/env python3
"""Turn the files one bench/run.sh run left in its work folder into a Markdown
results table (stdout) and one JSON document (--json)."""

import argparse
import json
import os
import statistics

SEARCH_TARGET_MS = 5.0
IMPORT_TARGET_S = 10.0
RSS_TARGET_MB = 150.0


def load(path):
    with open(path) as f:
        return json.load(f)


def mark(ok):
    return "met" if ok else "**missed**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--import-runs", type=int, default=1)
    ap.add_argument("--json")
    a = ap.parse_args()
    w = a.work
    m = {}
    with open(os.path.join(w, "metrics.txt")) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            m[k] = v
    num = lambda k: float(m[k])  # noqa: E731
    search = {1: load(os.path.join(w, "search-c1.json")), a.concurrency: load(os.path.join(w, f"search-c{a.concurrency}.json"))}
    explain = load(os.path.join(w, "explain.json"))
    broad = load(os.path.join(w, "search-broad.json"))
    base_p50 = search[1]["kinds"]["healthz"]["p50_ms"]
    for s_ in broad["kinds"].values():
        s_["p50_ratio_to_healthz"] = s_["p50_ms"] / base_p50
    search[1]["kinds"].update(broad["kinds"])

    imports = {}
    for size in ("small", "large"):
        api = [load(os.path.join(w, f"import-api-{size}-{r}.json")) for r in range(1, a.import_runs + 1)]
        cli = [num(f"import_cli_{size}_{r}_seconds") for r in range(1, a.import_runs + 1)]
        imports[size] = {"rows": api[0]["rows"], "bytes": api[0]["bytes"], "api_s": [x["seconds"] for x in api], "cli_s": cli,
                         "api_median_s": statistics.median(x["seconds"] for x in api), "cli_median_s": statistics.median(cli)}
    mb = lambda kb: float(kb) / 1024  # noqa: E731
    mem = {
        "start_mb": mb(m["rss_start_kb"]),
        "after_search_c1_mb": mb(m["rss_after_search_c1_kb"]),
        "after_search_mb": mb(m["rss_after_search_kb"]),
        "peak_through_search_mb": mb(m["hwm_after_search_kb"]),
        "after_import_large_api_mb": max(mb(m[f"rss_after_import_api_large_{r}_kb"]) for r in range(1, a.import_runs + 1)),
        "peak_import_large_api_mb": max(mb(m[f"hwm_after_import_api_large_{r}_kb"]) for r in range(1, a.import_runs + 1)),
    }

    out = []
    p = out.append
    p(f"## Results — {m['date']}, {m['machine_cores']} cores, commit {m['commit']}\n")
    p(f"Load average (1/5/15 min) at start {m['loadavg_start']}, before search {m['loadavg_search']}, at end {m['loadavg_end']} "
      f"(the machine is shared: anything above ~0.5 means other work competed for the 2 cores).\n")
    p(f"Demo region: {int(m['volunteers']):,} volunteers loaded by `tongxing demo` in **{num('demo_seconds'):.1f} s**; "
      f"database {num('db_bytes') / 2**20:.0f} MiB; server ready {num('server_ready_seconds_search'):.2f} s after start.\n")

    p("### 1. Volunteer search through the API (SQLite, target p50 < 5 ms)\n")
    p("| clients | kind | n | errors | mean matches | p50 ms | p90 ms | p99 ms | p50 ÷ healthz p50 | target |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    all_ok = True
    for c, res in search.items():
        for kind in ["healthz", "name", "pinyin", "phone", "broad_name", "broad_pinyin"]:
            s = res["kinds"].get(kind)
            if not s:
                continue
            if kind in ("name", "pinyin", "phone"):
                ok = s["p50_ms"] < SEARCH_TARGET_MS and s["errors"] == 0
                all_ok &= ok
                tgt = mark(ok) if ok else f"**missed** ({s['p50_ms'] / SEARCH_TARGET_MS:.1f}× the target)"
            elif kind == "healthz":
                tgt = "baseline"
            else:
                tgt = "worst case, separate run, no target"
            matches = f"{s['mean_matches']:,.0f}" if s["mean_matches"] is not None else "–"
            ratio = f"{s['p50_ratio_to_healthz']:.1f}×" if kind != "healthz" else "1"
            p(f"| {c} | {kind} | {s['n']} | {s['errors']} | {matches} | {s['p50_ms']:.2f} | {s['p90_ms']:.2f} | {s['p99_ms']:.2f} | {ratio} | {tgt} |")
    server_cpu = {1: num("server_cpu_after_c1_s") - num("server_cpu_before_c1_s"),
                  a.concurrency: num("server_cpu_after_cn_s") - num("server_cpu_after_c1_s")}
    for c, res in search.items():
        sent = res["requests"] + res.get("warmup_requests", 0)
        res["server_cpu_s"] = server_cpu[c]
        p(f"\n{c} client{'s' if c > 1 else ''}: {res['requests']} requests in {res['wall_s']:.1f} s, "
          f"{res['throughput_rps']:.0f} requests/s (all kinds together); server CPU {server_cpu[c]:.1f} s "
          f"({server_cpu[c] / sent * 1000:.2f} ms per request, all kinds, warm-up and login included), "
          f"load generator CPU {res['client_cpu_s']:.1f} s"
          + (" — **stopped at the time limit**" if res.get("truncated_by_deadline") else ""))
    broad_cpu = num("server_cpu_after_broad_s") - num("server_cpu_after_cn_s")
    p(f"\nWorst cases (run apart, one client): {broad['requests']} requests in {broad['wall_s']:.1f} s; server CPU "
      f"{broad_cpu:.1f} s ({broad_cpu / broad['requests'] * 1000:.1f} ms per request).")
    p(f"\nAfter the runs the server held {int(m['server_db_connections'])} open handles on the database file "
      "(SQLite connections: 1 writer + readers).")
    p("\nThe same SQL run directly on the file with Python's sqlite3 (page of 50 + COUNT(*), mean of 20; no teams/skills look-ups):\n")
    p("| kind | q | matches | page ms | count ms | page plan |")
    p("|---|---|---|---|---|---|")
    for kind, e in explain.items():
        p(f"| {kind} | {e['q']} | {e['matches']:,} | {e['page_ms_mean']:.2f} | {e['count_ms_mean']:.2f} | {' ; '.join(e['page_plan'])} |")

    p("\n### 2. Roster import (.xlsx, into a fresh copy of the loaded database; target 10,000 lines < 10 s)\n")
    small_rows = imports["small"]["rows"]
    p(f"| path | lines | runs (s) | median s | ÷ {small_rows:,}-line median | target |")
    p("|---|---|---|---|---|---|")
    small, large = imports["small"], imports["large"]
    imp_ok = True
    for path, key in (("API upload", "api"), ("CLI `tongxing import`", "cli")):
        for size in ("small", "large"):
            d = imports[size]
            runs = ", ".join(f"{x:.2f}" for x in d[f"{key}_s"])
            ratio = d[f"{key}_median_s"] / small[f"{key}_median_s"]
            if size == "large":
                ok = d[f"{key}_median_s"] < IMPORT_TARGET_S
                imp_ok &= ok
                tgt = mark(ok) if ok else f"**missed** ({d[f'{key}_median_s'] / IMPORT_TARGET_S:.1f}× the target)"
            else:
                tgt = "baseline"
            p(f"| {path} | {d['rows']:,} | {runs} | {d[f'{key}_median_s']:.2f} | {ratio:.1f}× | {tgt} |")
    p(f"\nFiles: {small['bytes'] / 1024:.0f} KiB and {large['bytes'] / 1024:.0f} KiB. The CLI time is the whole process "
      "(open, migrations check, import, exit); the API time is client side, upload to answer.")

    p("\n### 3. Server memory (VmRSS; target < 150 MB)\n")
    p("| when | RSS MiB | target |")
    p("|---|---|---|")
    mem_ok = True
    for label, key, target in ((f"right after start, {int(m['volunteers']):,}-volunteer database, before any request", "start_mb", True),
                               ("after the sequential search run", "after_search_c1_mb", False),
                               (f"after the concurrency-{a.concurrency} search run", "after_search_mb", True),
                               ("peak (VmHWM) through all search runs, worst cases included", "peak_through_search_mb", False),
                               (f"after a {large['rows']:,}-line API import", "after_import_large_api_mb", False),
                               (f"peak (VmHWM) through a {large['rows']:,}-line API import", "peak_import_large_api_mb", False)):
        v = mem[key]
        if target:
            ok = v < RSS_TARGET_MB
            mem_ok &= ok
            tgt = mark(ok)
        else:
            tgt = "(for information)"
        p(f"| {label} | {v:.1f} | {tgt} |")

    p("\n### Targets\n")
    p(f"- search p50 < 5 ms, every kind, 1 and {a.concurrency} clients: {mark(all_ok)}")
    p(f"- 10,000-line import < 10 s, API and CLI: {mark(imp_ok)}")
    p(f"- RSS < 150 MB at start and after search: {mark(mem_ok)}")
    print("\n".join(out))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"metrics": m, "search": {str(k): v for k, v in search.items()}, "explain": explain, "imports": imports,
                       "memory_mb": mem, "targets": {"search": all_ok, "import": imp_ok, "memory": mem_ok}}, f, indent=2,
                      ensure_ascii=False)


if __name__ == "__main__":
    main()
