"""The 双进双报到 benchmark's two halves (bench/report_in.sh).

grow DB N   adds activities to the SQLite file DB until it holds N, spread over
            the ten years before now, each with confirmed ledger entries of
            four to eight volunteers (mostly people living in the activity's
            community, so reported members have hours there).
time PORT R signs in as admin and times R requests of each kind, one at a
            time on one keep-alive connection: the whole region's report this
            year (cached, and with the SQL run each time), per party
            organisation, over ten years, and /healthz as the baseline.
            Prints one JSON line per kind.
"""
import http.client
import json
import random
import sqlite3
import statistics
import sys
import time

DAY = 86_400_000


def grow(db, total):
    c = sqlite3.connect(db)
    have = c.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    teams = [r[0] for r in c.execute("SELECT id FROM teams")]
    places = c.execute("SELECT id, district_id FROM communities").fetchall()
    living = {}
    for vid, cid in c.execute("SELECT id, community_id FROM volunteers"):
        living.setdefault(cid, []).append(vid)
    everyone = [v for vs in living.values() for v in vs]
    rng = random.Random(total)
    now = int(time.time() * 1000)
    acts, entries = [], []
    next_id = c.execute("SELECT COALESCE(MAX(id), 0) FROM activities").fetchone()[0] + 1
    for k in range(total - have):
        cid, did = rng.choice(places)
        start = now - rng.randrange(1, 3650) * DAY - rng.randrange(0, DAY)
        aid = next_id + k
        acts.append((aid, rng.choice(teams), cid, did, "社区服务", start, start + 2 * 3_600_000, 20, f"bench-{aid}", now, now))
        day = time.strftime("%Y-%m-%d", time.gmtime((start + 8 * 3_600_000) / 1000))
        for _ in range(rng.randint(4, 8)):
            v = rng.choice(living.get(cid) or everyone) if rng.random() < 0.7 else rng.choice(everyone)
            entries.append((v, "activity", aid, 2.0, day, start, start + 7_200_000, now))
    c.executemany(
        "INSERT INTO activities (id, team_id, community_id, district_id, title, starts_at, ends_at, capacity, checkin_token, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", acts)
    c.executemany(
        "INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, started_at, ended_at, created_at) "
        "VALUES (?,?,?,?,?,?,?,?)", entries)
    # Entries written behind the app's back: set 双进双报到's per-day hours
    # from the ledger, as store::campaigns::report_in::REBUILD_HOURS does
    # after the demo's bulk loads.
    c.execute("DELETE FROM report_in_hours")
    c.execute(
        "INSERT INTO report_in_hours (volunteer_id, served_on, community_id, party_org_id, hours) "
        "SELECT e.volunteer_id, e.served_on, r.community_id, r.party_org_id, SUM(e.hours) FROM hours_entries e "
        "JOIN report_ins r ON r.volunteer_id = e.volunteer_id AND r.ended_at IS NULL "
        "JOIN activities a ON a.id = e.activity_id AND a.community_id = r.community_id "
        "GROUP BY e.volunteer_id, e.served_on, r.community_id, r.party_org_id")
    c.commit()
    counts = [c.execute(q).fetchone()[0] for q in (
        "SELECT COUNT(*) FROM activities", "SELECT COUNT(*) FROM hours_entries", "SELECT COUNT(*) FROM volunteers",
        "SELECT COUNT(*) FROM volunteers WHERE party_member = 1", "SELECT COUNT(*) FROM report_ins WHERE ended_at IS NULL",
        "SELECT COUNT(*) FROM party_orgs")]
    print(json.dumps(dict(zip(["activities", "entries", "volunteers", "party_members", "reported", "party_orgs"], counts))))


def timed(port, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "admin", "password": "demo-admin"}), {"content-type": "application/json"})
    token = json.loads(conn.getresponse().read())["token"]
    auth = {"authorization": f"Bearer {token}"}
    day = lambda days_ago: time.strftime("%Y-%m-%d", time.gmtime(time.time() - days_ago * 86400))
    year = time.strftime("%Y-01-01")
    # `uncached`: each request asks for another period (a day apart), so the
    # server's 30-second figures cache never answers and the SQL runs each time.
    kinds = [
        ("healthz", lambda i: "/healthz"),
        ("report_cached", lambda i: "/api/v1/reports/report-in"),
        ("report_year_uncached", lambda i: f"/api/v1/reports/report-in?from={year}&to={day(i)}"),
        ("report_by_org_uncached", lambda i: f"/api/v1/reports/report-in?by=party_org&from={year}&to={day(i)}"),
        ("report_ten_years_uncached", lambda i: f"/api/v1/reports/report-in?from={day(3650 + i)}"),
    ]

    def lines(name, body):
        return {"lines": len(json.loads(body)["items"]) if name != "healthz" else 0}

    time_kinds(conn, auth, kinds, requests, 5, lines)


def time_kinds(conn, auth, kinds, requests, warm, extra=lambda name, body: {}):
    """The shared timing loop: each kind's path(i) asked requests + warm times
    one at a time on `conn`, the first `warm` not counted; prints one JSON line
    per kind with its p50 and p95 (and whatever `extra` adds from the last
    body); returns the p50s by kind."""
    p50s = {}
    for name, path in kinds:
        ms = []
        for i in range(requests + warm):
            t = time.perf_counter()
            conn.request("GET", path(i), headers=auth)
            r = conn.getresponse()
            body = r.read()
            if i >= warm:
                ms.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, (path(i), r.status, body[:200])
        ms.sort()
        p50s[name] = statistics.median(ms)
        line = {"kind": name, "requests": requests, "p50_ms": round(p50s[name], 3), "p95_ms": round(ms[max(int(len(ms) * 0.95) - 1, 0)], 3)}
        print(json.dumps({**line, **extra(name, body)}), flush=True)
    return p50s


if __name__ == "__main__":
    if sys.argv[1] == "grow":
        grow(sys.argv[2], int(sys.argv[3]))
    else:
        timed(int(sys.argv[2]), int(sys.argv[3]))
