#!/usr/bin/env python3
"""The hours summary over a big ledger (bench/activities.sh, issue #4).

load DB N [FIRST_DAY]
               Appends N entries to hours_entries with SQL alone (a recursive
               CTE, 1,000,000 rows a statement), in time order as a real
               ledger grows: every tenth entry credits one heavy volunteer
               (the first one in the tokens file, i.e. the lowest id with an
               account), the rest are spread over every volunteer. The
               ledger's indexes are dropped first and built again after (as
               a bulk load does), then hours_totals is rebuilt with the
               statement the server's bulk paths use. Prints timings as
               "key value" lines. No server may have the file open. The
               entries span the year from FIRST_DAY (default 2025-01-01);
               with no bench accounts the heavy volunteer is the first one.
measure URL DB TOKENS N
               N requests, one at a time, of GET /api/v1/volunteers/{id}/hours
               by the heavy volunteer, and N by volunteers drawn at random
               from the tokens file; client-side latency percentiles. Also the
               query plans of the two statements a summary runs.
"""
import http.client
import random
import sqlite3
import sys
import time
import urllib.parse

CHUNK = 1_000_000
# Must match crates/store/src/ledger.rs (REBUILD_TOTALS).
REBUILD_TOTALS = ("INSERT INTO hours_totals (volunteer_id, total_hours, entries) "
                  "SELECT volunteer_id, SUM(hours), COUNT(*) FROM hours_entries WHERE TRUE GROUP BY volunteer_id "
                  "ON CONFLICT (volunteer_id) DO UPDATE SET total_hours = excluded.total_hours, entries = excluded.entries")


def load(db, n, first_day="2025-01-01"):
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA cache_size = -1000000")
    lo, hi = con.execute("SELECT MIN(id), MAX(id) FROM volunteers").fetchone()
    heavy = con.execute("SELECT MIN(volunteer_id) FROM users WHERE login LIKE 'bench-v%'").fetchone()[0] or lo
    # The first day's midnight in the region (UTC+8), in unix seconds.
    start_s = con.execute("SELECT CAST(strftime('%s', ?) AS INTEGER) - 8 * 3600", (first_day,)).fetchone()[0]
    admin = con.execute("SELECT id FROM users WHERE login = 'admin'").fetchone()[0]
    before = con.execute("SELECT COUNT(*) FROM hours_entries").fetchone()[0]
    print("ledger_entries_before", before)
    print("ledger_heavy_volunteer", heavy)
    t0 = time.time()
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hours_entries' AND sql IS NOT NULL").fetchall()
    con.execute("BEGIN")
    for name, _ in indexes:
        con.execute(f"DROP INDEX {name}")
    # A year from the first day, in time order.
    span_ms = 365 * 86400_000
    for first in range(0, n, CHUNK):
        last = min(n, first + CHUNK) - 1
        con.execute(
            "WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?) "
            "INSERT INTO hours_entries (volunteer_id, kind, hours, served_on, recorded_by, confirmed_by, note, created_at) "
            "SELECT CASE WHEN k % 10 = 0 THEN ? ELSE ? + (k * 7919) % ? END, 'manual', 2.0, "
            "date(? + (k * ? / ?) / 1000, 'unixepoch', '+8 hours'), ?, ?, '批量载入', ? * 1000 + k * ? / ? FROM s",
            (first, last, heavy, lo, hi - lo + 1, start_s, span_ms, n, admin, admin, start_s, span_ms, n))
    t1 = time.time()
    for _, sql in indexes:
        con.execute(sql)
    t2 = time.time()
    con.execute("DELETE FROM hours_totals")
    con.execute(REBUILD_TOTALS)
    con.execute("COMMIT")
    t3 = time.time()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("ledger_entries_after", con.execute("SELECT COUNT(*) FROM hours_entries").fetchone()[0])
    print("ledger_heavy_entries", con.execute("SELECT entries FROM hours_totals WHERE volunteer_id = ?", (heavy,)).fetchone()[0])
    print("ledger_indexes_rebuilt", len(indexes))
    print(f"ledger_insert_seconds {t1 - t0:.1f}")
    print(f"ledger_index_seconds {t2 - t1:.1f}")
    print(f"ledger_totals_seconds {t3 - t2:.1f}")
    print(f"ledger_load_seconds {time.time() - t0:.1f}")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


def measure(url, db, tokens_path, n):
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    people = [line.split() for line in open(tokens_path) if line.strip()]
    heavy = people[0]
    rng = random.Random(4)

    def get(vid, token):
        t = time.perf_counter()
        conn.request("GET", f"/api/v1/volunteers/{vid}/hours", headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        body = r.read()
        ms = (time.perf_counter() - t) * 1000
        if r.status != 200:
            sys.exit(f"ledger: {r.status} {body[:200]!r}")
        return ms

    for _ in range(20):  # warm-up, not counted
        get(*heavy)
    for label, pick in (("heavy", lambda: heavy), ("random", lambda: rng.choice(people))):
        ms = [get(*pick()) for _ in range(n)]
        for p in (50, 90, 99):
            print(f"ledger_{label}_p{p}_ms {pct(ms, p):.2f}")
        print(f"ledger_{label}_max_ms {max(ms):.2f}")
        print(f"ledger_{label}_requests {n}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    # The statements crates/store/src/ledger.rs runs for a summary.
    plans = {
        "totals": ("SELECT total_hours, entries FROM hours_totals WHERE volunteer_id = ?", (heavy[0],)),
        "recent": ("SELECT e.id, e.kind, e.hours, e.served_on, e.activity_id, e.need_id, COALESCE(a.title, n.title) AS what, "
                   "ur.login AS recorded_by, uc.login AS confirmed_by, e.corrects_entry_id, e.note, "
                   "(SELECT COUNT(*) FROM hours_disputes d WHERE d.entry_id = e.id AND d.status = 'open') AS disputed "
                   "FROM hours_entries e LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id "
                   "LEFT JOIN users ur ON ur.id = e.recorded_by LEFT JOIN users uc ON uc.id = e.confirmed_by "
                   "WHERE (e.volunteer_id = ?) ORDER BY e.id DESC LIMIT 50 OFFSET 0", (heavy[0],)),
    }
    for name, (sql, args) in plans.items():
        plan = " ; ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql, args))
        print(f"ledger_plan_{name} {plan}")
        t = time.perf_counter()
        for _ in range(20):
            con.execute(sql, args).fetchall()
        print(f"ledger_direct_{name}_ms {(time.perf_counter() - t) * 1000 / 20:.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2], int(sys.argv[3]), *sys.argv[4:5])
    elif sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)
