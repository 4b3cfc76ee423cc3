"""The leadership dashboard's benchmark (bench/stats.sh).

grow DB N PER   adds activities to the SQLite file DB with SQL in bulk until
                it holds N, spread over the ten years before now (random
                team, community, theme), each with PER ledger entries of
                random volunteers. The entries are written as a bulk load
                writes them, without their attribution or the rollups:
                `tongxing stats rebuild` sets both afterwards.
time PORT R DB  signs in as admin and times R requests of each kind, one at a
                time on one keep-alive connection, printing one JSON line per
                kind with its p50 and p95:

  healthz                   the baseline
  dashboard_cached          this year's dashboard, asked again and again (the
                            figures cache answers after the first)
  dashboard_<filter>        this year's dashboard to a different last day each
                            time (a day apart), so the cache never answers:
                            every section, its charts and the previous period;
                            for no filter, a team, a district, a theme, a
                            unit, and two combinations
  dashboard_12_months       the twelve months to a different last day each
                            time (no filter): a period that is no month's or
                            year's prefix (a head and a prefix)
  dashboard_ten_days        ten days to a different last day each time (no
                            filter): inside a month or across two
  raw_<filter>              the same service figures (hours, entries, distinct
                            volunteers, hours by month and team, activities,
                            projects, activities by month and theme, and the
                            previous period's totals) by direct aggregate
                            queries over the raw rows of DB, to the same days,
                            in the same run: the baseline the rollups replace
  dashboard_from_a_1st      from the 1st of the month ten months back (not a
                            January) to a different last day each time: the
                            twelve-month windows' first days
  lines_uncached            the first page of ledger entries behind the hours
  report_yearly_xlsx        the yearly report workbook, a different year each time

then every dashboard p50 as a multiple of /healthz's and the raw queries'
p50 over the API's for the same filter.
"""
import calendar
import http.client
import json
import sqlite3
import statistics
import sys
import time

from report_in import time_kinds

DAY = 86_400_000
THEMES = "CASE x.r3 % 6 WHEN 0 THEN 'health' WHEN 1 THEN 'green' WHEN 2 THEN 'happiness' WHEN 3 THEN 'harmony' WHEN 4 THEN 'integrity' END"


def grow(db, total, per, chunk=50_000):
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=WAL")
    span = lambda table: c.execute(f"SELECT MIN(id), MAX(id), COUNT(*) FROM {table}").fetchone()
    for table in ("teams", "communities", "volunteers"):
        lo, hi, n = span(table)
        assert hi - lo + 1 == n, f"{table} ids are not contiguous"
    (t0, t1, _), (c0, c1, _), (v0, v1, _) = span("teams"), span("communities"), span("volunteers")
    now = int(time.time() * 1000)
    have = c.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    while have < total:
        n = min(chunk, total - have)
        base = c.execute("SELECT COALESCE(MAX(id), 0) FROM activities").fetchone()[0]
        c.execute(
            f"""INSERT INTO activities (id, team_id, community_id, district_id, title, theme, starts_at, ends_at, capacity,
                checkin_token, created_at, updated_at)
            WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < {n}),
            x AS MATERIALIZED (SELECT k, abs(random()) AS r1, abs(random()) AS r2, abs(random()) AS r3, abs(random()) AS r4 FROM s)
            SELECT {base} + x.k, {t0} + x.r1 % {t1 - t0 + 1}, cm.id, cm.district_id, 'bench ' || ({base} + x.k), {THEMES},
                {now} - (1 + x.r4 % 3650) * {DAY} - x.r2 % {DAY}, {now} - (1 + x.r4 % 3650) * {DAY} - x.r2 % {DAY} + 7200000, 20,
                'bench-' || ({base} + x.k), {now}, {now}
            FROM x JOIN communities cm ON cm.id = {c0} + x.r2 % {c1 - c0 + 1}""")
        ks = ", ".join(f"({k})" for k in range(per))
        c.execute(
            f"""INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, started_at, ended_at, created_at)
            SELECT {v0} + abs(random()) % {v1 - v0 + 1}, 'activity', a.id, 2.0,
                strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch'), a.starts_at, a.ends_at, {now}
            FROM activities a CROSS JOIN (VALUES {ks}) WHERE a.id > {base}""")
        c.commit()
        have += n
        print(f"[grow] {have} activities", file=sys.stderr, flush=True)
    counts = [c.execute(q).fetchone()[0] for q in ("SELECT COUNT(*) FROM activities", "SELECT COUNT(*) FROM hours_entries", "SELECT COUNT(*) FROM volunteers")]
    print(json.dumps(dict(zip(["activities", "entries", "volunteers"], counts))), flush=True)


