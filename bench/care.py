"""The 爱心守护 benchmark's halves (bench/care.sh).

grow DB PAIRS VISITS  adds beneficiaries and pairs to the SQLite file DB until
                      it holds PAIRS pairs, and visits until it holds VISITS,
                      spread over the pairs and the last two years; each pair's
                      due day follows its last visit, so some are overdue.
levels DB R           runs the statement `store::care::recompute_levels` sends
                      (every pair's level for today, then a day later, so rows
                      change) R times; prints its p50 and the pairs it changed.
time PORT R           signs in as admin and as the demo volunteer and times R
                      requests of each kind, one at a time on one keep-alive
                      connection: /healthz, the overdue list filtered by
                      district (API), the volunteer's first screen and pairs.
"""
import http.client
import json
import random
import sqlite3
import statistics
import sys
import time

DAY = 86_400_000


def today():
    return int((time.time() * 1000 + 8 * 3_600_000) // DAY)


def grow(db, pairs, visits):
    c = sqlite3.connect(db)
    rng = random.Random(pairs)
    now = int(time.time() * 1000)
    places = c.execute("SELECT id, district_id FROM communities").fetchall()
    vols = c.execute("SELECT id, unit_id FROM volunteers").fetchall()
    have = c.execute("SELECT COUNT(*) FROM care_pairs").fetchone()[0]
    need = pairs - have
    first_b = c.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM beneficiaries").fetchone()[0]
    c.executemany(
        "INSERT INTO beneficiaries (id, name, kind, community_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(first_b + k, f"对象{k}", "elderly_alone" if k % 3 == 0 else "disabled", rng.choice(places)[0], now, now) for k in range(need)])
    district = dict(places)
    first_p = c.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM care_pairs").fetchone()[0]
    rows = []
    t = today()
    for k in range(need):
        b = first_b + k
        cid = c.execute("SELECT community_id FROM beneficiaries WHERE id = ?", (b,)).fetchone()[0]
        v, u = vols[(k * 7919) % len(vols)]
        every = 7 if k % 3 == 0 else 14
        due = t + rng.randint(-40, every)
        rows.append((first_p + k, b, v, "primary", u, cid, district[cid], every, "2025-01-01", "active", due, now, now))
    c.executemany(
        "INSERT INTO care_pairs (id, beneficiary_id, volunteer_id, role, unit_id, community_id, district_id, every_days, starts_on, "
        "status, due_day, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    all_pairs = c.execute("SELECT id, volunteer_id FROM care_pairs").fetchall()
    have_v = c.execute("SELECT COUNT(*) FROM care_visits").fetchone()[0]
    batch = []
    for k in range(visits - have_v):
        p, v = all_pairs[k % len(all_pairs)]
        at = now - rng.randrange(1, 730) * DAY
        batch.append((p, v, at, 45, "in_person", 1, "confirmed", at))
        if len(batch) == 100_000:
            c.executemany("INSERT INTO care_visits (pair_id, volunteer_id, visited_at, minutes, mode, contact_made, hours_status, created_at) "
                          "VALUES (?,?,?,?,?,?,?,?)", batch)
            batch = []
    c.executemany("INSERT INTO care_visits (pair_id, volunteer_id, visited_at, minutes, mode, contact_made, hours_status, created_at) "
                  "VALUES (?,?,?,?,?,?,?,?)", batch)
    c.commit()
    counts = [c.execute(q).fetchone()[0] for q in ("SELECT COUNT(*) FROM care_pairs", "SELECT COUNT(*) FROM care_visits")]
    print(json.dumps(dict(zip(["pairs", "visits"], counts))))


# The text of `store::care::recompute_levels` with the default limits (1/7/14/30 days).
LEVEL = ("CASE WHEN status <> 'active' THEN 0 WHEN ?1 - due_day >= 30 THEN 4 WHEN ?1 - due_day >= 14 THEN 3 "
         "WHEN ?1 - due_day >= 7 THEN 2 WHEN ?1 - due_day >= 1 THEN 1 ELSE 0 END")
RECOMPUTE = (f"UPDATE care_pairs SET warning_level = {LEVEL}, notified_level = CASE WHEN {LEVEL} < notified_level THEN {LEVEL} "
             f"ELSE notified_level END WHERE warning_level <> {LEVEL} AND (status = 'active' OR warning_level > 0)")


def levels(db, repeats):
    c = sqlite3.connect(db)
    # The server's writer connection (store::db): synchronous NORMAL, an 8 MB page cache.
    c.execute("PRAGMA synchronous = NORMAL")
    c.execute("PRAGMA cache_size = -8000")
    ms, changed = [], []
    for i in range(repeats):
        t = time.perf_counter()
        n = c.execute(RECOMPUTE, (today() + i % 3,)).rowcount
        c.commit()
        ms.append((time.perf_counter() - t) * 1000)
        changed.append(n)
    c.execute(RECOMPUTE, (today(),))
    c.commit()
    ms.sort()
    print(json.dumps({"kind": "recompute_all_levels", "p50_ms": round(statistics.median(ms), 1), "max_ms": round(ms[-1], 1),
                      "changed_p50": int(statistics.median(changed))}))


def login(conn, who):
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": who, "password": f"demo-{who}"}), {"content-type": "application/json"})
    return json.loads(conn.getresponse().read())["token"]


def timed(port, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    admin, volunteer = login(conn, "admin"), login(conn, "volunteer")
    districts = [1, 2, 3, 4]
    kinds = [
        ("healthz", lambda i: "/healthz", {}),
        ("overdue_by_district", lambda i: f"/api/v1/care/pairs?overdue=true&district_id={districts[i % 4]}",
         {"authorization": f"Bearer {admin}"}),
        ("volunteer_home", lambda i: "/", {"cookie": f"tx_session={volunteer}"}),
        ("volunteer_pairs", lambda i: "/api/v1/care/pairs", {"authorization": f"Bearer {volunteer}"}),
    ]
    for name, path, headers in kinds:
        ms = []
        for i in range(requests + 5):
            t = time.perf_counter()
            conn.request("GET", path(i), headers=headers)
            r = conn.getresponse()
            body = r.read()
            if i >= 5:
                ms.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, (path(i), r.status, body[:200])
        ms.sort()
        print(json.dumps({"kind": name, "p50_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3)}))


if __name__ == "__main__":
    if sys.argv[1] == "grow":
        grow(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "levels":
        levels(sys.argv[2], int(sys.argv[3]))
    else:
        timed(int(sys.argv[2]), int(sys.argv[3]))
