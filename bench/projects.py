"""Times the service-project catalogue through the API (issue #14 §1) against
/healthz and an existing list (/api/v1/teams) in the same run, one request at
a time on one keep-alive connection, in a shuffled order, and prints a
Markdown table: p50/p90/p99 in ms and p50 as a multiple of /healthz's p50.

Usage: projects.py HOST PORT REQUESTS BUSIEST_PROJECT_ID
"""
import http.client
import json
import random
import sys

from first_screens import timed
from search import login, percentile


def main():
    host, port, n, busiest = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    token = login(host, port, "coordinator", "demo-coordinator")
    kinds = [
        ("healthz", "/healthz"),
        ("teams list (baseline)", "/api/v1/teams"),
        ("projects list", "/api/v1/projects"),
        ("projects list, page 2", "/api/v1/projects?per_page=50&page=2"),
        ("projects search `jk` (pinyin)", "/api/v1/projects?q=jk"),
        ("projects by theme + category", "/api/v1/projects?theme=health&category=health"),
        ("busiest project page, this year", f"/api/v1/projects/{busiest}"),
        ("busiest project page, all time", f"/api/v1/projects/{busiest}?from=2000-01-01&to=2099-12-31"),
    ]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    _, body = timed(conn, kinds[-1][1], None, token)
    stats = json.loads(body)["stats"]
    if stats["activities"] == 0:
        sys.exit("projects: the busiest project counts no activities")
    for _, path in kinds:  # warm-up, not counted
        for _ in range(10):
            timed(conn, path, None, token)
    order = [k for k in kinds for _ in range(n)]
    random.Random(14).shuffle(order)
    samples = {k[0]: [] for k in kinds}
    for kind, path in order:
        samples[kind].append(timed(conn, path, None, token)[0] * 1000)
    base = percentile(sorted(samples["healthz"]), 50)
    print(f"busiest project {busiest}: all time {json.dumps(stats, ensure_ascii=False)}")
    print()
    print("| request | n | p50 ms | p90 ms | p99 ms | p50 ÷ healthz p50 |")
    print("|---|---|---|---|---|---|")
    for kind, _ in kinds:
        s = sorted(samples[kind])
        p50 = percentile(s, 50)
        print(f"| {kind} | {len(s)} | {p50:.2f} | {percentile(s, 90):.2f} | {percentile(s, 99):.2f} | {p50 / base:.1f}× |")


if __name__ == "__main__":
    main()
