"""Times the campaign page through the API (goals, progress, rotation
status), the year calendar page, a month of the calendar through the API,
and /healthz as the baseline, one request at a time on one keep-alive
connection; prints a Markdown table (p50/p90/p99 ms, p50 ÷ healthz p50).

Usage: campaigns.py HOST PORT REQUESTS LABEL
"""
import http.client
import json
import random
import sys
import time

from search import login, percentile


def main():
    host, port, n, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    token = login(host, port, "coordinator", "demo-coordinator")
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/api/v1/campaigns?per_page=50", headers={"Authorization": f"Bearer {token}"})
    items = json.loads(conn.getresponse().read())["items"]
    current = next(c for c in items if c["starts_on"].startswith("2026"))["id"]
    kinds = [
        ("healthz", "/healthz", {}, None),
        ("campaign page (API)", f"/api/v1/campaigns/{current}", {"Authorization": f"Bearer {token}"}, 10),
        ("year calendar (page)", f"/campaigns/{current}/year", {"Cookie": f"tx_session={token}"}, 20),
        ("month calendar (API)", f"/api/v1/campaigns/{current}/calendar?month=2026-06", {"Authorization": f"Bearer {token}"}, None),
    ]

    def timed(path, headers):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            sys.exit(f"campaigns: GET {path} answered {resp.status}: {body[:200]!r}")
        return (time.perf_counter() - t0) * 1000

    for k in kinds:
        for _ in range(10):
            timed(k[1], k[2])
    order = [k for k in kinds for _ in range(n)]
    random.Random(14).shuffle(order)
    samples = {k[0]: [] for k in kinds}
    for kind, path, headers, _ in order:
        samples[kind].append(timed(path, headers))
    base = percentile(sorted(samples["healthz"]), 50)
    print(f"\n{label}\n")
    print("| request | n | p50 ms | p90 ms | p99 ms | p50 ÷ healthz p50 | target p50 |")
    print("|---|---|---|---|---|---|---|")
    for kind, _, _, target in kinds:
        s = sorted(samples[kind])
        p50 = percentile(s, 50)
        verdict = "baseline" if kind == "healthz" else ("—" if target is None else (f"< {target} ms met" if p50 < target else f"< {target} ms **missed**"))
        print(f"| {kind} | {len(s)} | {p50:.2f} | {percentile(s, 90):.2f} | {percentile(s, 99):.2f} | {p50 / base:.1f}× | {verdict} |")


if __name__ == "__main__":
    main()
