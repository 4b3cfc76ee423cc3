"""Grows a demo region's SQLite file to TOTAL themed activities over ten
years (2017–2026) and ten yearly campaigns of 36 two-month slots each, for
bench/campaigns.sh. Each added activity gets two confirmed ledger entries and
two check-ins, so progress sums real hours and people served. Writes straight
into the file (the server is not running); deterministic for a seed.

Usage: campaigns_setup.py DB TOTAL
"""
import random
import secrets
import sqlite3
import sys
import datetime as dt

THEMES = ["health", "green", "happiness", "harmony", "integrity"]
DAY = 86_400_000
OFFSET = 8 * 3_600_000


def day_ms(d):
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp() * 1000) - OFFSET


def main():
    db, total = sys.argv[1], int(sys.argv[2])
    con = sqlite3.connect(db)
    rng = random.Random(14)
    have = con.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    teams = con.execute("SELECT t.id, t.district_id, (SELECT MIN(c.id) FROM communities c WHERE c.district_id = t.district_id) FROM teams t").fetchall()
    volunteers = [r[0] for r in con.execute("SELECT id FROM volunteers ORDER BY id LIMIT 2000")]
    districts = [r[0] for r in con.execute("SELECT id FROM districts ORDER BY id")]
    first, last = day_ms(dt.date(2017, 1, 1)), day_ms(dt.date(2026, 12, 31))
    now = int(dt.datetime.now(dt.timezone.utc).timestamp() * 1000)
    acts, entries, att = [], [], []
    next_id = con.execute("SELECT COALESCE(MAX(id), 0) FROM activities").fetchone()[0] + 1
    for i in range(max(0, total - have)):
        aid = next_id + i
        team, district, community = rng.choice(teams)
        start = rng.randrange(first, last) // 1_800_000 * 1_800_000
        acts.append((aid, team, community, district, f"基准活动{aid}", rng.choice(THEMES), start, start + 7_200_000, 20, secrets.token_hex(8), now, now))
        for v in rng.sample(volunteers, 2):
            served = dt.datetime.fromtimestamp((start + OFFSET) / 1000, dt.timezone.utc).date().isoformat()
            entries.append((v, "activity", aid, 2.0, served, start, start + 7_200_000, now))
            att.append((aid, v, start, start + 7_200_000))
    con.executemany("INSERT INTO activities (id, team_id, community_id, district_id, title, theme, starts_at, ends_at, capacity, checkin_token, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", acts)
    con.executemany("INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, started_at, ended_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
    con.executemany("INSERT INTO attendance (activity_id, volunteer_id, checked_in_at, checked_out_at) VALUES (?, ?, ?, ?)", att)
    years = {r[0] for r in con.execute("SELECT CAST(substr(starts_on, 1, 4) AS INTEGER) FROM campaigns")}
    for year in range(2017, 2027):
        if year in years:
            continue
        a, b = dt.date(year, 1, 1), dt.date(year, 12, 31)
        cur = con.execute("INSERT INTO campaigns (name, starts_on, ends_on, from_ms, until_ms, themes, warn_days, feed_token, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, 7, ?, ?, ?)", (f"{year}年 情暖西城 携手同行", a.isoformat(), b.isoformat(), day_ms(a),
                                                                  day_ms(b) + DAY, ",".join(THEMES), secrets.token_hex(20), now, now))
        cid = cur.lastrowid
        con.execute("INSERT INTO campaign_goals (campaign_id, metric, target) VALUES (?, 'activities', 1000)", (cid,))
        for p in range(6):
            s = dt.date(year, 2 * p + 1, 1)
            e = (dt.date(year + (p == 5), (2 * p + 3) % 12 or 12, 1) - dt.timedelta(days=1)) if p < 5 else b
            for k, d in enumerate(districts):
                con.execute("INSERT INTO campaign_slots (campaign_id, district_id, theme, starts_on, ends_on, from_ms, until_ms, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (cid, d, THEMES[(p + k) % 5], s.isoformat(), e.isoformat(), day_ms(s), day_ms(e) + DAY, now, now))
    con.execute("INSERT INTO hours_totals (volunteer_id, total_hours, entries) SELECT volunteer_id, SUM(hours), COUNT(*) FROM hours_entries GROUP BY volunteer_id "
                "ON CONFLICT (volunteer_id) DO UPDATE SET total_hours = excluded.total_hours, entries = excluded.entries")
    con.commit()
    con.execute("ANALYZE")
    n = con.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
    c = con.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0]
    print(f"{n} activities, {c} campaigns", file=sys.stderr)


if __name__ == "__main__":
    main()
