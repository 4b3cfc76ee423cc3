"""The leadership dashboard's benchmark (bench/stats.sh): signs in as admin
and times R requests of each kind, one at a time on one keep-alive connection,
printing one JSON line per kind with its p50 and p95, then every p50 as a
multiple of /healthz's in the same run:

  healthz                 the baseline
  dashboard_cached        this year's dashboard, asked again and again (the
                          figures cache answers after the first)
  dashboard_uncached      this year's dashboard to a different last day each
                          time (a day apart), so the cache never answers
  dashboard_team_uncached the same narrowed to one team
  overview_uncached       GET /api/v1/stats/overview, uncached likewise
  lines_uncached          the first page of ledger entries behind the hours
  report_yearly_xlsx      the yearly report workbook, a different year each time

The timing loop is report_in.py's (time_kinds), shared by both benchmarks.

The region is grown with report_in.py's `grow` (activities over ten years,
four to eight ledger entries each).
"""
import http.client
import json
import sys
import time

from report_in import time_kinds


def timed(port, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "admin", "password": "demo-admin"}), {"content-type": "application/json"})
    token = json.loads(conn.getresponse().read())["token"]
    auth = {"authorization": f"Bearer {token}"}
    day = lambda days_ago: time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 - days_ago * 86400))
    year = time.strftime("%Y-01-01")
    this_year = int(time.strftime("%Y"))
    kinds = [
        ("healthz", lambda i: "/healthz"),
        ("dashboard_cached", lambda i: "/api/v1/stats/dashboard"),
        ("dashboard_uncached", lambda i: f"/api/v1/stats/dashboard?from={year}&to={day(i)}"),
        ("dashboard_team_uncached", lambda i: f"/api/v1/stats/dashboard?team_id=1&from={year}&to={day(i)}"),
        ("overview_uncached", lambda i: f"/api/v1/stats/overview?from={year}&to={day(i)}"),
        ("lines_uncached", lambda i: f"/api/v1/stats/lines?metric=entries&from={year}&to={day(i)}"),
    ]
    p50 = time_kinds(conn, auth, kinds, requests, 3, lambda name, body: {})
    base = p50["healthz"]
    print(json.dumps({"x_healthz": {k: round(v / base, 1) for k, v in p50.items()}}), flush=True)
    # The yearly report (.xlsx) of a different year each time, one warm-up:
    # the dashboard's figures cache never holds the year asked (ten years of
    # activities, so every year has figures).
    reports = [("report_yearly_xlsx", lambda i: f"/api/v1/stats/reports/yearly?year={this_year - i}")]
    time_kinds(conn, auth, reports, 9, 1, lambda name, body: {"bytes": len(body)})


if __name__ == "__main__":
    timed(int(sys.argv[2]), int(sys.argv[3]))  # stats.py time PORT REQUESTS, as report_in.sh calls it
