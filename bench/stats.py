"""The leadership dashboard's benchmark (bench/stats.sh): signs in as admin
and times R requests of each kind, one at a time on one keep-alive connection,
printing one JSON line per kind with its p50 and p95 and the p50 as a multiple
of /healthz's in the same run:

  healthz                 the baseline
  dashboard_cached        this year's dashboard, asked again and again (the
                          figures cache answers after the first)
  dashboard_uncached      this year's dashboard to a different last day each
                          time (a day apart), so the cache never answers
  dashboard_team_uncached the same narrowed to one team
  overview_uncached       GET /api/v1/stats/overview, uncached likewise
  lines_uncached          the first page of ledger entries behind the hours

The region is grown with report_in.py's `grow` (activities over ten years,
four to eight ledger entries each).
"""
import http.client
import json
import statistics
import sys
import time


def timed(port, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "admin", "password": "demo-admin"}), {"content-type": "application/json"})
    token = json.loads(conn.getresponse().read())["token"]
    auth = {"authorization": f"Bearer {token}"}
    day = lambda days_ago: time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - days_ago * 86400))
    year = time.strftime("%Y-01-01")
    kinds = [
        ("healthz", lambda i: "/healthz"),
        ("dashboard_cached", lambda i: "/api/v1/stats/dashboard"),
        ("dashboard_uncached", lambda i: f"/api/v1/stats/dashboard?from={year}&to={day(i)}"),
        ("dashboard_team_uncached", lambda i: f"/api/v1/stats/dashboard?team_id=1&from={year}&to={day(i)}"),
        ("overview_uncached", lambda i: f"/api/v1/stats/overview?from={year}&to={day(i)}"),
        ("lines_uncached", lambda i: f"/api/v1/stats/lines?metric=entries&from={year}&to={day(i)}"),
    ]
    base = None
    for name, path in kinds:
        ms = []
        for i in range(requests + 3):
            t = time.perf_counter()
            conn.request("GET", path(i), headers=auth)
            r = conn.getresponse()
            body = r.read()
            if i >= 3:  # the first three warm up
                ms.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, (path(i), r.status, body[:200])
        ms.sort()
        p50 = statistics.median(ms)
        base = base or p50
        print(json.dumps({"kind": name, "requests": requests, "p50_ms": round(p50, 3), "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3),
                          "x_healthz": round(p50 / base, 1)}), flush=True)


if __name__ == "__main__":
    timed(int(sys.argv[2]), int(sys.argv[3]))  # stats.py time PORT REQUESTS, as report_in.sh calls it
