#!/usr/bin/env python3
"""Times POST /api/v1/dispatches (issue #5) against a running server, with
GET /healthz in the same run as the baseline. Each call is for a different day
so earlier calls do not make people busy; the first call (which builds the
in-memory pool with a full read) is reported apart from the warm ones.
Prints "key value" lines for bench/dispatch.sh's metrics file."""
import argparse
import datetime
import http.client
import json
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from search import login  # noqa: E402


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round((len(xs) - 1) * p))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--needed", type=int, default=60)
    ap.add_argument("--health", type=int, default=200)
    a = ap.parse_args()
    host = "127.0.0.1"
    token = login(host, a.port, "coordinator", "demo-coordinator")
    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    # The community with the most volunteers: a call where people are.
    community = con.execute("SELECT community_id FROM volunteers GROUP BY community_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    outbox_before = con.execute("SELECT count(*) FROM outbox WHERE kind = 'sms'").fetchone()[0]
    conn = http.client.HTTPConnection(host, a.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}

    health = []
    for _ in range(a.health):
        t = time.perf_counter()
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        r.read()
        health.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            sys.exit(f"/healthz: {r.status}")

    tz = datetime.timezone(datetime.timedelta(hours=8))
    day0 = datetime.datetime.now(tz).replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    lat, waves = [], []
    for i in range(a.calls):
        starts = day0 + datetime.timedelta(days=i)
        body = {
            "title": f"bench call {i + 1}",
            "community_id": community,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + datetime.timedelta(hours=4)).isoformat(),
            "needed": a.needed,
        }
        t = time.perf_counter()
        conn.request("POST", "/api/v1/dispatches", body=json.dumps(body), headers=headers)
        r = conn.getresponse()
        data = r.read()
        lat.append((time.perf_counter() - t) * 1000)
        if r.status != 201:
            sys.exit(f"POST /api/v1/dispatches: {r.status} {data[:300]!r}")
    con.close()
    con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    sms = con.execute("SELECT count(*) FROM outbox WHERE kind = 'sms'").fetchone()[0] - outbox_before
    notified = con.execute("SELECT count(*) FROM dispatch_responses WHERE wave = 1").fetchone()[0]
    calls = con.execute("SELECT count(*) FROM dispatches").fetchone()[0]
    warm = lat[1:]
    print(f"healthz_p50_ms {statistics.median(health):.2f}")
    print(f"healthz_max_ms {max(health):.2f}")
    print(f"post_first_ms {lat[0]:.1f}")
    if warm:
        print(f"post_warm_p50_ms {statistics.median(warm):.1f}")
        print(f"post_warm_p90_ms {pct(warm, 0.9):.1f}")
        print(f"post_warm_max_ms {max(warm):.1f}")
    print(f"calls {calls}")
    print(f"first_wave_notified {notified}")
    print(f"sms_in_outbox {sms}")
    print("post_all_ms " + ",".join(f"{x:.1f}" for x in lat))


if __name__ == "__main__":
    main()
