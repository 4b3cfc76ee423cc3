#!/usr/bin/env python3
"""Certifications for the skills benchmark (bench/skills.sh, issue #19).

load DB N
    Appends certifications until skill_certifications holds N rows: every
    person who holds none climbs the ladder of one or two of the demo's
    trades level by level (2 to 4 years a step, none after today), each
    certificate numbered uniquely for its issuer, as the app would have
    stored them (each person's highest level per trade in skill_highest
    too, with the day its years complete, as the app keeps it). No server may have the file open. Prints "key value" lines.
p50 URL TOKEN N
    N sequential GETs of URL with the token; prints the median and the 90th
    percentile in milliseconds, client side.
"""
import datetime
import http.client
import random
import sqlite3
import sys
import time
import urllib.parse

INSERT = ("INSERT INTO skill_certifications (volunteer_id, trade_id, level, certified_on, certificate_no, issuer, "
          "direct_reason, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)")
# The people loaded here held none, so their highest per trade is simply the top of each climb.
HIGHEST = ("INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on) "
           "SELECT volunteer_id, trade_id, id, level, certified_on FROM skill_certifications "
           "WHERE volunteer_id = ? AND trade_id = ? AND level = ?")
# The due day and hours of each kept row, from the trade's rule or the
# default, as the app keeps them (store::skills::ladder::due_sql on SQLite).
DUE = ("WITH lv (level, years, hours) AS (VALUES (1, 2, 80), (2, 3, 120), (3, 4, 160), (4, 3, 200)), "
       "rule AS (SELECT t.id AS trade_id, lv.level AS level, COALESCE(r.years, lv.years) AS years, COALESCE(r.hours, lv.hours) AS hours "
       "FROM skill_trades t CROSS JOIN lv LEFT JOIN skill_trade_rules r ON r.trade_id = t.id AND r.level = lv.level) "
       "UPDATE skill_highest SET years_met_on = CASE WHEN substr(date(certified_on, '+' || rule.years || ' years'), 9) = substr(certified_on, 9) "
       "THEN date(certified_on, '+' || rule.years || ' years') "
       "ELSE date(certified_on, '+' || rule.years || ' years', 'start of month', '-1 day') END, hours_required = rule.hours "
       "FROM rule WHERE rule.trade_id = skill_highest.trade_id AND rule.level = skill_highest.level AND skill_highest.years_met_on IS NULL")


def ladder(rng, vid, trade, levels, today):
    """(volunteer, trade, level, day, number, issuer, created) rows of one climb."""
    day = datetime.date(rng.randint(1995, 2016), rng.randint(1, 12), rng.randint(1, 28))
    out = []
    for level in range(1, levels + 1):
        if day > today:
            break
        out.append((vid, trade, level, day.isoformat(), f"B{vid}-{trade}-{level}", "胜利油田职业技能鉴定中心", 0))
        day = day.replace(year=day.year + rng.randint(2, 4))
    return out


def load(db, total):
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA cache_size = -500000")
    trades = [r[0] for r in con.execute("SELECT id FROM skill_trades ORDER BY id")]
    have = con.execute("SELECT COUNT(*) FROM skill_certifications").fetchone()[0]
    people = [r[0] for r in con.execute(
        "SELECT id FROM volunteers WHERE id NOT IN (SELECT volunteer_id FROM skill_certifications) ORDER BY id")]
    rng, today = random.Random(19), datetime.date.today()
    per = max(1, -(-(total - have) // max(1, len(people))))
    started = time.time()
    con.execute("BEGIN")
    n = have
    for vid in people:
        if n >= total:
            break
        picked = rng.sample(trades, min(len(trades), 2 if per > 5 or rng.random() < 0.5 else 1))
        rows = []
        left = min(per, total - n)
        for i, trade in enumerate(picked):
            levels = min(5, left if i == len(picked) - 1 else rng.randint(1, min(5, left)))
            rows += ladder(rng, vid, trade, levels, today)
            left = per - len(rows)
            if left <= 0:
                break
        con.executemany(INSERT, rows)
        top = {}
        for r in rows:
            top[r[1]] = max(top.get(r[1], 0), r[2])
        con.executemany(HIGHEST, [(vid, t, level) for t, level in top.items()])
        n += len(rows)
    con.execute(DUE)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    print(f"certifications {n}")
    print(f"people {len(people)}")
    print(f"load_s {time.time() - started:.1f}")


def p50(url, token, n):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    path = u.path + (f"?{u.query}" if u.query else "")
    times = []
    for _ in range(n):
        t = time.perf_counter()
        conn.request("GET", path, headers={"authorization": f"Bearer {token}"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            sys.exit(f"{url}: {r.status}")
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{times[len(times) // 2]:.2f} {times[int(len(times) * 0.9)]:.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "p50":
        p50(sys.argv[2], sys.argv[3], int(sys.argv[4]))
