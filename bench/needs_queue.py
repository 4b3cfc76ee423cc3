#!/usr/bin/env python3
"""Load client for the coordinator's needs queue (Python stdlib only).

Signs in as the demo coordinator and sends GET /api/v1/needs filtered by
status + warning_level + district_id (the default page of 50, most urgent
first), with filters taken from what the database holds (read directly from
the SQLite file, read-only), so every request is one a coordinator could make:

  open     an open status (submitted, published, claimed) at one of its
           warning levels, in one district: a few to a few hundred matches
  closed   a closed status (completed, rated, rejected, cancelled), level
           none, in one district: up to ~15,000 matches, the worst case
  healthz  GET /healthz, no database: the same-run baseline

The kinds are shuffled together and sent by one client or by N worker
processes with one keep-alive connection each (search.py's client), after a
short warm-up. Latency is client side, from sending to reading the whole body.
"""

import argparse
import json
import multiprocessing
import random
import resource
import sqlite3
import sys
import time
import urllib.parse

from search import Client, login, summarize

LEVELS = ["none", "blue", "yellow", "orange", "red"]
OPEN = ("submitted", "published", "claimed")
KINDS = ["healthz", "open", "closed"]


def filters(db_path):
    """Every (status, level, district) the needs table holds, by kind."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT status, warning_level, district_id, COUNT(*) FROM needs GROUP BY 1, 2, 3").fetchall()
    finally:
        con.close()
    out = {"open": [], "closed": []}
    for status, level, district, n in rows:
        kind = "open" if status in OPEN else "closed"
        out[kind].append(((status, LEVELS[level], district), n))
    return out


def build_requests(combos, n, seed):
    rng = random.Random(seed)
    reqs = []
    for _ in range(n):
        reqs.append(("healthz", "/healthz"))
        for kind in ("open", "closed"):
            (status, level, district), _ = rng.choice(combos[kind])
            q = urllib.parse.urlencode({"status": status, "warning_level": level, "district_id": district})
            reqs.append((kind, f"/api/v1/needs?{q}"))
    rng.shuffle(reqs)
    return reqs


def run_slice(args):
    host, port, token, reqs, deadline = args
    c = Client(host, port, token)
    out = []
    for kind, path in reqs:
        if time.time() > deadline:
            break
        t0 = time.perf_counter()
        status, body = c.get(path)
        dt = time.perf_counter() - t0
        total = json.loads(body).get("total") if status == 200 and kind != "healthz" else None
        out.append((kind, dt, status, total))
    c.conn.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    ap.add_argument("--db", required=True, help="the SQLite file the server uses (read-only, for the filters)")
    ap.add_argument("--login", default="coordinator")
    ap.add_argument("--password", default="demo-coordinator")
    ap.add_argument("--requests", type=int, default=2000, help="requests per kind")
    ap.add_argument("--concurrency", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=100, help="requests per kind, not counted")
    ap.add_argument("--max-seconds", type=float, default=150, help="stop sending after this long (bounded run)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()

    u = urllib.parse.urlsplit(a.url)
    host, port = u.hostname, u.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("needs_queue: only loopback targets are allowed")
    token = login(host, port, a.login, a.password)
    combos = filters(a.db)
    run_slice((host, port, token, build_requests(combos, a.warmup, a.seed + 1), time.time() + 60))
    reqs = build_requests(combos, a.requests, a.seed)

    def cpu():
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    deadline = time.time() + a.max_seconds
    cpu0, t0 = cpu(), time.perf_counter()
    if a.concurrency <= 1:
        samples = run_slice((host, port, token, reqs, deadline))
    else:
        slices = [(host, port, token, reqs[i :: a.concurrency], deadline) for i in range(a.concurrency)]
        with multiprocessing.Pool(a.concurrency) as pool:
            samples = [s for part in pool.map(run_slice, slices) for s in part]
    wall = time.perf_counter() - t0
    res = summarize(samples, wall)
    res.update(client_cpu_s=cpu() - cpu0, concurrency=a.concurrency, planned_requests=len(reqs))
    res["truncated_by_deadline"] = len(samples) < len(reqs)
    res["filters"] = {k: len(v) for k, v in combos.items()}
    print(f"\nqueue, concurrency {a.concurrency}: {len(samples)} requests in {wall:.1f} s ({res['throughput_rps']:.0f} req/s)")
    print(f"{'kind':<9}{'n':>6}{'err':>5}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'x healthz':>10}{'matches':>9}")
    for kind in KINDS:
        s = res["kinds"].get(kind)
        if not s:
            continue
        ratio = f"{s['p50_ratio_to_healthz']:.1f}" if s["p50_ratio_to_healthz"] else "-"
        matches = f"{s['mean_matches']:.0f}" if s["mean_matches"] is not None else "-"
        print(f"{kind:<9}{s['n']:>6}{s['errors']:>5}{s['p50_ms']:>9.2f}{s['p90_ms']:>9.2f}{s['p99_ms']:>9.2f}"
              f"{s['max_ms']:>9.1f}{ratio:>10}{matches:>9}")
    if res["truncated_by_deadline"]:
        print(f"WARNING: stopped at the {a.max_seconds:.0f} s limit after {len(samples)} of {len(reqs)} requests")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