def raw_figures(c, frm, to, prev_from, prev_to, f):
    """The service section's figures for one filter, by direct aggregate
    queries over the ledger entries (by their attribution) and activities."""
    ms = lambda d: (calendar.timegm(time.strptime(d, "%Y-%m-%d")) - 8 * 3600) * 1000
    where = "".join(f" AND e.{k} = {v!r}" for k, v in f.items())
    held = "".join(f" AND a.{k} = {v!r}" for k, v in f.items() if k != "unit_id")
    if "unit_id" in f:
        held += f" AND EXISTS (SELECT 1 FROM hours_entries ue WHERE ue.activity_id = a.id AND ue.unit_id = {f['unit_id']})"
    month = "strftime('%Y-%m', a.starts_at / 1000 + 28800, 'unixepoch')"
    for (a, b), charts in (((frm, to), True), ((prev_from, prev_to), False)):
        e = f"hours_entries e WHERE e.served_on >= '{a}' AND e.served_on <= '{b}'{where}"
        acts = f"activities a WHERE a.cancelled_at IS NULL AND a.starts_at >= {ms(a)} AND a.starts_at < {ms(b) + DAY}{held}"
        c.execute(f"SELECT SUM(e.hours), COUNT(DISTINCT e.volunteer_id), COUNT(*) FROM {e}").fetchall()
        c.execute(f"SELECT COUNT(*), COUNT(DISTINCT a.project_id) FROM {acts}").fetchall()
        if charts:
            c.execute(f"SELECT substr(e.served_on, 1, 7), SUM(e.hours) FROM {e} GROUP BY 1").fetchall()
            c.execute(f"SELECT t.id, t.name, SUM(e.hours) FROM {e.replace('hours_entries e', 'hours_entries e JOIN teams t ON t.id = e.team_id')} GROUP BY t.id ORDER BY 3 DESC LIMIT 20").fetchall()
            c.execute(f"SELECT {month}, COUNT(*) FROM {acts} GROUP BY 1").fetchall()
            c.execute(f"SELECT a.theme, COUNT(*) FROM {acts} GROUP BY 1").fetchall()


def timed(port, requests, db):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "admin", "password": "demo-admin"}), {"content-type": "application/json"})
    token = json.loads(conn.getresponse().read())["token"]
    auth = {"authorization": f"Bearer {token}"}
    day = lambda days_ago, year=0: time.strftime(f"{int(time.strftime('%Y')) - year}-%m-%d", time.gmtime(time.time() + 8 * 3600 - days_ago * 86400))
    year = time.strftime("%Y-01-01")
    last_year = f"{int(time.strftime('%Y')) - 1}-01-01"
    c = sqlite3.connect(db)
    team, district, unit = (c.execute(f"SELECT MIN(id) FROM {t}").fetchone()[0] for t in ("teams", "districts", "units"))
    filters = {
        "all": {}, "team": {"team_id": team}, "district": {"district_id": district}, "theme": {"theme": "health"},
        "unit": {"unit_id": unit}, "team_theme": {"team_id": team, "theme": "health"}, "district_unit": {"district_id": district, "unit_id": unit},
    }
    query = lambda f: "".join(f"&{k}={v}" for k, v in f.items())
    kinds = [("healthz", lambda i: "/healthz"), ("dashboard_cached", lambda i: "/api/v1/stats/dashboard")]
    kinds += [(f"dashboard_{n}", lambda i, f=f: f"/api/v1/stats/dashboard?from={year}&to={day(i)}{query(f)}") for n, f in filters.items()]
    # A period not starting on the first of a month or year: distinct
    # volunteers from their day bits, not from first days.
    kinds.append(("dashboard_12_months", lambda i: f"/api/v1/stats/dashboard?from={day(i - 1, 1)}&to={day(i)}"))
    # From the first of a month (not January's) up to twelve months, as the
    # last twelve months is: distinct volunteers from the window first days
    # (migration 0049), before them from the day bits.
    # Ten days to a different last day each time: inside a month (month
    # days, migration 0056) or across two (a head, 0055).
    kinds.append(("dashboard_ten_days", lambda i: f"/api/v1/stats/dashboard?from={day(i + 9)}&to={day(i)}"))
    now = time.gmtime(time.time() + 8 * 3600)
    back = now.tm_year * 12 + now.tm_mon - 1 - 10
    back -= 1 if back % 12 == 0 else 0
    kinds.append(("dashboard_from_a_1st", lambda i: f"/api/v1/stats/dashboard?from={back // 12}-{back % 12 + 1:02}-01&to={day(i)}"))
    kinds.append(("lines_uncached", lambda i: f"/api/v1/stats/lines?metric=entries&from={year}&to={day(i)}"))
    p50 = time_kinds(conn, auth, kinds, requests, 3, lambda name, body: {})
    raw = {}
    for n, f in filters.items():
        ms = []
        for i in range(min(requests, 10)):
            t = time.perf_counter()
            raw_figures(c, year, day(i), last_year, day(i, 1), f)
            ms.append((time.perf_counter() - t) * 1000)
        raw[n] = statistics.median(ms)
        print(json.dumps({"kind": f"raw_{n}", "requests": len(ms), "p50_ms": round(raw[n], 3), "p95_ms": round(max(ms), 3)}), flush=True)
    base = p50["healthz"]
    print(json.dumps({"x_healthz": {k: round(v / base, 1) for k, v in p50.items()}}), flush=True)
    print(json.dumps({"raw_over_api": {n: round(raw[n] / p50[f"dashboard_{n}"], 1) for n in filters}}), flush=True)
    this_year = int(time.strftime("%Y"))
    reports = [("report_yearly_xlsx", lambda i: f"/api/v1/stats/reports/yearly?year={this_year - i}")]
    time_kinds(conn, auth, reports, 9, 1, lambda name, body: {"bytes": len(body)})


if __name__ == "__main__":
    if sys.argv[1] == "grow":
        grow(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        timed(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
