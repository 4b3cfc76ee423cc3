"""The 子女照辅班 benchmark's halves (bench/childcare.sh).

setup DB N      adds a term around today to the SQLite file DB with 16 classes
                and N enrolled children (each with a pick-up person), headed by
                the first volunteer; prints the class day the door is timed on.
door PORT DAY T signs in as the coordinator and checks every child in, then
                out, on T keep-alive connections at once, each request with its
                own Idempotency-Key as a phone sends it; then sends 500 of them
                again with the same keys (a flaky connection's retries). Prints
                the rate, p50/p99 and the answers by status.
count DB        counts the attendance rows: exactly two per child, none doubled.
sheet PORT DAY R times R reads of one class's day sheet (with its ratio) and of
                /healthz, one at a time on one connection.
"""
import datetime
import http.client
import json
import sqlite3
import statistics
import sys
import threading
import time

CLASSES = 16


def setup(db, n):
    c = sqlite3.connect(db)
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=20), today + datetime.timedelta(days=20)
    day = today + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    now = int(time.time() * 1000)
    tid = c.execute("INSERT INTO childcare_terms (name, starts_on, ends_on, created_at) VALUES (?,?,?,?) RETURNING id",
                    ("bench term", str(start), str(end), now)).fetchone()[0]
    communities = [r[0] for r in c.execute("SELECT id FROM communities ORDER BY id LIMIT ?", (CLASSES,))]
    head = c.execute("SELECT MIN(id) FROM volunteers").fetchone()[0]
    per = (n + CLASSES - 1) // CLASSES
    classes = []
    for k in range(CLASSES):
        cid = c.execute(
            "INSERT INTO childcare_classes (term_id, name, community_id, min_age, max_age, capacity, children_per_caretaker, daily_from, "
            "daily_to, head_volunteer_id, enrolled, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (tid, f"bench class {k}", communities[k % len(communities)], 3, 15, per, 10, "08:00", "17:30", head, per, now)).fetchone()[0]
        classes.append(cid)
    kids, picks = [], []
    for i in range(n):
        kids.append((classes[i % CLASSES], f"BENCH{i:07d}", f"孩子{i}", "2017-05-01", f"家长{i}", f"135{i:08d}", "enrolled", now, now, now))
    c.executemany(
        "INSERT INTO childcare_enrolments (class_id, code, child_name, birth_date, guardian_name, guardian_phone, status, queued_at, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", kids)
    for eid, name, phone in c.execute("SELECT id, guardian_name, guardian_phone FROM childcare_enrolments WHERE code LIKE 'BENCH%'"):
        picks.append((eid, name, "父亲", phone))
    c.executemany("INSERT INTO childcare_pickups (enrolment_id, name, relation, phone) VALUES (?,?,?,?)", picks)
    c.commit()
    print(day)


def login(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"login": "coordinator", "password": "demo-coordinator"}),
                 {"content-type": "application/json"})
    return conn, json.loads(conn.getresponse().read())["token"]


def children(port, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/childcare/classes", headers={"authorization": f"Bearer {token}"})
    classes = [k for k in json.loads(conn.getresponse().read())["items"] if k["name"].startswith("bench class")]
    return classes


def door(port, day, threads):
    _, token = login(port)
    db_children = json.loads(sys.stdin.read())  # [[class_id, enrolment_id, by_name], ...]
    lat, statuses, lock = [], {}, threading.Lock()
    sent = []

    def run(part, kind, hm):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine_lat, mine_st = [], {}
        for class_id, eid, by in part:
            key = f"bench-{kind}-{eid}"
            body = json.dumps({"enrolment_id": eid, "kind": kind, "by_name": by, "at": f"{day}T{hm}:00+08:00"})
            t = time.perf_counter()
            conn.request("POST", f"/api/v1/childcare/classes/{class_id}/attendance", body,
                         {"content-type": "application/json", "authorization": f"Bearer {token}", "idempotency-key": key})
            r = conn.getresponse()
            r.read()
            mine_lat.append((time.perf_counter() - t) * 1000)
            mine_st[r.status] = mine_st.get(r.status, 0) + 1
            if kind == "in" and len(sent) < 500:
                sent.append((class_id, key, body))
        with lock:
            lat.extend(mine_lat)
            for s, k in mine_st.items():
                statuses[s] = statuses.get(s, 0) + k

    t0 = time.perf_counter()
    for kind, hm in (("in", "08:00"), ("out", "17:00")):
        parts = [db_children[i::threads] for i in range(threads)]
        ts = [threading.Thread(target=run, args=(p, kind, hm)) for p in parts]
        [t.start() for t in ts]
        [t.join() for t in ts]
    wall = time.perf_counter() - t0
    lat.sort()
    # Retries with the same keys: replayed, never a second entry.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    replayed = 0
    for class_id, key, body in sent:
        conn.request("POST", f"/api/v1/childcare/classes/{class_id}/attendance", body,
                     {"content-type": "application/json", "authorization": f"Bearer {token}", "idempotency-key": key})
        r = conn.getresponse()
        r.read()
        replayed += r.getheader("idempotent-replayed") == "true"
    print(json.dumps({"kind": "door", "requests": len(lat), "seconds": round(wall, 2), "per_second": round(len(lat) / wall),
                      "p50_ms": round(statistics.median(lat), 2), "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 2),
                      "threads": threads, "statuses": statuses, "retries_replayed": f"{replayed}/{len(sent)}"}))


def count(db):
    c = sqlite3.connect(db)
    rows = c.execute("SELECT COUNT(*) FROM childcare_attendance a JOIN childcare_enrolments e ON e.id = a.enrolment_id "
                     "WHERE e.code LIKE 'BENCH%'").fetchone()[0]
    kids = c.execute("SELECT COUNT(*) FROM childcare_enrolments WHERE code LIKE 'BENCH%'").fetchone()[0]
    doubled = c.execute("SELECT COUNT(*) FROM (SELECT enrolment_id, kind FROM childcare_attendance GROUP BY enrolment_id, day, kind "
                        "HAVING COUNT(*) > 1) x").fetchone()[0]
    print(json.dumps({"kind": "count", "children": kids, "attendance_rows": rows, "expected": 2 * kids, "doubled": doubled}))


def roster(db):
    c = sqlite3.connect(db)
    rows = c.execute("SELECT e.class_id, e.id, p.name FROM childcare_enrolments e JOIN childcare_pickups p ON p.enrolment_id = e.id "
                     "WHERE e.code LIKE 'BENCH%' ORDER BY e.id").fetchall()
    print(json.dumps(rows))


def sheet(port, day, requests):
    conn, token = login(port)
    auth = {"authorization": f"Bearer {token}"}
    first = children(port, token)[0]["id"]
    for name, path in (("healthz", "/healthz"), ("day_sheet", f"/api/v1/childcare/classes/{first}/days/{day}")):
        ms = []
        for i in range(requests + 5):
            t = time.perf_counter()
            conn.request("GET", path, headers=auth)
            r = conn.getresponse()
            body = r.read()
            if i >= 5:
                ms.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, (path, r.status, body[:200])
        ms.sort()
        kids = len(json.loads(body)["children"]) if name == "day_sheet" else 0
        print(json.dumps({"kind": name, "p50_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3),
                          "children": kids}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "setup":
        setup(sys.argv[2], int(sys.argv[3]))
    elif cmd == "roster":
        roster(sys.argv[2])
    elif cmd == "door":
        door(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif cmd == "count":
        count(sys.argv[2])
    else:
        sheet(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
